/// The clock a timeout is measured on.
public enum TimeoutClock: Sendable, Equatable {
    /// `CLOCK_MONOTONIC` (the default).
    case monotonic
    /// `CLOCK_BOOTTIME` (`IORING_TIMEOUT_BOOTTIME`): counts time suspended.
    case boot
    /// `CLOCK_REALTIME` (`IORING_TIMEOUT_REALTIME`): wall-clock time.
    case realTime

    /// The `IORING_TIMEOUT_*` clock bit.
    @inlinable
    public var flag: UInt32 {
        switch self {
        case .monotonic: return 0
        case .boot: return Timeout.bootTime
        case .realTime: return Timeout.realTime
        }
    }
}

/// Completes after a time or after a number of other completions:
/// `IORING_OP_TIMEOUT` (Linux 5.4).
///
/// Completes with `-ETIME` when the time runs out, or 0 when `count`
/// completions arrived first. A multishot timeout (Linux 6.4) posts a
/// completion with ``Completion/hasMore`` at each expiry, `count` times (0: until removed).
/// **Ownership**: `time` stays valid until the final completion is consumed.
public struct Timeout: RingOperation {
    /// `IORING_OP_TIMEOUT`.
    public var opcode: Opcode { .timeout }
    /// `IORING_TIMEOUT_ABS`: `time` is an absolute time on the chosen clock.
    public static let absolute: UInt32 = 1 << 0
    /// `IORING_TIMEOUT_UPDATE`: used by ``TimeoutRemove`` to change a timeout.
    public static let update: UInt32 = 1 << 1
    /// `IORING_TIMEOUT_BOOTTIME`: measure on `CLOCK_BOOTTIME`.
    public static let bootTime: UInt32 = 1 << 2
    /// `IORING_TIMEOUT_REALTIME`: measure on `CLOCK_REALTIME`.
    public static let realTime: UInt32 = 1 << 3
    /// `IORING_LINK_TIMEOUT_UPDATE`: used by ``TimeoutRemove`` to change a link timeout.
    public static let linkUpdate: UInt32 = 1 << 4
    /// `IORING_TIMEOUT_ETIME_SUCCESS`: a fired timeout does not break a link chain.
    public static let expiryIsSuccess: UInt32 = 1 << 5
    /// `IORING_TIMEOUT_MULTISHOT`: fire repeatedly (Linux 6.4).
    public static let multishot: UInt32 = 1 << 6

    /// The time, relative unless ``flags`` has ``absolute``.
    public var time: UnsafePointer<KernelTimespec>
    /// Complete early after this many other completions (a multishot timeout:
    /// the number of expiries); 0 for a pure timer.
    public var count: UInt32
    /// `IORING_TIMEOUT_*` flags.
    public var flags: UInt32

    /// A timer for `time`.
    @unsafe @inlinable
    public init(_ time: UnsafePointer<KernelTimespec>, count: UInt32 = 0, flags: UInt32 = 0) {
        self.time = time
        self.count = count
        self.flags = flags
    }

    /// A timer for `time` on `clock`, absolute or relative, one-shot or repeating.
    @unsafe @inlinable
    public init(
        _ time: UnsafePointer<KernelTimespec>, count: UInt32 = 0, absolute: Bool = false,
        clock: TimeoutClock = .monotonic, repeating: Bool = false
    ) {
        self.init(
            time, count: count,
            flags: clock.flag | (absolute ? Timeout.absolute : 0) | (repeating ? Timeout.multishot : 0))
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

/// Removes a timeout, or changes when it fires: `IORING_OP_TIMEOUT_REMOVE`
/// (Linux 5.5; update Linux 5.11; link-timeout update Linux 5.15).
///
/// Completes with 0, `-ENOENT` when no timeout had that user data, or `-EALREADY`
/// when it is already firing. A removed timeout completes with `-ECANCELED`.
/// **Ownership**: a new `time` stays valid until the completion is consumed.
public struct TimeoutRemove: RingOperation {
    /// `IORING_OP_TIMEOUT_REMOVE`.
    public var opcode: Opcode { .timeoutRemove }
    /// The user data of the timeout to act on.
    public var target: UInt64
    /// The new time, when updating.
    public var time: UnsafePointer<KernelTimespec>?
    /// `IORING_TIMEOUT_*` flags (an update adds ``Timeout/update`` or ``Timeout/linkUpdate``).
    public var flags: UInt32

    /// A removal of the timeout whose user data is `target`.
    @inlinable
    public init(_ target: UInt64) {
        self.target = target
        self.time = nil
        self.flags = 0
    }

    /// A change of the timeout (or, with `linked`, the link timeout) whose user data
    /// is `target` to fire at `time` (liburing's `io_uring_prep_timeout_update`).
    @unsafe @inlinable
    public init(
        updating target: UInt64, to time: UnsafePointer<KernelTimespec>, absolute: Bool = false,
        clock: TimeoutClock = .monotonic, linked: Bool = false
    ) {
        self.target = target
        self.time = time
        self.flags = (linked ? Timeout.linkUpdate : Timeout.update) | clock.flag | (absolute ? Timeout.absolute : 0)
    }

    /// Writes the target in `addr`, the new time in `off` and `timeout_flags`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.fd = -1
        entry.address = target
        entry.offset = .address(time)
        entry.operationFlags = flags
    }
}

/// Bounds the time of the previous, linked request: `IORING_OP_LINK_TIMEOUT` (Linux 5.5).
///
/// Push it right after a request that has ``SubmissionFlags/link``. If the time
/// runs out first, that request is cancelled (`-ECANCELED`) and this completes
/// with `-ETIME`; otherwise this completes with `-ECANCELED`.
/// **Ownership**: `time` stays valid until the completion is consumed.
public struct LinkTimeout: RingOperation {
    /// `IORING_OP_LINK_TIMEOUT`.
    public var opcode: Opcode { .linkTimeout }
    /// The time limit.
    public var time: UnsafePointer<KernelTimespec>
    /// `IORING_TIMEOUT_*` flags (absolute, clock).
    public var flags: UInt32

    /// A limit of `time` on the linked request.
    @unsafe @inlinable
    public init(_ time: UnsafePointer<KernelTimespec>, absolute: Bool = false, clock: TimeoutClock = .monotonic) {
        self.time = time
        self.flags = clock.flag | (absolute ? Timeout.absolute : 0)
    }

    /// Writes the timespec address, `len` 1 and `timeout_flags`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.fd = -1
        entry.address = .address(time)
        entry.length = 1
        entry.operationFlags = flags
    }
}
