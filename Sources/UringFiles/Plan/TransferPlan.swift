import SystemPackage
import Uring

/// Everything one helper call decided before any file is touched: its name,
/// the chunk sizes, how many chunks may be in flight, syncing and the
/// callbacks. Built and validated once per call; the engines only read it.
struct TransferPlan {
    /// The helper's pyuring name (`copy`, `write_many`, …): the `operation` of every error.
    let operation: String
    /// The size of each chunk.
    let chunks: ChunkSizer
    /// Chunks in flight at most (the queue depth after the preset).
    let queueDepth: Int
    /// When and how the destination is synced.
    let sync: SyncChoice
    /// Called after each chunk is fully written; `true` cancels.
    let progress: UringFiles.ProgressHandler?

    /// The largest queue depth a helper accepts.
    static let largestQueueDepth = 4096
    /// The largest block size a helper accepts.
    static let largestBlockSize = 1 << 30

    /// A plan, or the error that says which number is out of range.
    /// - Throws: `UringError` `EINVAL` for a queue depth outside 1...4096 or a block
    ///   size outside 1 byte...1 GiB.
    init(
        operation: String, tuning: Tuning, sync: SyncChoice, generated: Bool,
        bufferSize: UringFiles.BufferSizeProvider?, progress: UringFiles.ProgressHandler?
    ) throws {
        guard (1...Self.largestQueueDepth).contains(tuning.queueDepth) else {
            throw UringError(
                errno: .invalidArgument, operation: operation,
                detail: "queue depth must be 1 through \(Self.largestQueueDepth), not \(tuning.queueDepth)")
        }
        guard (1...Self.largestBlockSize).contains(tuning.blockSize) else {
            throw UringError(
                errno: .invalidArgument, operation: operation,
                detail: "block size must be 1 byte through 1 GiB, not \(tuning.blockSize)")
        }
        self.operation = operation
        self.queueDepth = tuning.queueDepth
        self.sync = sync
        self.progress = progress
        chunks = ChunkSizer(tuning: tuning, generated: generated, provider: bufferSize, operation: operation)
    }

    /// An error of this helper.
    func error(_ errno: Errno, _ detail: String) -> UringError {
        UringError(errno: errno, operation: operation, detail: detail)
    }

    /// An error of this helper from a negated errno (a completion's result).
    func error(negated result: Int32, _ detail: String) -> UringError {
        UringError(negatedErrno: result, operation: operation, detail: detail)
    }

    /// The error of a transfer its progress callback cancelled.
    func cancelled(done: Int, total: Int) -> UringError {
        error(.canceled, "cancelled by the progress callback after \(done) of \(total) bytes")
    }

    /// The error of a source that ended before the size it had when the copy started.
    func sourceShrank(at offset: Int, expected: Int) -> UringError {
        error(
            .ioError,
            "the source ended at \(offset) bytes, before the \(expected) bytes it had when the copy started: "
                + "it shrank during the copy")
    }

    /// Calls the progress callback; the cancellation error when it asks to stop.
    func report(done: Int, total: Int) -> UringError? {
        guard let progress, progress(done, max(total, done)) else { return nil }
        return cancelled(done: done, total: max(total, done))
    }
}

/// What a pipeline does about syncing, resolved from the policy and the flags.
struct SyncChoice: Equatable {
    /// `fsync` the destination after the last write.
    var atEnd: Bool
    /// `RWF_DSYNC` on every write.
    var perWrite: Bool

    /// `RWF_DSYNC`: the write is durable (data and the metadata to read it) when it completes.
    static let dataSyncWriteFlag: Int32 = 0x2

    /// The `RWF_*` flags of every write.
    var writeFlags: Int32 { perWrite ? Self.dataSyncWriteFlag : 0 }

    /// A choice made directly.
    init(atEnd: Bool, perWrite: Bool) {
        self.atEnd = atEnd
        self.perWrite = perWrite
    }

    /// Resolves `policy` against the `fsync` and `dsync` parameters.
    /// - Throws: `UringError` `EINVAL` for a write-only policy on a copy.
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
    /// Whether the block size grows adaptively (``UringFiles/Mode/auto`` without a size callback).
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
