import Glibc
import SystemPackage
import Uring

extension RingExecutor {
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
        let fd = try await awaitValue(
            of: OpenAt(names[0], in: directory, flags: flags | O_CLOEXEC, mode: mode), "openat", keepAlive: names, path: path)
        return FileDescriptor(rawValue: fd)
    }

    /// `IORING_OP_CLOSE`, like close(2) (Linux 5.6).
    /// - Throws: ``UringError`` `EBADF` for a descriptor that is not open.
    nonisolated(nonsending) public func close(_ file: FileDescriptor) async throws {
        _ = try await awaitValue(of: Close(.descriptor(file)), "close")
    }

    /// `IORING_OP_STATX`, like statx(2): the status of `path` (Linux 5.6).
    /// - Throws: ``UringError`` with the kernel's errno and operation `statx`.
    nonisolated(nonsending) public func status(of path: FilePath, in directory: FileDescriptor? = nil, flags: Int32 = 0) async throws -> FileStatus {
        let names = PinnedPaths(path)
        let status = Pinned(FileStatus())
        _ = try await awaitValue(
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
        _ = try await awaitValue(of: Fsync(.descriptor(file), dataOnly: dataOnly), "fsync")
    }

    /// `IORING_OP_FTRUNCATE`, like ftruncate(2): sets the file's size (Linux 6.9).
    /// - Throws: ``UringError`` with the kernel's errno and operation `ftruncate`.
    nonisolated(nonsending) public func truncate(_ file: FileDescriptor, to length: UInt64) async throws {
        _ = try await awaitValue(of: Ftruncate(.descriptor(file), length: length), "ftruncate")
    }

    /// `IORING_OP_FALLOCATE`, like fallocate(2) (Linux 5.6).
    /// - Throws: ``UringError`` with the kernel's errno and operation `fallocate`.
    nonisolated(nonsending) public func allocate(_ file: FileDescriptor, mode: Int32 = 0, offset: UInt64 = 0, length: UInt64) async throws {
        _ = try await awaitValue(of: Fallocate(.descriptor(file), mode: mode, offset: offset, length: length), "fallocate", offset: offset, length: Int(clamping: length))
    }
}
