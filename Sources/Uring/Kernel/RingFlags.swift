/// The submission ring's shared flags word: the `IORING_SQ_*` bits the kernel sets.
public struct SubmissionRingFlags: NamedFlags {
    /// The bits as the kernel wrote them.
    public let rawValue: UInt32
    /// Wraps raw `IORING_SQ_*` bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `IORING_SQ_NEED_WAKEUP`: the SQPOLL thread sleeps; enter with `SQ_WAKEUP`.
    public static let needWakeup = SubmissionRingFlags(rawValue: 1 << 0)
    /// `IORING_SQ_CQ_OVERFLOW`: completions wait in the overflow list; enter to flush them.
    public static let completionOverflow = SubmissionRingFlags(rawValue: 1 << 1)
    /// `IORING_SQ_TASKRUN`: completion work is pending; enter to run it.
    public static let taskRun = SubmissionRingFlags(rawValue: 1 << 2)

    /// Every flag with its kernel name.
    public static let namedFlags: [(flag: SubmissionRingFlags, name: String)] = [
        (.needWakeup, "IORING_SQ_NEED_WAKEUP"), (.completionOverflow, "IORING_SQ_CQ_OVERFLOW"),
        (.taskRun, "IORING_SQ_TASKRUN"),
    ]
}

/// The completion ring's shared flags word: the `IORING_CQ_*` bits the application sets.
public struct CompletionRingFlags: NamedFlags {
    /// The bits as stored in the ring.
    public let rawValue: UInt32
    /// Wraps raw `IORING_CQ_*` bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `IORING_CQ_EVENTFD_DISABLED`: do not signal the registered eventfd.
    public static let eventFDDisabled = CompletionRingFlags(rawValue: 1 << 0)

    /// Every flag with its kernel name.
    public static let namedFlags: [(flag: CompletionRingFlags, name: String)] = [
        (.eventFDDisabled, "IORING_CQ_EVENTFD_DISABLED")
    ]
}
