/// Turns a registered-file slot into an ordinary descriptor of the process:
/// `IORING_OP_FIXED_FD_INSTALL` (Linux 6.8).
///
/// Completes with the new descriptor (close-on-exec unless `closeOnExec` is false).
public struct FixedFDInstall: RingOperation {
    /// `IORING_OP_FIXED_FD_INSTALL`.
    public var opcode: Opcode { .fixedFDInstall }
    /// `IORING_FIXED_FD_NO_CLOEXEC`.
    public static let noCloseOnExec: UInt32 = 1 << 0
    /// The slot.
    public var slot: UInt32
    /// Whether the new descriptor is close-on-exec.
    public var closeOnExec: Bool

    /// An install of `slot` as a descriptor.
    @inlinable
    public init(slot: UInt32, closeOnExec: Bool = true) {
        self.slot = slot
        self.closeOnExec = closeOnExec
    }

    /// Writes the slot as a fixed file and `install_fd_flags`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        FileTarget.fixed(slot).apply(to: &entry)
        entry.operationFlags = closeOnExec ? 0 : FixedFDInstall.noCloseOnExec
    }
}

/// Replaces entries of the registered file table from the submission queue:
/// `IORING_OP_FILES_UPDATE` (Linux 5.6).
///
/// Slot `offset + i` takes `descriptors[i]` (-1 empties it). With
/// ``FixedSlot/allocateIndex`` as `offset` the kernel picks free slots and writes
/// them back into `descriptors`. Completes with the number of slots updated.
/// **Ownership**: `descriptors` stays valid until the completion is consumed.
public struct FilesUpdate: RingOperation {
    /// `IORING_OP_FILES_UPDATE`.
    public var opcode: Opcode { .filesUpdate }
    /// The descriptors to install.
    public var descriptors: UnsafeMutableBufferPointer<Int32>
    /// The first slot, or ``FixedSlot/allocateIndex``.
    public var offset: UInt32

    /// An update of the slots from `offset`.
    @unsafe @inlinable
    public init(_ descriptors: UnsafeMutableBufferPointer<Int32>, at offset: UInt32) {
        self.descriptors = descriptors
        self.offset = offset
    }

    /// Writes `fd` -1, the array, its count and the offset.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.fd = -1
        entry.address = .address(descriptors.baseAddress)
        entry.length = UInt32(clamping: descriptors.count)
        entry.offset = UInt64(offset)
    }
}

/// Creates a pipe: `IORING_OP_PIPE`, like pipe2(2) (Linux 6.16); into two
/// registered slots when `slot` is set.
///
/// Writes the read and write ends into `descriptors` (for fixed slots, the slot numbers).
/// **Ownership**: `descriptors` (two values) stays valid until the completion is consumed.
public struct Pipe: RingOperation {
    /// `IORING_OP_PIPE`.
    public var opcode: Opcode { .pipe }
    /// Where the two ends go.
    public var descriptors: UnsafeMutablePointer<Int32>
    /// `O_CLOEXEC`, `O_NONBLOCK`, `O_DIRECT`.
    public var flags: Int32
    /// The read end's slot (the write end takes the next), or ``FixedSlot/anyFree``.
    public var slot: FixedSlot?

    /// A pipe whose ends are written to `descriptors[0]` and `descriptors[1]`.
    @unsafe @inlinable
    public init(_ descriptors: UnsafeMutablePointer<Int32>, flags: Int32 = 0, slot: FixedSlot? = nil) {
        self.descriptors = descriptors
        self.flags = flags
        self.slot = slot
    }

    /// Writes the array in `addr`, `pipe_flags` and `file_index`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.address = .address(descriptors)
        entry.operationFlags = UInt32(bitPattern: flags)
        entry.fileIndex = slot?.fileIndexValue ?? 0
    }
}
