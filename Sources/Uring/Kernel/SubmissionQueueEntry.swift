/// One submission queue entry: the kernel's `struct io_uring_sqe` (64 bytes).
///
/// The kernel overlays several meanings on most fields; each property names
/// them. An operation type (see ``RingOperation``) fills an entry through
/// ``RingOperation/prepare(_:)``; reading the fields directly is for code that
/// ports C written against liburing. With ``SetupFlags/sqe128`` each slot is
/// 128 bytes and the second half is opcode-specific command space.
@frozen
public struct SubmissionQueueEntry: Sendable, Equatable {
    /// `opcode`: what the kernel should do (an ``Opcode`` raw value).
    public var opcode: UInt8
    /// `flags`: the `IOSQE_*` bits (``SubmissionFlags``).
    public var flags: UInt8
    /// `ioprio`: the I/O priority, or opcode-specific flags (accept, recv, send).
    public var ioPriority: UInt16
    /// `fd`: the file descriptor, or a fixed-file slot when `IOSQE_FIXED_FILE` is set.
    public var fd: Int32
    /// `off` / `addr2` / `cmd_op`: the file offset, or a second address.
    public var offset: UInt64
    /// `addr` / `splice_off_in`: the buffer, iovec array or path address.
    public var address: UInt64
    /// `len`: a buffer length, an iovec count, or an opcode-specific count.
    public var length: UInt32
    /// The opcode-specific flags word (`rw_flags`, `fsync_flags`, `timeout_flags`,
    /// `open_flags`, `msg_flags`, `poll32_events`, and the rest of that union).
    public var operationFlags: UInt32
    /// `user_data`: returned unchanged in this request's completion.
    public var userData: UInt64
    /// `buf_index` / `buf_group`: a registered buffer index or a provided-buffer group.
    public var bufferIndex: UInt16
    /// `personality`: a registered credentials id, or 0.
    public var personality: UInt16
    /// `splice_fd_in` / `file_index` / `optlen` / `addr_len`: a second descriptor,
    /// a fixed-file slot to install into, or a length.
    public var fileIndex: UInt32
    /// `addr3` / `optval` / `attr_ptr`: a third address.
    public var address3: UInt64
    /// `__pad2` / `attr_type_mask`: the last word, used by a few opcodes.
    public var extra: UInt64

    /// An entry with every field zero (`IORING_OP_NOP` with no flags).
    @inlinable
    public init() {
        opcode = 0
        flags = 0
        ioPriority = 0
        fd = 0
        offset = 0
        address = 0
        length = 0
        operationFlags = 0
        userData = 0
        bufferIndex = 0
        personality = 0
        fileIndex = 0
        address3 = 0
        extra = 0
    }
}

/// A 128-byte submission entry, as every slot is with `IORING_SETUP_SQE128`:
/// the usual entry followed by 64 bytes of command data (`cmd`, used by
/// `IORING_OP_URING_CMD` for NVMe passthrough and similar).
@frozen
public struct SubmissionQueueEntry128: Sendable {
    /// The first 64 bytes: an ordinary entry.
    public var entry: SubmissionQueueEntry
    /// The trailing 64 bytes of command data.
    public var command: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    /// A zeroed 128-byte entry.
    public init() {
        entry = SubmissionQueueEntry()
        command = (0, 0, 0, 0, 0, 0, 0, 0)
    }
}
