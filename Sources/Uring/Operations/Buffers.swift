/// Hands the kernel a set of equal buffers for a provided-buffer group:
/// `IORING_OP_PROVIDE_BUFFERS` (Linux 5.7). The older form of
/// ``ProvidedBufferRing``; operations with ``BufferTarget/provided(group:length:)``
/// take buffers from the group.
///
/// Buffer `i` (of `count`) starts at `memory + i * size` and has id `firstID + i`.
/// Completes with 0 or a negated errno.
/// **Ownership**: the memory stays valid until every buffer is consumed or removed.
public struct ProvideBuffers: RingOperation {
    /// `IORING_OP_PROVIDE_BUFFERS`.
    public var opcode: Opcode { .provideBuffers }
    /// The first buffer.
    public var memory: UnsafeMutableRawPointer
    /// Each buffer's size.
    public var size: UInt32
    /// How many buffers.
    public var count: UInt32
    /// The group id.
    public var group: UInt16
    /// The id of the first buffer.
    public var firstID: UInt16

    /// `count` buffers of `size` bytes at `memory` into `group`.
    @unsafe @inlinable
    public init(_ memory: UnsafeMutableRawPointer, size: UInt32, count: UInt32, group: UInt16, firstID: UInt16 = 0) {
        self.memory = memory
        self.size = size
        self.count = count
        self.group = group
        self.firstID = firstID
    }

    /// Writes the count in `fd`, address, size in `len`, first id in `off` and `buf_group`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.fd = Int32(bitPattern: count)
        entry.address = .address(memory)
        entry.length = size
        entry.offset = UInt64(firstID)
        entry.bufferIndex = group
    }
}

/// Takes unused buffers back from a provided-buffer group: `IORING_OP_REMOVE_BUFFERS` (Linux 5.7).
///
/// Completes with the number removed, or `-ENOENT` for an unknown group.
public struct RemoveBuffers: RingOperation {
    /// `IORING_OP_REMOVE_BUFFERS`.
    public var opcode: Opcode { .removeBuffers }
    /// The most buffers to remove.
    public var count: UInt32
    /// The group id.
    public var group: UInt16

    /// A removal of up to `count` buffers from `group`.
    @inlinable
    public init(count: UInt32, group: UInt16) {
        self.count = count
        self.group = group
    }

    /// Writes the count in `fd` and `buf_group`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.fd = Int32(bitPattern: count)
        entry.bufferIndex = group
    }
}
