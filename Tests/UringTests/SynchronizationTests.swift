import CUringTestSupport
import Glibc
import SystemPackage
import Synchronization
import Testing
@testable import Uring
import UringTestSupport

/// Futex wait, wake and waitv, waitid, and MSG_RING between rings.
@Suite("Futexes, processes and messages")
struct SynchronizationTests {
    @Test(.enabled(if: TestSupport.supports(.futexWait), "needs IORING_OP_FUTEX_WAIT (Linux 6.7)"))
    func futexWaitIsWokenByFutexWake() throws {
        var ring = try Ring(entries: 8)
        let word = TestSupport.pinned(UInt32(0))
        defer { word.deallocate() }
        #expect(
            try TestSupport.roundTrip(&ring, FutexWait(word, expected: 1)).error == .resourceTemporarilyUnavailable,
            "the word does not hold 1: no sleep")
        ring.push(FutexWait(word, expected: 0), userData: 1)
        try ring.submit()
        #expect(try ring.waitCompletion(timeout: .milliseconds(30)) == nil, "still asleep")
        word.pointee = 1
        ring.push(FutexWake(word, count: 1), userData: 2)
        let results = try TestSupport.completions(&ring, count: 2)
        #expect(results.first { $0.userData == 1 }?.result == 0, "the waiter was woken")
        #expect(results.first { $0.userData == 2 }?.result == 1, "one waiter woken")
    }

    @Test(.enabled(if: TestSupport.supports(.futexWaitv), "needs IORING_OP_FUTEX_WAITV (Linux 6.7)"))
    func futexWaitVectorReportsWhichWordWoke() throws {
        var ring = try Ring(entries: 8)
        let words = UnsafeMutablePointer<UInt32>.allocate(capacity: 2)
        words.initialize(repeating: 0, count: 2)
        let entries = UnsafeMutableBufferPointer<FutexWaitEntry>.allocate(capacity: 2)
        defer {
            words.deallocate()
            entries.deallocate()
        }
        entries[0] = FutexWaitEntry(words, expected: 0)
        entries[1] = FutexWaitEntry(words + 1, expected: 0)
        ring.push(FutexWaitVector(UnsafeBufferPointer(entries)), userData: 1)
        try ring.submit()
        ring.push(FutexWake(words + 1), userData: 2)
        let results = try TestSupport.completions(&ring, count: 2)
        #expect(results.first { $0.userData == 1 }?.result == 1, "index of the woken word")
    }

    @Test(.enabled(if: TestSupport.supports(.waitid), "needs IORING_OP_WAITID (Linux 6.7)"))
    func waitidCollectsAChildsExitStatus() throws {
        var ring = try Ring(entries: 8)
        let pid = cts_spawn_exiting_child(42)
        try #require(pid > 0)
        let info = TestSupport.pinned(siginfo_t())
        defer { info.deallocate() }
        #expect(try TestSupport.roundTrip(&ring, WaitID(P_PID, id: id_t(pid), info: info)).result == 0)
        let status = withUnsafeBytes(of: info.pointee) { $0.load(fromByteOffset: 24, as: Int32.self) }
        let childPID = withUnsafeBytes(of: info.pointee) { $0.load(fromByteOffset: 16, as: Int32.self) }
        #expect(childPID == pid && status == 42)
        #expect(try TestSupport.roundTrip(&ring, WaitID(P_PID, id: id_t(pid), info: info)).error == .noChildProcess)
    }

    @Test func messageRingDeliversDataFlagsAndFiles() throws {
        var sender = try Ring(entries: 8)
        var target = try Ring(entries: 8, options: .plain)
        let targetFD = FileTarget.descriptor(target.descriptor)
        ring(&sender, MessageRing(to: targetFD, userData: 77, payload: .data(result: 1234, completionFlags: nil)))
        let first = try #require(try target.waitCompletion(timeout: .seconds(5)))
        target.markSeen()
        #expect(first.userData == 77 && first.result == 1234)

        ring(&sender, MessageRing(to: targetFD, userData: 78, payload: .data(result: -5, completionFlags: 0xABC0_0000)))
        let flagged = try #require(try target.waitCompletion(timeout: .seconds(5)))
        target.markSeen()
        #expect(flagged.userData == 78 && flagged.result == -5 && flagged.flags.rawValue == 0xABC0_0000)

        let pipe = try TestSupport.makePipe()
        defer {
            try? pipe.read.close()
            try? pipe.write.close()
        }
        try sender.registerFiles([pipe.write.rawValue])
        try target.registerSparseFiles(count: 4)
        ring(&sender, MessageRing(to: targetFD, userData: 79, payload: .file(source: 0, slot: .at(3))))
        let passed = try #require(try target.waitCompletion(timeout: .seconds(5)))
        target.markSeen()
        #expect(passed.userData == 79 && passed.result == 0)
        let byte: [UInt8] = [0x42]
        #expect(try byte.withUnsafeBytes { try TestSupport.roundTrip(&target, Write(.fixed(3), from: $0)) }.result == 1)
        #expect(try TestSupport.readExactly(pipe.read, 1) == [0x42], "the passed file is the pipe")

        // msg_ring_fd_alloc: the target picks a free slot; both sides learn which.
        let allocation = MessageRing(to: targetFD, userData: 81, payload: .file(source: 0, slot: .anyFree))
        let sent = try TestSupport.roundTrip(&sender, allocation).result
        let allocated = try #require(try target.waitCompletion(timeout: .seconds(5)))
        target.markSeen()
        #expect(allocated.userData == 81 && allocated.result == sent && (0..<3).contains(sent), "slot 3 is taken, so 0...2")
        let second: [UInt8] = [0x43]
        #expect(try second.withUnsafeBytes { try TestSupport.roundTrip(&target, Write(.fixed(UInt32(sent)), from: $0)) }.result == 1)
        #expect(try TestSupport.readExactly(pipe.read, 1) == [0x43], "the allocated slot holds the pipe")

        try Ring.sendMessage(MessageRing(to: targetFD, userData: 80, payload: .data(result: 9, completionFlags: nil)))
        let direct = try #require(try target.waitCompletion(timeout: .seconds(5)))
        #expect(direct.userData == 80 && direct.result == 9)
    }

    /// Sends `message` from `sender` and checks the sender's own completion.
    private func ring(_ sender: inout Ring, _ message: MessageRing) {
        #expect((try? TestSupport.roundTrip(&sender, message).result) == 0)
    }
}
