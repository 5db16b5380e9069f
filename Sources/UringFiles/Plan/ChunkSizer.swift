import Uring

/// The size of each chunk: the callback's answer, the adaptive growth of
/// ``UringFiles/Mode/auto``, or the block size, never above ``capacity``.
struct ChunkSizer {
    /// The block size after the preset.
    let blockSize: Int
    /// The most bytes one chunk may hold: the memory each slot gets.
    let capacity: Int
    private let provider: UringFiles.BufferSizeProvider?
    private let adaptive: Bool
    private let operation: String

    /// How far adaptive growth takes chunks. With fewer than 4 chunks of 1 MiB in
    /// flight each chunk is still in the CPU cache when its write copies it, and a
    /// 1 MiB write costs an io-wq worker a small share of its time in hand-off
    /// (docs/BENCHMARKS.md, "Levers").
    static let largestAdaptiveChunk = 1 << 20

    /// Sizes for `tuning`; `generated` data shares one pattern buffer, so callback
    /// sizes may reach 1 MiB whatever the block size.
    init(tuning: Tuning, generated: Bool, provider: UringFiles.BufferSizeProvider?, operation: String) {
        blockSize = tuning.blockSize
        self.provider = provider
        self.operation = operation
        adaptive = tuning.adaptive && provider == nil
        if provider != nil {
            capacity = max(blockSize, generated ? 1 << 20 : min(4 * blockSize, 16 << 20))
        } else if adaptive {
            capacity = max(blockSize, Self.largestAdaptiveChunk)
        } else {
            capacity = blockSize
        }
    }

    /// The chunk size at `offset` of a transfer of `total` bytes.
    /// - Throws: `UringError` `EINVAL` when the callback returns a size below 1.
    func size(at offset: Int, of total: Int) throws -> Int {
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
        // Doubles each time the bytes done pass 4 chunks of the current size.
        var size = blockSize
        while size < capacity && offset >= 4 * size { size *= 2 }
        return min(size, capacity)
    }
}
