import Glibc
import SystemPackage
import Testing
@testable import Uring
@testable import UringAsync
import UringTestSupport

/// The executor under floods, late cancels, restarts and shutdown: nothing
/// starves, nothing innocent is cancelled, nothing taken is dropped, and every
/// error says what happened.
@Suite("Executor faults")
struct ExecutorFaultTests {
    @Test(
        "A zero-interval tick stream starves neither the executor's other work nor its shutdown, and ends whole",
        .enabled(if: TestSupport.supports(.timeout), "needs IORING_OP_TIMEOUT (Linux 5.4)"),
        arguments: [UInt32(4), 256])
    func floodOfTicks(entries: UInt32) async throws {
        let executor = try RingExecutor(entries: entries)
        let ticks = executor.ticks(every: .zero)
        var iterator = ticks.makeAsyncIterator()
        #expect(try await iterator.next() == 1)
        let clock = ContinuousClock()
        let slept = try await clock.measure {
            try await Task(executorPreference: executor) { try await executor.sleep(for: .milliseconds(1)) }.value
        }
        // Starved, the sleep never ended. Alone it takes 2-45 ms; beside the whole
        // suite on 2 cores the kernel's timer storm has taken 15 s.
        #expect(slept < .seconds(30), "other work on the executor waited \(slept)")
        let shutdown = clock.measure { executor.shutdown(timeout: .seconds(2)) }
        #expect(shutdown < .seconds(1), "shutdown(timeout: 2 s) took \(shutdown): the timer was not stopped")
    }

    @Test("An operation in flight at shutdown says the executor shut down, not a timeout")
    func shutdownIsNamed() async throws {
        let executor = try RingExecutor()
        let pipe = try TestSupport.makePipe()
        defer {
            try? pipe.read.close()
            try? pipe.write.close()
        }
        let waiting = Task { try await executor.poll(pipe.read, events: .readable, timeout: .seconds(60)) }
        let plain = Task { try await executor.read(pipe.read, into: IOBuffer(capacity: 8)) }
        try await Task.sleep(for: .milliseconds(50))
        executor.shutdown(timeout: .seconds(2))
        for outcome in [await waiting.result.map { _ in () }, await plain.result.map { _ in () }] {
            guard case .failure(let error as UringError) = outcome else {
                Issue.record("expected a UringError, got \(outcome)")
                continue
            }
            #expect(error.errno == .canceled)
            #expect(error.detail?.contains("shut down") == true, "\(error)")
        }
    }

    @Test("Absurd buffer and batch sizes throw or are bounded, never trap")
    func absurdSizes() throws {
        let error = #expect(throws: UringError.self) { _ = try IOBuffer(capacity: Int.max) }
        #expect(error?.errno == .noMemory && error?.detail?.contains("\(Int.max)") == true, "\(String(describing: error))")
        #expect(try IOBuffer(capacity: -5).capacity == 1)
        var batch = RingBatch(capacity: Int.max)
        batch.append(Nop())
        #expect(batch.count == 1)
    }

