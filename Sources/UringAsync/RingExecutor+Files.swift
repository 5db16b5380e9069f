import Glibc
import SystemPackage
import Uring

extension RingExecutor {
    /// Submits `operation`, awaits it, and returns its non-negative result.
    /// - Throws: ``UringError`` with the kernel's errno and `name` as the operation;
    ///   otherwise as ``submit(_:keepAlive:timeout:)``.
    nonisolated(nonsending) func value<Operation: RingOperation>(
        of operation: Operation, _ name: String, keepAlive: AnyObject? = nil, timeout: Duration? = nil,
        path: FilePath? = nil, offset: UInt64? = nil, length: Int? = nil
    ) async throws -> Int32 {
        do {
            return try await submit(operation, keepAlive: keepAlive, timeout: timeout).value(for: name)
        } catch let error as UringError {
            throw error.filling(path: path, offset: offset, length: length)
        }
    }

    /// `IORING_OP_OPENAT`, like openat(2): opens `path` (Linux 5.6).
    /// - Parameters:
    ///   - flags: `O_*` flags; `O_CLOEXEC` is added.
    ///   - mode: the permissions of a created file.
    ///   - directory: the directory of a relative path; nil for the working directory.
    /// - Returns: the new descriptor; the caller closes it.
    /// - Throws: ``UringError`` with the kernel's errno (`ENOENT`, `EACCES`, …) and operation `openat`.
    nonisolated(nonsending) public func open(
        _ path: FilePath, flags: Int32 = O_RDONLY, mode: mode_t = 0o644, in directory: FileDescriptor? = nil
    ) async throws -> FileDescriptor {
        let names = PinnedPaths(path)
        let fd = try await value(
            of: OpenAt(names[0], in: directory, flags: flags | O_CLOEXEC, mode: mode), "openat", keepAlive: names, path: path)
        return FileDescriptor(rawValue: fd)
    }

    /// `IORING_OP_CLOSE`, like close(2) (Linux 5.6).
    /// - Throws: ``UringError`` `EBADF` for a descriptor that is not open.
    nonisolated(nonsending) public func close(_ file: FileDescriptor) async throws {
        _ = try await value(of: Close(.descriptor(file)), "close")
    }

    /// `IORING_OP_STATX`, like statx(2): the status of `path` (Linux 5.6).
    /// - Throws: ``UringError`` with the kernel's errno and operation `statx`.
    nonisolated(nonsending) public func status(of path: FilePath, in directory: FileDescriptor? = nil, flags: Int32 = 0) async throws -> FileStatus {
        let names = PinnedPaths(path)
        let status = Pinned(FileStatus())
        _ = try await value(
            of: Statx(names[0], in: directory, flags: flags, into: status.pointer), "statx", keepAlive: Kept(names, status), path: path.isEmpty ? nil : path)
        return status.pointer.pointee
    }

    /// `IORING_OP_STATX` with `AT_EMPTY_PATH`, like fstat(2): the status of an open file (Linux 5.6).
    /// - Throws: ``UringError`` `EBADF` for a descriptor that is not open.
    nonisolated(nonsending) public func status(of file: FileDescriptor) async throws -> FileStatus {
        try await status(of: "", in: file, flags: Self.emptyPathFlag)
    }

    /// `AT_EMPTY_PATH` (0x1000): the path is empty and the directory descriptor is the file.
    static let emptyPathFlag: Int32 = 0x1000

    /// `IORING_OP_FSYNC`, like fsync(2) or, with `dataOnly`, fdatasync(2) (Linux 5.1).
    /// - Throws: ``UringError`` with the kernel's errno and operation `fsync`.
    nonisolated(nonsending) public func sync(_ file: FileDescriptor, dataOnly: Bool = false) async throws {
        _ = try await value(of: Fsync(.descriptor(file), dataOnly: dataOnly), "fsync")
    }

    /// `IORING_OP_FTRUNCATE`, like ftruncate(2): sets the file's size (Linux 6.9).
    /// - Throws: ``UringError`` with the kernel's errno and operation `ftruncate`.
    nonisolated(nonsending) public func truncate(_ file: FileDescriptor, to length: UInt64) async throws {
        _ = try await value(of: Ftruncate(.descriptor(file), length: length), "ftruncate")
    }

    /// `IORING_OP_FALLOCATE`, like fallocate(2) (Linux 5.6).
    /// - Throws: ``UringError`` with the kernel's errno and operation `fallocate`.
    nonisolated(nonsending) public func allocate(_ file: FileDescriptor, mode: Int32 = 0, offset: UInt64 = 0, length: UInt64) async throws {
        _ = try await value(of: Fallocate(.descriptor(file), mode: mode, offset: offset, length: length), "fallocate", offset: offset, length: Int(clamping: length))
    }

    /// `IORING_OP_MKDIRAT`, like mkdirat(2) (Linux 5.15).
    /// - Throws: ``UringError`` `EEXIST` when something has that name.
    nonisolated(nonsending) public func makeDirectory(_ path: FilePath, mode: mode_t = 0o755, in directory: FileDescriptor? = nil) async throws {
        let names = PinnedPaths(path)
        _ = try await value(of: MkdirAt(names[0], in: directory, mode: mode), "mkdirat", keepAlive: names, path: path)
    }

    /// `IORING_OP_RENAMEAT`, like renameat2(2) (Linux 5.11).
    /// - Throws: ``UringError`` with the kernel's errno and operation `renameat`.
    nonisolated(nonsending) public func rename(_ oldPath: FilePath, to newPath: FilePath, flags: UInt32 = 0) async throws {
        let names = PinnedPaths(oldPath, newPath)
        _ = try await value(of: RenameAt(names[0], to: names[1], flags: flags), "renameat", keepAlive: names, path: oldPath)
    }

    /// `IORING_OP_UNLINKAT`, like unlinkat(2): removes a file or, with
    /// `removeDirectory`, an empty directory (Linux 5.11).
    /// - Throws: ``UringError`` `ENOENT` when nothing has that name.
    nonisolated(nonsending) public func unlink(_ path: FilePath, removeDirectory: Bool = false, in directory: FileDescriptor? = nil) async throws {
        let names = PinnedPaths(path)
        _ = try await value(
            of: UnlinkAt(names[0], in: directory, removeDirectory: removeDirectory), "unlinkat", keepAlive: names, path: path)
    }

    /// `IORING_OP_LINKAT`, like linkat(2): a hard link `newPath` to `existing` (Linux 5.15).
    /// - Throws: ``UringError`` with the kernel's errno and operation `linkat`.
    nonisolated(nonsending) public func link(_ existing: FilePath, to newPath: FilePath, flags: Int32 = 0) async throws {
        let names = PinnedPaths(existing, newPath)
        _ = try await value(of: LinkAt(names[0], to: names[1], flags: flags), "linkat", keepAlive: names, path: existing)
    }

    /// `IORING_OP_SYMLINKAT`, like symlinkat(2): a symbolic link at `linkPath`
    /// that points to `target` (Linux 5.15).
    /// - Throws: ``UringError`` with the kernel's errno and operation `symlinkat`.
    nonisolated(nonsending) public func symlink(to target: FilePath, at linkPath: FilePath) async throws {
        let names = PinnedPaths(target, linkPath)
        _ = try await value(of: SymlinkAt(to: names[0], at: names[1]), "symlinkat", keepAlive: names, path: linkPath)
    }
}

/// Several owners kept alive together for one operation.
final class Kept: @unchecked Sendable {
    let owners: [AnyObject]
    init(_ owners: AnyObject...) { self.owners = owners }
}
