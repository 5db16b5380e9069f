/// One completion queue entry: the kernel's `struct io_uring_cqe` (16 bytes).
///
/// With ``SetupFlags/cqe32`` each slot is 32 bytes and the two extra words
/// follow this header; ``Completion`` carries them.
@frozen
public struct CompletionQueueEntry: Sendable, Equatable {
    /// `user_data`: the value the request was submitted with.
    public var userData: UInt64
    /// `res`: the result, or a negated errno.
    public var result: Int32
    /// `flags`: the `IORING_CQE_F_*` bits and, in the upper 16, a buffer id.
    public var flags: UInt32

    /// Creates an entry from its three fields.
    @inlinable
    public init(userData: UInt64, result: Int32, flags: UInt32) {
        self.userData = userData
        self.result = result
        self.flags = flags
    }
}

/// A 32-byte completion entry, as every slot is with `IORING_SETUP_CQE32` (and
/// an entry flagged `IORING_CQE_F_32` in a mixed ring): the usual entry
/// followed by `big_cqe[2]`.
@frozen
public struct CompletionQueueEntry32: Sendable {
    /// The first 16 bytes: an ordinary completion.
    public var entry: CompletionQueueEntry
    /// `big_cqe`: two extra words, opcode-specific.
    public var extra: (UInt64, UInt64)

    /// An entry from its parts.
    @inlinable
    public init(entry: CompletionQueueEntry, extra: (UInt64, UInt64)) {
        self.entry = entry
        self.extra = extra
    }
}
