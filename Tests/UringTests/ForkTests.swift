import CUringTestSupport
import Glibc
import SystemPackage
import Testing
@testable import Uring
import UringTestSupport

/// A ring crosses neither fork(2) nor threads by accident, and closing a
/// context never frees memory a request can still write into.
@Suite("Rings across fork, threads and close")
struct ForkTests {
    @Test(
        "A forked child cannot use an inherited ring; the parent's ring is untouched",
        .enabled(if: !TestSupport.underThreadSanitizer, "fork(2) of a multithreaded process can hang ThreadSanitizer's runtime"))
    func childCannotUseInheritedRing() throws {
        var ring = try Ring(entries: 8)
        let pid = cts_fork()
        if pid == 0 {
            var code: Int32 = 0
            if ring.push(Nop(), userData: 0xBAD) { code = 1 }
            do {
                try ring.submit()
                code = 2
            } catch {
                if error.errno != .notPermitted || error.detail?.contains("fork") != true { code = 3 }
            }
            if (try? ring.peekCompletion()) != nil { code = 5 }
            if ring.readyCompletions != 0 { code = 6 }
            _ = consume ring
            cts_exit_now(code)
        }
        #expect(pid > 0)
        #expect(cts_wait_exit(pid) == 0)
        let inherited = ring.isInherited
        #expect(!inherited)
        let pushed = ring.push(Nop(), userData: 1)
        #expect(pushed)
        try ring.submit(waitingFor: 1)
        let completion = try #require(try ring.nextCompletion())
        #expect(completion.userData == 1)
        #expect(try ring.nextCompletion() == nil, "the parent reaps only what it submitted")
    }

    @Test(
        "A forked child cannot register on the parent's ring",
        .enabled(if: !TestSupport.underThreadSanitizer, "fork(2) of a multithreaded process can hang ThreadSanitizer's runtime"))
    func childCannotRegister() throws {
        let ring = try Ring(entries: 8, options: .plain)
        let pipe = try TestSupport.makePipe()
        defer {
            try? pipe.read.close()
            try? pipe.write.close()
        }
        let pid = cts_fork()
        if pid == 0 {
            var code: Int32 = 0
            do {
                try ring.registerFiles([pipe.read.rawValue])
                code = 1
            } catch {
                if error.errno != .notPermitted || error.detail?.contains("fork") != true { code = 2 }
            }
            cts_exit_now(code)
        }
        #expect(cts_wait_exit(pid) == 0)
        try ring.registerFiles([pipe.read.rawValue])
    }

    @Test("A ring with a registered descriptor says which thread owns it")
    func foreignThreadGetsAnExplanation() throws {
        let ring = UnsafeMutablePointer<Ring>.allocate(capacity: 1)
        ring.initialize(to: try Ring(entries: 4))
        defer {
            ring.deinitialize(count: 1)
            ring.deallocate()
        }
        try #require(ring.pointee.registeredIndex != nil, "the default ring registers its descriptor")
        let box = UnsafeSendable(ring)
        nonisolated(unsafe) var failure: UringError?
        let thread = Thread {
            box.value.pointee.push(Nop(), userData: 1)
            do { try box.value.pointee.submit(waitingFor: 1) } catch let error as UringError { failure = error } catch {}
        }
        thread.join()
        let error = try #require(failure)
        #expect(error.detail?.contains("belongs to the thread that created it") == true, "\(error)")
        try ring.pointee.submit(waitingFor: 1)
        #expect(try ring.pointee.nextCompletion()?.userData == 1, "the owner still submits the entry")
    }

    @Test("close() cancels a pending read before freeing its memory; the bytes stay in the pipe")
    func closeWaitsForInFlight() throws {
        let context = try RingContext(entries: 8)
        let pipe = try TestSupport.makePipe()
        defer {
            try? pipe.read.close()
            try? pipe.write.close()
        }
        try context.readAsync(pipe.read, length: 16, userData: 1)
        try context.submit()
        // A second descriptor keeps the ring alive past close, as a forked child would.
        let keeper = dup(try context.ringFD)
        defer { Glibc.close(keeper) }
        context.close()
        #expect(context.isClosed)
        _ = try pipe.write.writeAll([7, 8, 9])
        usleep(20_000)
        _ = fcntl(pipe.read.rawValue, F_SETFL, O_NONBLOCK)
        var bytes = [UInt8](repeating: 0, count: 16)
        let got = bytes.withUnsafeMutableBytes { Glibc.read(pipe.read.rawValue, $0.baseAddress, 16) }
        #expect(got == 3 && Array(bytes.prefix(3)) == [7, 8, 9], "the cancelled read took nothing")
    }
}

/// Hands a value to a test thread that the test keeps exclusive.
struct UnsafeSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Registering buffers past RLIMIT_MEMLOCK, as a user without CAP_IPC_LOCK.
@Suite("Locked memory")
struct LockedMemoryTests {
    static let marker = "SWIFT_URING_MEMLOCK_CHILD"
    static let inChild = getenv(marker) != nil

    @Test(.enabled(if: geteuid() == 0 && !inChild, "needs root to run a child as nobody (root is exempt from RLIMIT_MEMLOCK)"))
    func memlockErrorNamesTheLimit() async {
        #expect(
            await TestSupport.childPassesOffPool("LockedMemoryTests/insideTheUnprivilegedChild", marker: Self.marker, user: 65534),
            "the child's checks failed or did not run; run it alone to see why")
    }

    @Test(.enabled(if: inChild, "runs only inside the child that runs as nobody"))
    func insideTheUnprivilegedChild() throws {
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(__RLIMIT_MEMLOCK.rawValue), &limit)
        let size = Int(min(limit.rlim_cur, 1 << 30)) * 2 + (1 << 20)
        let context = try RingContext(entries: 4)
        do {
            try context.registerBuffers(count: 1, size: size)
            Issue.record("pinning \(size) bytes over a limit of \(limit.rlim_cur) succeeded")
        } catch {
            #expect(error.errno == .noMemory)
            #expect(error.detail?.contains("RLIMIT_MEMLOCK") == true, "\(error)")
            #expect(error.detail?.contains("ulimit -l") == true, "\(error)")
            #expect(error.detail?.contains("\(size) bytes") == true, "\(error)")
        }
        try TestSupport.reportChildFinished(Self.marker)
    }
}
