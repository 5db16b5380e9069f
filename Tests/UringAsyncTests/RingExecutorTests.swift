import CUringTestSupport
import Glibc
import Synchronization
import SystemPackage
import Testing
import Uring
@testable import UringAsync
import UringTestSupport

/// An actor whose isolation is the executor's ring thread.
actor RingBoundReader {
    let executor: RingExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    init(executor: RingExecutor) { self.executor = executor }

    /// Reads `count` bytes at `offset` from the ring thread itself (no hop).
    func read(_ fd: FileDescriptor, count: Int, at offset: UInt64) async throws -> (onRingThread: Bool, bytes: [UInt8]) {
        let before = executor.isOnRingThread
        let (got, buffer) = try await executor.read(fd, into: IOBuffer(capacity: count), at: offset)
        return (before && executor.isOnRingThread, try buffer.bytes(count: got))
    }
}

/// An actor on a ring executor that awaits one operation of each kind.
actor RingBoundWorker {
    let executor: RingExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    init(executor: RingExecutor) { self.executor = executor }

    /// What the operations brought back, and the handovers to the ring thread
    /// that happened while they ran.
    struct Outcome {
        var received: [UInt8] = []
        var fileBytes: [UInt8] = []
        var size: UInt64 = 0
        var ticks: [Int] = []
        var batchResults: [Int32] = []
        var handedOver = (submissions: 0, jobs: 0)
    }

    /// Sends `message` over a loopback TCP pair, reads the file at `path` whole
    /// through ``RingExecutor/withFile(_:flags:mode:_:)``, stats it, sleeps,
    /// submits a batch and takes two ticks of a stream.
    func exercise(message: [UInt8], path: String) async throws -> Outcome {
        var outcome = Outcome()
        let before = executor.loop.handedOver
        let (client, server) = try TestSupport.tcpPair()
        defer {
            try? client.close()
            try? server.close()
        }
        let outgoing = try IOBuffer(capacity: message.count)
        try outgoing.copyBytes(from: message)
        _ = try await executor.send(client, from: outgoing)
        let (count, incoming) = try await executor.receive(server, into: IOBuffer(capacity: 64))
        outcome.received = try incoming.bytes(count: count)
        outcome.fileBytes = try await executor.withFile(FilePath(path)) { try await $0.readAll() }
        outcome.size = try await executor.status(of: FilePath(path)).size
        try await executor.sleep(for: .milliseconds(1))
        var batch = RingBatch()
        batch.append(Nop())
        batch.append(Nop())
        try await executor.submit(&batch)
        outcome.batchResults = batch.completions.map(\.result)
        for try await tick in executor.ticks(every: .milliseconds(1)) {
            outcome.ticks.append(tick)
            if outcome.ticks.count == 2 { break }
        }
        let after = executor.loop.handedOver
        outcome.handedOver = (after.submissions - before.submissions, after.jobs - before.jobs)
        return outcome
    }

    /// Reads up to 8 bytes from `pipe` (waits while it is empty).
    func read(_ pipe: FileDescriptor) async throws -> [UInt8] {
        let (count, buffer) = try await executor.read(pipe, into: IOBuffer(capacity: 8))
        return try buffer.bytes(count: count)
    }
}

/// Counts shared between tasks (atomics: ThreadSanitizer sees them, unlike `Mutex`).
final class Tally: Sendable {
    let completed = Atomic<Int>(0)
    let cancelled = Atomic<Int>(0)
}

