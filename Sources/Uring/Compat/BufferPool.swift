import Glibc

/// A fixed set of native buffers addressed by index (pyuring's `BufferPool`),
/// for reads and writes that should not allocate per operation.
///
/// Part of the compatibility layer, for code ported from pyuring. New Swift code
/// uses ``Ring`` for liburing-style control, and `RingExecutor`/`AsyncFile` (UringAsync)
/// for Swift concurrency.
///
/// Each slot has a capacity (the bytes allocated, page-aligned) and a size
/// (the bytes in use, at most the capacity). ``pointer(at:)`` hands out the
/// slot's memory for a submission; ``get(_:)`` copies its contents out.
///
/// **Ownership**: the pool owns the memory. Keep the pool alive and the slot
/// unresized until every operation using a pointer from it has completed:
/// ``resize(_:to:)`` and ``close()`` free memory. After ``close()`` every method
/// throws ``UringError`` with the detail "closed". Not thread-safe.
public final class BufferPool {
    private var slots: [(memory: UnsafeMutableRawPointer, capacity: Int, size: Int)]
    private var isClosed = false

    /// The memory alignment of every slot (a page; enough for `O_DIRECT`).
    public static let alignment = 4096

    /// Allocates `count` slots of `size` bytes each (pyuring's `BufferPool.create`).
    /// - Throws: ``UringError`` `EINVAL` for a count below 1 or a size below 1;
    ///   `ENOMEM` naming the size when the pool would not fit in memory.
    public init(count: Int = 8, size: Int = 4096) throws(UringError) {
        guard count >= 1 else {
            throw UringError(errno: .invalidArgument, operation: "BufferPool.create", detail: "count must be at least 1, not \(count)")
        }
        try Self.checkSize(size, operation: "BufferPool.create")
        _ = try SizeChecks.totalBytes(count: count, size: size, operation: "BufferPool.create", what: "slots")
        slots = []
        slots.reserveCapacity(count)
        // A throw from here on runs deinit, which frees the slots made so far.
        for _ in 0..<count { slots.append((try Self.allocate(size, "BufferPool.create"), size, size)) }
    }

    deinit { release() }

    /// The number of slots.
    public var count: Int { slots.count }

    /// A copy of slot `index`'s contents, `size` bytes (pyuring's `get`).
    /// - Throws: ``UringError`` for a closed pool or an index out of range.
    public func get(_ index: Int) throws(UringError) -> [UInt8] {
        let slot = try checked(index, "BufferPool.get")
        return Array(UnsafeRawBufferPointer(start: slot.memory, count: slot.size))
    }

    /// Slot `index`'s memory, `size` bytes long, for a submission (pyuring's `get_ptr`).
    /// Valid until the slot is resized or the pool closed.
    /// - Throws: ``UringError`` for a closed pool or an index out of range.
    public func pointer(at index: Int) throws(UringError) -> UnsafeMutableRawBufferPointer {
        let slot = try checked(index, "BufferPool.get_ptr")
        return UnsafeMutableRawBufferPointer(start: slot.memory, count: slot.size)
    }

    /// The bytes slot `index` can hold without reallocating.
    /// - Throws: ``UringError`` for a closed pool or an index out of range.
    public func capacity(of index: Int) throws(UringError) -> Int { try checked(index, "BufferPool.capacity").capacity }

    /// Copies `bytes` into slot `index` from its start and makes that its size.
    /// - Throws: ``UringError`` `EINVAL` when `bytes` exceeds the slot's capacity.
    public func set(_ index: Int, to bytes: [UInt8]) throws(UringError) {
        try setSize(index, bytes.count)
        bytes.withUnsafeBytes { slots[index].memory.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    }

    /// Reallocates slot `index` to `newSize` bytes, keeping the bytes that fit
    /// (pyuring's `resize`). Pointers to the slot from before are invalid afterwards.
    /// - Throws: ``UringError`` for a closed pool, an index out of range, or a size below 1;
    ///   `ENOMEM` naming the size when it cannot be allocated.
    public func resize(_ index: Int, to newSize: Int) throws(UringError) {
        let slot = try checked(index, "BufferPool.resize")
        try Self.checkSize(newSize, operation: "BufferPool.resize")
        _ = try SizeChecks.totalBytes(count: 1, size: newSize, operation: "BufferPool.resize", what: "slot")
        let memory = try Self.allocate(newSize, "BufferPool.resize")
        memory.copyMemory(from: slot.memory, byteCount: min(slot.size, newSize))
        free(slot.memory)
        slots[index] = (memory, newSize, newSize)
    }

    /// Sets the size of slot `index` without reallocating (pyuring's `set_size`).
    /// - Throws: ``UringError`` `EINVAL` for a size above the capacity or below 0.
    public func setSize(_ index: Int, _ size: Int) throws(UringError) {
        let slot = try checked(index, "BufferPool.set_size")
        guard size >= 0, size <= slot.capacity else {
            throw UringError(
                errno: .invalidArgument, operation: "BufferPool.set_size",
                detail: "size \(size) is outside 0...\(slot.capacity), the capacity of slot \(index)")
        }
        slots[index].size = size
    }

    /// Frees every slot; later calls throw. Calling it again does nothing.
    public func close() {
        release()
    }

    private func release() {
        guard !isClosed else { return }
        isClosed = true
        for slot in slots { free(slot.memory) }
        slots = []
    }

    private func checked(_ index: Int, _ operation: String) throws(UringError) -> (
        memory: UnsafeMutableRawPointer, capacity: Int, size: Int
    ) {
        guard !isClosed else { throw UringError(errno: .badFileDescriptor, operation: operation, detail: "closed") }
        guard slots.indices.contains(index) else {
            throw UringError(
                errno: .invalidArgument, operation: operation,
                detail: "index \(index) is outside the pool's 0..<\(slots.count)")
        }
        return slots[index]
    }

    private static func checkSize(_ size: Int, operation: String) throws(UringError) {
        guard size >= 1 else {
            throw UringError(errno: .invalidArgument, operation: operation, detail: "a slot needs at least 1 byte, not \(size)")
        }
    }

    /// Page-aligned, zeroed memory from posix_memalign(3), freed with free(3).
    private static func allocate(_ size: Int, _ operation: String) throws(UringError) -> UnsafeMutableRawPointer {
        var memory: UnsafeMutableRawPointer?
        let result = posix_memalign(&memory, alignment, size)
        guard result == 0, let memory else {
            throw UringError(errno: .init(rawValue: result), operation: operation, detail: "allocating a slot of \(size) bytes failed")
        }
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        return memory
    }
}
