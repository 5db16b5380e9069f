import Glibc
import SystemPackage

/// Reads a file's status: `IORING_OP_STATX`, like statx(2) (Linux 5.6).
///
/// **Ownership**: `path` and `status` stay valid until the completion is consumed.
public struct Statx: RingOperation {
    /// `IORING_OP_STATX`.
    public var opcode: Opcode { .statx }
    /// The directory a relative path starts from (or the file itself with an
    /// empty path and `AT_EMPTY_PATH`); nil for `AT_FDCWD`.
    public var directory: FileDescriptor?
    /// The path, NUL-terminated.
    public var path: UnsafePointer<CChar>
    /// `AT_*` flags such as `AT_SYMLINK_NOFOLLOW` or `AT_EMPTY_PATH`.
    public var flags: Int32
    /// `STATX_*` bits of the fields wanted.
    public var mask: UInt32
    /// Where the kernel writes the result.
    public var status: UnsafeMutablePointer<FileStatus>

    /// A statx of `path` into `status`.
    @unsafe @inlinable
    public init(
        _ path: UnsafePointer<CChar>, in directory: FileDescriptor? = nil, flags: Int32 = 0,
        mask: UInt32 = FileStatus.basicStats, into status: UnsafeMutablePointer<FileStatus>
    ) {
        self.directory = directory
        self.path = path
        self.flags = flags
        self.mask = mask
        self.status = status
    }

    /// Writes the directory, path, mask in `len`, the result address in `off` and `statx_flags`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.setPath(path, in: directory)
        entry.length = mask
        entry.offset = .address(status)
        entry.operationFlags = UInt32(bitPattern: flags)
    }
}

/// Renames a file: `IORING_OP_RENAMEAT`, like renameat2(2) (Linux 5.11).
///
/// **Ownership**: both paths stay valid until the completion is consumed.
public struct RenameAt: RingOperation {
    /// `IORING_OP_RENAMEAT`.
    public var opcode: Opcode { .renameat }
    /// `RENAME_NOREPLACE`: fail with `EEXIST` rather than replace.
    public static let noReplace: UInt32 = 1 << 0
    /// `RENAME_EXCHANGE`: swap the two paths.
    public static let exchange: UInt32 = 1 << 1
    /// The old path.
    public var oldPath: UnsafePointer<CChar>
    /// The directory of a relative old path; nil for `AT_FDCWD`.
    public var oldDirectory: FileDescriptor?
    /// The new path.
    public var newPath: UnsafePointer<CChar>
    /// The directory of a relative new path; nil for `AT_FDCWD`.
    public var newDirectory: FileDescriptor?
    /// `RENAME_*` flags.
    public var flags: UInt32

    /// A rename of `oldPath` to `newPath`.
    @unsafe @inlinable
    public init(
        _ oldPath: UnsafePointer<CChar>, in oldDirectory: FileDescriptor? = nil, to newPath: UnsafePointer<CChar>,
        in newDirectory: FileDescriptor? = nil, flags: UInt32 = 0
    ) {
        self.oldPath = oldPath
        self.oldDirectory = oldDirectory
        self.newPath = newPath
        self.newDirectory = newDirectory
        self.flags = flags
    }

    /// Writes old directory and path, new directory in `len`, new path in `addr2`, `rename_flags`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.setPathPair(oldPath, in: oldDirectory, newPath, in: newDirectory, flags: flags)
    }
}

/// Removes a file or an empty directory: `IORING_OP_UNLINKAT`, like unlinkat(2) (Linux 5.11).
///
/// **Ownership**: `path` stays valid until the completion is consumed.
public struct UnlinkAt: RingOperation {
    /// `IORING_OP_UNLINKAT`.
    public var opcode: Opcode { .unlinkat }
    /// The path.
    public var path: UnsafePointer<CChar>
    /// The directory of a relative path; nil for `AT_FDCWD`.
    public var directory: FileDescriptor?
    /// `AT_REMOVEDIR` to remove a directory, else 0.
    public var flags: Int32

    /// An unlink of `path`; `directory: true` removes a directory (`AT_REMOVEDIR`).
    @unsafe @inlinable
    public init(_ path: UnsafePointer<CChar>, in directory: FileDescriptor? = nil, removeDirectory: Bool = false) {
        self.path = path
        self.directory = directory
        self.flags = removeDirectory ? AT_REMOVEDIR : 0
    }

    /// Writes the directory, path and `unlink_flags`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.setPath(path, in: directory)
        entry.operationFlags = UInt32(bitPattern: flags)
    }
}

