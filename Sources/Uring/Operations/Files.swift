import Glibc
import SystemPackage

/// Opens a file relative to a directory: `IORING_OP_OPENAT`, like openat(2) (Linux 5.6);
/// into a registered-file slot when `slot` is set (Linux 5.15).
///
/// Completes with the new descriptor (or the slot, for ``FixedSlot/anyFree``;
/// 0 for ``FixedSlot/at(_:)``) or a negated errno.
/// **Ownership**: `path` (a NUL-terminated string) stays valid until the completion is consumed.
public struct OpenAt: RingOperation {
    /// `IORING_OP_OPENAT`.
    public var opcode: Opcode { .openat }
    /// The directory a relative `path` starts from; nil for the working directory (`AT_FDCWD`).
    public var directory: FileDescriptor?
    /// The path, NUL-terminated.
    public var path: UnsafePointer<CChar>
    /// `O_*` flags.
    public var flags: Int32
    /// The permission bits for a created file.
    public var mode: mode_t
    /// Install the file in this registered slot instead of the descriptor table.
    public var slot: FixedSlot?

    /// An open of `path` with `flags` (and `mode` when creating).
    @unsafe @inlinable
    public init(
        _ path: UnsafePointer<CChar>, in directory: FileDescriptor? = nil, flags: Int32, mode: mode_t = 0o644,
        slot: FixedSlot? = nil
    ) {
        self.directory = directory
        self.path = path
        self.flags = flags
        self.mode = mode
        self.slot = slot
    }

    /// Writes the directory fd, path address, mode, `open_flags` and `file_index`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.setPath(path, in: directory)
        entry.length = UInt32(mode)
        entry.operationFlags = UInt32(bitPattern: flags)
        entry.fileIndex = slot?.fileIndexValue ?? 0
    }
}

/// The kernel's `struct open_how` (24 bytes): what openat2(2) takes.
@frozen
public struct OpenHow: Sendable, Equatable {
    /// `flags`: `O_*` flags.
    public var flags: UInt64
    /// `mode`: permission bits for a created file (0 unless creating).
    public var mode: UInt64
    /// `resolve`: `RESOLVE_*` bits restricting path resolution.
    public var resolve: UInt64

    /// `RESOLVE_NO_XDEV`: stay on the starting mount.
    public static let resolveNoCrossDevice: UInt64 = 0x01
    /// `RESOLVE_NO_MAGICLINKS`: refuse /proc-style magic links.
    public static let resolveNoMagicLinks: UInt64 = 0x02
    /// `RESOLVE_NO_SYMLINKS`: refuse every symbolic link.
    public static let resolveNoSymlinks: UInt64 = 0x04
    /// `RESOLVE_BENEATH`: refuse to leave the starting directory.
    public static let resolveBeneath: UInt64 = 0x08
    /// `RESOLVE_IN_ROOT`: treat the starting directory as the root.
    public static let resolveInRoot: UInt64 = 0x10
    /// `RESOLVE_CACHED`: only succeed from the dentry cache.
    public static let resolveCached: UInt64 = 0x20

    /// An `open_how` from its parts.
    @inlinable
    public init(flags: Int32, mode: mode_t = 0, resolve: UInt64 = 0) {
        self.flags = UInt64(UInt32(bitPattern: flags))
        self.mode = UInt64(mode)
        self.resolve = resolve
    }
}

/// Opens a file with extended controls: `IORING_OP_OPENAT2`, like openat2(2) (Linux 5.6);
/// into a registered-file slot when `slot` is set (Linux 5.15).
///
/// **Ownership**: `path` and `how` stay valid until the completion is consumed.
public struct OpenAt2: RingOperation {
    /// `IORING_OP_OPENAT2`.
    public var opcode: Opcode { .openat2 }
    /// The directory a relative `path` starts from; nil for `AT_FDCWD`.
    public var directory: FileDescriptor?
    /// The path, NUL-terminated.
    public var path: UnsafePointer<CChar>
    /// Flags, mode and resolution rules.
    public var how: UnsafePointer<OpenHow>
    /// Install the file in this registered slot instead of the descriptor table.
    public var slot: FixedSlot?

