import Uring

extension UringFiles {
    /// Which engine the helpers use in this process.
    public enum TransferPath: Sendable, Equatable, CustomStringConvertible {
        /// io_uring: chunks pipelined through one ring.
        case ioUring
        /// Plain `pread`/`pwrite`, because setting up a ring failed with the error given
        /// (`EPERM` or `ENOSYS`: seccomp, `kernel.io_uring_disabled`).
        case syscalls(UringError)

        /// `io_uring`, or `syscalls (…why…)`.
        public var description: String {
            switch self {
            case .ioUring: "io_uring"
            case .syscalls(let error): "plain syscalls (io_uring unavailable: \(error))"
            }
        }
    }

    /// The engine the helpers use, decided once per process by setting up a
    /// small ring: io_uring unless the kernel refuses it with `EPERM`, `ENOSYS`
    /// or `EACCES`; other setup failures are thrown by the helpers themselves.
    public static var transferPath: TransferPath { decidedPath }

    private static let decidedPath: TransferPath = {
        do {
            _ = try Ring(entries: 2, options: .plain)
            return .ioUring
        } catch let error as UringError where [.notPermitted, .noFunction, .permissionDenied].contains(error.errno) {
            return .syscalls(error)
        } catch {
            return .ioUring
        }
    }()
}

/// One transfer written once against any ``TransferBackend``.
protocol TransferJob {
    /// Whether the data is generated rather than read from a file.
    var generated: Bool { get }
    /// Runs the transfer on `backend`.
    func perform<Backend: TransferBackend & ~Copyable>(on backend: inout Backend) throws -> Int
}

extension TransferJob {
    /// Runs the job on the engine ``UringFiles/transferPath`` names, set up for `destination`.
    func execute(queueDepth: Int, slotCapacity: Int, destination: DestinationProfile, operation: String) throws -> Int {
        switch UringFiles.transferPath {
        case .ioUring:
            var backend = try ChunkPipeline(
                queueDepth: queueDepth, slotCapacity: slotCapacity, generated: generated,
                destination: destination, operation: operation)
            return try perform(on: &backend)
        case .syscalls:
            var backend = try SyscallPipeline(slotCapacity: slotCapacity, generated: generated, operation: operation)
            return try perform(on: &backend)
        }
    }
}

/// The size of each chunk: the callback's answer, the adaptive growth of
/// ``UringFiles/Mode/auto``, or the block size — never above the slot capacity.
struct ChunkSizer {
    let blockSize: Int
    let capacity: Int
    let total: Int
    let provider: UringFiles.BufferSizeProvider?
    let adaptive: Bool
    /// The largest chunk adaptive growth reaches (cut to the capacity).
    let adaptiveLimit: Int
    let operation: String

    /// How far adaptive growth takes chunks of generated data. Every such chunk is
    /// copied by the kernel from the one shared pattern buffer; at 64 KiB that
    /// buffer stays in the core's cache, and 1 GiB writes ran 1.8× (ext4) and
    /// 1.9× (tmpfs) faster than with 1 MiB chunks (docs/BENCHMARKS.md).
    static let largestGeneratedAdaptiveChunk = 64 << 10

    /// The slot capacity: for callback sizes, room for 4× the block size (at most
    /// 16 MiB; 1 MiB of generated data, which shares one buffer); for adaptive
    /// growth, up to `adaptiveLimit` (generated data: ``largestGeneratedAdaptiveChunk``);
    /// otherwise the block size.
    static func capacity(blockSize: Int, callback: Bool, adaptive: Bool, generated: Bool, adaptiveLimit: Int) -> Int {
        if callback { return max(blockSize, generated ? 1 << 20 : min(4 * blockSize, 16 << 20)) }
        if adaptive {
            return max(blockSize, min(generated ? largestGeneratedAdaptiveChunk : 4 * blockSize, adaptiveLimit))
        }
        return blockSize
    }

    /// The chunk size at `offset`.
    /// - Throws: ``UringError`` `EINVAL` when the callback returns a size below 1.
    func size(at offset: Int) throws -> Int {
        if let provider {
            let asked = provider(offset, total, blockSize)
            guard asked > 0 else {
                throw UringError(
                    errno: .invalidArgument, operation: operation,
                    detail: "the buffer size callback returned \(asked) at offset \(offset); sizes must be positive")
            }
            return min(asked, capacity)
        }
        guard adaptive else { return blockSize }
        // Doubles each time the bytes done pass 16 chunks of the current size.
        var size = blockSize
        let limit = max(blockSize, min(adaptiveLimit, capacity))
        while size < limit && offset >= 16 * size { size *= 2 }
        return min(size, limit)
    }
}
