import Glibc
import SystemPackage
import Uring

extension RingExecutor {
    /// `IORING_OP_OPENAT`, like openat(2): opens `path` (Linux 5.6).
    /// - Parameters:
    ///   - path: the file to open.
    ///   - access: read, write or both.
    ///   - options: how to open (create, truncate, append, …); close-on-exec is always added.
    ///   - permissions: the permissions of a created file (before the umask).
    ///   - directory: the directory of a relative path; nil for the working directory.
    /// - Returns: the new descriptor; the caller closes it.
    /// - Throws: `UringError` with the kernel's errno (`ENOENT`, `EACCES`, …) and operation `openat`.
    nonisolated(nonsending) public func open(
        _ path: FilePath, _ access: FileDescriptor.AccessMode = .readOnly, options: FileDescriptor.OpenOptions = [],
        permissions: FilePermissions = .defaultFile, in directory: FileDescriptor? = nil
    ) async throws -> FileDescriptor {
        let names = PinnedPaths(path)
        let flags = access.rawValue | options.union(.closeOnExec).rawValue
        // SAFETY: the path is a copy in `names`, kept alive until the final completion.
        let fd = try await awaitValue(
            of: OpenAt(names[0], in: directory, flags: flags, mode: permissions.rawValue), keepAlive: names, path: path)
        return FileDescriptor(rawValue: fd)
    }

    /// `IORING_OP_CLOSE`, like close(2) (Linux 5.6).
    /// - Throws: `UringError` `EBADF` for a descriptor that is not open.
    nonisolated(nonsending) public func close(_ file: FileDescriptor) async throws {
        _ = try await awaitValue(of: Close(.descriptor(file)))
    }

    /// `IORING_OP_STATX`, like statx(2): the status of `path` (Linux 5.6).
    /// - Throws: `UringError` with the kernel's errno and operation `statx`.
    nonisolated(nonsending) public func status(
        of path: FilePath, in directory: FileDescriptor? = nil, options: StatusOptions = []
    ) async throws -> FileStatus {
        let names = PinnedPaths(path)
        let status = Pinned(FileStatus())
        // SAFETY: the path copy and the status record are kept alive together (Kept) until the final completion.
        _ = try await awaitValue(
            of: Statx(names[0], in: directory, flags: options.rawValue, into: status.pointer), keepAlive: Kept(names, status),
            path: path.isEmpty ? nil : path)
        return status.pointer.pointee
    }

    /// `IORING_OP_STATX` with `AT_EMPTY_PATH`, like fstat(2): the status of an open file (Linux 5.6).
    /// - Throws: `UringError` `EBADF` for a descriptor that is not open.
    nonisolated(nonsending) public func status(of file: FileDescriptor) async throws -> FileStatus {
        try await status(of: "", in: file, options: .emptyPath)
    }

    /// `IORING_OP_FSYNC`, like fsync(2) or, with `dataOnly`, fdatasync(2) (Linux 5.1).
    /// - Throws: `UringError` with the kernel's errno and operation `fsync`.
    nonisolated(nonsending) public func sync(_ file: FileDescriptor, dataOnly: Bool = false) async throws {
        _ = try await awaitValue(of: Fsync(.descriptor(file), dataOnly: dataOnly))
    }

    /// `IORING_OP_FTRUNCATE`, like ftruncate(2): sets the file's size (Linux 6.9).
    /// - Throws: `UringError` with the kernel's errno and operation `ftruncate`.
    nonisolated(nonsending) public func truncate(_ file: FileDescriptor, to length: UInt64) async throws {
        _ = try await awaitValue(of: Ftruncate(.descriptor(file), length: length))
    }

    /// `IORING_OP_FALLOCATE`, like fallocate(2) (Linux 5.6).
    /// - Throws: `UringError` with the kernel's errno and operation `fallocate`.
    nonisolated(nonsending) public func allocate(
        _ file: FileDescriptor, mode: AllocationMode = [], offset: UInt64 = 0, length: UInt64
    ) async throws {
        _ = try await awaitValue(
            of: Fallocate(.descriptor(file), mode: mode.rawValue, offset: offset, length: length), offset: offset,
            length: Int(clamping: length))
    }
}
