/// A time for the kernel: `struct __kernel_timespec` (16 bytes).
///
/// Used by timeout requests and by waits with a timeout. The kernel reads it
/// when the request is prepared or the wait begins.
@frozen
public struct KernelTimespec: Sendable, Equatable {
    /// `tv_sec`: whole seconds.
    public var seconds: Int64
    /// `tv_nsec`: nanoseconds, below one billion.
    public var nanoseconds: Int64

    /// A time from its two fields.
    @inlinable
    public init(seconds: Int64, nanoseconds: Int64) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// The time in whole microseconds, clamped to `UInt32`: the unit of `min_wait_usec`.
    var clampedMicroseconds: UInt32 {
        UInt32(clamping: seconds * 1_000_000 + nanoseconds / 1000)
    }

    /// A time from a `Duration`; negative durations become zero.
    @inlinable
    public init(_ duration: Duration) {
        let (wholeSeconds, attoseconds) = duration.components
        if wholeSeconds < 0 || (wholeSeconds == 0 && attoseconds < 0) {
            self.init(seconds: 0, nanoseconds: 0)
        } else {
            self.init(seconds: wholeSeconds, nanoseconds: attoseconds / 1_000_000_000)
        }
    }
}

/// The extended argument of io_uring_enter(2): `struct io_uring_getevents_arg` (24 bytes).
@frozen
public struct GetEventsArgument: Sendable, Equatable {
    /// `sigmask`: a signal mask to apply while waiting, or 0.
    public var signalMask: UInt64 = 0
    /// `sigmask_sz`: the size of that mask.
    public var signalMaskSize: UInt32 = 0
    /// `min_wait_usec`: with `IORING_FEAT_MIN_TIMEOUT`, how long to wait for a full batch.
    public var minimumWaitMicroseconds: UInt32 = 0
    /// `ts`: the address of a ``KernelTimespec`` timeout, or 0.
    public var timeout: UInt64 = 0

    /// All fields zero.
    public init() {}
}

/// One registered-resource update: `struct io_uring_rsrc_update` (16 bytes).
///
/// Used to register the ring's own descriptor (`IORING_REGISTER_RING_FDS`) and
/// to update file tables.
@frozen
public struct ResourceUpdate: Sendable, Equatable {
    /// `offset`: the slot, or `UInt32.max` to let the kernel choose one.
    public var offset: UInt32
    /// `resv`: reserved.
    public var reserved: UInt32 = 0
    /// `data`: the descriptor or address.
    public var data: UInt64

    /// An update of `offset` with `data`.
    public init(offset: UInt32, data: UInt64) {
        self.offset = offset
        self.data = data
    }
}

/// The header of a probe reply: `struct io_uring_probe` (16 bytes, then the operations).
@frozen
public struct ProbeHeader: Sendable, Equatable {
    /// `last_op`: the highest opcode the kernel knows.
    public var lastOpcode: UInt8 = 0
    /// `ops_len`: how many ``ProbeOperation`` records follow.
    public var operationCount: UInt8 = 0
    /// `resv`: reserved.
    public var reserved: UInt16 = 0
    /// `resv2[3]`: reserved.
    public var reserved2: (UInt32, UInt32, UInt32) = (0, 0, 0)

    /// All fields zero.
    public init() {}

    /// Compares the two meaningful fields.
    public static func == (lhs: ProbeHeader, rhs: ProbeHeader) -> Bool {
        lhs.lastOpcode == rhs.lastOpcode && lhs.operationCount == rhs.operationCount
    }
}

/// One opcode of a probe reply: `struct io_uring_probe_op` (8 bytes).
@frozen
public struct ProbeOperation: Sendable, Equatable {
    /// `op`: the opcode.
    public var opcode: UInt8 = 0
    /// `resv`: reserved.
    public var reserved: UInt8 = 0
    /// `flags`: `IO_URING_OP_SUPPORTED` (bit 0) when the kernel runs this opcode.
    public var flags: UInt16 = 0
    /// `resv2`: reserved.
    public var reserved2: UInt32 = 0

    /// `IO_URING_OP_SUPPORTED`.
    public static let supported: UInt16 = 1 << 0

    /// All fields zero.
    public init() {}
}
