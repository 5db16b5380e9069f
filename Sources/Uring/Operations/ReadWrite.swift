import Glibc

/// The value of `offset` that means "at the file's current position", for
/// files that have one (`-1`; needs `IORING_FEAT_RW_CUR_POS`, Linux 5.6).
public let currentFilePosition: UInt64 = .max

/// Reads into one buffer at an offset: `IORING_OP_READ`, like pread(2) (Linux 5.6).
///
/// Completes with the bytes read (0 at end of file) or a negated errno. A read
/// may be short. **Ownership**: `buffer` stays valid until the completion is consumed.
public struct Read: RingOperation {
    /// `IORING_OP_READ`.
    public static var opcode: Opcode { .read }
    /// The file to read.
    public var file: FileTarget
    /// Where the bytes go.
    public var buffer: UnsafeMutableRawBufferPointer
    /// The file offset, or ``currentFilePosition``.
    public var offset: UInt64
    /// `RWF_*` flags, as for preadv2(2).
    public var flags: Int32

    /// A read of up to `buffer.count` bytes from `file` at `offset`.
    @inlinable
    public init(_ file: FileTarget, into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64 = 0, flags: Int32 = 0) {
        self.file = file
        self.buffer = buffer
        self.offset = offset
        self.flags = flags
    }

    /// Writes fd, address, length, offset and `rw_flags`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.setReadWrite(file, address: buffer.baseAddress, length: buffer.count, offset: offset, flags: flags)
    }
}

/// Writes one buffer at an offset: `IORING_OP_WRITE`, like pwrite(2) (Linux 5.6).
///
/// Completes with the bytes written or a negated errno. A write may be short.
/// **Ownership**: `buffer` stays valid until the completion is consumed.
public struct Write: RingOperation {
    /// `IORING_OP_WRITE`.
    public static var opcode: Opcode { .write }
    /// The file to write.
    public var file: FileTarget
    /// The bytes to write.
    public var buffer: UnsafeRawBufferPointer
    /// The file offset, or ``currentFilePosition``.
    public var offset: UInt64
    /// `RWF_*` flags, as for pwritev2(2) (for example `RWF_DSYNC`).
    public var flags: Int32

    /// A write of `buffer` to `file` at `offset`.
    @inlinable
    public init(_ file: FileTarget, from buffer: UnsafeRawBufferPointer, at offset: UInt64 = 0, flags: Int32 = 0) {
        self.file = file
        self.buffer = buffer
        self.offset = offset
        self.flags = flags
    }

    /// Writes fd, address, length, offset and `rw_flags`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.setReadWrite(file, address: buffer.baseAddress, length: buffer.count, offset: offset, flags: flags)
    }
}

/// Reads into several buffers: `IORING_OP_READV`, like preadv2(2) (Linux 5.1).
///
/// **Ownership**: the iovec array and every buffer it names stay valid until
/// the completion is consumed.
public struct ReadVector: RingOperation {
    /// `IORING_OP_READV`.
    public static var opcode: Opcode { .readv }
    /// The file to read.
    public var file: FileTarget
    /// The buffers, filled in order.
    public var vectors: UnsafeBufferPointer<iovec>
    /// The file offset, or ``currentFilePosition``.
    public var offset: UInt64
    /// `RWF_*` flags.
    public var flags: Int32

    /// A vectored read from `file` at `offset`.
    @inlinable
    public init(_ file: FileTarget, into vectors: UnsafeBufferPointer<iovec>, at offset: UInt64 = 0, flags: Int32 = 0) {
        self.file = file
        self.vectors = vectors
        self.offset = offset
        self.flags = flags
    }

    /// Writes fd, the iovec address and count, offset and `rw_flags`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.setReadWrite(file, address: vectors.baseAddress, length: vectors.count, offset: offset, flags: flags)
    }
}

/// Writes from several buffers: `IORING_OP_WRITEV`, like pwritev2(2) (Linux 5.1).
///
/// **Ownership**: the iovec array and every buffer it names stay valid until
/// the completion is consumed.
public struct WriteVector: RingOperation {
    /// `IORING_OP_WRITEV`.
    public static var opcode: Opcode { .writev }
    /// The file to write.
    public var file: FileTarget
    /// The buffers, written in order.
    public var vectors: UnsafeBufferPointer<iovec>
    /// The file offset, or ``currentFilePosition``.
    public var offset: UInt64
    /// `RWF_*` flags.
    public var flags: Int32

    /// A vectored write to `file` at `offset`.
    @inlinable
    public init(_ file: FileTarget, from vectors: UnsafeBufferPointer<iovec>, at offset: UInt64 = 0, flags: Int32 = 0) {
        self.file = file
        self.vectors = vectors
        self.offset = offset
        self.flags = flags
    }

    /// Writes fd, the iovec address and count, offset and `rw_flags`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.setReadWrite(file, address: vectors.baseAddress, length: vectors.count, offset: offset, flags: flags)
    }
}

extension SubmissionQueueEntry {
    /// Fills the fields every read and write opcode shares: the file, the
    /// buffer or iovec address, its length or count, the offset and `rw_flags`.
    @inlinable
    public mutating func setReadWrite(
        _ file: FileTarget, address: UnsafeRawPointer?, length: Int, offset: UInt64, flags: Int32
    ) {
        file.apply(to: &self)
        self.address = .address(address)
        self.length = UInt32(clamping: length)
        self.offset = offset
        operationFlags = UInt32(bitPattern: flags)
    }
}
