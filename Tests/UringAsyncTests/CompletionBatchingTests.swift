import Glibc
import Synchronization
import SystemPackage
import Testing
import Uring
@testable import UringAsync
import UringTestSupport

/// How a ring thread waits: ``CompletionBatching``, against the real kernel.
@Suite("Completion batching")
struct CompletionBatchingTests {
    static let offered = TestSupport.offers(.minimumTimeout)

    @Test func theExecutorSaysHowItWaits() throws {
        let off = try RingExecutor(batching: .off)
        defer { off.shutdown() }
        #expect(off.batching == .off)
        let adaptive = try RingExecutor()
        defer { adaptive.shutdown() }
        #expect(adaptive.batching == (Self.offered ? .adaptive : .off), "adaptive by default where the kernel can")
        #expect(CompletionBatching.adaptive.maximumDelay == .microseconds(500))
        #expect(CompletionBatching.adaptive(maximumDelay: .zero).maximumDelay == .microseconds(1))
        #expect(CompletionBatching.adaptive(maximumDelay: .seconds(9)).maximumDelay == .seconds(1))
        #expect("\(CompletionBatching.off)" == "off")
    }

    /// The batch size rule, step by step: it grows after full batches, falls to
    /// what came when a batch does not fill, and tries again later each time it fails.
    @Test func theBatchGrowsWithFullBatchesAndFallsToWhatCame() {
        var batch = WaitBatch()
        #expect(batch.wanted(inFlight: 15) == 1, "below 16 in flight: one at a time")
        for _ in 0..<4 { batch.record(ready: 1, asked: 1) }
        #expect(batch.target == 2 && batch.wanted(inFlight: 64) == 2)
        var sleeps = 0
        while batch.target < WaitBatch.largestTarget {
            batch.record(ready: batch.target, asked: batch.target)
            sleeps += 1
        }
        #expect(sleeps < 100, "four full batches per growth: \(sleeps)")
        #expect(batch.wanted(inFlight: 20) == 10, "at most half of what is in flight")
        for _ in 0..<10 { batch.record(ready: 10, asked: 10) }
        #expect(batch.target == WaitBatch.largestTarget, "a batch capped below the target leaves it")
        batch.record(ready: 40, asked: 32)
        batch.record(ready: 0, asked: 1)
        #expect(batch.target == WaitBatch.largestTarget, "more than asked, or an idle sleep for one, leaves it")

        batch.record(ready: 3, asked: 32)
        #expect(batch.target == 3, "a partial batch sets the target to what came")
        var spacings: [Int] = []
        for _ in 0..<4 {
            var full = 0
            while batch.target == 3 {
                batch.record(ready: 3, asked: 3)
                full += 1
            }
            spacings.append(full)
            batch.record(ready: 3, asked: batch.target)
        }
        #expect(spacings == [8, 16, 32, 64], "each failure doubles the full batches before the next try")
    }

    /// 32 pipes watched by multishot polls get a byte each, 200 times over, then
    /// one pipe gets a lone byte. Every byte must arrive. Batching, the ring thread
    /// has learnt to wait for many completions, and the lone one waits for the
    /// batch's minimum wait to run out; without batching it is seen at once.
    @Test(
        .enabled(if: offered, "needs IORING_FEAT_MIN_TIMEOUT (Linux 6.12)"),
        arguments: [CompletionBatching.off, .adaptive(maximumDelay: .milliseconds(300))])
    func underLoadALoneCompletionWaitsForItsBatchAtMostTheDelay(batching: CompletionBatching) async throws {
        let executor = try RingExecutor(batching: batching)
        defer { executor.shutdown() }
        let pipes = try (0..<32).map { _ in try TestSupport.makePipe() }
        for pipe in pipes { _ = fcntl(pipe.read.rawValue, F_SETFL, O_NONBLOCK) }
        let rounds = 200
        let tally = Tally(pipes: pipes.count, rounds: rounds)
        var readers: [Task<Void, any Error>] = []
        for (index, pipe) in pipes.enumerated() {
            readers.append(
                Task(executorPreference: executor) {
                    for try await _ in executor.readiness(of: pipe.read, events: .readable) {
                        // Non-blocking: a readiness event can outlive the bytes an earlier read took.
                        var bytes = [UInt8](repeating: 0, count: 256)
                        let count = bytes.withUnsafeMutableBytes { Glibc.read(pipe.read.rawValue, $0.baseAddress, $0.count) }
                        if count == 0 { return }
                        if count > 0 { tally.add(count, to: index) }
                    }
                })
        }
        for _ in 0..<rounds {
            for pipe in pipes { _ = try pipe.write.writeAll([1]) }
            try await Task.sleep(for: .milliseconds(1))
        }
        try await Self.waitUntil { tally.received.withLock { $0.allSatisfy { $0 == rounds } } }

        try await Task.sleep(for: .milliseconds(10))
        let sent = ContinuousClock.now
        _ = try pipes[0].write.writeAll([2])
        try await Self.waitUntil { tally.loneArrival.withLock { $0 != nil } }
        let latency = try #require(tally.loneArrival.withLock { $0 }) - sent

        for pipe in pipes { try pipe.write.close() }
        for reader in readers { try await reader.value }
        for pipe in pipes { try pipe.read.close() }
        #expect(tally.received.withLock { $0.reduce(0, +) } == rounds * pipes.count + 1, "every byte arrived")
        if batching == .off {
            #expect(latency < .milliseconds(50), "without batching the lone byte is seen at once: \(latency)")
        } else {
            #expect(
                latency >= .milliseconds(50) && latency < .seconds(1),
                "the lone byte waited for a batch that never filled, at most 300 ms: \(latency)")
        }
    }

    /// Polls `condition` every millisecond for up to 10 seconds.
    static func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            try #require(ContinuousClock.now < deadline, "timed out")
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    /// The bytes each pipe's reader has seen, and when the byte past the rounds came.
    final class Tally: Sendable {
        let rounds: Int
        let received: Mutex<[Int]>
        let loneArrival = Mutex<ContinuousClock.Instant?>(nil)

        init(pipes: Int, rounds: Int) {
            self.rounds = rounds
            received = Mutex([Int](repeating: 0, count: pipes))
        }

        /// Counts `count` bytes read from pipe `index`, and notes the time when they go past the rounds.
        func add(_ count: Int, to index: Int) {
            let total = received.withLock { counts in
                counts[index] += count
                return counts[index]
            }
            if total > rounds { loneArrival.withLock { $0 = .now } }
        }
    }
}
