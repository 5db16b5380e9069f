import Uring

/// NOP round trips through a ring: push a batch, submit and wait for it, consume it.
///
/// The library's default ring and a plain ring (no setup flags, no registered
/// descriptor: liburing's `io_uring_queue_init(entries, &ring, 0)`) run in
/// alternating rounds in one process; medians are compared.
struct NopBenchmark {
    let batch: Int
    let operations: Int
    let rounds: Int

    struct Result {
        let batch: Int
        let operations: Int
        let defaultRate: Double
        let plainRate: Double
        let defaultFlags: String
        let registeredRingFD: Bool

        var ratio: Double { defaultRate / plainRate }

        var table: String {
            """
            nop  batch \(batch), \(operations) NOPs per round (median of rounds)
              default ring  \(Format.rate(defaultRate)) ops/s  [\(defaultFlags)\(registeredRingFD ? ", registered ring fd" : "")]
              plain ring    \(Format.rate(plainRate)) ops/s  [no flags]
              ratio         \(Format.ratio(ratio))
            """
        }

        var json: String {
            JSONObject([
                ("benchmark", .string("nop")), ("batch", .int(batch)), ("ops", .int(operations)),
                ("ops_per_sec", .double(defaultRate)), ("plain_ops_per_sec", .double(plainRate)),
                ("ratio", .double(ratio)), ("default_flags", .string(defaultFlags)),
                ("registered_ring_fd", .bool(registeredRingFD)),
            ]).text
        }
    }

    func run() throws -> Result {
        let entries = UInt32(max(batch, 8))
        var defaultRing = try Ring(entries: entries, options: .default)
        var plainRing = try Ring(entries: entries, options: .plain)
        var defaultRates: [Double] = []
        var plainRates: [Double] = []
        try measure(&defaultRing, operations: min(operations, 100_000))
        try measure(&plainRing, operations: min(operations, 100_000))
        for _ in 0..<rounds {
            defaultRates.append(try measure(&defaultRing, operations: operations))
            plainRates.append(try measure(&plainRing, operations: operations))
        }
        return Result(
            batch: batch, operations: operations,
            defaultRate: Statistics.median(defaultRates), plainRate: Statistics.median(plainRates),
            defaultFlags: defaultRing.flags.kernelDescription,
            registeredRingFD: defaultRing.registeredIndex != nil)
    }

    /// Runs `operations` NOPs (rounded up to whole batches); returns NOPs per second.
    @discardableResult
    private func measure(_ ring: inout Ring, operations: Int) throws -> Double {
        try Self.roundTrips(&ring, operations: operations, batch: batch)
    }

    /// Pushes `batch` NOPs, submits and reaps them, until `operations` are done
    /// (rounded up to whole batches); returns NOPs per second.
    static func roundTrips(_ ring: inout Ring, operations: Int, batch: Int) throws -> Double {
        let start = ContinuousClock.now
        var completed = 0
        while completed < operations {
            for index in 0..<batch {
                // SAFETY: a NOP points to no memory.
                guard ring.push(Nop(), userData: UInt64(index)) else {
                    throw BenchError("submission ring full at \(index) of a batch of \(batch)")
                }
            }
            try ring.submit(waitingFor: batch)
            var inBatch = 0
            while inBatch < batch {
                inBatch += try ring.forEachCompletion { _ in }
                if inBatch < batch { try ring.submit(waitingFor: batch - inBatch) }
            }
            completed += inBatch
        }
        return Double(completed) / (ContinuousClock.now - start).seconds
    }
}
