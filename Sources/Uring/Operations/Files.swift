import Glibc
import SystemPackage

/// Opens a file relative to a directory: `IORING_OP_OPENAT`, like openat(2) (Linux 5.6).
///
/// Completes with the new descriptor or a negated errno.
/// **Ownership**: `path` (a NUL-terminated string) stays valid until the completion is consumed.
public struct OpenAt: RingOperation {
    /// `IORING_OP_OPENAT`.
    public static var opcode: Opcode { .openat }
    /// The directory a relative `path` starts from; nil for the working directory (`AT_FDCWD`).
    public var directory: FileDescriptor?
    /// The path, NUL-terminated.
    public var path: UnsafePointer<CChar>
    /// `O_*` flags.
    public var flags: Int32
    /// The permission bits for a created file.
    public var mode: mode_t

    /// An open of `path` with `flags` (and `mode` when creating).
    @inlinable
    public init(_ path: UnsafePointer<CChar>, in directory: FileDescriptor? = nil, flags: Int32, mode: mode_t = 0o644) {
        self.directory = directory
        self.path = path
        self.flags = flags
        self.mode = mode
    }

    /// Writes the directory fd, path address, mode and `open_flags`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.fd = directory?.rawValue ?? AT_FDCWD
        entry.address = .address(path)
        entry.length = UInt32(mode)
        entry.operationFlags = UInt32(bitPattern: flags)
    }
}

/// Closes a descriptor or frees a fixed-file slot: `IORING_OP_CLOSE`, like close(2) (Linux 5.6).
public struct Close: RingOperation {
    /// `IORING_OP_CLOSE`.
    public static var opcode: Opcode { .close }
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
    public static var opcode: Opcode { .fsync }
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
