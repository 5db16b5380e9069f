import Glibc
import SystemPackage
import Testing
@testable import Uring
import UringTestSupport

/// Each IORING_SETUP_* flag: the ring comes up with it and does real work.
/// A flag this kernel refuses is skipped with the reason, never passed.
@Suite("Setup flags")
struct SetupFlagTests {
    static func options(_ flags: SetupFlags) -> RingOptions { RingOptions(flags: flags) }
    static func accepts(_ flags: SetupFlags) -> Bool { TestSupport.accepts(options(flags)) }

    /// Three NOPs with distinct user data come back, in order, with result 0.
    static func nopBatch(_ ring: inout Ring) throws {
        for index in 0..<3 {
            let pushed = ring.push(Nop(), userData: 100 + UInt64(index))
            try #require(pushed, "the ring needs room for three entries")
        }
        try ring.submit(waitingFor: 3)
        var seen: [UInt64] = []
        while seen.count < 3 {
            try ring.forEachCompletion { completion in
                #expect(completion.result == 0)
                seen.append(completion.userData)
            }
            if seen.count < 3 { _ = try ring.waitCompletion() }
        }
        #expect(seen == [100, 101, 102])
    }

    @Test(.enabled(if: accepts(.ioPoll), "needs IORING_SETUP_IOPOLL (Linux 5.1)"))
    func ioPoll() throws {
        var ring = try Ring(entries: 4, options: Self.options(.ioPoll))
        #expect(ring.flags.contains(.ioPoll))
        try Self.nopBatch(&ring)
    }

    @Test(.enabled(if: accepts([.ioPoll, .hybridIOPoll]), "needs IORING_SETUP_HYBRID_IOPOLL (Linux 6.13)"))
    func hybridIOPoll() throws {
        var ring = try Ring(entries: 4, options: Self.options([.ioPoll, .hybridIOPoll]))
        try Self.nopBatch(&ring)
    }

    @Test(.enabled(if: TestSupport.accepts(.submissionPolling()), "needs IORING_SETUP_SQPOLL permitted here"))
    func submissionPolling() throws {
        var ring = try Ring(entries: 8, options: .submissionPolling(idle: .milliseconds(10)))
        #expect(ring.flags.contains(.submissionQueuePolling))
        try Self.nopBatch(&ring)
        // Let the kernel thread fall asleep, then submit again: the wakeup path.
        usleep(50_000)
        try Self.nopBatch(&ring)
        // Many more entries than slots: a slot is reused only after the kernel
        // thread has consumed it, and every request completes exactly once.
        var seen = [Int](repeating: 0, count: 2000)
        var pushed = 0
        var received = 0
        while received < seen.count {
            while pushed < seen.count, ring.push(Nop(), userData: UInt64(pushed)) { pushed += 1 }
            try ring.submit()
            received += try ring.forEachCompletion { seen[Int($0.userData)] += 1 }
        }
        #expect(seen.allSatisfy { $0 == 1 })
    }

    @Test(
        .enabled(
            if: TestSupport.accepts(.submissionPolling(cpu: 0)), "needs IORING_SETUP_SQPOLL with SQ_AFF on CPU 0"))
    func submissionQueueAffinity() throws {
        var ring = try Ring(entries: 4, options: .submissionPolling(cpu: 0))
        #expect(ring.flags.contains(.submissionQueueAffinity))
        #expect(ring.parameters.submissionThreadCPU == 0)
        try Self.nopBatch(&ring)
    }

    @Test func completionQueueSize() throws {
        var ring = try Ring(entries: 4, options: RingOptions(completionQueueEntries: 100))
        #expect(ring.flags.contains(.completionQueueSize))
        #expect(ring.completionCapacity == 128)
        try Self.nopBatch(&ring)
    }

    @Test func clamp() throws {
        var ring = try Ring(entries: 65536, options: Self.options(.clamp))
        #expect(ring.submissionCapacity == Int(Ring.maximumEntries))
        try Self.nopBatch(&ring)
    }

    @Test func attachWorkQueue() throws {
        let host = try Ring(entries: 4, options: .plain)
        var ring = try Ring(entries: 4, options: RingOptions(attachWorkQueueFD: host.descriptor))
        #expect(ring.flags.contains(.attachWorkQueue))
        try Self.nopBatch(&ring)
    }

