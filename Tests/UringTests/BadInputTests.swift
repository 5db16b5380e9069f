import Glibc
import SystemPackage
import Testing
@testable import Uring
import UringTestSupport

/// Setup requests the kernel refuses: each a UringError whose detail says what to change.
@Suite("Bad input at setup")
struct BadInputTests {
    /// Expects `body` to throw a UringError for `operation` with `errno` and a detail containing `hint`.
    static func expectSetupError(
        _ errno: Errno, hint: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
    ) {
        do {
            try body()
            Issue.record("expected \(errno), got a ring", sourceLocation: sourceLocation)
        } catch let error as UringError {
            #expect(error.errno == errno, sourceLocation: sourceLocation)
            #expect(error.operation == "io_uring_setup", sourceLocation: sourceLocation)
            #expect(error.detail?.contains(hint) == true, "detail: \(error.detail ?? "nil")", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func zeroEntries() {
        Self.expectSetupError(.invalidArgument, hint: "entries must be 1...32768 (got 0)") {
            _ = try Ring(entries: 0)
        }
    }

    @Test func tooManyEntriesWithoutClamp() throws {
        Self.expectSetupError(.invalidArgument, hint: "add IORING_SETUP_CLAMP") {
            _ = try Ring(entries: 40_000, options: .plain)
        }
        let clamped = try Ring(entries: 40_000, options: RingOptions(flags: .clamp))
        #expect(clamped.submissionCapacity == 32768)
    }

    @Test("Entries that are not a power of two are rounded up, not refused")
    func notPowerOfTwo() throws {
        let ring = try Ring(entries: 100, options: .plain)
        #expect(ring.submissionCapacity == 128)
    }

    @Test func deferTaskRunWithoutSingleIssuer() {
        Self.expectSetupError(.invalidArgument, hint: "DEFER_TASKRUN needs IORING_SETUP_SINGLE_ISSUER") {
            _ = try Ring(entries: 4, options: RingOptions(flags: .deferTaskRun))
        }
    }

    @Test func taskRunFlagAlone() {
        Self.expectSetupError(.invalidArgument, hint: "TASKRUN_FLAG needs COOP_TASKRUN or DEFER_TASKRUN") {
            _ = try Ring(entries: 4, options: RingOptions(flags: .taskRunFlag))
        }
    }

    @Test func completionQueueSmallerThanSubmissionQueue() {
        Self.expectSetupError(.invalidArgument, hint: "must be at least the submission entries") {
            _ = try Ring(entries: 64, options: RingOptions(completionQueueEntries: 8))
        }
    }

    @Test func completionQueueTooLarge() {
        Self.expectSetupError(.invalidArgument, hint: "completion entries must be at most 65536") {
            _ = try Ring(entries: 4, options: RingOptions(completionQueueEntries: 1 << 20))
        }
    }

    @Test("SQPOLL pinned to a CPU that does not exist")
    func submissionPollingOnMissingCPU() {
        Self.expectSetupError(.invalidArgument, hint: "does not exist") {
            _ = try Ring(entries: 4, options: .submissionPolling(cpu: 4095))
        }
    }

    @Test func submissionPollingWithDeferTaskRun() {
        Self.expectSetupError(.invalidArgument, hint: "SQPOLL cannot be combined with DEFER_TASKRUN") {
            _ = try Ring(
                entries: 4, options: RingOptions(flags: [.submissionQueuePolling, .singleIssuer, .deferTaskRun]))
        }
    }

    @Test func attachToSomethingThatIsNotARing() throws {
        let pipe = try TestSupport.makePipe()
        defer {
            try? pipe.read.close()
            try? pipe.write.close()
        }
        Self.expectSetupError(.invalidArgument, hint: "is not an io_uring instance") {
            _ = try Ring(entries: 4, options: RingOptions(attachWorkQueueFD: pipe.read))
        }
    }

    @Test func registeredDescriptorOnlyWithoutNoMmap() {
        Self.expectSetupError(.invalidArgument, hint: "REGISTERED_FD_ONLY needs IORING_SETUP_NO_MMAP") {
            _ = try Ring(entries: 4, options: RingOptions(flags: .registeredFDOnly))
        }
    }

    @Test func unknownSetupBits() {
        Self.expectSetupError(.invalidArgument, hint: "unknown setup bits 0x40000000") {
            _ = try Ring(entries: 4, options: RingOptions(flags: SetupFlags(rawValue: 1 << 30)))
        }
    }

    @Test("EPERM and ENOSYS name the sysctl and seccomp")
    func blockedDetail() {
        let detail = SetupDiagnostics.detail(for: EPERM, entries: 8, options: .submissionPolling())
        #expect(detail.contains("seccomp"))
        #expect(detail.contains("SQPOLL"))
        if let setting = KernelSettings.ioUringDisabled {
            #expect(detail.contains("kernel.io_uring_disabled = \(setting)"))
        }
    }

    @Test("ENOMEM names RLIMIT_MEMLOCK")
    func memoryDetail() {
        let detail = SetupDiagnostics.detail(for: ENOMEM, entries: 4096, options: .plain)
        #expect(detail.contains("RLIMIT_MEMLOCK"))
        #expect(detail.contains("4096 entries"))
    }

    @Test("Errors print errno, operation and detail")
    func errorDescription() {
        let error = UringError(negatedErrno: -EINVAL, operation: "io_uring_setup", detail: "entries must be 1...32768 (got 0)")
        #expect(error.errno == .invalidArgument)
        #expect(error.description.contains("io_uring_setup"))
        #expect(error.description.contains("errno 22"))
        #expect(error.description.contains("got 0"))
    }
}

/// Misaligned direct I/O fails in its own completion, and the file is untouched.
@Suite("Direct I/O alignment")
struct DirectIOAlignmentTests {
    #if arch(x86_64)
        /// `O_DIRECT`, which the Glibc module does not export.
        static let directFlag: Int32 = 0o40000
    #else
        /// `O_DIRECT`, which the Glibc module does not export.
        static let directFlag: Int32 = 0o200000
    #endif

    @Test func unalignedDirectReadAndWriteFailWithEINVAL() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let path = directory + "/direct.bin"
        try TestSupport.createFile(path, TestSupport.pattern(8192))
        let raw = open(path, O_RDWR | Self.directFlag)
        guard raw >= 0 else {
            Issue.record("the temporary file system refuses O_DIRECT (errno \(errno))")
            return
        }
        let fd = FileDescriptor(rawValue: raw)
        defer { try? fd.close() }
        var ring = try Ring(entries: 8)
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: 8192, alignment: 4096)
        defer { memory.deallocate() }
        let aligned = UnsafeMutableRawBufferPointer(rebasing: memory[0..<4096])
        #expect(try TestSupport.roundTrip(&ring, Read(.descriptor(fd), into: aligned, at: 0)).result == 4096)
        let misaligned = UnsafeMutableRawBufferPointer(rebasing: memory[1..<4097])
        #expect(try TestSupport.roundTrip(&ring, Read(.descriptor(fd), into: misaligned, at: 0)).error == .invalidArgument)
        let oddOffset = Write(.descriptor(fd), from: UnsafeRawBufferPointer(aligned), at: 3)
        #expect(try TestSupport.roundTrip(&ring, oddOffset).error == .invalidArgument)
        #expect(try TestSupport.contents(of: path) == TestSupport.pattern(8192))
    }
}