@Suite("Ring executor")
struct RingExecutorTests {
    @Test func nopsAwaitedFromTheRingThreadAndFromOtherThreads() async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let onRing = try await Task(executorPreference: executor) { () async throws -> Bool in
            for _ in 0..<1000 { try await executor.nop() }
            return executor.isOnRingThread
        }.value
        #expect(onRing)
        for _ in 0..<200 { try await executor.nop() }
        #expect(!executor.isOnRingThread)
    }

    @Test func tenThousandConcurrentReadsReturnTheirOwnBytes() async throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let contents = TestSupport.pattern(1 << 20, seed: 7)
        try TestSupport.createFile(directory + "/data", contents)
        let fd = try FileDescriptor.open(FilePath(directory + "/data"), .readOnly)
        defer { try? fd.close() }
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let mismatches = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<10_000 {
                group.addTask(executorPreference: index % 2 == 0 ? executor : nil) {
                    let offset = (index * 4099) % ((1 << 20) - 512)
                    let (count, buffer) = try await executor.read(
                        fd, into: try IOBuffer(capacity: 512), at: UInt64(offset))
                    return try count == 512 && buffer.bytes(count: 512) == Array(contents[offset..<offset + 512]) ? 0 : 1
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }

    @Test func anActorOnTheExecutorSubmitsWithoutAHop() async throws {
        let (read, write) = try TestSupport.makePipe()
        defer {
            try? read.close()
            try? write.close()
        }
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        try TestSupport.createFile(directory + "/f", Array("hello, ring".utf8))
        let fd = try FileDescriptor.open(FilePath(directory + "/f"), .readOnly)
        defer { try? fd.close() }
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let actor = RingBoundReader(executor: executor)
        let result = try await actor.read(fd, count: 5, at: 7)
        #expect(result.onRingThread)
        #expect(result.bytes == Array("ring".utf8))
    }

    /// Network, file, time, batch and stream operations awaited by an actor on
    /// the executor are submitted by the ring thread itself, with no handover,
    /// and each brings back what the kernel did. Called from a task that prefers
    /// the executor, the actor is also resumed on the ring thread.
    @Test(
        .enabled(
            if: TestSupport.supports(.send) && TestSupport.supports(.timeout),
            "needs IORING_OP_SEND and IORING_OP_TIMEOUT (Linux 5.6)"))
    func everyKindOfOperationFromAnActorOnTheExecutorIsSubmittedInPlace() async throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let contents = TestSupport.pattern(100_000)
        try TestSupport.createFile(directory + "/f", contents)
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let worker = RingBoundWorker(executor: executor)
        let message = Array("over loopback".utf8)
        let outcome = try await worker.exercise(message: message, path: directory + "/f")
        #expect(outcome.received == message)
        #expect(outcome.fileBytes == contents && outcome.size == 100_000)
        #expect(outcome.batchResults == [0, 0] && outcome.ticks.count == 2)
        #expect(outcome.handedOver.submissions == 0 && outcome.handedOver.jobs == 0)
        let preferring = try await Task(executorPreference: executor) {
            try await worker.exercise(message: message, path: directory + "/f")
        }.value
        #expect(preferring.received == message && preferring.fileBytes == contents)
        #expect(preferring.handedOver.submissions == 0 && preferring.handedOver.jobs == 0)
    }

    /// Cancelling a task waiting in an actor on the executor cancels the actor's
    /// read; the bytes written afterwards are still there for the next read.
    @Test func cancellingAnActorsReadAsksTheKernel() async throws {
        let (read, write) = try TestSupport.makePipe()
        defer {
            try? read.close()
            try? write.close()
        }
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let worker = RingBoundWorker(executor: executor)
        let waiter = Task { try await worker.read(read) }
        try await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { _ = try await waiter.value }
        _ = try write.writeAll(Array("later".utf8))
        #expect(try await worker.read(read) == Array("later".utf8))
    }

    @Test func cancellingAReadOnAnIdlePipeAsksAndWaitsForItsCompletion() async throws {
        let (read, write) = try TestSupport.makePipe()
        defer {
            try? read.close()
            try? write.close()
        }
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let buffer = try IOBuffer(capacity: 16)
        let reader = Task { try await executor.read(read, into: buffer) }
        try await Task.sleep(for: .milliseconds(50))
        reader.cancel()
        await #expect(throws: CancellationError.self) { _ = try await reader.value }
        // The cancelled read consumed nothing: the next read gets the bytes.
        _ = try write.writeAll(Array("after".utf8))
        let (count, again) = try await executor.read(read, into: buffer)
        #expect(try again.bytes(count: count) == Array("after".utf8))
    }

    /// Each round a reader awaits one byte from a pipe while the test writes that
    /// byte and cancels the reader, in varying order (every fourth round writes
    /// only after the reader resumed, so that read must be cancelled). Every reader resumes exactly
    /// once, either with its byte or with CancellationError — and then the byte is
    /// still in the pipe: nothing is lost or delivered twice.
    @Test func cancelRacingCompletionResumesEveryWaiterExactlyOnce() async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let (read, write) = try TestSupport.makePipe()
        defer {
            try? read.close()
            try? write.close()
        }
        let rounds = 10_000
        var completed = 0
        var cancelled = 0
        var lost = 0
        for round in 0..<rounds {
            let byte = UInt8(truncatingIfNeeded: round)
            let reader = Task(executorPreference: round % 2 == 0 ? executor : nil) {
                () async throws -> UInt8 in
                let (count, buffer) = try await executor.read(read, into: IOBuffer(capacity: 1))
                return try count == 1 ? buffer.bytes(count: 1)[0] : 0xFF
            }
            // Every fourth round the byte comes only after the task resumed, so
            // its cancelled read must have been cancelled (no race to lose).
            let writesAfterResume = round % 4 == 3
            switch round % 4 {
            case 0: _ = try write.writeAll([byte])
            case 1:
                reader.cancel()
                _ = try write.writeAll([byte])
            case 2:
                _ = try write.writeAll([byte])
                reader.cancel()
            default: reader.cancel()
            }
            do {
                let got = try await reader.value
                completed += 1
                if got != byte || writesAfterResume { lost += 1 }
            } catch is CancellationError {
                cancelled += 1
                if writesAfterResume { _ = try write.writeAll([byte]) }
                // The cancelled read took nothing: the byte is still in the pipe.
                let left = try TestSupport.readExactly(read, 1)
                if left != [byte] { lost += 1 }
            }
        }
        #expect(completed + cancelled == rounds)
        #expect(lost == 0)
        #expect(completed >= rounds / 4 && cancelled >= rounds / 4)
    }

    /// Shutdown with a read, a sleep, an accept and an accept stream in flight:
    /// each resumes exactly once with ECANCELED ("shut down"), and later calls fail the same way.
    @Test func shutdownResumesAcceptsReadsAndTimeoutsInFlight() async throws {
        let (read, write) = try TestSupport.makePipe()
        defer {
            try? read.close()
            try? write.close()
        }
        let listener = try TestSupport.listeningSocket()
        defer { try? listener.fd.close() }
        let executor = try RingExecutor()
        let tally = Tally()
        func counted(_ body: @escaping @Sendable () async throws -> Void) -> Task<Void, any Error> {
            Task {
                do { try await body() } catch let error as UringError where error.errno == .canceled {
                    tally.cancelled.add(1, ordering: .relaxed)
                    throw error
                }
                tally.completed.add(1, ordering: .relaxed)
            }
        }
        let waiters = [
            counted { _ = try await executor.read(read, into: IOBuffer(capacity: 8)) },
            counted { try await executor.sleep(for: .seconds(60)) },
            counted { _ = try await executor.accept(listener.fd) },
            counted { for try await _ in executor.acceptConnections(listener.fd) {} },
            counted { for try await _ in executor.ticks(every: .seconds(30)) {} },
        ]
        try await Task.sleep(for: .milliseconds(100))
        executor.shutdown()
        for waiter in waiters {
            let failure = await #expect(throws: UringError.self) { try await waiter.value }
            #expect(failure?.errno == .canceled)
        }
        #expect(tally.cancelled.load(ordering: .relaxed) == waiters.count && tally.completed.load(ordering: .relaxed) == 0)
        let late = await #expect(throws: UringError.self) { try await executor.nop() }
        #expect(late?.errno == .canceled && late?.detail?.contains("shut down") == true)
    }

    /// A read on an idle pipe survives the executor idling for over 10 seconds.
    @Test func aReadOnAnIdlePipeCompletesAfterTenSecondsOfIdle() async throws {
        let (read, write) = try TestSupport.makePipe()
        defer {
            try? read.close()
            try? write.close()
        }
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let reader = Task { try await executor.read(read, into: IOBuffer(capacity: 32)) }
        try await Task.sleep(for: .seconds(11))
        _ = try write.writeAll(Array("still here".utf8))
        let (count, buffer) = try await reader.value
        #expect(try buffer.bytes(count: count) == Array("still here".utf8))
    }

    @Test func aLinkedTimeoutEndsAnOperationThatTakesTooLong() async throws {
        let (read, write) = try TestSupport.makePipe()
        defer {
            try? read.close()
            try? write.close()
        }
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let start = ContinuousClock.now
        let buffer = try IOBuffer(capacity: 4)
        let expired = await #expect(throws: UringError.self) {
            _ = try await executor.submit(
                Read(.descriptor(read), into: unsafe buffer.unsafeMemory, at: UInt64.max), keepAlive: buffer, timeout: .milliseconds(50))
        }
        #expect(expired?.errno == Errno(rawValue: ETIME) && expired?.operation == "read")
        #expect(ContinuousClock.now - start >= .milliseconds(50))
        // In time, the same read returns its data.
        _ = try write.writeAll([7, 8])
        let (count, again) = try await executor.read(read, into: buffer)
        #expect(try again.bytes(count: count) == [7, 8])
    }

    @Test func aGroupHandsOutItsExecutorsInTurn() async throws {
        let group = try RingExecutorGroup(count: 3)
        defer { group.shutdown() }
        let picked = (0..<6).map { _ in ObjectIdentifier(group.next()) }
        #expect(picked[0..<3] == picked[3..<6] && Set(picked).count == 3)
        try await withThrowingTaskGroup(of: Bool.self) { tasks in
            for executor in group.executors {
                tasks.addTask(executorPreference: executor) {
                    try await executor.nop()
                    return executor.isOnRingThread
                }
            }
            for try await onRing in tasks { #expect(onRing) }
        }
        let shared = try RingExecutorGroup.shared()
        #expect(try RingExecutorGroup.shared() === shared)
        #expect(shared.executors.count == RingExecutorGroup.onlineProcessors)
        try await shared.next().nop()
        #expect(throws: UringError.self) { try RingExecutorGroup(count: 0) }
    }

    @Test func badInputThrowsWithErrnoAndOperation() async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let tooLong = await #expect(throws: UringError.self) {
            _ = try await executor.read(FileDescriptor(rawValue: 0), into: IOBuffer(capacity: 4), count: 5)
        }
        #expect(tooLong?.errno == .invalidArgument && tooLong?.detail?.contains("capacity") == true)
        let badFD = await #expect(throws: UringError.self) {
            _ = try await executor.read(FileDescriptor(rawValue: 9999), into: IOBuffer(capacity: 4), at: 0)
        }
        #expect(badFD?.errno == .badFileDescriptor && badFD?.operation == "read")
    }
}