    /// An open of `path` as `how` says.
    @unsafe @inlinable
    public init(
        _ path: UnsafePointer<CChar>, in directory: FileDescriptor? = nil, how: UnsafePointer<OpenHow>,
        slot: FixedSlot? = nil
    ) {
        self.directory = directory
        self.path = path
        self.how = how
        self.slot = slot
    }

    /// Writes the directory fd, path, `sizeof(open_how)`, the `open_how` address and `file_index`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.setPath(path, in: directory)
        entry.length = UInt32(MemoryLayout<OpenHow>.size)
        entry.offset = .address(how)
        entry.fileIndex = slot?.fileIndexValue ?? 0
    }
}

/// Closes a descriptor or frees a fixed-file slot: `IORING_OP_CLOSE`, like close(2)
/// (Linux 5.6; fixed slots Linux 5.15).
public struct Close: RingOperation {
    /// `IORING_OP_CLOSE`.
    public var opcode: Opcode { .close }
    /// What to close.
    public var file: FileTarget

    /// A close of `file`.
    @inlinable
    public init(_ file: FileTarget) { self.file = file }

    /// Writes `fd`, or for a fixed slot `file_index` (slot plus one).
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        switch file {
        case .descriptor(let fd): entry.fd = fd.rawValue
        case .fixed(let index): entry.fileIndex = index &+ 1
        }
    }
}

/// Flushes a file to storage: `IORING_OP_FSYNC`, like fsync(2) or fdatasync(2) (Linux 5.1).
public struct Fsync: RingOperation {
    /// `IORING_OP_FSYNC`.
    public var opcode: Opcode { .fsync }
    /// `IORING_FSYNC_DATASYNC`: flush data and only the metadata needed to read it.
    public static let dataOnly: UInt32 = 1 << 0
    /// The file to flush.
    public var file: FileTarget
    /// `IORING_FSYNC_*` flags: 0 or ``dataOnly``.
    public var flags: UInt32

    /// A flush of `file`; `dataOnly` makes it fdatasync(2).
    @inlinable
    public init(_ file: FileTarget, dataOnly: Bool = false) {
        self.file = file
        self.flags = dataOnly ? Fsync.dataOnly : 0
    }

    /// Writes the file and `fsync_flags`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        file.apply(to: &entry)
        entry.operationFlags = flags
    }
}

/// Starts or waits for write-back of a byte range: `IORING_OP_SYNC_FILE_RANGE`,
/// like sync_file_range(2) (Linux 5.2).
public struct SyncFileRange: RingOperation {
    /// `IORING_OP_SYNC_FILE_RANGE`.
    public var opcode: Opcode { .syncFileRange }
    /// `SYNC_FILE_RANGE_WAIT_BEFORE`.
    public static let waitBefore: UInt32 = 1
    /// `SYNC_FILE_RANGE_WRITE`.
    public static let write: UInt32 = 2
    /// `SYNC_FILE_RANGE_WAIT_AFTER`.
    public static let waitAfter: UInt32 = 4
    /// The file.
    public var file: FileTarget
    /// The first byte of the range.
    public var offset: UInt64
    /// The range's length; 0 means to the end of the file.
    public var length: UInt32
    /// `SYNC_FILE_RANGE_*` flags.
    public var flags: UInt32

    /// A sync of `length` bytes at `offset`.
    @inlinable
    public init(_ file: FileTarget, offset: UInt64 = 0, length: UInt32 = 0, flags: UInt32 = SyncFileRange.write) {
        self.file = file
        self.offset = offset
        self.length = length
        self.flags = flags
    }

    /// Writes the file, length, offset and `sync_range_flags`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        file.apply(to: &entry)
        entry.length = length
        entry.offset = offset
        entry.operationFlags = flags
    }
}

