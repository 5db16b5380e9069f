import Glibc
import Synchronization
import SystemPackage
import Testing
import Uring
import UringAsync

/// An actor whose isolation is the executor's ring thread.
actor RingBoundReader {
    let executor: RingExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    init(executor: RingExecutor) { self.executor = executor }

    /// Reads `count` bytes at `offset` from the ring thread itself (no hop).
    func read(_ fd: FileDescriptor, count: Int, at offset: UInt64) async throws -> (onRingThread: Bool, bytes: [UInt8]) {
        let before = executor.isOnRingThread
        let (got, buffer) = try await executor.read(fd, into: IOBuffer(capacity: count), at: offset)
        return (before && executor.isOnRingThread, buffer.bytes(count: got))
    }
}

/// Counts shared between tasks.
final class Tally: Sendable {
    let counts = Mutex((completed: 0, cancelled: 0, failed: 0))
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
                        fd, into: IOBuffer(capacity: 512), at: UInt64(offset))
                    return count == 512 && buffer.bytes(count: 512) == Array(contents[offset..<offset + 512]) ? 0 : 1
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }

    @Test func anActorOnTheExecutorSubmitsWithoutAHop() async throws {
        let (read, write) = try TestSupport.makePipe()
        defer { try? read.close(); try? write.close() }
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

    @Test func cancellingAReadOnAnIdlePipeAsksAndWaitsForItsCompletion() async throws {
        let (read, write) = try TestSupport.makePipe()
        defer { try? read.close(); try? write.close() }
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let buffer = IOBuffer(capacity: 16)
        let reader = Task { try await executor.read(read, into: buffer) }
        try await Task.sleep(for: .milliseconds(50))
        reader.cancel()
        await #expect(throws: CancellationError.self) { _ = try await reader.value }
        // The cancelled read consumed nothing: the next read gets the bytes.
        _ = try write.writeAll(Array("after".utf8))
        let (count, again) = try await executor.read(read, into: buffer)
        #expect(again.bytes(count: count) == Array("after".utf8))
    }

    /// Each round a reader awaits one byte from a pipe while the test writes that
    /// byte and cancels the reader, in varying order. Every reader resumes exactly
    /// once, either with its byte or with CancellationError — and then the byte is
    /// still in the pipe: nothing is lost or delivered twice.
    @Test func cancelRacingCompletionResumesEveryWaiterExactlyOnce() async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let (read, write) = try TestSupport.makePipe()
        defer { try? read.close(); try? write.close() }
        let rounds = 10_000
        var completed = 0, cancelled = 0, lost = 0
        for round in 0..<rounds {
            let byte = UInt8(truncatingIfNeeded: round)
            let reader = Task(executorPreference: round % 2 == 0 ? executor : nil) {
                () async throws -> UInt8 in
                let (count, buffer) = try await executor.read(read, into: IOBuffer(capacity: 1))
                return count == 1 ? buffer.memory[0] : 0xFF
            }
            switch round % 3 {
            case 0: _ = try write.writeAll([byte])
            case 1: reader.cancel(); _ = try write.writeAll([byte])
            default: _ = try write.writeAll([byte]); reader.cancel()
            }
            do {
                let got = try await reader.value
                completed += 1
                if got != byte { lost += 1 }
            } catch is CancellationError {
                cancelled += 1
                // The cancelled read took nothing: the byte is still in the pipe.
                let left = try TestSupport.readExactly(read, 1)
                if left != [byte] { lost += 1 }
            }
        }
        #expect(completed + cancelled == rounds)
        #expect(lost == 0)
        #expect(completed >= rounds / 3 && cancelled > 0)
    }

    @Test func shutdownResumesReadsInFlight() async throws {
        let pipes = try (0..<8).map { _ in try TestSupport.makePipe() }
        defer { for pipe in pipes { try? pipe.read.close(); try? pipe.write.close() } }
        let executor = try RingExecutor()
        let tally = Tally()
        let readers = pipes.map { pipe in
            let fd = pipe.read
            return Task {
                defer { tally.counts.withLock { $0.completed += 1 } }
                return try await executor.read(fd, into: IOBuffer(capacity: 8))
            }
        }
        try await Task.sleep(for: .milliseconds(100))
        executor.shutdown()
        for reader in readers {
            let failure = await #expect(throws: UringError.self) { _ = try await reader.value }
            #expect(failure?.errno == .canceled)
        }
        #expect(tally.counts.withLock { $0.completed } == 8)
        let late = await #expect(throws: UringError.self) { try await executor.nop() }
        #expect(late?.errno == .canceled && late?.detail?.contains("shut down") == true)
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
