import CUringTestSupport
import Glibc
import SystemPackage
import Testing
@testable import Uring
import UringTestSupport

/// Timeouts: relative, absolute on each clock, counted, multishot, removed, updated, linked.
@Suite("Timeouts")
struct TimeoutTests {
    static func elapsed(_ body: () throws -> Void) rethrows -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        try body()
        return clock.now - start
    }

    @Test func relativeTimeoutFiresWithETIME() throws {
        var ring = try Ring(entries: 8)
        let time = TestSupport.pinned(KernelTimespec(.milliseconds(40)))
        defer { time.deallocate() }
        var completion: Completion?
        let took = try Self.elapsed { completion = try TestSupport.roundTrip(&ring, Timeout(time)) }
        #expect(completion?.error == .timeout)
        #expect(took >= .milliseconds(35))
    }

    @Test func absoluteTimeoutsOnBootAndRealTimeClocks() throws {
        var ring = try Ring(entries: 8)
        let boot = TestSupport.pinned(KernelTimespec(.nanoseconds(cts_boottime_ns() + 30_000_000)))
        let wall = TestSupport.pinned(KernelTimespec(.nanoseconds(cts_realtime_ns() + 30_000_000)))
        defer {
            boot.deallocate()
            wall.deallocate()
        }
        var results: [Completion] = []
        let took = try Self.elapsed {
            results.append(try TestSupport.roundTrip(&ring, Timeout(boot, absolute: true, clock: .boot)))
            results.append(try TestSupport.roundTrip(&ring, Timeout(wall, absolute: true, clock: .realTime)))
        }
        #expect(results.map(\.error) == [.timeout, .timeout])
        #expect(took >= .milliseconds(25))
        #expect(took < .seconds(5))
    }

    @Test func countedTimeoutCompletesAfterOtherCompletions() throws {
        var ring = try Ring(entries: 8)
        let time = TestSupport.pinned(KernelTimespec(.seconds(30)))
        defer { time.deallocate() }
        ring.push(Timeout(time, count: 2), userData: 1)
        try ring.submit()
        ring.push(Nop(), userData: 2)
        ring.push(Nop(), userData: 3)
        let results = try TestSupport.completions(&ring, count: 3)
        #expect(results.first { $0.userData == 1 }?.result == 0, "count reached, not ETIME")
    }

    @Test(.enabled(if: TestSupport.accepts(.default), "needs the default ring"))
    func multishotTimeoutTicksThenEnds() throws {
        var ring = try Ring(entries: 8)
        let time = TestSupport.pinned(KernelTimespec(.milliseconds(10)))
        defer { time.deallocate() }
        ring.push(Timeout(time, count: 3, repeating: true), userData: 4)
        let ticks = try TestSupport.completions(&ring, count: 3)
        #expect(ticks.map(\.userData) == [4, 4, 4])
        #expect(ticks.map(\.hasMore) == [true, true, false])
        #expect(ticks.allSatisfy { $0.error == .timeout })
    }

    @Test func removeCancelsAndUpdateReschedules() throws {
        var ring = try Ring(entries: 8)
        let long = TestSupport.pinned(KernelTimespec(.seconds(30)))
        let short = TestSupport.pinned(KernelTimespec(.milliseconds(20)))
        defer {
            long.deallocate()
            short.deallocate()
        }
        ring.push(Timeout(long), userData: 1)
        try ring.submit()
        ring.push(TimeoutRemove(1), userData: 2)
        let removed = try TestSupport.completions(&ring, count: 2)
        #expect(removed.first { $0.userData == 1 }?.error == .canceled)
        #expect(removed.first { $0.userData == 2 }?.result == 0)

        ring.push(Timeout(long), userData: 3)
        try ring.submit()
        ring.push(TimeoutRemove(updating: 3, to: short), userData: 4)
        var updated: [Completion] = []
        let took = try Self.elapsed { updated = try TestSupport.completions(&ring, count: 2) }
        #expect(updated.first { $0.userData == 4 }?.result == 0)
        #expect(updated.first { $0.userData == 3 }?.error == .timeout)
        #expect(took < .seconds(5))
        ring.push(TimeoutRemove(99), userData: 5)
        #expect(try TestSupport.completions(&ring, count: 1)[0].error == .noSuchFileOrDirectory)
    }

    @Test func linkTimeoutCancelsASlowReadAndIsCancelledByAFastOne() throws {
        let pipe = try TestSupport.makePipe()
        defer {
            try? pipe.read.close()
            try? pipe.write.close()
        }
        var ring = try Ring(entries: 8)
        let limit = TestSupport.pinned(KernelTimespec(.milliseconds(30)))
        defer { limit.deallocate() }
        var buffer = [UInt8](repeating: 0, count: 8)
        try buffer.withUnsafeMutableBytes { bytes in
            ring.push(Read(.descriptor(pipe.read), into: bytes), userData: 1, flags: .link)
            ring.push(LinkTimeout(limit), userData: 2)
            let slow = try TestSupport.completions(&ring, count: 2)
            #expect(slow.first { $0.userData == 1 }?.error == .canceled)
            #expect(slow.first { $0.userData == 2 }?.error == .timeout)

            _ = try pipe.write.writeAll([1, 2, 3])
            ring.push(Read(.descriptor(pipe.read), into: bytes), userData: 3, flags: .link)
            ring.push(LinkTimeout(limit), userData: 4)
            let fast = try TestSupport.completions(&ring, count: 2)
            #expect(fast.first { $0.userData == 3 }?.result == 3)
            #expect(fast.first { $0.userData == 4 }?.error == .canceled)
        }
        #expect(buffer.prefix(3) == [1, 2, 3])
    }
}
