/// The bytes the write helpers generate: byte `i` of a file is `UInt8(i & 0xFF)`.
///
/// One buffer of the pattern serves every chunk of every file: the chunk at
/// offset `o` starts at `start + o % 256`, so the buffer is 256 bytes longer
/// than the largest chunk.
struct GeneratedBytes: ~Copyable {
    /// The first byte of the pattern.
    let start: UnsafeMutableRawPointer

    /// A pattern long enough for chunks of up to `capacity` bytes.
    init(capacity: Int) {
        start = UnsafeMutableRawPointer.allocate(byteCount: capacity + 256, alignment: 4096)
        let bytes = start.assumingMemoryBound(to: UInt8.self)
        for index in 0..<(capacity + 256) { bytes[index] = UInt8(truncatingIfNeeded: index) }
    }

    deinit { start.deallocate() }

    /// The `count` bytes of a file at `offset`.
    func chunk(at offset: Int, count: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: start + offset % 256, count: count)
    }
}
