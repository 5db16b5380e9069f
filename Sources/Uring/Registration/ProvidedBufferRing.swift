import Glibc
import Synchronization

/// A ring of buffers the kernel picks from when an operation selects a buffer
/// from its group: the memory behind `IORING_REGISTER_PBUF_RING` (Linux 5.19).
///
/// Created by ``Ring/registerBufferRing(group:entries:bufferSize:incremental:)``,
/// which keeps it alive while it is registered. Every buffer starts in the ring.
/// A completion that used one reports its id (``Completion/bufferID``); read the
/// bytes with ``data(for:)`` and give the buffer back with ``recycle(_:)``. When
/// the ring is empty, operations fail with `ENOBUFS`.
///
/// With incremental consumption (`IOU_PBUF_RING_INC`, Linux 6.12) one buffer
/// serves several completions: while ``CompletionFlags/bufferMore`` is set the kernel
/// keeps the buffer and ``data(for:)`` returns each part in order; recycle it only
/// after a completion without that flag.
///
/// **Ownership**: this object owns the ring memory and the buffers; both are
/// unmapped when the last reference goes, which the ring prevents while registered.
/// Not thread-safe: use it from the ring's thread.
public final class ProvidedBufferRing {
    /// The group id operations name.
    public let group: UInt16
    /// The number of buffers (a power of two).
    public let entries: UInt32
    /// Each buffer's size.
    public let bufferSize: Int
    /// Whether buffers are consumed a part at a time.
    public let incremental: Bool

    let ringMemory: UnsafeMutableRawPointer
    private let ringBytes: Int
    private let bufferMemory: UnsafeMutableRawPointer
    private let bufferBytes: Int
    private var localTail: UInt16 = 0
    private var consumed: [Int]

    /// The largest ring the kernel accepts (`2^15` entries).
    public static let maximumEntries: UInt32 = 32768

    init(group: UInt16, entries: UInt32, bufferSize: Int, incremental: Bool) throws(UringError) {
        let operation = RegisterOpcode.registerProvidedBufferRing.operationName
        guard entries > 0, entries <= ProvidedBufferRing.maximumEntries, entries & (entries - 1) == 0 else {
            throw UringError(
                errno: .invalidArgument, operation: operation,
                detail: "a buffer ring needs a power-of-two number of entries from 1 to 32768, not \(entries)")
        }
        guard bufferSize > 0, bufferSize <= Int(UInt32.max) else {
            throw UringError(
                errno: .invalidArgument, operation: operation,
                detail: "buffer size \(bufferSize) must be between 1 and 4 GiB")
        }
        self.group = group
        self.entries = entries
        self.bufferSize = bufferSize
        self.incremental = incremental
        self.ringBytes = Int(entries) * MemoryLayout<ProvidedBuffer>.size
        self.bufferBytes = Int(entries) * bufferSize
        self.ringMemory = try AnonymousMemory.map(ringBytes, populate: false, purpose: "provided-buffer ring entries")
        do {
            self.bufferMemory = try AnonymousMemory.map(bufferBytes, populate: false, purpose: "provided buffers")
        } catch {
            munmap(ringMemory, ringBytes)
            throw error
        }
        self.consumed = incremental ? Array(repeating: 0, count: Int(entries)) : []
        for id in 0..<entries { add(UInt16(id)) }
        advance()
    }

    deinit {
        munmap(ringMemory, ringBytes)
        munmap(bufferMemory, bufferBytes)
    }

