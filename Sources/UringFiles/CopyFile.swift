import Glibc
import SystemPackage
import Uring

extension UringFiles {
    /// How ``copyFile(_:to:options:progress:)-(_,_,_,UringFiles.ProgressHandler?)`` and ``copyTree(_:to:options:progress:)-(_,_,_,UringFiles.TreeProgressHandler?)`` copy.
    public struct CopyOptions: Sendable, Equatable {
        /// The tuning preset; ``Mode/auto`` may reflink within one file system.
        public var mode: Mode
        /// Chunks in flight before the preset adjusts it, 1 through 4096.
        public var queueDepth: Int
        /// The chunk size before the preset adjusts it, 1 byte through 1 GiB.
        public var blockSize: Int
        /// `fsync` each destination file after its last write.
        public var fsync: Bool
        /// Leave destination files that exist alone (`cp -n`).
        public var noClobber: Bool
        /// Give each destination its source's access and modification times and,
        /// where the process may, its owner and group (`cp -p`). Permission bits are
        /// always kept.
        public var preserveAttributes: Bool

        /// Options from their parts; the defaults are `uring cp`'s.
        public init(
            mode: Mode = .auto, queueDepth: Int = 32, blockSize: Int = 1 << 20, fsync: Bool = false,
            noClobber: Bool = false, preserveAttributes: Bool = false
        ) {
            self.mode = mode
            self.queueDepth = queueDepth
            self.blockSize = blockSize
            self.fsync = fsync
            self.noClobber = noClobber
            self.preserveAttributes = preserveAttributes
        }
    }

    /// What one ``copyFile(_:to:options:progress:)-(_,_,_,UringFiles.ProgressHandler?)`` did.
    public struct CopyReport: Sendable, Equatable {
        /// The bytes the destination received (for a reflink, the bytes it now shares).
        public var bytes: Int
        /// What moved them.
        public var path: TransferPath
        /// Whether the destination existed and was left alone (``CopyOptions/noClobber``).
        public var skipped: Bool
    }

    /// Copies the file at `source` to `destination` and says what ran.
    ///
    /// The destination is created or truncated and gets the source's permission
    /// bits exactly. The source is read to its end: a file that grows during the
    /// copy is copied to the end it has when read, and pipes, character devices and
    /// procfs or sysfs files (whose size says nothing) are copied whole. A source
    /// that shrinks during the copy makes it throw. With ``Mode/auto``, a copy
    /// within one file system that can share blocks (btrfs, XFS) is a reflink.
    /// Opening a FIFO waits for a writer, as open(2) does.
    /// - Parameters:
    ///   - source: the file to copy.
    ///   - destination: where the copy goes; created, or truncated when it exists.
    ///   - options: the preset, sizes and `cp` behaviour.
    ///   - progress: (done, total) after each chunk; `true` cancels with `ECANCELED`.
    /// - Returns: the bytes copied and the path they took.
    /// - Throws: `UringError` naming `copy`: opening either file, the same file on
    ///   both sides (`EINVAL`), a directory source (`EISDIR`), any read or write error
    ///   with the bytes done, a source that shrank (`EIO`).
    @discardableResult
    public static func copyFile(
        _ source: FilePath, to destination: FilePath, options: CopyOptions = CopyOptions(),
        progress: ProgressHandler? = nil
    ) throws -> CopyReport {
        let plan = try TransferPlan(
            operation: "copy", tuning: .copy(options.mode, queueDepth: options.queueDepth, blockSize: options.blockSize),
            sync: SyncChoice(atEnd: options.fsync, perWrite: false), generated: false, bufferSize: nil,
            progress: progress)
        return try copy(source, to: destination, plan: plan, options: options)
    }

    /// Copies `source` to `destination` (pyuring's `copy`).
    ///
    /// ``Mode/safe`` caps the queue depth at 16 and the block size at 1 MiB,
    /// ``Mode/fast`` raises them to at least 64 and 1 MiB, ``Mode/auto`` keeps
    /// them, lets the block size grow as the copy proceeds (unless `bufferSize`
    /// decides) and may reflink. Otherwise as ``copyFile(_:to:options:progress:)-(_,_,_,UringFiles.ProgressHandler?)``.
    /// - Parameters:
    ///   - source: the file to copy.
    ///   - destination: where the copy goes; created, or truncated when it exists.
    ///   - mode: the tuning preset.
    ///   - queueDepth: chunks in flight before the preset adjusts it.
    ///   - blockSize: the chunk size before the preset adjusts it.
    ///   - fsync: `fsync` the destination at the end (with ``SyncPolicy/default``).
    ///   - syncPolicy: ``SyncPolicy/default``, ``SyncPolicy/none`` or ``SyncPolicy/end``.
    ///   - bufferSize: (offset, total, default) → the chunk size.
    ///   - progress: (done, total) after each chunk; `true` cancels with `ECANCELED`.
    /// - Returns: the bytes copied.
    /// - Throws: `UringError` naming `copy`.
    @discardableResult
    public static func copy(
        _ source: FilePath, to destination: FilePath, mode: Mode = .auto, queueDepth: Int = 32,
        blockSize: Int = 1 << 20, fsync: Bool = false, syncPolicy: SyncPolicy = .default,
        bufferSize: BufferSizeProvider? = nil, progress: ProgressHandler? = nil
    ) throws -> Int {
        let sync = try SyncChoice(policy: syncPolicy, fsync: fsync, dsync: false, allowsData: false, operation: "copy")
        let plan = try TransferPlan(
            operation: "copy", tuning: .copy(mode, queueDepth: queueDepth, blockSize: blockSize), sync: sync,
            generated: false, bufferSize: bufferSize, progress: progress)
        return try copy(source, to: destination, plan: plan, options: CopyOptions(mode: mode)).bytes
    }

    /// The copy every copy helper runs: open both ends, reflink or run the engine, sync, close.
    static func copy(_ source: FilePath, to destination: FilePath, plan: TransferPlan, options: CopyOptions) throws
        -> CopyReport
    {
        let input = try CopySource.open(source, plan: plan)
        defer { try? input.fd.close() }
        guard
            let output = try CopyDestination.create(
                destination, permissions: input.permissions, notSameAs: input, noClobber: options.noClobber, plan: plan)
        else { return CopyReport(bytes: 0, path: transferPath, skipped: true) }
        defer { try? output.fd.close() }
        var report: CopyReport
        if options.mode == .auto, let cloned = Reflink.clone(input, to: output) {
            report = CopyReport(bytes: cloned, path: .reflink, skipped: false)
            _ = plan.report(done: cloned, total: cloned)
            if plan.sync.atEnd { try SyscallCopyEngine.sync(output.fd, plan: plan) }
        } else {
            report = CopyReport(bytes: try run(from: input, to: output, plan: plan), path: transferPath, skipped: false)
        }
        if options.preserveAttributes {
            try FileCalls.preserveAttributes(of: EntryStatus(input.status), on: output.fd, path: destination, plan: plan)
        }
        return report
    }

    /// Moves the bytes with the engine of ``transferPath``.
    private static func run(from input: CopySource, to output: CopyDestination, plan: TransferPlan) throws -> Int {
        switch transferPath {
        case .syscalls:
            return try SyscallCopyEngine(plan: plan).copy(from: input, to: output, plan: plan)
        case .ioUring, .reflink:
            var engine = try RingCopyEngine(plan: plan)
            return try engine.copy(from: input, to: output, plan: plan)
        }
    }
}
