import Glibc
import Testing
@testable import Uring
import UringTestSupport

/// `Ring.pollCompletions()`: the non-blocking step of a loop that polls the ring.
@Suite("Polling for completions")
struct PollCompletionsTests {
    /// With DEFER_TASKRUN a completion is posted only when the issuer enters the
    /// kernel: reading the ring alone would never see the pipe read finish.
    @Test func pollingRunsTheWorkThatPostsCompletions() throws {
        var ring = try Ring(entries: 8)
        #expect(ring.flags.contains(.deferTaskRun))
        try TestSupport.withPipe { pipe, buffer in
            #expect(try ring.pollCompletions() == 0)
            let pushed = ring.push(Read(.descriptor(pipe.read), into: buffer), userData: 3)
            #expect(pushed)
            try ring.submit()
            #expect(try ring.pollCompletions() == 0, "nothing written yet")
            _ = try pipe.write.writeAll([7, 8])
            usleep(20_000)
            #expect(ring.readyCompletions == 0, "the read's completion waits for the issuer to enter the kernel")
            let deadline = ContinuousClock.now + .seconds(5)
            while try ring.pollCompletions() == 0 && ContinuousClock.now < deadline {}
            let read = try ring.nextCompletion()
            #expect(read?.userData == 3 && read?.result == 2 && buffer[0] == 7 && buffer[1] == 8)
        }
    }
}
