/// Does nothing and completes with result 0, or with an injected result:
/// `IORING_OP_NOP` (Linux 5.1; injected result Linux 6.10).
///
/// Useful to measure the ring itself, to wake a waiter, as a link barrier, or to
/// test error handling with a chosen result.
public struct Nop: RingOperation {
    /// `IORING_OP_NOP`.
    public var opcode: Opcode { .nop }
    /// `IORING_NOP_INJECT_RESULT`.
    public static let injectResultFlag: UInt32 = 1 << 0
    /// The result to complete with instead of 0, or nil.
    public var injectedResult: Int32?

    /// A no-op; with `result`, one that completes with that value (a negated errno for an error).
    @inlinable
    public init(result: Int32? = nil) { self.injectedResult = result }

    /// Writes `nop_flags` and the injected result in `len`; a plain NOP writes nothing.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        if let result = injectedResult {
            entry.operationFlags = Nop.injectResultFlag
            entry.length = UInt32(bitPattern: result)
        }
    }
}

/// A no-op in a 128-byte submission entry: `IORING_OP_NOP128` (Linux 6.19).
///
/// Valid on a ring set up with ``SetupFlags/sqe128``, where every entry is 128
/// bytes; elsewhere the kernel answers `EINVAL`. Completes with 0 or the
/// injected result, as ``Nop``.
public struct Nop128: RingOperation {
    /// `IORING_OP_NOP128`.
    public var opcode: Opcode { .nop128 }
    /// The result to complete with instead of 0, or nil.
    public var injectedResult: Int32?

    /// A 128-byte no-op; with `result`, one that completes with that value.
    @inlinable
    public init(result: Int32? = nil) { self.injectedResult = result }

    /// As ``Nop/prepare(_:)``.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        Nop(result: injectedResult).prepare(&entry)
    }
}
