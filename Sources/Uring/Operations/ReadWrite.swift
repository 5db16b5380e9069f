import Glibc

/// The value of `offset` that means "at the file's current position", for
/// files that have one (`-1`; needs `IORING_FEAT_RW_CUR_POS`, Linux 5.6).
public let currentFilePosition: UInt64 = .max

/// Reads into one buffer at an offset: `IORING_OP_READ` like pread(2) (Linux 5.6),
/// `IORING_OP_READ_FIXED` into a registered buffer (Linux 5.1), or a read into a
/// provided buffer chosen by the kernel.
///
/// Completes with the bytes read (0 at end of file) or a negated errno. A read
/// may be short. **Ownership**: the buffer stays valid until the completion is consumed.
public struct Read: RingOperation {
    /// `IORING_OP_READ_FIXED` for a registered buffer, else `IORING_OP_READ`.
    public var opcode: Opcode { buffer.isRegistered ? .readFixed : .read }
    /// The file to read.
    public var file: FileTarget
    /// Where the bytes go.
    public var buffer: BufferTarget<KernelWrites>
    /// The file offset, or ``currentFilePosition``.
    public var offset: UInt64
    /// `RWF_*` flags, as for preadv2(2).
    public var flags: Int32

    /// A read of up to the buffer's length from `file` at `offset`.
    @inlinable
    public init(_ file: FileTarget, into buffer: BufferTarget<KernelWrites>, at offset: UInt64 = 0, flags: Int32 = 0) {
        self.file = file
        self.buffer = buffer
        self.offset = offset
        self.flags = flags
    }

    /// A read into an ordinary buffer.
    @unsafe @inlinable
    public init(_ file: FileTarget, into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64 = 0, flags: Int32 = 0) {
        self.init(file, into: .plain(buffer), at: offset, flags: flags)
    }

    /// Writes fd, address, length, offset, `rw_flags` and the buffer index or group.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.setReadWrite(file, buffer: buffer, offset: offset, flags: flags)
    }
}

/// Writes one buffer at an offset: `IORING_OP_WRITE` like pwrite(2) (Linux 5.6),
/// or `IORING_OP_WRITE_FIXED` from a registered buffer (Linux 5.1).
///
/// Completes with the bytes written or a negated errno. A write may be short.
/// **Ownership**: the buffer stays valid until the completion is consumed.
public struct Write: RingOperation {
    /// `IORING_OP_WRITE_FIXED` for a registered buffer, else `IORING_OP_WRITE`.
    public var opcode: Opcode { buffer.isRegistered ? .writeFixed : .write }
    /// The file to write.
    public var file: FileTarget
    /// The bytes to write.
    public var buffer: BufferTarget<KernelReads>
    /// The file offset, or ``currentFilePosition``.
    public var offset: UInt64
    /// `RWF_*` flags, as for pwritev2(2) (for example `RWF_DSYNC`).
    public var flags: Int32

    /// A write of the buffer to `file` at `offset`.
    @inlinable
    public init(_ file: FileTarget, from buffer: BufferTarget<KernelReads>, at offset: UInt64 = 0, flags: Int32 = 0) {
        self.file = file
        self.buffer = buffer
        self.offset = offset
        self.flags = flags
    }

    /// A write from an ordinary buffer.
    @unsafe @inlinable
    public init(_ file: FileTarget, from buffer: UnsafeRawBufferPointer, at offset: UInt64 = 0, flags: Int32 = 0) {
        self.init(file, from: .plain(buffer), at: offset, flags: flags)
    }

    /// Writes fd, address, length, offset, `rw_flags` and the buffer index.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.setReadWrite(file, buffer: buffer, offset: offset, flags: flags)
    }
}

/// Reads into several buffers: `IORING_OP_READV` like preadv2(2) (Linux 5.1), or
/// `IORING_OP_READV_FIXED` when every iovec lies in one registered buffer (Linux 6.15).
///
/// **Ownership**: the iovec array and every buffer it names stay valid until
/// the completion is consumed.
public struct ReadVector: RingOperation {
    /// `IORING_OP_READV_FIXED` with a registered buffer, else `IORING_OP_READV`.
    public var opcode: Opcode { registeredBuffer == nil ? .readv : .readvFixed }
    /// The file to read.
    public var file: FileTarget
    /// The buffers, filled in order.
    public var vectors: UnsafeBufferPointer<iovec>
    /// The file offset, or ``currentFilePosition``.
    public var offset: UInt64
    /// `RWF_*` flags.
    public var flags: Int32
    /// The registered buffer every iovec lies in, or nil for plain memory.
    public var registeredBuffer: UInt16?

