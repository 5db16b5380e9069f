import Glibc
import SystemPackage
import Testing
@testable import Uring
import UringTestSupport

/// The ring protocol itself: round trips, bursts past the CQ size, a full SQ,
/// timed waits, ring-fd registration, dropping a busy ring.
@Suite("Ring")
struct RingTests {
    static let setups: [(String, RingOptions)] = [("default", .default), ("plain", .plain)]

    @Test("NOP round trip", arguments: setups)
    func nopRoundTrip(name: String, options: RingOptions) throws {
        var ring = try Ring(entries: 8, options: options)
        let completion = try TestSupport.roundTrip(&ring, Nop(), userData: 0xdead_beef)
        #expect(completion.result == 0)
        #expect(completion.userData == 0xdead_beef)
        #expect(completion.flags.isEmpty)
        #expect(ring.readyCompletions == 0)
    }

    @Test("10,000 NOPs through a CQ of 16: every user_data exactly once", arguments: setups)
    func burstLargerThanCompletionQueue(name: String, options: RingOptions) throws {
        var options = options
        options.completionQueueEntries = 16
        var ring = try Ring(entries: 8, options: options)
        #expect(ring.completionCapacity == 16)
        let total = 10_000
        var seen = [Int](repeating: 0, count: total)
        var pushed = 0
        var received = 0
        var sawOverflow = false
        var rounds = 0
        while received < total {
            while pushed < total, ring.push(Nop(), userData: UInt64(pushed)) { pushed += 1 }
            try ring.submit()
            rounds += 1
            if ring.submissionRingFlags.contains(.completionOverflow) { sawOverflow = true }
            // Let completions pile up past the CQ size for several rounds, then drain.
            if rounds % 8 == 0 || pushed == total {
                received += try ring.forEachCompletion { completion in
                    #expect(completion.result == 0)
                    seen[Int(completion.userData)] += 1
                }
            }
        }
        #expect(sawOverflow, "the burst never overflowed the CQ, so the overflow path went untested")
        #expect(seen.allSatisfy { $0 == 1 })
        let leftover = try ring.peekCompletion()
        #expect(leftover == nil)
    }

    @Test("A full SQ returns nil and recovers after submit")
    func submissionQueueFull() throws {
        var ring = try Ring(entries: 4, options: .default)
        #expect(ring.submissionCapacity == 4)
        for _ in 0..<4 {
            let entry = ring.nextSubmission()
            #expect(entry != nil)
        }
        let overfull = ring.nextSubmission()
        #expect(overfull == nil)
        let refused = ring.push(Nop())
        #expect(!refused)
        let pending = ring.pendingSubmissions
        #expect(pending == 4)
        let submitted = try ring.submit(waitingFor: 4)
        #expect(submitted == 4)
        let recovered = ring.nextSubmission()
        #expect(recovered != nil)
        try ring.submit(waitingFor: 5)
        let drained = try ring.forEachCompletion { #expect($0.result == 0) }
        #expect(drained == 5)
    }

    @Test("A wait with a 50 ms timeout returns within bounds", arguments: setups)
    func timedWait(name: String, options: RingOptions) throws {
        var ring = try Ring(entries: 4, options: options)
        let clock = ContinuousClock()
        let start = clock.now
        let completion = try ring.waitCompletion(timeout: .milliseconds(50))
        let elapsed = clock.now - start
        #expect(completion == nil)
        #expect(elapsed >= .milliseconds(45))
        #expect(elapsed < .milliseconds(1000))
    }

    @Test("A timed wait returns early when a completion arrives")
    func timedWaitReturnsEarly() throws {
        var ring = try Ring(entries: 4)
        let time = TestSupport.pinned(KernelTimespec(.milliseconds(20)))
        defer { time.deallocate() }
        let clock = ContinuousClock()
        let start = clock.now
        let pushed = ring.push(Timeout(time), userData: 3)
        #expect(pushed)
        let completion = try ring.waitCompletion(timeout: .seconds(5))
        let elapsed = clock.now - start
        #expect(completion?.userData == 3)
        #expect(completion?.result == -ETIME)
        #expect(elapsed >= .milliseconds(15))
        #expect(elapsed < .seconds(2))
    }

    @Test("The default ring registers its descriptor; the plain ring does not")
    func ringDescriptorRegistration() throws {
        var ring = try Ring(entries: 4, options: .default)
        #expect(ring.registeredIndex != nil)
        let completion = try TestSupport.roundTrip(&ring, Nop())
        #expect(completion.result == 0)
        let plain = try Ring(entries: 4, options: .plain)
        #expect(plain.registeredIndex == nil)
        #expect(plain.droppedFlags.isEmpty)
    }

    @Test("Dropping a ring with requests in flight closes it and cancels them")
    func dropWithRequestsInFlight() throws {
        let pipe = try TestSupport.makePipe()
        defer {
            try? pipe.read.close()
            try? pipe.write.close()
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 8)
        defer { buffer.deallocate() }
        let time = TestSupport.pinned(KernelTimespec(.seconds(30)))
        defer { time.deallocate() }
        var ringFD: Int32 = -1
        do {
            var ring = try Ring(entries: 8)
            ringFD = ring.descriptor.rawValue
            TestSupport.mark(ringFD)
            #expect(TestSupport.isStillOpen(ringFD))
            ring.push(Read(.descriptor(pipe.read), into: buffer), userData: 1)
            ring.push(Timeout(time), userData: 2)
            try ring.submit()
            let early = try ring.peekCompletion()
            #expect(early == nil)
        }
        #expect(!TestSupport.isStillOpen(ringFD))
        // The kernel cancels a closed ring's requests in its exit work, shortly
        // after close; give it that moment, then the cancelled read must not
        // consume what is written.
        usleep(100_000)
        _ = fcntl(pipe.read.rawValue, F_SETFL, O_NONBLOCK)
        let message = Array("after".utf8)
        _ = try message.withUnsafeBytes { try pipe.write.write($0) }
        var received = [UInt8](repeating: 0, count: 16)
        let count = try received.withUnsafeMutableBytes { try pipe.read.read(into: $0) }
        #expect(Array(received[..<count]) == message)
        var fresh = try Ring(entries: 4)
        let completion = try TestSupport.roundTrip(&fresh, Nop())
        #expect(completion.result == 0)
    }

    @Test("Entries round up to a power of two; the CQ is twice the SQ")
    func entriesRoundUp() throws {
        let ring = try Ring(entries: 5, options: .plain)
        #expect(ring.submissionCapacity == 8)
        #expect(ring.completionCapacity == 16)
        #expect(ring.parameters.submissionEntries == 8)
        #expect(ring.features.contains(.singleMmap))
    }

    @Test("markSeen consumes at most what is ready")
    func markSeenIsBounded() throws {
        var ring = try Ring(entries: 4)
        for index in 0..<3 { ring.push(Nop(), userData: UInt64(index)) }
        try ring.submit(waitingFor: 3)
        let first = try ring.peekCompletion()
        #expect(first?.userData == 0)
        ring.markSeen()
        let second = try ring.nextCompletion()
        #expect(second?.userData == 1)
        ring.markSeen(10)
        let ready = ring.readyCompletions
        #expect(ready == 0)
        let none = try ring.nextCompletion()
        #expect(none == nil)
    }
}