    @Test("Awaited requests that fail name their path, offset and length")
    func requestDetails() async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let read = await #expect(throws: UringError.self) {
            _ = try await executor.read(FileDescriptor(rawValue: 9999), into: IOBuffer(capacity: 16), count: 4, at: 512)
        }
        #expect(read?.errno == .badFileDescriptor && read?.offset == 512 && read?.length == 4)
        let open = await #expect(throws: UringError.self) { _ = try await executor.open("/nonexistent/swift-uring") }
        #expect(open?.errno == .noSuchFileOrDirectory && open?.path == "/nonexistent/swift-uring")
        #expect(open?.description.contains("path /nonexistent/swift-uring") == true)
    }

    @Test("A late cancel of a finished wait never reaches a later one")
    func staleCancelsMissInnocentWaits() async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        var innocentCancels = 0
        for _ in 0..<1000 {
            let early = Task { _ = try? await executor.submit(Nop()) }
            let late = Task { early.cancel() }
            await early.value
            let innocent = Task { try await executor.sleep(for: .milliseconds(1)) }
            await late.value
            if case .failure = await innocent.result { innocentCancels += 1 }
        }
        #expect(innocentCancels == 0)
    }

    @Test(
        "After stop() a new stream on the pipe gets every later byte; cancel() keeps what it took",
        .enabled(if: TestSupport.supports(.readMultishot), "needs IORING_OP_READ_MULTISHOT (Linux 6.7)"))
    func restartedStreamLosesNothing() async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let pipe = try TestSupport.makePipe()
        defer {
            try? pipe.read.close()
            try? pipe.write.close()
        }
        for round in 0..<5 {
            let first = executor.readStream(pipe.read)
            try await Task.sleep(for: .milliseconds(5))
            await first.stop()
            let second = executor.readStream(pipe.read)
            _ = try pipe.write.writeAll([UInt8(round)])
            var iterator = second.makeAsyncIterator()
            #expect(try await iterator.next() == [UInt8(round)])
            var old = first.makeAsyncIterator()
            #expect(try await old.next() == nil, "the stopped stream took nothing")
            await second.stop()
        }
        for round in 0..<5 {
            let first = executor.readStream(pipe.read)
            try await Task.sleep(for: .milliseconds(5))
            first.cancel()
            _ = try pipe.write.writeAll([UInt8(round)])
            await first.stop()
            var taken: [UInt8] = []
            var old = first.makeAsyncIterator()
            while let bytes = try await old.next() { taken += bytes }
            if taken.isEmpty {
                let second = executor.readStream(pipe.read)
                var iterator = second.makeAsyncIterator()
                taken = try await iterator.next() ?? []
                await second.stop()
            }
            #expect(taken == [UInt8(round)], "the byte came from one of the two streams")
        }
    }
}

/// Executors dropped without shutdown(), counted in a child process of their own
/// so other tests' threads and descriptors do not blur the count.
@Suite("Dropped executors")
struct DroppedExecutorTests {
    static let marker = "SWIFT_URING_DROPPED_EXECUTOR_CHILD"
    static let inChild = getenv(marker) != nil

    static func count(in directory: String) -> Int {
        guard let handle = opendir(directory) else { return -1 }
        defer { closedir(handle) }
        var count = 0
        while readdir(handle) != nil { count += 1 }
        return count
    }

    @Test(.enabled(if: !inChild, "the parent side"))
    func droppedExecutorsReleaseTheirThreadsAndDescriptors() async {
        #expect(
            await TestSupport.childPassesOffPool("DroppedExecutorTests/insideTheChild", marker: Self.marker),
            "the child's checks failed or did not run; run it alone to see why")
    }

    @Test(.enabled(if: inChild, "runs only inside the child that counts threads and descriptors"))
    func insideTheChild() async throws {
        // Dispatch opens its own descriptors on the first sleep: count after it.
        try await Task.sleep(for: .milliseconds(1))
        let threads = Self.count(in: "/proc/self/task")
        let descriptors = Self.count(in: "/proc/self/fd")
        for _ in 0..<20 {
            let executor = try RingExecutor(entries: 8)
            let completion = try await executor.submit(Nop())
            #expect(completion.result == 0)
        }
        #expect(Self.count(in: "/proc/self/task") >= threads + 10, "the executors ran their threads")
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline
            && (Self.count(in: "/proc/self/task") > threads || Self.count(in: "/proc/self/fd") > descriptors + 1)
        {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(Self.count(in: "/proc/self/task") <= threads, "threads left behind")
        // 20 leaked executors would leave 60; the runtime may open one of its own meanwhile.
        #expect(Self.count(in: "/proc/self/fd") <= descriptors + 1, "descriptors left behind")
        try TestSupport.reportChildFinished(Self.marker)
    }
}
