import Glibc
import SystemPackage
import Uring

extension RingExecutor {
    /// `IORING_OP_MKDIRAT`, like mkdirat(2) (Linux 5.15).
    /// - Throws: `UringError` `EEXIST` when something has that name.
    nonisolated(nonsending) public func makeDirectory(
        _ path: FilePath, permissions: FilePermissions = .defaultDirectory, in directory: FileDescriptor? = nil
    ) async throws {
        let names = PinnedPaths(path)
        // SAFETY: every path is a copy in `names`, kept alive until the final completion.
        _ = try await awaitValue(of: MkdirAt(names[0], in: directory, mode: permissions.rawValue), keepAlive: names, path: path)
    }

    /// `IORING_OP_RENAMEAT`, like renameat2(2) (Linux 5.11).
    /// - Throws: `UringError` with the kernel's errno and operation `renameat`.
    nonisolated(nonsending) public func rename(_ oldPath: FilePath, to newPath: FilePath, options: RenameOptions = []) async throws {
        let names = PinnedPaths(oldPath, newPath)
        // SAFETY: as above, `names` holds both paths.
        _ = try await awaitValue(of: RenameAt(names[0], to: names[1], flags: options.rawValue), keepAlive: names, path: oldPath)
    }

    /// `IORING_OP_UNLINKAT`, like unlinkat(2): removes a file or, with
    /// `removeDirectory`, an empty directory (Linux 5.11).
    /// - Throws: `UringError` `ENOENT` when nothing has that name.
    nonisolated(nonsending) public func unlink(_ path: FilePath, removeDirectory: Bool = false, in directory: FileDescriptor? = nil)
        async throws
    {
        let names = PinnedPaths(path)
        // SAFETY: as above.
        _ = try await awaitValue(
            of: UnlinkAt(names[0], in: directory, removeDirectory: removeDirectory), keepAlive: names, path: path)
    }

    /// `IORING_OP_LINKAT`, like linkat(2): a hard link `newPath` to `existing` (Linux 5.15).
    /// - Throws: `UringError` with the kernel's errno and operation `linkat`.
    nonisolated(nonsending) public func link(_ existing: FilePath, to newPath: FilePath, followingSymlink: Bool = false) async throws {
        let names = PinnedPaths(existing, newPath)
        // SAFETY: as above, `names` holds both paths.
        _ = try await awaitValue(
            of: LinkAt(names[0], to: names[1], flags: followingSymlink ? Self.symlinkFollowFlag : 0), keepAlive: names, path: existing)
    }

    /// `IORING_OP_SYMLINKAT`, like symlinkat(2): a symbolic link at `linkPath`
    /// that points to `target` (Linux 5.15).
    /// - Throws: `UringError` with the kernel's errno and operation `symlinkat`.
    nonisolated(nonsending) public func symlink(to target: FilePath, at linkPath: FilePath) async throws {
        let names = PinnedPaths(target, linkPath)
        // SAFETY: as above, `names` holds both paths.
        _ = try await awaitValue(of: SymlinkAt(to: names[0], at: names[1]), keepAlive: names, path: linkPath)
    }
}
