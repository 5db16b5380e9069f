import Glibc
import Synchronization
import SystemPackage
import Uring
import UringAsync

/// Awaited operations on a ``RingExecutor`` beside synchronous baselines, in one run:
///
/// - NOPs awaited by `tasks` tasks running on the executor itself, one await
///   per NOP, and by `tasks / batch` tasks awaiting ``RingBatch``es of `batch`
///   NOPs (the same NOPs in flight), against the synchronous default ring
///   pushing batches of `tasks` NOPs, and against the same awaits on a bare task
///   executor with no kernel in between (``SuspensionFloor``: the runtime's share);
/// - NOPs awaited one after another by an actor that runs on the executor,
///   called from a task with no executor preference, against the synchronous
///   ring's NOPs one at a time;
/// - random 4 KiB reads of a cached file by `tasks` tasks spread over a
///   ``RingExecutorGroup`` of `readExecutors` executors (one per core by default),
///   against a one-thread `pread` loop over the same offsets;
/// - a new file of `writeMegabytes` MiB written by one task on the executor, one
///   awaited 1 MiB ``AsyncFile/writeAll(from:count:at:)`` after another, against
///   a one-thread `pwrite` loop of 1 MiB calls.
///
/// Rounds alternate between the two sides (the file writes in a random order each
/// round: the first to write after the read file was made meets memory the machine
/// has not backed yet); medians are compared.
struct AsyncBenchmark {
    let tasks: Int
    let batch: Int
    let nops: Int
    let reads: Int
    let fileMegabytes: Int
    let directory: String
    let rounds: Int
    let readExecutors: Int
    /// The size of the file the write measurement creates; 0 skips it.
    var writeMegabytes = 0

    struct Result {
        let tasks: Int
        let batch: Int
        let awaitNopRate: Double
        let batchNopRate: Double
        let floorRate: Double
        let syncNopRate: Double
        let syncSingleNopRate: Double
        let actorNopRate: Double
        let readRate: Double
        let preadRate: Double
        let fileMegabytes: Int
        let readExecutors: Int
        let writeRate: Double
        let pwriteRate: Double
        let writeMegabytes: Int

        var table: String {
            """
            async  \(tasks) tasks on one RingExecutor (median of rounds)
              awaited NOPs      \(Format.rate(awaitNopRate)) ops/s  [one await per NOP]
              batched NOPs      \(Format.rate(batchNopRate)) ops/s  [\(tasks / batch) task\(tasks / batch == 1 ? "" : "s") awaiting RingBatches of \(batch)]
              sync ring NOPs    \(Format.rate(syncNopRate)) ops/s  [batches of \(tasks)]
              ratio             \(Format.ratio(awaitNopRate / syncNopRate))  one await per NOP (bounded by the runtime floor below)
              ratio             \(Format.ratio(batchNopRate / syncNopRate))  batched awaits (goal 0.70x)
              runtime floor     \(Format.rate(floorRate)) ops/s  [\(tasks) tasks awaiting no-ops on a bare task executor: no kernel]
              ratio             \(Format.ratio(floorRate / syncNopRate))  the most one await per NOP can reach
              sync ring NOPs    \(Format.rate(syncSingleNopRate)) ops/s  [one at a time]
              ratio             \(Format.ratio(awaitNopRate / syncSingleNopRate))
              actor NOPs        \(Format.rate(actorNopRate)) ops/s  [one actor on the executor, one await at a time]
              ratio             \(Format.ratio(actorNopRate / syncSingleNopRate))  against the sync ring one at a time
              awaited 4K reads  \(Format.rate(readRate)) ops/s  [random offsets, cached \(fileMegabytes) MiB file, \(readExecutors) executor(s)]
              pread loop        \(Format.rate(preadRate)) ops/s  [one thread]
              ratio             \(Format.ratio(readRate / preadRate))  \(readExecutors == 1 ? "(goal 1.00x)" : "(the goal is for one executor: --executors 1)")
            """
                + (writeMegabytes == 0
                    ? ""
                    : """

                      awaited writes    \(Format.fixed(writeRate, 0)) MiB/s  [a new \(writeMegabytes) MiB file, 1 MiB awaited at a time, one task]
                      pwrite loop       \(Format.fixed(pwriteRate, 0)) MiB/s  [1 MiB calls, one thread]
                      ratio             \(Format.ratio(writeRate / pwriteRate))  (goal 1.00x)
                    """)
        }

