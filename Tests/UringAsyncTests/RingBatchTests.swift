import CUringTestSupport
import Glibc
import SystemPackage
import Testing
import Uring
import UringAsync
import UringTestSupport

@Suite("Ring batches")
struct RingBatchTests {
    /// Writes at four offsets and reads of two of them, awaited at once: the
    /// file holds every write, and each read returns what the file held before.
    @Test func aBatchOfWritesAndReadsLandsEveryByte() async throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let path = directory + "/batch"
        try TestSupport.createFile(path, TestSupport.pattern(16384, seed: 5))
        let file = try FileDescriptor.open(FilePath(path), .readWrite)
        defer { try? file.close() }
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let readBack = try IOBuffer(capacity: 8192)
        let results = try await Task(executorPreference: executor) { () async throws -> [Completion] in
            var batch = RingBatch(capacity: 2)
            for block in 0..<4 {
                let bytes = try IOBuffer(copying: [UInt8](repeating: UInt8(0xA0 + block), count: 4096))
                batch.append(
                    Write(.descriptor(file), from: UnsafeRawBufferPointer(unsafe bytes.unsafeMemory), at: UInt64(16384 + block * 4096)),
                    keepAlive: bytes)
            }
            batch.append(Read(.descriptor(file), into: unsafe readBack.unsafeMemory, at: 0), keepAlive: readBack)
            try await executor.submit(&batch)
            try batch.requireSuccess()
            return batch.completions
        }.value
        #expect(results.map(\.result) == [4096, 4096, 4096, 4096, 8192])
        let contents = try TestSupport.contents(of: path)
        #expect(contents.count == 32768)
        #expect(Array(contents[..<16384]) == TestSupport.pattern(16384, seed: 5))
        for block in 0..<4 {
            #expect(contents[16384 + block * 4096..<16384 + (block + 1) * 4096].allSatisfy { $0 == UInt8(0xA0 + block) })
        }
        #expect(try readBack.bytes(count: 8192) == Array(TestSupport.pattern(16384, seed: 5)[..<8192]))
    }

    /// A linked chain: a write, then the read of what it wrote. When the head
    /// fails, the rest of the chain is cancelled and `requireSuccess` names it.
    @Test func linkedOperationsRunInOrderAndAFailedHeadCancelsTheChain() async throws {
        let (read, write) = try TestSupport.makePipe()
        defer {
            try? read.close()
            try? write.close()
        }
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let message = try IOBuffer(copying: Array("linked through a pipe".utf8))
        let received = try IOBuffer(capacity: 64)
        var batch = RingBatch()
        batch.append(Write(.descriptor(write), from: UnsafeRawBufferPointer(unsafe message.unsafeMemory)), flags: .link, keepAlive: message)
        batch.append(Read(.descriptor(read), into: unsafe received.unsafeMemory, at: UInt64.max), keepAlive: received)
        try await executor.submit(&batch)
        try batch.requireSuccess()
        #expect(try batch.completion(at: 1).result == Int32(message.capacity))
        #expect(try received.bytes(count: message.capacity) == Array("linked through a pipe".utf8))

        batch.removeAll()
        batch.append(Read(.descriptor(FileDescriptor(rawValue: 9999)), into: unsafe received.unsafeMemory, at: 0), flags: .link)
        batch.append(Write(.descriptor(write), from: UnsafeRawBufferPointer(unsafe message.unsafeMemory)), keepAlive: message)
        try await executor.submit(&batch)
        #expect(batch.completions.map(\.result) == [-EBADF, -ECANCELED])
        let failure = #expect(throws: UringError.self) { try batch.requireSuccess() }
        #expect(failure?.errno == .badFileDescriptor && failure?.operation == "read")
        #expect(failure?.detail?.contains("operation 0 of a batch of 2") == true)
        // The cancelled write never ran: the pipe is empty.
        var probe = pollfd(fd: read.rawValue, events: Int16(POLLIN), revents: 0)
        #expect(poll(&probe, 1, 0) == 0)
    }

    @Test func batchesThatCannotGoInOneSubmissionAreRefused() async throws {
        let executor = try RingExecutor(entries: 8)
        defer { executor.shutdown() }
        var batch = RingBatch()
        let empty = await #expect(throws: UringError.self) { try await executor.submit(&batch) }
        #expect(empty?.errno == .invalidArgument && empty?.detail?.contains("empty") == true)
        let unsubmitted = #expect(throws: UringError.self) { _ = try batch.completion(at: 0) }
        #expect(unsubmitted?.detail?.contains("not been submitted") == true)

        for _ in 0..<(executor.submissionEntries + 1) { batch.append(Nop()) }
        let tooLarge = await #expect(throws: UringError.self) { try await executor.submit(&batch) }
        #expect(tooLarge?.errno == .invalidArgument && tooLarge?.detail?.contains("submission entries") == true)

        batch.removeAll()
        batch.append(Nop(), flags: .link)
        let dangling = await #expect(throws: UringError.self) { try await executor.submit(&batch) }
        #expect(dangling?.detail?.contains("linked to nothing") == true)

        batch.removeAll()
        batch.append(Nop(), flags: .skipSuccess)
        batch.append(Nop())
        let skipped = await #expect(throws: UringError.self) { try await executor.submit(&batch) }
        #expect(skipped?.detail?.contains("operation 0 skips") == true)

        batch.removeAll()
        batch.append(Nop())
        try await executor.submit(&batch)
        #expect(try batch.completion(at: 0).result == 0)
        let outside = #expect(throws: UringError.self) { _ = try batch.completion(at: 1) }
        #expect(outside?.errno == .invalidArgument && outside?.detail?.contains("outside") == true)
    }

    /// Cancelling a task whose batch waits on an empty pipe cancels both reads;
    /// it resumes once both completions came, and the bytes written later are
    /// still in the pipe for the next reader.
    @Test func cancellingABatchCancelsEveryOperationStillInFlight() async throws {
        let (read, write) = try TestSupport.makePipe()
        defer {
            try? read.close()
            try? write.close()
        }
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        for preference in [executor, nil] as [RingExecutor?] {
            let waiter = Task(executorPreference: preference) { () async throws -> [Int32] in
                var batch = RingBatch()
                let buffers = try [IOBuffer(capacity: 8), IOBuffer(capacity: 8)]
                for buffer in buffers {
                    batch.append(Read(.descriptor(read), into: unsafe buffer.unsafeMemory, at: UInt64.max), keepAlive: buffer)
                }
                do {
                    try await executor.submit(&batch)
                } catch is CancellationError {
                    return batch.completions.map(\.result)
                }
                return []
            }
            try await Task.sleep(for: .milliseconds(50))
            waiter.cancel()
            #expect(try await waiter.value == [-ECANCELED, -ECANCELED])
        }
        _ = try write.writeAll(Array("kept".utf8))
        #expect(try TestSupport.readExactly(read, 4) == Array("kept".utf8))
    }

    /// Each round a batch of two one-byte reads waits on a pipe while the test
    /// writes two bytes and cancels the task, in varying order (every fourth
    /// round writes only after the task resumed, so those reads must be
    /// cancelled). The task resumes exactly once, and every byte is either in a
    /// read's buffer or still in the pipe: nothing lost, nothing delivered twice.
    @Test func cancellingBatchesRacingTheirCompletionsLosesNothing() async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let (read, write) = try TestSupport.makePipe()
        defer {
            try? read.close()
            try? write.close()
        }
        let rounds = 2_000
        var resumed = 0
        var cancelledRounds = 0
        var lost = 0
        for round in 0..<rounds {
            let bytes: [UInt8] = [UInt8(truncatingIfNeeded: round), UInt8(truncatingIfNeeded: round &+ 101)]
            let reader = Task(executorPreference: round % 2 == 0 ? executor : nil) { () async throws -> [UInt8] in
                var batch = RingBatch()
                let buffers = try [IOBuffer(capacity: 1), IOBuffer(capacity: 1)]
                for buffer in buffers {
                    batch.append(Read(.descriptor(read), into: unsafe buffer.unsafeMemory, at: UInt64.max), keepAlive: buffer)
                }
                try? await executor.submit(&batch)
                return try zip(batch.completions, buffers).compactMap { try $0.result == 1 ? $1.bytes(count: 1)[0] : nil }
            }
            // Every fourth round the bytes come only after the task resumed, so
            // both of its reads must have been cancelled (no race to lose).
            let writesAfterResume = round % 4 == 3
            switch round % 4 {
            case 0: _ = try write.writeAll(bytes)
            case 1:
                reader.cancel()
                _ = try write.writeAll(bytes)
            case 2:
                _ = try write.writeAll(bytes)
                reader.cancel()
            default: reader.cancel()
            }
            let got = try await reader.value
            resumed += 1
            if writesAfterResume {
                if !got.isEmpty { lost += 1 }
                _ = try write.writeAll(bytes)
            }
            if got.count < 2 { cancelledRounds += 1 }
            let left = try TestSupport.readExactly(read, 2 - got.count)
            if (got + left).sorted() != bytes.sorted() { lost += 1 }
        }
        #expect(resumed == rounds && lost == 0)
        #expect(cancelledRounds >= rounds / 4)
    }

    /// Shutdown with a batch in flight resumes its task once, with ECANCELED.
    @Test func shutdownResumesABatchInFlight() async throws {
        let (read, write) = try TestSupport.makePipe()
        defer {
            try? read.close()
            try? write.close()
        }
        let executor = try RingExecutor()
        let waiter = Task { () async throws -> Void in
            var batch = RingBatch()
            let buffer = try IOBuffer(capacity: 8)
            batch.append(Nop())
            batch.append(Read(.descriptor(read), into: unsafe buffer.unsafeMemory, at: UInt64.max), keepAlive: buffer)
            try await executor.submit(&batch)
        }
        try await Task.sleep(for: .milliseconds(50))
        executor.shutdown()
        let failure = await #expect(throws: UringError.self) { try await waiter.value }
        #expect(failure?.errno == .canceled && failure?.detail?.contains("shut down") == true)
        var late = RingBatch()
        late.append(Nop())
        let refused = await #expect(throws: UringError.self) { try await executor.submit(&late) }
        #expect(refused?.errno == .canceled)
    }

    /// A zero-copy send in a batch: its entry completes at the notification,
    /// with the send's byte count; the peer receives every byte.
    @Test(.enabled(if: TestSupport.supports(.sendZeroCopy), "needs IORING_OP_SEND_ZC (Linux 6.0)"))
    func aZeroCopySendInABatchCompletesWithItsResult() async throws {
        let pair = try TestSupport.tcpPair()
        defer {
            try? pair.client.close()
            try? pair.server.close()
        }
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let payload = try IOBuffer(copying: TestSupport.pattern(8192, seed: 9))
        var batch = RingBatch()
        batch.append(
            Send(.descriptor(pair.client), .plain(UnsafeRawBufferPointer(unsafe payload.unsafeMemory)), zeroCopy: true), keepAlive: payload)
        batch.append(Nop())
        try await executor.submit(&batch)
        #expect(batch.completions.map(\.result) == [8192, 0])
        #expect(try TestSupport.readExactly(pair.server, 8192) == TestSupport.pattern(8192, seed: 9))
    }
}
