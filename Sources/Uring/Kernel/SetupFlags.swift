/// How a ring is set up: the `IORING_SETUP_*` bits of io_uring_setup(2).
public struct SetupFlags: NamedFlags {
    /// The bits as the kernel reads them.
    public let rawValue: UInt32
    /// Wraps raw `IORING_SETUP_*` bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `IORING_SETUP_IOPOLL`: busy-poll for completions (O_DIRECT on polled storage; Linux 5.1).
    public static let ioPoll = SetupFlags(rawValue: 1 << 0)
    /// `IORING_SETUP_SQPOLL`: a kernel thread consumes the submission ring (Linux 5.1).
    public static let submissionQueuePolling = SetupFlags(rawValue: 1 << 1)
    /// `IORING_SETUP_SQ_AFF`: pin the SQPOLL thread to `sq_thread_cpu` (Linux 5.1).
    public static let submissionQueueAffinity = SetupFlags(rawValue: 1 << 2)
    /// `IORING_SETUP_CQSIZE`: the application chooses the completion ring size (Linux 5.5).
    public static let completionQueueSize = SetupFlags(rawValue: 1 << 3)
    /// `IORING_SETUP_CLAMP`: cap over-large sizes instead of failing (Linux 5.6).
    public static let clamp = SetupFlags(rawValue: 1 << 4)
    /// `IORING_SETUP_ATTACH_WQ`: share the async workers of the ring in `wq_fd` (Linux 5.6).
    public static let attachWorkQueue = SetupFlags(rawValue: 1 << 5)
    /// `IORING_SETUP_R_DISABLED`: start disabled until `IORING_REGISTER_ENABLE_RINGS` (Linux 5.10).
    public static let ringDisabled = SetupFlags(rawValue: 1 << 6)
    /// `IORING_SETUP_SUBMIT_ALL`: keep submitting a batch after one entry fails (Linux 5.18).
    public static let submitAll = SetupFlags(rawValue: 1 << 7)
    /// `IORING_SETUP_COOP_TASKRUN`: run completion work only at kernel transitions (Linux 5.19).
    public static let cooperativeTaskRun = SetupFlags(rawValue: 1 << 8)
    /// `IORING_SETUP_TASKRUN_FLAG`: set `IORING_SQ_TASKRUN` when completion work is pending (Linux 5.19).
    public static let taskRunFlag = SetupFlags(rawValue: 1 << 9)
    /// `IORING_SETUP_SQE128`: 128-byte submission entries (Linux 5.19).
    public static let sqe128 = SetupFlags(rawValue: 1 << 10)
    /// `IORING_SETUP_CQE32`: 32-byte completion entries (Linux 5.19).
    public static let cqe32 = SetupFlags(rawValue: 1 << 11)
    /// `IORING_SETUP_SINGLE_ISSUER`: only the creating thread submits (Linux 6.0).
    public static let singleIssuer = SetupFlags(rawValue: 1 << 12)
    /// `IORING_SETUP_DEFER_TASKRUN`: run completion work only when the issuer waits (Linux 6.1).
    public static let deferTaskRun = SetupFlags(rawValue: 1 << 13)
    /// `IORING_SETUP_NO_MMAP`: the application supplies the ring memory (Linux 6.5).
    public static let noMmap = SetupFlags(rawValue: 1 << 14)
    /// `IORING_SETUP_REGISTERED_FD_ONLY`: return a registered ring index, no descriptor (Linux 6.5).
    public static let registeredFDOnly = SetupFlags(rawValue: 1 << 15)
    /// `IORING_SETUP_NO_SQARRAY`: no index array; slots are used in ring order (Linux 6.6).
    public static let noSubmissionArray = SetupFlags(rawValue: 1 << 16)
    /// `IORING_SETUP_HYBRID_IOPOLL`: sleep before polling with IOPOLL (Linux 6.13).
    public static let hybridIOPoll = SetupFlags(rawValue: 1 << 17)
    /// `IORING_SETUP_CQE_MIXED`: 16- and 32-byte completions share one ring (Linux 6.18).
    public static let mixedCompletionSize = SetupFlags(rawValue: 1 << 18)
    /// `IORING_SETUP_SQE_MIXED`: 64- and 128-byte submissions share one ring (Linux 6.19).
    /// ``Ring`` fills 64-byte entries only; on such a ring, use 128-byte opcodes
    /// through ``Ring/nextSubmission()`` with a ring of ``sqe128`` instead.
    public static let mixedSubmissionSize = SetupFlags(rawValue: 1 << 19)

    /// Every flag with its kernel name.
    public static let namedFlags: [(flag: SetupFlags, name: String)] = [
        (.ioPoll, "IORING_SETUP_IOPOLL"), (.submissionQueuePolling, "IORING_SETUP_SQPOLL"),
        (.submissionQueueAffinity, "IORING_SETUP_SQ_AFF"),
        (.completionQueueSize, "IORING_SETUP_CQSIZE"), (.clamp, "IORING_SETUP_CLAMP"),
        (.attachWorkQueue, "IORING_SETUP_ATTACH_WQ"), (.ringDisabled, "IORING_SETUP_R_DISABLED"),
        (.submitAll, "IORING_SETUP_SUBMIT_ALL"), (.cooperativeTaskRun, "IORING_SETUP_COOP_TASKRUN"),
        (.taskRunFlag, "IORING_SETUP_TASKRUN_FLAG"), (.sqe128, "IORING_SETUP_SQE128"),
        (.cqe32, "IORING_SETUP_CQE32"), (.singleIssuer, "IORING_SETUP_SINGLE_ISSUER"),
        (.deferTaskRun, "IORING_SETUP_DEFER_TASKRUN"), (.noMmap, "IORING_SETUP_NO_MMAP"),
        (.registeredFDOnly, "IORING_SETUP_REGISTERED_FD_ONLY"),
        (.noSubmissionArray, "IORING_SETUP_NO_SQARRAY"),
        (.hybridIOPoll, "IORING_SETUP_HYBRID_IOPOLL"),
        (.mixedCompletionSize, "IORING_SETUP_CQE_MIXED"),
        (.mixedSubmissionSize, "IORING_SETUP_SQE_MIXED"),
    ]
}
