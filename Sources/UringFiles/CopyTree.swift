import Glibc
import SystemPackage
import Uring

extension UringFiles {
    /// How far a ``copyTree(_:to:options:progress:)-(_,_,_,UringFiles.TreeProgressHandler?)`` has come. Totals are known
    /// once the source has been walked, before the first file is copied.
    public struct TreeProgress: Sendable, Equatable {
        /// Files, links and special files copied so far (directories not counted).
        public var filesDone: Int
        /// Files, links and special files in the source.
        public var filesTotal: Int
        /// Bytes of regular files copied so far.
        public var bytesDone: Int
        /// Bytes the source's regular files had when they were walked.
        public var bytesTotal: Int
    }

    /// Called as a tree copy proceeds; returning `true` cancels it: nothing new
    /// starts, what is in flight completes or is removed, and the copy throws `ECANCELED`.
    public typealias TreeProgressHandler = (TreeProgress) -> Bool

    /// One entry of a tree that could not be copied.
    public struct TreeCopyFailure: Sendable, Equatable, Error, CustomStringConvertible {
        /// The source path of the entry.
        public var path: FilePath
        /// Why.
        public var error: UringError

        /// `path: error`.
        public var description: String { "\(path): \(error)" }
    }

    /// What a ``copyTree(_:to:options:progress:)-(_,_,_,UringFiles.TreeProgressHandler?)`` did.
    public struct TreeCopyReport: Sendable, Equatable {
        /// Regular files copied completely.
        public var files = 0
        /// Directories created or merged into.
        public var directories = 0
        /// Symbolic links created.
        public var symlinks = 0
        /// FIFOs, sockets and device nodes created.
        public var specialFiles = 0
        /// Bytes of regular files copied.
        public var bytes = 0
        /// Entries left alone because the destination existed (``CopyOptions/noClobber``).
        public var skipped = 0
        /// Regular files whose blocks were shared rather than copied (a reflink).
        public var reflinked = 0
        /// Entries that could not be copied, in the order they failed. A failed file
        /// leaves no destination file behind; a directory that failed takes its
        /// contents with it, and only the directory is listed.
        public var failures: [TreeCopyFailure] = []
        /// The engine that ran.
        public var path: TransferPath = .ioUring

        /// Whether every entry was copied.
        public var succeeded: Bool { failures.isEmpty }
    }

    /// Copies the directory tree at `source` to `destination`, many files in
    /// flight through one ring.
    ///
    /// The source is walked first (directories listed on the calling thread,
    /// every entry's status read with `statx` through the ring), then its
    /// directories are created (`mkdirat`), then its files are copied with up to
    /// 64 in flight (`openat`, reads and writes, `close`), links recreated
    /// (`symlinkat`) and FIFOs, sockets and device nodes made anew (mknod(2)).
    /// Directories get their modes (and with ``CopyOptions/preserveAttributes``
    /// their times) last, deepest first.
    ///
    /// - Permission bits are always kept, whatever the umask; with
    ///   ``CopyOptions/preserveAttributes`` times too, and ownership where the
    ///   process may change it.
    /// - Symbolic links are copied as links, never followed, the root included.
    /// - `destination` becomes the copy of `source`; when it is an existing
    ///   directory, the source's entries are merged into it.
    /// - Copying a directory into itself is refused.
    /// - An entry that fails (permission denied, vanished, `ENOSPC`) is reported in
    ///   ``TreeCopyReport/failures`` and the rest go on; a regular file that fails
    ///   is removed from the destination, so every file left there is complete.
    /// - Hard links are copied as separate files.
    /// - Parameters:
    ///   - source: the file to copy.
    ///   - destination: where the copy goes; created, or truncated when it exists.
    ///   - options: the `cp` behaviour; `mode` ``Mode/auto`` may reflink files within a
    ///     file system that shares blocks; `queueDepth` × 2 files are in flight (at most 256).
    ///   - progress: called after each file and each chunk; `true` cancels.
    /// - Returns: what was copied and what failed.
    /// - Throws: `UringError` naming `copy_tree` for what stops the whole copy:
    ///   a source that cannot be read, copying into itself (`EINVAL`), a cancel (`ECANCELED`),
    ///   invalid options, or the ring itself. Where the ring cannot register the file
    ///   table a tree copy needs (Linux before 5.19), the copy runs with plain system
    ///   calls and ``TreeCopyReport/path`` says why.
    public static func copyTree(
        _ source: FilePath, to destination: FilePath, options: CopyOptions = CopyOptions(),
        progress: TreeProgressHandler? = nil
    ) throws -> TreeCopyReport {
        let plan = try TransferPlan(
            operation: "copy_tree",
            tuning: Tuning(queueDepth: options.queueDepth, blockSize: min(options.blockSize, TreeLimits.chunk), adaptive: false),
            sync: SyncChoice(atEnd: options.fsync, perWrite: false), generated: false, bufferSize: nil, progress: nil)
        var root = stat()
        guard lstat(source.string, &root) == 0 else {
            throw plan.error(Errno(rawValue: errno), "reading \(source) failed")
        }
        if root.st_mode & S_IFMT == S_IFDIR { try refuseCopyIntoItself(source, root: root, destination, plan: plan) }
        var tree = Tree(source: source, destination: destination)
        tree.record(EntryStatus(root), for: 0)
        let copier = TreeCopier(plan: plan, options: options, progress: progress)
        if case .syscalls(let reason) = transferPath { return try copySyscalls(&tree, copier, reason) }
        var engine: RingTreeEngine
        do {
            engine = try RingTreeEngine(plan: plan, filesInFlight: TreeLimits.filesInFlight(options.queueDepth))
        } catch let error as UringError where error.operation != "io_uring_setup" {
            return try copySyscalls(&tree, copier, error)
        }
        return try copier.run(&tree, on: &engine)
    }

    /// The tree copy with plain system calls, reporting `reason`.
    private static func copySyscalls(_ tree: inout Tree, _ copier: TreeCopier, _ reason: UringError) throws
        -> TreeCopyReport
    {
        var engine = SyscallTreeEngine()
        var report = try copier.run(&tree, on: &engine)
        report.path = .syscalls(reason)
        return report
    }

    /// Throws when `destination` is `source` or lies inside it: walks up from the
    /// nearest existing ancestor of `destination` and compares each directory
    /// with `source` by device and inode, so links and `..` cannot hide it.
    private static func refuseCopyIntoItself(_ source: FilePath, root: stat, _ destination: FilePath, plan: TransferPlan)
        throws
    {
        var path = destination
        var status = stat()
        while stat(path.string, &status) != 0 {
            guard !path.removingLastComponent().isEmpty, path.removingLastComponent() != path else {
                path = FilePath(".")
                break
            }
            path = path.removingLastComponent()
        }
        var current = path.string
        var previous = stat()
        for _ in 0..<4096 {
            guard stat(current, &status) == 0 else { return }
            if status.st_dev == root.st_dev && status.st_ino == root.st_ino {
                throw plan.error(
                    .invalidArgument, "cannot copy a directory, \(source), into itself, \(destination)")
            }
            if status.st_dev == previous.st_dev && status.st_ino == previous.st_ino { return }
            previous = status
            current += "/.."
        }
    }
}

/// The sizes a tree copy works with.
enum TreeLimits {
    /// The most bytes one read or write of a file moves.
    static let chunk = 256 << 10

    /// Files in flight for a queue depth: twice the depth, 2 through 256.
    static func filesInFlight(_ queueDepth: Int) -> Int { min(max(queueDepth * 2, 2), 256) }
}
