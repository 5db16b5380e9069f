import CUringTestSupport
import Glibc
import SystemPackage
import Testing
@testable import Uring
import UringTestSupport

/// poll add (one-shot and multishot), remove, update, epoll_ctl and epoll_wait on real pipes.
@Suite("Poll and epoll")
struct PollTests {
    @Test func pollFiresWhenThePipeBecomesReadable() throws {
        let pipe = try TestSupport.makePipe()
        defer {
            try? pipe.read.close()
            try? pipe.write.close()
        }
        var ring = try Ring(entries: 8)
        ring.push(PollAdd(.descriptor(pipe.read), events: UInt32(POLLIN)), userData: 1)
        try ring.submit()
        #expect(try ring.waitCompletion(timeout: .milliseconds(30)) == nil, "nothing to read yet")
        _ = try pipe.write.writeAll([7])
        let completion = try #require(try ring.waitCompletion(timeout: .seconds(5)))
        ring.markSeen()
        #expect(completion.userData == 1)
        #expect(completion.result & Int32(POLLIN) != 0)
    }

    @Test(.enabled(if: TestSupport.supports(.pollAdd), "needs IORING_OP_POLL_ADD"))
    func multishotPollReportsEachEventThenRemoveEndsIt() throws {
        let event = FileDescriptor(rawValue: cts_eventfd(0, 1))
        defer { try? event.close() }
        var ring = try Ring(entries: 8)
        ring.push(PollAdd(.descriptor(event), events: UInt32(POLLIN), multishot: true), userData: 5)
        try ring.submit()
        var counter: UInt64 = 0
        for _ in 0..<3 {
            var one: UInt64 = 1
            _ = try withUnsafeBytes(of: &one) { try event.write($0) }
            let completion = try #require(try ring.waitCompletion(timeout: .seconds(5)))
            ring.markSeen()
            #expect(completion.userData == 5 && completion.hasMore)
            _ = try withUnsafeMutableBytes(of: &counter) { try event.read(into: $0) }
        }
        ring.push(PollRemove(5), userData: 6)
        let results = try TestSupport.completions(&ring, count: 2)
        let removed = try #require(results.first { $0.userData == 5 })
        #expect(removed.error == .canceled && !removed.hasMore)
        #expect(results.first { $0.userData == 6 }?.result == 0)
        ring.push(PollRemove(5), userData: 7)
        #expect(try TestSupport.completions(&ring, count: 1)[0].error == .noSuchFileOrDirectory)
    }

    @Test func pollUpdateChangesEventsAndUserData() throws {
        let pipe = try TestSupport.makePipe()
        defer {
            try? pipe.read.close()
            try? pipe.write.close()
        }
        var ring = try Ring(entries: 8)
        ring.push(PollAdd(.descriptor(pipe.read), events: UInt32(POLLPRI)), userData: 10)
        try ring.submit()
        ring.push(PollRemove(updating: 10, events: UInt32(POLLIN), userData: 11), userData: 12)
        let updated = try TestSupport.completions(&ring, count: 1)
        #expect(updated[0].userData == 12 && updated[0].result == 0)
        _ = try pipe.write.writeAll([1])
        let fired = try TestSupport.completions(&ring, count: 1)
        #expect(fired[0].userData == 11)
        #expect(fired[0].result & Int32(POLLIN) != 0)
    }

    @Test func epollControlRegistersAndEpollWaitReports() throws {
        let epoll = FileDescriptor(rawValue: cts_epoll_create())
        let pipe = try TestSupport.makePipe()
        defer {
            try? epoll.close()
            try? pipe.read.close()
            try? pipe.write.close()
        }
        var ring = try Ring(entries: 8)
        let event = TestSupport.pinned(EpollEvent(events: EpollEvent.input, data: 0xFEED_BEEF_0000_0042))
        defer { event.deallocate() }
        let add = EpollControl(.descriptor(epoll), operation: EpollControl.add, file: pipe.read.rawValue, event: event)
        #expect(try TestSupport.roundTrip(&ring, add).result == 0)
        #expect(try TestSupport.roundTrip(&ring, add).error == .fileExists)
        _ = try pipe.write.writeAll([9])
        var events: UInt32 = 0
        var data: UInt64 = 0
        #expect(cts_epoll_wait_one(epoll.rawValue, 1000, &events, &data) == 1)
        #expect(data == 0xFEED_BEEF_0000_0042 && events & EpollEvent.input != 0)
    }

    @Test(.enabled(if: TestSupport.supports(.epollWait), "needs IORING_OP_EPOLL_WAIT (Linux 6.15)"))
    func epollWaitThroughTheRing() throws {
        let epoll = FileDescriptor(rawValue: cts_epoll_create())
        let pipe = try TestSupport.makePipe()
        defer {
            try? epoll.close()
            try? pipe.read.close()
            try? pipe.write.close()
        }
        var ring = try Ring(entries: 8)
        #expect(cts_epoll_add(epoll.rawValue, pipe.read.rawValue, EpollEvent.input, 0xFEED_BEEF_0000_0042) == 0)
        _ = try pipe.write.writeAll([9])
        let ready = UnsafeMutableBufferPointer<EpollEvent>.allocate(capacity: 4)
        defer { ready.deallocate() }
        let waited = try TestSupport.roundTrip(&ring, EpollWait(.descriptor(epoll), into: ready))
        #expect(waited.result == 1)
        #expect(ready[0].data == 0xFEED_BEEF_0000_0042 && ready[0].events & EpollEvent.input != 0)
        var events: UInt32 = 0
        var data: UInt64 = 0
        let remove = EpollControl(.descriptor(epoll), operation: EpollControl.delete, file: pipe.read.rawValue, event: nil)
        #expect(try TestSupport.roundTrip(&ring, remove).result == 0)
        #expect(cts_epoll_wait_one(epoll.rawValue, 0, &events, &data) == 0)
    }
}
