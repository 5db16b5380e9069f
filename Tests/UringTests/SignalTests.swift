import CUringTestSupport
import Glibc
import SystemPackage
import Testing
@testable import Uring
import UringTestSupport

/// A signal interrupts a wait; it never stretches it past its timeout, and
/// never reaches the caller as an error.
@Suite("Signal storms")
struct SignalTests {
    @Test("waitCompletion(timeout:) ends on time while signals arrive", arguments: [1, 20])
    func timedWaitUnderSignals(intervalMilliseconds: Int) throws {
        var ring = try Ring(entries: 4)
        let clock = ContinuousClock()
        var elapsed = Duration.zero
        var got: Completion?
        try TestSupport.underSignals(every: .milliseconds(intervalMilliseconds)) {
            elapsed = try clock.measure { got = try ring.waitCompletion(timeout: .milliseconds(50)) }
        }
        #expect(got == nil)
        #expect(elapsed >= .milliseconds(45) && elapsed < .seconds(1), "waited \(elapsed)")
    }

    @Test("submit(waitingFor:timeout:) ends on time while signals arrive")
    func timedSubmitUnderSignals() throws {
        var ring = try Ring(entries: 4, options: .plain)
        let pipe = try TestSupport.makePipe()
        defer {
            try? pipe.read.close()
            try? pipe.write.close()
        }
        let clock = ContinuousClock()
        var elapsed = Duration.zero
        try TestSupport.underSignals(every: .milliseconds(1)) {
            ring.push(PollAdd(.descriptor(pipe.read), events: UInt32(POLLIN)), userData: 7)
            elapsed = try clock.measure { try ring.submit(waitingFor: 1, timeout: .milliseconds(50)) }
        }
        #expect(ring.readyCompletions == 0)
        #expect(elapsed >= .milliseconds(45) && elapsed < .seconds(1), "waited \(elapsed)")
        _ = try pipe.write.writeAll([1])
        let completion = try #require(try ring.waitCompletion(timeout: .seconds(5)))
        #expect(completion.userData == 7 && completion.result & Int32(POLLIN) != 0)
    }
}