/// Allocates or frees file space: `IORING_OP_FALLOCATE`, like fallocate(2) (Linux 5.6).
public struct Fallocate: RingOperation {
    /// `IORING_OP_FALLOCATE`.
    public var opcode: Opcode { .fallocate }
    /// `FALLOC_FL_KEEP_SIZE`: do not change the file size.
    public static let keepSize: Int32 = 0x01
    /// `FALLOC_FL_PUNCH_HOLE`: free the range (with ``keepSize``).
    public static let punchHole: Int32 = 0x02
    /// `FALLOC_FL_ZERO_RANGE`: zero the range.
    public static let zeroRange: Int32 = 0x10
    /// The file.
    public var file: FileTarget
    /// `FALLOC_FL_*` mode bits; 0 allocates and may grow the file.
    public var mode: Int32
    /// The first byte.
    public var offset: UInt64
    /// The number of bytes.
    public var length: UInt64

    /// A fallocate(2) of `length` bytes at `offset`.
    @inlinable
    public init(_ file: FileTarget, mode: Int32 = 0, offset: UInt64 = 0, length: UInt64) {
        self.file = file
        self.mode = mode
        self.offset = offset
        self.length = length
    }

    /// Writes the file, mode in `len`, offset, and the length in `addr`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        file.apply(to: &entry)
        entry.length = UInt32(bitPattern: mode)
        entry.offset = offset
        entry.address = length
    }
}

/// Declares an access pattern for file data: `IORING_OP_FADVISE`, like
/// posix_fadvise(2) (Linux 5.6; lengths above 4 GiB Linux 6.7).
public struct Fadvise: RingOperation {
    /// `IORING_OP_FADVISE`.
    public var opcode: Opcode { .fadvise }
    /// The file.
    public var file: FileTarget
    /// The first byte.
    public var offset: UInt64
    /// The number of bytes; 0 means to the end of the file.
    public var length: UInt64
    /// `POSIX_FADV_*` advice.
    public var advice: Int32

    /// Advice for `length` bytes at `offset`.
    @inlinable
    public init(_ file: FileTarget, offset: UInt64 = 0, length: UInt64 = 0, advice: Int32) {
        self.file = file
        self.offset = offset
        self.length = length
        self.advice = advice
    }

    /// Writes the file, offset, the length (in `len`, or `addr` above 32 bits) and `fadvise_advice`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        file.apply(to: &entry)
        entry.offset = offset
        if length <= UInt64(UInt32.max) { entry.length = UInt32(length) } else { entry.address = length }
        entry.operationFlags = UInt32(bitPattern: advice)
    }
}

/// Declares an access pattern for memory: `IORING_OP_MADVISE`, like madvise(2)
/// (Linux 5.6; lengths above 4 GiB Linux 6.7).
///
/// **Ownership**: the range stays mapped until the completion is consumed.
public struct Madvise: RingOperation {
    /// `IORING_OP_MADVISE`.
    public var opcode: Opcode { .madvise }
    /// The page-aligned range.
    public var memory: UnsafeMutableRawBufferPointer
    /// `MADV_*` advice.
    public var advice: Int32

    /// Advice for `memory`.
    @unsafe @inlinable
    public init(_ memory: UnsafeMutableRawBufferPointer, advice: Int32) {
        self.memory = memory
        self.advice = advice
    }

    /// Writes the address, the length (in `len`, or `off` above 32 bits) and `fadvise_advice`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.fd = -1
        entry.address = .address(memory.baseAddress)
        if memory.count <= Int(UInt32.max) { entry.length = UInt32(memory.count) } else { entry.offset = UInt64(memory.count) }
        entry.operationFlags = UInt32(bitPattern: advice)
    }
}

/// Sets a file's size: `IORING_OP_FTRUNCATE`, like ftruncate(2) (Linux 6.9).
public struct Ftruncate: RingOperation {
    /// `IORING_OP_FTRUNCATE`.
    public var opcode: Opcode { .ftruncate }
    /// The file, open for writing.
    public var file: FileTarget
    /// The new size.
    public var length: UInt64

    /// A truncation (or extension) of `file` to `length` bytes.
    @inlinable
    public init(_ file: FileTarget, length: UInt64) {
        self.file = file
        self.length = length
    }

    /// Writes the file and the length in `off`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        file.apply(to: &entry)
        entry.offset = length
    }
}
