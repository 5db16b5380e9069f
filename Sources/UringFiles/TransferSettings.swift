import Uring

/// The high-level file helpers of this package: ``copy(_:to:mode:queueDepth:blockSize:fsync:syncPolicy:bufferSize:progress:)``,
/// ``write(_:megabytes:mode:queueDepth:blockSize:fsync:dsync:syncPolicy:bufferSize:progress:)``,
/// ``writeMany(in:files:megabytesPerFile:mode:queueDepth:blockSize:fsyncEnd:syncPolicy:)``
/// and the native pipelines under them (pyuring's `copy`, `write`, `write_many`,
/// `copy_path`, `copy_path_dynamic`, `write_newfile`, `write_newfile_dynamic`,
/// `write_manyfiles`).
///
/// Every helper runs a read→write (or write-only) pipeline of `queueDepth`
/// chunks through one io_uring ring, resubmits short reads and writes, and
/// throws ``Uring/UringError`` for every failure — a write that stops early
/// reports how many bytes were done and never returns as success. When the
/// kernel refuses io_uring itself (`EPERM`, `ENOSYS`: seccomp or
/// `kernel.io_uring_disabled`), the helpers run the same pipeline with plain
/// `pread`/`pwrite`; ``transferPath`` says which path runs.
public enum UringFiles {
    /// A tuning preset: how ``UringFiles`` adjusts queue depth and block size.
    public enum Mode: String, Sendable, CaseIterable {
        /// Queue depth as given; the block size starts as given and grows adaptively.
        case auto
        /// Conservative: queue depth and block size capped (copy: 16 and 1 MiB; write: 128 and 4 KiB).
        case safe
        /// Aggressive: queue depth and block size raised to a floor (copy: 64 and 1 MiB; write: 256 and 64 KiB).
        case fast
    }

    /// When the destination is synced (pyuring's `sync_policy`).
    public enum SyncPolicy: String, Sendable, CaseIterable {
        /// Follow the `fsync` (and for writes, `dsync`) parameters.
        case `default`
        /// Never sync, whatever the parameters say.
        case none
        /// `fsync` the destination once, after the last write.
        case end
        /// Writes only: `RWF_DSYNC` on every write, no final `fsync`.
        case data
        /// Writes only: `RWF_DSYNC` on every write and a final `fsync`.
        case endAndData

        /// The name pyuring uses (`end_and_data` for ``endAndData``).
        public var pyuringName: String { self == .endAndData ? "end_and_data" : rawValue }
    }

    /// Chooses the size of the chunk at `offset` of `total` bytes; `defaultSize`
    /// is the pipeline's block size. Must return a positive size.
    public typealias BufferSizeProvider = (_ offset: Int, _ total: Int, _ defaultSize: Int) -> Int

    /// Called after each completed destination write with the bytes done so far
    /// and the total; returning `true` cancels the transfer, which then throws
    /// `ECANCELED`.
    public typealias ProgressHandler = (_ done: Int, _ total: Int) -> Bool
}

/// What a pipeline does about syncing, resolved from the policy and the flags.
struct SyncChoice: Equatable {
    /// `fsync` the destination after the last write.
    var atEnd: Bool
    /// `RWF_DSYNC` on every write.
    var perWrite: Bool

    /// A choice made directly.
    init(atEnd: Bool, perWrite: Bool) {
        self.atEnd = atEnd
        self.perWrite = perWrite
    }

    /// Resolves `policy` against the `fsync` and `dsync` parameters.
    /// - Throws: ``Uring/UringError`` `EINVAL` for a write-only policy on a copy.
    init(policy: UringFiles.SyncPolicy, fsync: Bool, dsync: Bool, allowsData: Bool, operation: String) throws {
        switch policy {
        case .default: (atEnd, perWrite) = (fsync, dsync)
        case .none: (atEnd, perWrite) = (false, false)
        case .end: (atEnd, perWrite) = (true, false)
        case .data, .endAndData:
            guard allowsData else {
                throw UringError(
                    errno: .invalidArgument, operation: operation,
                    detail: "sync policy \"\(policy.pyuringName)\" applies to writes; copies take default, none or end")
            }
            (atEnd, perWrite) = (policy == .endAndData, true)
        }
    }
}

/// Queue depth and block size after a ``UringFiles/Mode`` adjusted them.
struct Tuning: Equatable {
    var queueDepth: Int
    var blockSize: Int
    /// Whether the block size grows adaptively (``UringFiles/Mode/auto`` without a callback).
    var adaptive: Bool

    /// The copy presets: safe caps at 16 / 1 MiB, fast raises to 64 / 1 MiB.
    static func copy(_ mode: UringFiles.Mode, queueDepth: Int, blockSize: Int) -> Tuning {
        switch mode {
        case .auto: Tuning(queueDepth: queueDepth, blockSize: blockSize, adaptive: true)
        case .safe: Tuning(queueDepth: min(queueDepth, 16), blockSize: min(blockSize, 1 << 20), adaptive: false)
        case .fast: Tuning(queueDepth: max(queueDepth, 64), blockSize: max(blockSize, 1 << 20), adaptive: false)
        }
    }

    /// The write presets: safe caps at 128 / 4 KiB, fast raises to 256 / 64 KiB.
    static func write(_ mode: UringFiles.Mode, queueDepth: Int, blockSize: Int) -> Tuning {
        switch mode {
        case .auto: Tuning(queueDepth: queueDepth, blockSize: blockSize, adaptive: true)
        case .safe: Tuning(queueDepth: min(queueDepth, 128), blockSize: min(blockSize, 4096), adaptive: false)
        case .fast: Tuning(queueDepth: max(queueDepth, 256), blockSize: max(blockSize, 64 << 10), adaptive: false)
        }
    }
}
