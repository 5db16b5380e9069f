import Glibc
import Testing
@testable import Uring
import UringTestSupport

/// Waits for a batch with a minimum wait (`min_wait_usec`, `IORING_FEAT_MIN_TIMEOUT`, Linux 6.12).
@Suite(
    "Batched waits",
    .enabled(if: TestSupport.offers(.minimumTimeout), "needs IORING_FEAT_MIN_TIMEOUT (Linux 6.12)"))
struct BatchedWaitTests {
    @Test func aFullBatchEndsTheWaitAtOnce() throws {
        var ring = try Ring(entries: 8)
        for userData in 1...4 {
            let pushed = ring.push(Nop(), userData: UInt64(userData))
            #expect(pushed)
        }
        let took = try TimeoutTests.elapsed {
            try ring.submit(waitingFor: 4, timeout: .seconds(5), minimumWait: .seconds(2))
        }
        #expect(ring.readyCompletions == 4)
        #expect(took < .seconds(1), "four of four ready: no minimum wait, took \(took)")
    }

    @Test func aPartialBatchEndsWhenTheMinimumWaitRunsOut() throws {
        let took = try Self.waitForFour(byteAfter: .milliseconds(10), minimumWait: .milliseconds(80))
        #expect(took >= .milliseconds(75) && took < .seconds(2), "one of four at 10 ms, held to 80 ms: took \(took)")
    }

    @Test func aCompletionAfterTheMinimumWaitEndsTheWaitAtOnce() throws {
        let took = try Self.waitForFour(byteAfter: .milliseconds(150), minimumWait: .milliseconds(20))
        #expect(took >= .milliseconds(140) && took < .seconds(2), "one completion at 150 ms ends the wait: took \(took)")
    }

    @Test func aTimeoutOperationEndsTheWaitAtOnce() throws {
        var ring = try Ring(entries: 8)
        let time = TestSupport.pinned(KernelTimespec(.milliseconds(10)))
        defer { time.deallocate() }
        let pushed = ring.push(Timeout(time), userData: 7)
        #expect(pushed)
        let took = try TimeoutTests.elapsed {
            try ring.submit(waitingFor: 4, timeout: .seconds(5), minimumWait: .seconds(1))
        }
        #expect(try ring.nextCompletion()?.userData == 7)
        #expect(took < .milliseconds(500), "IORING_OP_TIMEOUT wakes every waiter when it fires: took \(took)")
    }

    @Test func theTimeoutBoundsAnEmptyWait() throws {
        var ring = try Ring(entries: 8)
        let took = try TimeoutTests.elapsed {
            try ring.submit(waitingFor: 2, timeout: .milliseconds(100), minimumWait: .milliseconds(20))
        }
        #expect(ring.readyCompletions == 0)
        #expect(took >= .milliseconds(95) && took < .seconds(2), "nothing comes: the 100 ms timeout ends it, took \(took)")
    }

    /// Waits for four completions with one read posted on a pipe that another
    /// thread writes a byte into after `delay`; checks that the wait ended with that read.
    static func waitForFour(byteAfter delay: Duration, minimumWait: Duration) throws -> Duration {
        var ring = try Ring(entries: 8)
        return try TestSupport.withPipe { pipe, buffer in
            let pushed = ring.push(Read(.descriptor(pipe.read), into: buffer), userData: 5)
            #expect(pushed)
            let writer = Thread {
                Glibc.usleep(UInt32(delay / .microseconds(1)))
                _ = try? pipe.write.writeAll([42])
            }
            defer { writer.join() }
            let took = try TimeoutTests.elapsed {
                try ring.submit(waitingFor: 4, timeout: .seconds(5), minimumWait: minimumWait)
            }
            #expect(ring.readyCompletions == 1)
            let read = try ring.nextCompletion()
            #expect(read?.userData == 5 && read?.result == 1 && buffer[0] == 42)
            return took
        }
    }
}
