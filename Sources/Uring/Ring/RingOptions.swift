import SystemPackage

/// How to set up a ``Ring``: setup flags plus the values some flags need.
///
/// ``default`` is the fastest safe setup for a ring used by one thread;
/// ``plain`` asks for nothing at all, as `io_uring_queue_init(entries, ring, 0)`
/// does. Flags listed in ``relaxableFlags`` are dropped, one step at a time,
/// when the kernel refuses them, so the same options work on older kernels;
/// ``Ring/droppedFlags`` tells what was given up.
public struct RingOptions: Sendable {
    /// The `IORING_SETUP_*` flags to ask for. Flags implied by other options
    /// (`CQSIZE`, `SQ_AFF`, `ATTACH_WQ`) are added automatically.
    public var flags: SetupFlags
    /// The completion ring size (`IORING_SETUP_CQSIZE`); nil lets the kernel use twice the entries.
    public var completionQueueEntries: UInt32?
    /// The CPU the SQPOLL thread is pinned to (`IORING_SETUP_SQ_AFF`, `sq_thread_cpu`).
    public var submissionThreadCPU: UInt32?
    /// How long the SQPOLL thread spins before it sleeps (`sq_thread_idle`, milliseconds).
    public var submissionThreadIdle: Duration?
    /// A ring whose async workers this one shares (`IORING_SETUP_ATTACH_WQ`, `wq_fd`).
    public var attachWorkQueueFD: FileDescriptor?
    /// Registers the ring's own descriptor (`IORING_REGISTER_RING_FDS`) so that
    /// io_uring_enter(2) skips the file-table lookup. Falls back silently when refused.
    public var registerRingFD: Bool
    /// Flags that may be dropped when the kernel refuses them, most recent kernel feature first.
    public var relaxableFlags: [SetupFlags]

    /// Options from their parts; every part has a neutral default.
    public init(
        flags: SetupFlags = [],
        completionQueueEntries: UInt32? = nil,
        submissionThreadCPU: UInt32? = nil,
        submissionThreadIdle: Duration? = nil,
        attachWorkQueueFD: FileDescriptor? = nil,
        registerRingFD: Bool = false,
        relaxableFlags: [SetupFlags] = []
    ) {
        self.flags = flags
        self.completionQueueEntries = completionQueueEntries
        self.submissionThreadCPU = submissionThreadCPU
        self.submissionThreadIdle = submissionThreadIdle
        self.attachWorkQueueFD = attachWorkQueueFD
        self.registerRingFD = registerRingFD
        self.relaxableFlags = relaxableFlags
    }

    /// The fastest safe setup for a ring that one thread uses:
    /// `SINGLE_ISSUER|DEFER_TASKRUN|TASKRUN_FLAG|NO_SQARRAY` and a registered ring
    /// descriptor, each dropped when the kernel refuses it.
    ///
    /// With `SINGLE_ISSUER` only the thread that created the ring may submit to it,
    /// and with `DEFER_TASKRUN` completions are posted only while that thread waits.
    /// `docs/BENCHMARKS.md` has the measurements behind this choice.
    public static var `default`: RingOptions {
        RingOptions(
            flags: [.singleIssuer, .deferTaskRun, .taskRunFlag, .noSubmissionArray],
            registerRingFD: true,
            relaxableFlags: [.noSubmissionArray, .taskRunFlag, .deferTaskRun, .singleIssuer]
        )
    }

    /// No flags and no registered descriptor: the kernel's defaults, as liburing's
    /// `io_uring_queue_init(entries, &ring, 0)`.
    public static var plain: RingOptions { RingOptions() }

    /// A kernel thread polls the submission ring (`IORING_SETUP_SQPOLL`), so most
    /// submissions need no system call.
    /// - Parameters:
    ///   - idle: how long the thread spins before it sleeps.
    ///   - cpu: the CPU to pin it to, or nil to let the scheduler choose.
    public static func submissionPolling(idle: Duration = .milliseconds(100), cpu: UInt32? = nil)
        -> RingOptions
    {
        RingOptions(
            flags: [.submissionQueuePolling], submissionThreadCPU: cpu, submissionThreadIdle: idle)
    }

    /// The flags handed to the kernel: ``flags`` plus those implied by the other options.
    public var effectiveFlags: SetupFlags {
        var result = flags
        if completionQueueEntries != nil { result.insert(.completionQueueSize) }
        if submissionThreadCPU != nil { result.insert(.submissionQueueAffinity) }
        if attachWorkQueueFD != nil { result.insert(.attachWorkQueue) }
        return result
    }
}