        var json: String {
            JSONObject([
                ("benchmark", .string("async")), ("tasks", .int(tasks)),
                ("await_nop_ops_per_sec", .double(awaitNopRate)), ("sync_nop_ops_per_sec", .double(syncNopRate)),
                ("nop_ratio", .double(awaitNopRate / syncNopRate)),
                ("batch", .int(batch)), ("await_batch_nop_ops_per_sec", .double(batchNopRate)),
                ("batch_nop_ratio", .double(batchNopRate / syncNopRate)),
                ("await_floor_ops_per_sec", .double(floorRate)), ("floor_ratio", .double(floorRate / syncNopRate)),
                ("sync_nop_batch1_ops_per_sec", .double(syncSingleNopRate)),
                ("actor_nop_ops_per_sec", .double(actorNopRate)),
                ("actor_nop_ratio", .double(actorNopRate / syncSingleNopRate)),
                ("read4k_ops_per_sec", .double(readRate)), ("pread4k_ops_per_sec", .double(preadRate)),
                ("read_ratio", .double(readRate / preadRate)), ("file_mib", .int(fileMegabytes)),
                ("read_executors", .int(readExecutors)), ("write_mib", .int(writeMegabytes)),
                ("write_mib_per_sec", .double(writeRate)), ("pwrite_mib_per_sec", .double(pwriteRate)),
                ("write_ratio", .double(writeRate / pwriteRate)),
            ]).text
        }
    }

    func run() throws -> Result {
        let path = directory + "/uring-bench-async-\(getpid()).bin"
        try BenchFiles.create(path, megabytes: fileMegabytes)
        defer { unlink(path) }
        let file = try FileDescriptor.open(FilePath(path), .readOnly)
        defer { try? file.close() }
        let executor = try RingExecutor(entries: UInt32(max(64, tasks * 2)))
        defer { executor.shutdown() }
        let group = try RingExecutorGroup(count: readExecutors, entries: UInt32(max(64, tasks * 2)))
        defer { group.shutdown() }
        let blocks = UInt64(fileMegabytes) << 8
        var ring = try Ring(entries: UInt32(max(8, tasks)), options: .default)
        let floor = SuspensionFloor()
        defer { floor.stop() }
        var awaited: [Double] = []
        var batched: [Double] = []
        var floors: [Double] = []
        var synchronous: [Double] = []
        var single: [Double] = []
        var actors: [Double] = []
        var readRates: [Double] = []
        var preadRates: [Double] = []
        var writeRates: [Double] = []
        var pwriteRates: [Double] = []
        let written = directory + "/uring-bench-async-write-\(getpid()).bin"
        defer { unlink(written) }
        _ = try blockOn { try await awaitNops(on: executor, count: min(nops, 50_000)) }
        for _ in 0..<rounds {
            awaited.append(try blockOn { try await awaitNops(on: executor, count: nops) })
            batched.append(try blockOn { try await awaitBatchedNops(on: executor, count: nops) })
            floors.append(try blockOn { await awaitNoOps(on: floor, count: nops) })
            synchronous.append(try NopBenchmark.roundTrips(&ring, operations: nops, batch: tasks))
            single.append(try NopBenchmark.roundTrips(&ring, operations: nops / 4, batch: 1))
            actors.append(try blockOn { try await NopAwaitingActor(executor: executor).awaitNops(count: nops / 8) })
            readRates.append(try blockOn { try await awaitReads(of: file, blocks: blocks, on: group) })
            preadRates.append(try preadLoop(file, blocks: blocks))
            guard writeMegabytes > 0 else { continue }
            let megabytes = writeMegabytes
            for side in [true, false].shuffled() {
                unlink(written)
                if side {
                    writeRates.append(try blockOn { try await awaitWrites(to: written, megabytes: megabytes, on: executor) })
                } else {
                    pwriteRates.append(
                        Double(megabytes)
                            / (try BenchFiles.timed(removing: written) {
                                try BenchFiles.writeLoop(written, bytes: megabytes << 20)
                            }))
                }
            }
        }
        return Result(
            tasks: tasks, batch: batch, awaitNopRate: Statistics.median(awaited),
            batchNopRate: Statistics.median(batched), floorRate: Statistics.median(floors), syncNopRate: Statistics.median(synchronous),
            syncSingleNopRate: Statistics.median(single), actorNopRate: Statistics.median(actors),
            readRate: Statistics.median(readRates), preadRate: Statistics.median(preadRates),
            fileMegabytes: fileMegabytes, readExecutors: readExecutors, writeRate: Statistics.median(writeRates),
            pwriteRate: Statistics.median(pwriteRates), writeMegabytes: writeMegabytes)
    }

