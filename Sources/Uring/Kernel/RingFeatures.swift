/// What the running kernel offers: the `IORING_FEAT_*` bits io_uring_setup(2) returns.
public struct RingFeatures: NamedFlags {
    /// The bits as the kernel wrote them.
    public let rawValue: UInt32
    /// Wraps raw `IORING_FEAT_*` bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `IORING_FEAT_SINGLE_MMAP`: both rings share one mapping (Linux 5.4).
    public static let singleMmap = RingFeatures(rawValue: 1 << 0)
    /// `IORING_FEAT_NODROP`: completions are never dropped; overflow is kept (Linux 5.5).
    public static let noDrop = RingFeatures(rawValue: 1 << 1)
    /// `IORING_FEAT_SUBMIT_STABLE`: submitted data is copied at submit time (Linux 5.5).
    public static let submitStable = RingFeatures(rawValue: 1 << 2)
    /// `IORING_FEAT_RW_CUR_POS`: offset -1 means the current file position (Linux 5.6).
    public static let currentPosition = RingFeatures(rawValue: 1 << 3)
    /// `IORING_FEAT_CUR_PERSONALITY`: requests run with the submitter's credentials (Linux 5.6).
    public static let currentPersonality = RingFeatures(rawValue: 1 << 4)
    /// `IORING_FEAT_FAST_POLL`: internal polling instead of worker threads (Linux 5.7).
    public static let fastPoll = RingFeatures(rawValue: 1 << 5)
    /// `IORING_FEAT_POLL_32BITS`: all 32 poll event bits (Linux 5.9).
    public static let poll32Bits = RingFeatures(rawValue: 1 << 6)
    /// `IORING_FEAT_SQPOLL_NONFIXED`: SQPOLL works with unregistered files (Linux 5.11).
    public static let submissionPollingNonFixed = RingFeatures(rawValue: 1 << 7)
    /// `IORING_FEAT_EXT_ARG`: io_uring_enter takes a timeout argument (Linux 5.11).
    public static let extendedArgument = RingFeatures(rawValue: 1 << 8)
    /// `IORING_FEAT_NATIVE_WORKERS`: workers are threads of the process (Linux 5.12).
    public static let nativeWorkers = RingFeatures(rawValue: 1 << 9)
    /// `IORING_FEAT_RSRC_TAGS`: registered resources can carry tags (Linux 5.13).
    public static let resourceTags = RingFeatures(rawValue: 1 << 10)
    /// `IORING_FEAT_CQE_SKIP`: `IOSQE_CQE_SKIP_SUCCESS` is honoured (Linux 5.17).
    public static let completionSkip = RingFeatures(rawValue: 1 << 11)
    /// `IORING_FEAT_LINKED_FILE`: linked requests resolve files in order (Linux 5.17).
    public static let linkedFile = RingFeatures(rawValue: 1 << 12)
    /// `IORING_FEAT_REG_REG_RING`: registration through a registered ring index (Linux 6.3).
    public static let registerRegisteredRing = RingFeatures(rawValue: 1 << 13)
    /// `IORING_FEAT_RECVSEND_BUNDLE`: send and receive bundles (Linux 6.10).
    public static let receiveSendBundle = RingFeatures(rawValue: 1 << 14)
    /// `IORING_FEAT_MIN_TIMEOUT`: waits with a minimum batch timeout (Linux 6.12).
    public static let minimumTimeout = RingFeatures(rawValue: 1 << 15)
    /// `IORING_FEAT_RW_ATTR`: read and write attributes such as integrity data (Linux 6.14).
    public static let readWriteAttributes = RingFeatures(rawValue: 1 << 16)
    /// `IORING_FEAT_NO_IOWAIT`: waits can be kept out of iowait accounting (Linux 6.15).
    public static let noIOWait = RingFeatures(rawValue: 1 << 17)

    /// Every feature with its kernel name.
    public static let namedFlags: [(flag: RingFeatures, name: String)] = [
        (.singleMmap, "IORING_FEAT_SINGLE_MMAP"), (.noDrop, "IORING_FEAT_NODROP"),
        (.submitStable, "IORING_FEAT_SUBMIT_STABLE"), (.currentPosition, "IORING_FEAT_RW_CUR_POS"),
        (.currentPersonality, "IORING_FEAT_CUR_PERSONALITY"), (.fastPoll, "IORING_FEAT_FAST_POLL"),
        (.poll32Bits, "IORING_FEAT_POLL_32BITS"),
        (.submissionPollingNonFixed, "IORING_FEAT_SQPOLL_NONFIXED"),
        (.extendedArgument, "IORING_FEAT_EXT_ARG"), (.nativeWorkers, "IORING_FEAT_NATIVE_WORKERS"),
        (.resourceTags, "IORING_FEAT_RSRC_TAGS"), (.completionSkip, "IORING_FEAT_CQE_SKIP"),
        (.linkedFile, "IORING_FEAT_LINKED_FILE"),
        (.registerRegisteredRing, "IORING_FEAT_REG_REG_RING"),
        (.receiveSendBundle, "IORING_FEAT_RECVSEND_BUNDLE"),
        (.minimumTimeout, "IORING_FEAT_MIN_TIMEOUT"), (.readWriteAttributes, "IORING_FEAT_RW_ATTR"),
        (.noIOWait, "IORING_FEAT_NO_IOWAIT"),
    ]
}