    /// Buffer `id`'s memory.
    public func buffer(_ id: UInt16) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: bufferMemory + Int(id) * bufferSize, count: bufferSize)
    }

    /// The bytes a completion received into its buffer, or nil when it used none
    /// (an error, or no ``CompletionFlags/buffer`` flag).
    ///
    /// For an incremental ring, each call returns the next part of the buffer.
    public func data(for completion: Completion) -> UnsafeRawBufferPointer? {
        guard let id = completion.bufferID, completion.result >= 0 else { return nil }
        let length = Int(completion.result)
        var start = 0
        if incremental {
            start = consumed[Int(id)]
            consumed[Int(id)] = completion.flags.contains(.bufferMore) ? start + length : 0
        }
        return UnsafeRawBufferPointer(start: bufferMemory + Int(id) * bufferSize + start, count: length)
    }

    /// Puts buffer `id` back at the tail and publishes it (`io_uring_buf_ring_add`
    /// then `io_uring_buf_ring_advance`).
    public func recycle(_ id: UInt16) {
        add(id)
        advance()
    }

    /// Writes buffer `id` into the next ring slot without publishing it; call
    /// ``advance()`` once after a batch (`io_uring_buf_ring_add`).
    public func add(_ id: UInt16) {
        let slots = ringMemory.assumingMemoryBound(to: ProvidedBuffer.self)
        let slot = slots + Int(UInt32(localTail) & (entries - 1))
        slot.pointee.address = .address(bufferMemory + Int(id) * bufferSize)
        slot.pointee.length = UInt32(bufferSize)
        slot.pointee.id = id
        if incremental { consumed[Int(id)] = 0 }
        localTail &+= 1
    }

    /// Publishes every buffer added since the last advance with one release store
    /// of the tail (`io_uring_buf_ring_advance`).
    public func advance() {
        let tail = UnsafeMutableRawPointer(ringMemory + 14).assumingMemoryBound(to: Atomic<UInt16>.self)
        tail.pointee.store(localTail, ordering: .releasing)
    }

    /// The tail as this side last wrote it.
    public var tail: UInt16 { localTail }
}

extension Ring {
    /// Sets up a provided-buffer ring of `entries` buffers of `bufferSize` bytes
    /// for `group` and registers it: `IORING_REGISTER_PBUF_RING` (Linux 5.19).
    ///
    /// liburing's `io_uring_setup_buf_ring` (and `io_uring_register_buf_ring`).
    /// The ring keeps the returned object alive until ``unregisterBufferRing(group:)``
    /// or its own end.
    /// - Throws: ``UringError``: `EINVAL` when `entries` is not a power of two up to
    ///   32768 (detail says so) or `incremental` is not supported, `EEXIST` when the group is taken.
    @discardableResult
    public mutating func registerBufferRing(
        group: UInt16, entries: UInt32, bufferSize: Int, incremental: Bool = false
    ) throws(UringError) -> ProvidedBufferRing {
        let bufferRing = try ProvidedBufferRing(
            group: group, entries: entries, bufferSize: bufferSize, incremental: incremental)
        var argument = BufferRingRegister(
            ringAddress: .address(bufferRing.ringMemory), entries: entries, group: group,
            flags: incremental ? BufferRingRegister.incremental : 0)
        let result = rawRegister(RegisterOpcode.registerProvidedBufferRing.rawValue, &argument, 1)
        if result == -EEXIST {
            throw UringError(
                errno: .fileExists, operation: RegisterOpcode.registerProvidedBufferRing.operationName,
                detail: "buffer group \(group) is already registered on this ring")
        }
        if result < 0 {
            throw registrationError(result, operation: RegisterOpcode.registerProvidedBufferRing.operationName)
        }
        bufferRings[group] = bufferRing
        return bufferRing
    }

    /// Unregisters the buffer ring of `group`: `IORING_UNREGISTER_PBUF_RING` (Linux 5.19).
    ///
    /// liburing's `io_uring_unregister_buf_ring` / `io_uring_free_buf_ring`.
    /// - Throws: ``UringError``: `EINVAL` or `ENOENT` when no ring has that group.
    public mutating func unregisterBufferRing(group: UInt16) throws(UringError) {
        var argument = BufferRingRegister(ringAddress: 0, entries: 0, group: group, flags: 0)
        try register(.unregisterProvidedBufferRing, argument: &argument, count: 1)
        bufferRings[group] = nil
    }

    /// The kernel's head of `group`'s buffer ring: how many buffers it has taken,
    /// modulo 2^16 (`IORING_REGISTER_PBUF_STATUS`, Linux 6.8).
    ///
    /// liburing's `io_uring_buf_ring_head`; with the tail it gives
    /// `io_uring_buf_ring_available`.
    public func bufferRingHead(group: UInt16) throws(UringError) -> UInt16 {
        var status = BufferRingStatus(group: UInt32(group))
        try register(.registerProvidedBufferStatus, argument: &status, count: 1)
        return UInt16(truncatingIfNeeded: status.head)
    }

    /// The registered buffer ring of `group`, if any.
    public func bufferRing(group: UInt16) -> ProvidedBufferRing? { bufferRings[group] }
}