    /// `count` NOPs awaited by `tasks` tasks that prefer the executor; NOPs per second.
    private func awaitNops(on executor: RingExecutor, count: Int) async throws -> Double {
        let each = max(1, count / tasks)
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<tasks {
                group.addTask(executorPreference: executor) {
                    for _ in 0..<each { try await executor.nop() }
                }
            }
            try await group.waitForAll()
        }
        return Double(each * tasks) / (ContinuousClock.now - start).seconds
    }

    /// `count` no-ops awaited by `tasks` tasks that prefer `floor`; awaits per second.
    private func awaitNoOps(on floor: SuspensionFloor, count: Int) async -> Double {
        let each = max(1, count / tasks)
        let start = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<tasks {
                group.addTask(executorPreference: floor) {
                    for _ in 0..<each { await floor.operation() }
                }
            }
        }
        return Double(each * tasks) / (ContinuousClock.now - start).seconds
    }

    /// `count` NOPs awaited in ``RingBatch``es of `batch` by `tasks / batch` tasks
    /// that prefer the executor (`tasks` NOPs in flight); NOPs per second.
    private func awaitBatchedNops(on executor: RingExecutor, count: Int) async throws -> Double {
        let batchTasks = max(1, tasks / batch)
        let rounds = max(1, count / (batchTasks * batch))
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<batchTasks {
                group.addTask(executorPreference: executor) {
                    var nops = RingBatch(capacity: batch)
                    for _ in 0..<batch { nops.append(Nop()) }
                    for _ in 0..<rounds {
                        try await executor.submit(&nops)
                        try nops.requireSuccess()
                    }
                }
            }
            try await group.waitForAll()
        }
        return Double(rounds * batchTasks * batch) / (ContinuousClock.now - start).seconds
    }

    /// `reads` random 4 KiB reads by `tasks` tasks, each preferring the group's next executor; reads per second.
    private func awaitReads(of file: FileDescriptor, blocks: UInt64, on executors: RingExecutorGroup) async throws -> Double {
        let each = max(1, reads / tasks)
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for taskIndex in 0..<tasks {
                let executor = executors.next()
                group.addTask(executorPreference: executor) {
                    var offsets = RandomBlocks(seed: UInt64(taskIndex + 1), blocks: blocks)
                    var buffer = try IOBuffer(capacity: 4096)
                    for _ in 0..<each {
                        let (count, back) = try await executor.read(file, into: buffer, at: offsets.next())
                        guard count == 4096 else { throw BenchError("short read: \(count) bytes") }
                        buffer = back
                    }
                }
            }
            try await group.waitForAll()
        }
        return Double(each * tasks) / (ContinuousClock.now - start).seconds
    }

    /// A new file of `megabytes` MiB written by one task preferring `executor`, one
    /// awaited 1 MiB write after another; MiB per second.
    private func awaitWrites(to path: String, megabytes: Int, on executor: RingExecutor) async throws -> Double {
        let start = ContinuousClock.now
        try await Task(executorPreference: executor) {
            try await executor.withFile(FilePath(path), .writeOnly, options: [.create, .truncate]) { file in
                var buffer = try IOBuffer(capacity: 1 << 20)
                try buffer.withUnsafeMutableBytes { _ = $0.initializeMemory(as: UInt8.self, repeating: 0x5A) }
                for index in 0..<megabytes {
                    buffer = try await file.writeAll(from: buffer, at: UInt64(index) << 20)
                }
            }
        }.value
        return Double(megabytes) / (ContinuousClock.now - start).seconds
    }

    /// The same number of random 4 KiB `pread`s on this thread; reads per second.
    private func preadLoop(_ file: FileDescriptor, blocks: UInt64) throws -> Double {
        let each = max(1, reads / tasks)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 4096)
        defer { buffer.deallocate() }
        let start = ContinuousClock.now
        for taskIndex in 0..<tasks {
            var offsets = RandomBlocks(seed: UInt64(taskIndex + 1), blocks: blocks)
            for _ in 0..<each {
                guard pread(file.rawValue, buffer, 4096, off_t(offsets.next())) == 4096 else {
                    throw BenchError("pread failed: errno \(errno)")
                }
            }
        }
        return Double(each * tasks) / (ContinuousClock.now - start).seconds
    }
}

/// 4 KiB-aligned offsets from a xorshift sequence.
struct RandomBlocks {
    var state: UInt64
    let blocks: UInt64

    init(seed: UInt64, blocks: UInt64) {
        state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        self.blocks = blocks
    }

    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return (state % blocks) * 4096
    }
}

/// Runs `body` as a task and blocks this (non-pool) thread until it is done.
func blockOn<Value: Sendable>(_ body: @escaping @Sendable () async throws -> Value) throws -> Value {
    let outcome = Mutex<Result<Value, any Error>?>(nil)
    let done = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)
    sem_init(done, 0, 0)
    defer {
        sem_destroy(done)
        done.deallocate()
    }
    let signal = UncheckedSemaphore(pointer: done)
    Task {
        let result: Result<Value, any Error>
        do { result = .success(try await body()) } catch { result = .failure(error) }
        outcome.withLock { $0 = result }
        sem_post(signal.pointer)
    }
    while sem_wait(done) != 0 {}
    return try outcome.withLock { $0! }.get()
}

/// A semaphore handed to the task that posts it.
struct UncheckedSemaphore: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<sem_t>
}

/// An actor that runs on a ``RingExecutor`` and awaits NOPs one after another.
actor NopAwaitingActor {
    let executor: RingExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    init(executor: RingExecutor) { self.executor = executor }

    /// Awaits `count` NOPs in turn; NOPs per second.
    func awaitNops(count: Int) async throws -> Double {
        let start = ContinuousClock.now
        for _ in 0..<count { try await executor.nop() }
        return Double(count) / (ContinuousClock.now - start).seconds
    }
}