    /// A vectored read from `file` at `offset`.
    @unsafe @inlinable
    public init(
        _ file: FileTarget, into vectors: UnsafeBufferPointer<iovec>, at offset: UInt64 = 0, flags: Int32 = 0,
        registeredBuffer: UInt16? = nil
    ) {
        self.file = file
        self.vectors = vectors
        self.offset = offset
        self.flags = flags
        self.registeredBuffer = registeredBuffer
    }

    /// Writes fd, the iovec address and count, offset, `rw_flags` and `buf_index`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.setVectored(file, vectors: vectors, offset: offset, flags: flags, registeredBuffer: registeredBuffer)
    }
}

/// Writes from several buffers: `IORING_OP_WRITEV` like pwritev2(2) (Linux 5.1), or
/// `IORING_OP_WRITEV_FIXED` when every iovec lies in one registered buffer (Linux 6.15).
///
/// **Ownership**: the iovec array and every buffer it names stay valid until
/// the completion is consumed.
public struct WriteVector: RingOperation {
    /// `IORING_OP_WRITEV_FIXED` with a registered buffer, else `IORING_OP_WRITEV`.
    public var opcode: Opcode { registeredBuffer == nil ? .writev : .writevFixed }
    /// The file to write.
    public var file: FileTarget
    /// The buffers, written in order.
    public var vectors: UnsafeBufferPointer<iovec>
    /// The file offset, or ``currentFilePosition``.
    public var offset: UInt64
    /// `RWF_*` flags.
    public var flags: Int32
    /// The registered buffer every iovec lies in, or nil for plain memory.
    public var registeredBuffer: UInt16?

    /// A vectored write to `file` at `offset`.
    @unsafe @inlinable
    public init(
        _ file: FileTarget, from vectors: UnsafeBufferPointer<iovec>, at offset: UInt64 = 0, flags: Int32 = 0,
        registeredBuffer: UInt16? = nil
    ) {
        self.file = file
        self.vectors = vectors
        self.offset = offset
        self.flags = flags
        self.registeredBuffer = registeredBuffer
    }

    /// Writes fd, the iovec address and count, offset, `rw_flags` and `buf_index`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.setVectored(file, vectors: vectors, offset: offset, flags: flags, registeredBuffer: registeredBuffer)
    }
}

/// Reads repeatedly from a pollable file (pipe, socket, eventfd) into buffers
/// from a provided-buffer group: `IORING_OP_READ_MULTISHOT` (Linux 6.7).
///
/// Each chunk of data posts a completion with ``Completion/hasMore`` and
/// ``Completion/bufferID``; the stream ends with a completion without "more"
/// (`-ENOBUFS` when the group ran dry: refill and submit again).
public struct ReadMultishot: RingOperation {
    /// `IORING_OP_READ_MULTISHOT`.
    public var opcode: Opcode { .readMultishot }
    /// The file to read.
    public var file: FileTarget
    /// The provided-buffer group to take buffers from.
    public var bufferGroup: UInt16
    /// The most to read per completion; 0 for each buffer's size.
    public var length: UInt32

    /// A multishot read from `file` into buffers of `bufferGroup`.
    @inlinable
    public init(_ file: FileTarget, bufferGroup: UInt16, length: UInt32 = 0) {
        self.file = file
        self.bufferGroup = bufferGroup
        self.length = length
    }

    /// Writes fd, length, `buf_group` and `IOSQE_BUFFER_SELECT`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.setReadWrite(
            file, buffer: BufferTarget<KernelWrites>.provided(group: bufferGroup, length: Int(length)), offset: 0, flags: 0)
    }
}

extension SubmissionQueueEntry {
    /// Fills the fields every single-buffer read and write shares: the file,
    /// the buffer, the offset and `rw_flags`.
    @inlinable
    public mutating func setReadWrite<Access>(_ file: FileTarget, buffer: BufferTarget<Access>, offset: UInt64, flags: Int32) {
        file.apply(to: &self)
        buffer.apply(to: &self)
        self.offset = offset
        operationFlags = UInt32(bitPattern: flags)
    }

    /// Fills the fields every vectored read and write shares.
    @inlinable
    public mutating func setVectored(
        _ file: FileTarget, vectors: UnsafeBufferPointer<iovec>, offset: UInt64, flags: Int32,
        registeredBuffer: UInt16?
    ) {
        file.apply(to: &self)
        address = .address(vectors.baseAddress)
        length = UInt32(clamping: vectors.count)
        self.offset = offset
        operationFlags = UInt32(bitPattern: flags)
        bufferIndex = registeredBuffer ?? 0
    }
}