    @Test(.enabled(if: accepts(.ringDisabled), "needs IORING_SETUP_R_DISABLED (Linux 5.10)"))
    func ringDisabled() throws {
        var ring = try Ring(entries: 4, options: Self.options(.ringDisabled))
        ring.push(Nop())
        #expect {
            try ring.submit()
        } throws: { error in
            (error as? UringError)?.errno.rawValue == EBADFD
                && (error as? UringError)?.detail?.contains("enable()") == true
        }
        try ring.enable()
        try ring.submit(waitingFor: 1)
        ring.markSeen()
        try Self.nopBatch(&ring)
    }

    @Test(.enabled(if: accepts(.submitAll), "needs IORING_SETUP_SUBMIT_ALL (Linux 5.18)"))
    func submitAll() throws {
        for flags: SetupFlags in [[.submitAll], []] {
            var ring = try Ring(entries: 4, options: Self.options(flags))
            ring.push(Nop(), userData: 1)
            let bad = ring.nextSubmission()
            bad?.pointee.opcode = 0xEE  // an opcode no kernel has
            bad?.pointee.userData = 2
            ring.push(Nop(), userData: 3)
            try ring.submit(waitingFor: 3)
            var results: [UInt64: Int32] = [:]
            try ring.forEachCompletion { results[$0.userData] = $0.result }
            // Without SUBMIT_ALL the kernel stops at the bad entry; the library
            // keeps submitting, so the third still runs.
            #expect(results == [1: 0, 2: -EINVAL, 3: 0], "flags \(flags.kernelDescription)")
        }
    }

    @Test(.enabled(if: accepts(.cooperativeTaskRun), "needs IORING_SETUP_COOP_TASKRUN (Linux 5.19)"))
    func cooperativeTaskRun() throws {
        var ring = try Ring(entries: 4, options: Self.options(.cooperativeTaskRun))
        try Self.nopBatch(&ring)
    }

    @Test(
        .enabled(
            if: accepts([.cooperativeTaskRun, .taskRunFlag]), "needs IORING_SETUP_TASKRUN_FLAG (Linux 5.19)"))
    func taskRunFlag() throws {
        var ring = try Ring(entries: 4, options: Self.options([.cooperativeTaskRun, .taskRunFlag]))
        try DeferredWork.pipeRead(&ring)
    }

    @Test(.enabled(if: accepts(.sqe128), "needs IORING_SETUP_SQE128 (Linux 5.19)"))
    func sqe128() throws {
        var ring = try Ring(entries: 4, options: Self.options(.sqe128))
        try Self.nopBatch(&ring)
        try Self.nopBatch(&ring)
    }

    @Test(.enabled(if: accepts(.cqe32), "needs IORING_SETUP_CQE32 (Linux 5.19)"))
    func cqe32() throws {
        var ring = try Ring(entries: 4, options: Self.options(.cqe32))
        let completion = try TestSupport.roundTrip(&ring, Nop())
        #expect(completion.extra != nil)
        try Self.nopBatch(&ring)
    }

    @Test(.enabled(if: accepts(.mixedCompletionSize), "needs IORING_SETUP_CQE_MIXED (Linux 6.18)"))
    func mixedCompletionSize() throws {
        var ring = try Ring(entries: 4, options: Self.options(.mixedCompletionSize))
        let completion = try TestSupport.roundTrip(&ring, Nop())
        #expect(completion.extra == nil)
        try Self.nopBatch(&ring)
    }

    @Test(.enabled(if: accepts(.singleIssuer), "needs IORING_SETUP_SINGLE_ISSUER (Linux 6.0)"))
    func singleIssuer() throws {
        var ring = try Ring(entries: 4, options: Self.options(.singleIssuer))
        try Self.nopBatch(&ring)
    }

    @Test(
        .enabled(
            if: accepts([.singleIssuer, .deferTaskRun]), "needs IORING_SETUP_DEFER_TASKRUN (Linux 6.1)"))
    func deferTaskRun() throws {
        var ring = try Ring(entries: 4, options: Self.options([.singleIssuer, .deferTaskRun]))
        try DeferredWork.pipeRead(&ring)
    }

    @Test(.enabled(if: accepts(.noSubmissionArray), "needs IORING_SETUP_NO_SQARRAY (Linux 6.6)"))
    func noSubmissionArray() throws {
        var ring = try Ring(entries: 4, options: Self.options(.noSubmissionArray))
        for _ in 0..<4 { try Self.nopBatch(&ring) }
    }

    @Test(.enabled(if: accepts(.noMmap), "needs IORING_SETUP_NO_MMAP (Linux 6.5)"))
    func noMmap() throws {
        for flags: SetupFlags in [[.noMmap], [.noMmap, .noSubmissionArray], [.noMmap, .sqe128, .cqe32]] {
            var ring = try Ring(entries: 64, options: RingOptions(flags: flags, completionQueueEntries: 256))
            #expect(ring.flags.contains(.noMmap))
            #expect(ring.completionCapacity == 256)
            for _ in 0..<30 { try Self.nopBatch(&ring) }
            try DeferredWork.pipeRead(&ring)
        }
    }

    @Test(
        .enabled(
            if: accepts([.noMmap, .registeredFDOnly]), "needs IORING_SETUP_REGISTERED_FD_ONLY (Linux 6.5)"))
    func registeredDescriptorOnly() throws {
        var ring = try Ring(entries: 8, options: Self.options([.noMmap, .registeredFDOnly]))
        #expect(ring.descriptor.rawValue == -1)
        #expect(ring.registeredIndex != nil)
        try Self.nopBatch(&ring)
        let probe = try Probe(ring: ring)
        #expect(probe.isSupported(.nop))
    }

    @Test("Refused relaxable flags are dropped and reported")
    func relaxableFlagsFallBack() throws {
        let unknown = SetupFlags(rawValue: 1 << 30)
        var options = RingOptions(flags: [.singleIssuer, unknown])
        options.relaxableFlags = [unknown]
        var ring = try Ring(entries: 4, options: options)
        #expect(ring.droppedFlags == unknown)
        #expect(ring.flags.contains(.singleIssuer))
        try Self.nopBatch(&ring)
    }
}

/// A read that completes later, from task work: what COOP/DEFER_TASKRUN change.
enum DeferredWork {
    static func pipeRead(_ ring: inout Ring) throws {
        let pipe = try TestSupport.makePipe()
        defer {
            try? pipe.read.close()
            try? pipe.write.close()
        }
        var buffer = [UInt8](repeating: 0, count: 16)
        try buffer.withUnsafeMutableBytes { bytes in
            ring.push(Read(.descriptor(pipe.read), into: bytes), userData: 9)
            try ring.submit()
            let early = try ring.peekCompletion()
            #expect(early == nil)
            _ = try Array("ping".utf8).withUnsafeBytes { try pipe.write.write($0) }
            let completion = try ring.waitCompletion()
            ring.markSeen()
            #expect(completion.userData == 9)
            #expect(completion.result == 4)
        }
        #expect(Array(buffer.prefix(4)) == Array("ping".utf8))
    }
}
