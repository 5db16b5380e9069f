/// How io_uring_enter(2) is asked to act: the `IORING_ENTER_*` bits.
public struct EnterFlags: NamedFlags {
    /// The bits as the kernel reads them.
    public let rawValue: UInt32
    /// Wraps raw `IORING_ENTER_*` bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `IORING_ENTER_GETEVENTS`: wait for `min_complete` completions.
    public static let getEvents = EnterFlags(rawValue: 1 << 0)
    /// `IORING_ENTER_SQ_WAKEUP`: wake a sleeping SQPOLL thread.
    public static let submissionQueueWakeup = EnterFlags(rawValue: 1 << 1)
    /// `IORING_ENTER_SQ_WAIT`: wait until the SQPOLL thread frees submission slots.
    public static let submissionQueueWait = EnterFlags(rawValue: 1 << 2)
    /// `IORING_ENTER_EXT_ARG`: the argument is a `struct io_uring_getevents_arg` (Linux 5.11).
    public static let extendedArgument = EnterFlags(rawValue: 1 << 3)
    /// `IORING_ENTER_REGISTERED_RING`: `fd` is a registered ring index (Linux 5.18).
    public static let registeredRing = EnterFlags(rawValue: 1 << 4)
    /// `IORING_ENTER_ABS_TIMER`: the wait timeout is an absolute time (Linux 6.12).
    public static let absoluteTimer = EnterFlags(rawValue: 1 << 5)
    /// `IORING_ENTER_EXT_ARG_REG`: the argument lives in a registered region (Linux 6.13).
    public static let extendedArgumentRegistered = EnterFlags(rawValue: 1 << 6)
    /// `IORING_ENTER_NO_IOWAIT`: do not count the wait as iowait (Linux 6.15).
    public static let noIOWait = EnterFlags(rawValue: 1 << 7)

    /// Every flag with its kernel name.
    public static let namedFlags: [(flag: EnterFlags, name: String)] = [
        (.getEvents, "IORING_ENTER_GETEVENTS"), (.submissionQueueWakeup, "IORING_ENTER_SQ_WAKEUP"),
        (.submissionQueueWait, "IORING_ENTER_SQ_WAIT"), (.extendedArgument, "IORING_ENTER_EXT_ARG"),
        (.registeredRing, "IORING_ENTER_REGISTERED_RING"), (.absoluteTimer, "IORING_ENTER_ABS_TIMER"),
        (.extendedArgumentRegistered, "IORING_ENTER_EXT_ARG_REG"),
        (.noIOWait, "IORING_ENTER_NO_IOWAIT"),
    ]
}