@Suite("Ring executor allocations")
struct RingExecutorAllocationTests {
    /// Awaited NOPs, reads and reused batches from a task on the ring thread:
    /// the task, the submission, the loop and the completion allocate nothing once warm.
    @Test(.enabled(if: cts_allocation_counting_available() != 0, "malloc is not counted under a sanitizer"))
    func awaitingOnTheRingThreadAllocatesNothing() async throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        try TestSupport.createFile(directory + "/f", TestSupport.pattern(8192))
        let fd = try FileDescriptor.open(FilePath(directory + "/f"), .readOnly)
        defer { try? fd.close() }
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let counted = try await Task(executorPreference: executor) { () async throws -> Int in
            var buffer = try IOBuffer(capacity: 4096)
            var batch = RingBatch(capacity: 8)
            for _ in 0..<8 { batch.append(Nop()) }
            for _ in 0..<200 {
                try await executor.nop()
                buffer = try await executor.read(fd, into: buffer, at: 0).buffer
                try await executor.submit(&batch)
            }
            cts_count_allocations(1)
            for _ in 0..<1_000 {
                try await executor.nop()
                buffer = try await executor.read(fd, into: buffer, at: 4096).buffer
                try await executor.submit(&batch)
            }
            cts_count_allocations(0)
            return cts_allocation_count()
        }.value
        #expect(counted == 0)
    }
}
