/// Completes after a time or after a number of other completions:
/// `IORING_OP_TIMEOUT` (Linux 5.4).
///
/// Completes with `-ETIME` when the time runs out, or 0 when `count`
/// completions arrived first.
/// **Ownership**: `time` stays valid until the completion is consumed.
public struct Timeout: RingOperation {
    /// `IORING_OP_TIMEOUT`.
    public static var opcode: Opcode { .timeout }
    /// `IORING_TIMEOUT_ABS`: `time` is an absolute time on the chosen clock.
    public static let absolute: UInt32 = 1 << 0
    /// `IORING_TIMEOUT_BOOTTIME`: measure on `CLOCK_BOOTTIME`.
    public static let bootTime: UInt32 = 1 << 2
    /// `IORING_TIMEOUT_REALTIME`: measure on `CLOCK_REALTIME`.
    public static let realTime: UInt32 = 1 << 3
    /// `IORING_TIMEOUT_ETIME_SUCCESS`: a fired timeout does not break a link chain.
    public static let expiryIsSuccess: UInt32 = 1 << 5
    /// `IORING_TIMEOUT_MULTISHOT`: fire repeatedly (Linux 6.4).
    public static let multishot: UInt32 = 1 << 6

    /// The time, relative unless ``flags`` has ``absolute``.
    public var time: UnsafePointer<KernelTimespec>
    /// Complete early after this many other completions; 0 for a pure timer.
    public var count: UInt32
    /// `IORING_TIMEOUT_*` flags.
    public var flags: UInt32

    /// A timer for `time`.
    @inlinable
    public init(_ time: UnsafePointer<KernelTimespec>, count: UInt32 = 0, flags: UInt32 = 0) {
        self.time = time
        self.count = count
        self.flags = flags
    }

    /// Writes the timespec address, `len` 1, the count and `timeout_flags`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.fd = -1
        entry.address = .address(time)
        entry.length = 1
        entry.offset = UInt64(count)
        entry.operationFlags = flags
    }
}
