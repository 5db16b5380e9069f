import CUringBench
import Glibc
import UringNet

/// `uring bench send`: `TCPConnection.write` against `writeZeroCopy` (`IORING_OP_SEND_ZC`)
/// into a plain blocking reader, per buffer size, in shuffled order each round.
struct SendBenchmark {
    let sizes: [Int]
    let total: Int
    let rounds: Int

    /// How a run sends.
    enum Way: String, CaseIterable {
        case copy = "write (send)"
        case zeroCopy = "writeZeroCopy (send_zc)"
    }

    struct Row {
        let size: Int
        let copy: Double
        let zeroCopy: Double
    }

    func run() throws -> [Row] {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        var rows: [Row] = []
        for size in sizes {
            var samples: [Way: [Double]] = [:]
            for _ in 0..<rounds {
                for way in Way.allCases.shuffled() {
                    samples[way, default: []].append(try measure(way, size: size, on: executor))
                }
            }
            rows.append(
                Row(
                    size: size, copy: Statistics.median(samples[.copy, default: []]),
                    zeroCopy: Statistics.median(samples[.zeroCopy, default: []])))
        }
        return rows
    }

    /// Bytes per second of one run: `total` bytes in writes of `size`, until the reader has them all.
    /// - Throws: `BenchError` when the reader did not get every byte.
    private func measure(_ way: Way, size: Int, on executor: RingExecutor) throws -> Double {
        var port: UInt16 = 0
        guard let sink = cub_blocking_server_start(&port, 1) else {
            throw UringError(errno: Errno(rawValue: errno), operation: "blocking reader")
        }
        let handle = UncheckedServer(pointer: sink)
        defer { cub_blocking_server_stop(handle.pointer) }
        let writes = max(1, total / size)
        let address = SocketAddress.ipv4Loopback(port: port)
        let start = ContinuousClock.now
        try blockOn {
            try await Task(executorPreference: executor) {
                let connection = try await TCPConnection.connect(to: address, on: executor)
                let buffer = try IOBuffer(copying: [UInt8](repeating: 0x5A, count: size))
                for _ in 0..<writes {
                    switch way {
                    case .copy: try await connection.write(buffer)
                    case .zeroCopy: try await connection.writeZeroCopy(buffer)
                    }
                }
                try await connection.close()
            }.value
        }
        let expected = UInt64(writes * size)
        while cub_blocking_server_received(handle.pointer) < expected && ContinuousClock.now - start < .seconds(60) {
            usleep(50)
        }
        let elapsed = ContinuousClock.now - start
        guard cub_blocking_server_received(handle.pointer) == expected else {
            throw BenchError("the reader got \(cub_blocking_server_received(handle.pointer)) of \(expected) bytes")
        }
        return Double(expected) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    func table(_ rows: [Row]) -> String {
        Format.table(
            [
                "send: \(Format.bytes(Double(total))) per run over loopback TCP into a blocking reader, one write in flight",
                "medians of \(rounds) rounds, the two ways in shuffled order each round",
                "buffer      write (send)    writeZeroCopy (send_zc)   zero-copy vs copy",
            ],
            rows.map { row in
                [
                    (Format.bytes(Double(row.size)), 12), (Format.bytes(row.copy) + "/s", 16),
                    (Format.bytes(row.zeroCopy) + "/s", 26), (Format.ratio(row.zeroCopy / row.copy), 0),
                ]
            })
    }
}