/// Creates a directory: `IORING_OP_MKDIRAT`, like mkdirat(2) (Linux 5.15).
///
/// **Ownership**: `path` stays valid until the completion is consumed.
public struct MkdirAt: RingOperation {
    /// `IORING_OP_MKDIRAT`.
    public var opcode: Opcode { .mkdirat }
    /// The path.
    public var path: UnsafePointer<CChar>
    /// The directory of a relative path; nil for `AT_FDCWD`.
    public var directory: FileDescriptor?
    /// The permission bits (before the umask).
    public var mode: mode_t

    /// A mkdir of `path` with `mode`.
    @unsafe @inlinable
    public init(_ path: UnsafePointer<CChar>, in directory: FileDescriptor? = nil, mode: mode_t = 0o755) {
        self.path = path
        self.directory = directory
        self.mode = mode
    }

    /// Writes the directory, path and mode in `len`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.setPath(path, in: directory)
        entry.length = UInt32(mode)
    }
}

/// Creates a symbolic link: `IORING_OP_SYMLINKAT`, like symlinkat(2) (Linux 5.15).
///
/// **Ownership**: both strings stay valid until the completion is consumed.
public struct SymlinkAt: RingOperation {
    /// `IORING_OP_SYMLINKAT`.
    public var opcode: Opcode { .symlinkat }
    /// What the link points to (not resolved now).
    public var target: UnsafePointer<CChar>
    /// The link to create.
    public var linkPath: UnsafePointer<CChar>
    /// The directory of a relative link path; nil for `AT_FDCWD`.
    public var directory: FileDescriptor?

    /// A symlink at `linkPath` pointing to `target`.
    @unsafe @inlinable
    public init(to target: UnsafePointer<CChar>, at linkPath: UnsafePointer<CChar>, in directory: FileDescriptor? = nil) {
        self.target = target
        self.linkPath = linkPath
        self.directory = directory
    }

    /// Writes the directory, target in `addr` and link path in `addr2`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.setPath(target, in: directory)
        entry.offset = .address(linkPath)
    }
}

/// Creates a hard link: `IORING_OP_LINKAT`, like linkat(2) (Linux 5.15).
///
/// **Ownership**: both paths stay valid until the completion is consumed.
public struct LinkAt: RingOperation {
    /// `IORING_OP_LINKAT`.
    public var opcode: Opcode { .linkat }
    /// The existing file.
    public var oldPath: UnsafePointer<CChar>
    /// The directory of a relative old path; nil for `AT_FDCWD`.
    public var oldDirectory: FileDescriptor?
    /// The new name.
    public var newPath: UnsafePointer<CChar>
    /// The directory of a relative new path; nil for `AT_FDCWD`.
    public var newDirectory: FileDescriptor?
    /// `AT_SYMLINK_FOLLOW` or `AT_EMPTY_PATH`, else 0.
    public var flags: Int32

    /// A hard link `newPath` to `oldPath`.
    @unsafe @inlinable
    public init(
        _ oldPath: UnsafePointer<CChar>, in oldDirectory: FileDescriptor? = nil, to newPath: UnsafePointer<CChar>,
        in newDirectory: FileDescriptor? = nil, flags: Int32 = 0
    ) {
        self.oldPath = oldPath
        self.oldDirectory = oldDirectory
        self.newPath = newPath
        self.newDirectory = newDirectory
        self.flags = flags
    }

    /// Writes old directory and path, new directory in `len`, new path in `addr2`, `hardlink_flags`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.setPathPair(oldPath, in: oldDirectory, newPath, in: newDirectory, flags: UInt32(bitPattern: flags))
    }
}

extension SubmissionQueueEntry {
    /// The fields every path operation shares: the directory a relative path
    /// starts from in `fd` (`AT_FDCWD` for nil) and the path in `addr`.
    @inlinable
    mutating func setPath(_ path: UnsafePointer<CChar>, in directory: FileDescriptor?) {
        fd = directory?.rawValue ?? AT_FDCWD
        address = .address(path)
    }

    /// The layout renameat and linkat share: old directory in `fd`, old path in
    /// `addr`, new directory in `len`, new path in `addr2`, flags.
    @inlinable
    mutating func setPathPair(
        _ oldPath: UnsafePointer<CChar>, in oldDirectory: FileDescriptor?, _ newPath: UnsafePointer<CChar>,
        in newDirectory: FileDescriptor?, flags: UInt32
    ) {
        setPath(oldPath, in: oldDirectory)
        length = UInt32(bitPattern: newDirectory?.rawValue ?? AT_FDCWD)
        offset = .address(newPath)
        operationFlags = flags
    }
}
