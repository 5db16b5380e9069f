import Glibc
import SystemPackage
import Testing
import Uring
import UringAsync
import UringTestSupport

@Suite("RingContext bridge")
struct RingContextBridgeTests {
    /// A context that may be used off its thread, an executor, and a bridge between them.
    static func makeBridge() throws -> (RingContext, RingExecutor, RingContextBridge) {
        let context = try RingContext(entries: 16, singleThreadCheck: false)
        let executor = try RingExecutor()
        return (context, executor, try RingContextBridge(context, on: executor))
    }

    static func tearDown(_ context: RingContext, _ executor: RingExecutor, _ bridge: RingContextBridge) {
        bridge.close()
        executor.shutdown()
        context.close()
    }

    /// Runs `body` with the context on the executor's ring thread, which lives
    /// until the test tears down: the kernel cancels the requests a thread
    /// submitted when that thread exits, and a pool thread may exit while a pipe
    /// read still waits (seen under load, as ECANCELED).
    static func onRingThread(
        _ bridge: RingContextBridge, _ executor: RingExecutor, _ body: @escaping @Sendable (RingContext) throws -> Void
    ) async throws {
        try await Task(executorPreference: executor) { try bridge.withContext(body) }.value
    }

    @Test func completionsOfAContextAreAwaitedWithTheirBytes() async throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let contents = TestSupport.pattern(4096, seed: 5)
        try TestSupport.createFile(directory + "/f", contents)
        let fd = try FileDescriptor.open(FilePath(directory + "/f"), .readOnly)
        defer { try? fd.close() }
        let (context, executor, bridge) = try Self.makeBridge()
        defer { Self.tearDown(context, executor, bridge) }
        try await Self.onRingThread(bridge, executor) { context in
            try context.readAsync(fd, length: 100, offset: 10, userData: 1)
            _ = try context.submit()
        }
        let completion = try await bridge.waitCompletion()
        #expect(completion.userData == 1 && completion.result == 100)
        #expect(completion.bytes == Array(contents[10..<110]))
    }

    @Test("waitCompletion submits what readAsync and writeAsync queued, as pyuring's bridge does")
    func waitingSubmitsQueuedWork() async throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let fd = try FileDescriptor.open(FilePath(directory + "/f"), .readWrite, options: .create, permissions: .ownerReadWrite)
        defer { try? fd.close() }
        let (context, executor, bridge) = try Self.makeBridge()
        defer { Self.tearDown(context, executor, bridge) }
        try bridge.withContext { try $0.writeAsync(fd, [1, 2, 3, 4], offset: 0, userData: 3) }
        let written = try await bridge.waitCompletion()
        #expect(written.userData == 3 && written.result == 4)
        #expect(try TestSupport.contents(of: directory + "/f") == [1, 2, 3, 4])
        try bridge.withContext { try $0.readAsync(fd, length: 4, offset: 0, userData: 4) }
        let read = try await bridge.waitCompletion()
        #expect(read.bytes == [1, 2, 3, 4])
    }

    @Test("A context with the thread check works when made on the executor's ring thread")
    func threadCheckedContextOnItsExecutor() async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let (read, write) = try TestSupport.makePipe()
        defer {
            try? read.close()
            try? write.close()
        }
        let outcome = try await Task(executorPreference: executor) { () async throws -> RingContextCompletion in
            let context = try RingContext(entries: 8)
            defer { context.close() }
            #expect(context.checksThread)
            let bridge = try RingContextBridge(context, on: executor)
            defer { bridge.close() }
            try bridge.withContext { try $0.readAsync(read, length: 8, userData: 9) }
            _ = try write.writeAll([5, 6])
            return try await bridge.waitCompletion()
        }.value
        #expect(outcome.userData == 9 && outcome.bytes == [5, 6])
        let elsewhere = try RingContext(entries: 8)
        let other = try RingExecutor()
        defer { other.shutdown() }
        #expect(throws: UringError.self) { try RingContextBridge(elsewhere, on: other) }
    }

    /// Runs `body` while a 16-byte read of an empty pipe, with `userData`, waits
    /// in a bridged context; `body` gets the pipe's write end to finish it.
    static func withPendingRead(
        userData: UInt64, _ body: (RingContext, RingContextBridge, FileDescriptor) async throws -> Void
    ) async throws {
        let (read, write) = try TestSupport.makePipe()
        defer {
            try? read.close()
            try? write.close()
        }
        let (context, executor, bridge) = try Self.makeBridge()
        defer { Self.tearDown(context, executor, bridge) }
        try await Self.onRingThread(bridge, executor) { context in
            try context.readAsync(read, length: 16, offset: 0, userData: userData)
            _ = try context.submit()
        }
        try await body(context, bridge, write)
    }

    /// A cancelled wait does not cancel the read: the next wait gets its data.
    @Test func cancellingAWaitLeavesTheOperationRunning() async throws {
        try await Self.withPendingRead(userData: 7) { _, bridge, write in
            let waiter = Task { try await bridge.waitCompletion() }
            try await Task.sleep(for: .milliseconds(50))
            waiter.cancel()
            await #expect(throws: CancellationError.self) { _ = try await waiter.value }
            _ = try write.writeAll(Array("late".utf8))
            let completion = try await bridge.waitCompletion()
            #expect(completion.userData == 7 && completion.bytes == Array("late".utf8), "\(completion)")
        }
    }

    @Test func closeFailsPendingWaitsAndLeavesTheContextOpen() async throws {
        try await Self.withPendingRead(userData: 9) { context, bridge, write in
            let waiters = (0..<3).map { _ in Task { try await bridge.waitCompletion() } }
            try await Task.sleep(for: .milliseconds(50))
            bridge.close()
            for waiter in waiters {
                let failure = await #expect(throws: UringError.self) { _ = try await waiter.value }
                #expect(failure?.errno == .canceled && failure?.detail?.contains("closed") == true)
            }
            let late = await #expect(throws: UringError.self) { _ = try await bridge.waitCompletion() }
            #expect(late?.errno == .canceled)
            #expect(!context.isClosed)
            _ = try write.writeAll([42])
            let completion = try context.waitCompletion()
            #expect(completion.userData == 9 && completion.bytes == [42])
        }
    }

    @Test func aThreadCheckedContextIsRefused() throws {
        let context = try RingContext(entries: 8)
        defer { context.close() }
        let refused = #expect(throws: UringError.self) { _ = try RingContextBridge(context) }
        #expect(refused?.errno == .invalidArgument && refused?.detail?.contains("singleThreadCheck") == true)
    }

    @Test func waitCompletionInExecutorRunsTheBlockingWaitOnAWorker() async throws {
        let (read, write) = try TestSupport.makePipe()
        defer {
            try? read.close()
            try? write.close()
        }
        let context = try RingContext(entries: 16, singleThreadCheck: false)
        defer { context.close() }
        try context.readAsync(read, length: 8, offset: 0, userData: 3)
        _ = try context.submit()
        let writer = Task.detached {
            try await Task.sleep(for: .milliseconds(30))
            _ = try write.writeAll(Array("worker".utf8))
        }
        let completion = try await context.waitCompletionInExecutor()
        try await writer.value
        #expect(completion.userData == 3 && completion.bytes == Array("worker".utf8))
    }
}
