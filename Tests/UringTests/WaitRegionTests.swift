import Glibc
import Testing
@testable import Uring
import UringTestSupport

/// Registered wait arguments (`IORING_REGISTER_MEM_REGION` with
/// `IORING_MEM_REGION_REG_WAIT_ARG`, waited on with `IORING_ENTER_EXT_ARG_REG`, Linux 6.13).
@Suite("Registered wait region")
struct WaitRegionTests {
    static let disabled = RingOptions(flags: [.singleIssuer, .deferTaskRun, .ringDisabled])

    @Test func waitsAreBoundedByTheSlotTheyName() throws {
        var ring = try Ring(entries: 8, options: Self.disabled)
        let region = try ring.registerWaitRegion(slots: 4)
        try ring.enable()
        try region.set(RegisteredWait(timeout: .milliseconds(50)), at: 1)
        try region.set(RegisteredWait(timeout: .seconds(5)), at: 2)
        #expect(try region.wait(at: 1).flags == RegisteredWait.hasTimeout)

        let idle = try TimeoutTests.elapsed { try ring.submit(waitingFor: 1, registeredWait: 1) }
        let ready = ring.readyCompletions
        #expect(ready == 0)
        #expect(idle >= .milliseconds(45) && idle < .seconds(2), "slot 1 bounds an idle wait to 50 ms, took \(idle)")

        let time = TestSupport.pinned(KernelTimespec(.milliseconds(20)))
        defer { time.deallocate() }
        let pushed = ring.push(Timeout(time), userData: 7)
        #expect(pushed)
        let busy = try TimeoutTests.elapsed { try ring.submit(waitingFor: 1, registeredWait: 2) }
        #expect(busy >= .milliseconds(15) && busy < .seconds(4), "a 20 ms timeout ends a wait slot 2 bounds at 5 s")
        let fired = try ring.nextCompletion()
        #expect(fired?.userData == 7 && fired?.error == .timeout)

        let nop = ring.push(Nop(), userData: 8)
        #expect(nop)
        try ring.submit(waitingFor: 1, registeredWait: 0)
        #expect(try ring.nextCompletion()?.userData == 8, "a zeroed slot waits without a bound")
    }

    @Test func misuseIsRefusedWithADetail() throws {
        var enabled = try Ring(entries: 4, options: RingOptions(flags: [.singleIssuer, .deferTaskRun]))
        let late = #expect(throws: UringError.self) { try enabled.registerWaitRegion(slots: 1) }
        #expect(late?.errno == .invalidArgument && late?.detail?.contains("IORING_SETUP_R_DISABLED") == true)
        #expect(late?.operation == "register_mem_region")
        let none = #expect(throws: UringError.self) { try enabled.submit(waitingFor: 1, registeredWait: 0) }
        #expect(none?.detail?.contains("no wait region") == true)

        var ring = try Ring(entries: 4, options: Self.disabled)
        #expect(throws: UringError.self) { try ring.registerWaitRegion(slots: 0) }
        let region = try ring.registerWaitRegion(slots: 2)
        let twice = #expect(throws: UringError.self) { try ring.registerWaitRegion(slots: 2) }
        #expect(twice?.errno == .resourceBusy)
        try ring.enable()
        let outside = #expect(throws: UringError.self) { try ring.submit(waitingFor: 1, registeredWait: 2) }
        #expect(outside?.errno == .invalidArgument && outside?.detail?.contains("0..<2") == true)
        #expect(throws: UringError.self) { try region.set(RegisteredWait(timeout: nil), at: -1) }
    }
}
