import Synchronization

/// The application's view of the submission ring: pointers into the shared
/// mapping plus the locally cached tail and head.
///
/// The tail is published to the kernel once per submit (one release store);
/// the kernel's head is re-read (acquire) only when the cached value says the
/// ring is full.
@usableFromInline
struct SubmissionQueue {
    /// `sq.head`, advanced by the kernel.
    @usableFromInline let kernelHead: UnsafeMutablePointer<Atomic<UInt32>>
    /// `sq.tail`, advanced by us.
    @usableFromInline let kernelTail: UnsafeMutablePointer<Atomic<UInt32>>
    /// `sq_flags`, written by the kernel.
    @usableFromInline let kernelFlags: UnsafeMutablePointer<Atomic<UInt32>>
    /// `sq_dropped`: entries the kernel found invalid.
    @usableFromInline let dropped: UnsafeMutablePointer<Atomic<UInt32>>
    /// The first entry slot.
    @usableFromInline let entries: UnsafeMutableRawPointer
    /// `ring_mask`.
    @usableFromInline let mask: UInt32
    /// `ring_entries`.
    @usableFromInline let capacity: UInt32
    /// log2 of the entry size: 6 for 64 bytes, 7 for SQE128.
    @usableFromInline let entryShift: UInt32
    /// The next slot to hand out; published as the kernel tail on submit.
    @usableFromInline var localTail: UInt32
    /// The kernel head as last read.
    @usableFromInline var cachedHead: UInt32
    /// The tail as last published (counts what an SQPOLL submit handed over).
    @usableFromInline var publishedTail: UInt32

    init(
        base: UnsafeMutableRawPointer, offsets: SubmissionRingOffsets,
        entries: UnsafeMutableRawPointer, entryShift: UInt32
    ) {
        func field(_ offset: UInt32) -> UnsafeMutablePointer<Atomic<UInt32>> {
            (base + Int(offset)).assumingMemoryBound(to: Atomic<UInt32>.self)
        }
        kernelHead = field(offsets.head)
        kernelTail = field(offsets.tail)
        kernelFlags = field(offsets.flags)
        dropped = field(offsets.dropped)
        mask = (base + Int(offsets.ringMask)).load(as: UInt32.self)
        capacity = (base + Int(offsets.ringEntries)).load(as: UInt32.self)
        self.entries = entries
        self.entryShift = entryShift
        localTail = kernelTail.pointee.load(ordering: .relaxed)
        publishedTail = localTail
        cachedHead = kernelHead.pointee.load(ordering: .acquiring)
    }

    /// Entries handed out but not yet consumed by the kernel, as far as we know.
    @inlinable
    var queued: UInt32 { localTail &- cachedHead }

    /// Re-reads the kernel head.
    @inlinable
    mutating func refreshHead() {
        cachedHead = kernelHead.pointee.load(ordering: .acquiring)
    }

    /// The kernel's `IORING_SQ_*` flags.
    @inlinable
    var flags: UInt32 { kernelFlags.pointee.load(ordering: .relaxed) }
}
