import Synchronization

/// The application's view of the completion ring: pointers into the shared
/// mapping plus the locally cached head.
///
/// The kernel tail is read with acquire ordering; the head is published with
/// one release store per batch of consumed entries.
@usableFromInline
struct CompletionQueue {
    /// `cq.head`, advanced by us.
    @usableFromInline let kernelHead: UnsafeMutablePointer<Atomic<UInt32>>
    /// `cq.tail`, advanced by the kernel.
    @usableFromInline let kernelTail: UnsafeMutablePointer<Atomic<UInt32>>
    /// `cq_flags` (`IORING_CQ_*`), written by us.
    @usableFromInline let kernelFlags: UnsafeMutablePointer<Atomic<UInt32>>
    /// `cq_overflow`: completions lost without `IORING_FEAT_NODROP`.
    @usableFromInline let overflow: UnsafeMutablePointer<Atomic<UInt32>>
    /// The first entry slot.
    @usableFromInline let entries: UnsafeMutableRawPointer
    /// `ring_mask`.
    @usableFromInline let mask: UInt32
    /// `ring_entries`.
    @usableFromInline let capacity: UInt32
    /// log2 of the entry size: 4 for 16 bytes, 5 for CQE32.
    @usableFromInline let entryShift: UInt32
    /// Our head; equal to the kernel head after every publish.
    @usableFromInline var localHead: UInt32

    init(base: UnsafeMutableRawPointer, offsets: CompletionRingOffsets, entryShift: UInt32) {
        func field(_ offset: UInt32) -> UnsafeMutablePointer<Atomic<UInt32>> {
            (base + Int(offset)).assumingMemoryBound(to: Atomic<UInt32>.self)
        }
        kernelHead = field(offsets.head)
        kernelTail = field(offsets.tail)
        kernelFlags = field(offsets.flags)
        overflow = field(offsets.overflow)
        mask = (base + Int(offsets.ringMask)).load(as: UInt32.self)
        capacity = (base + Int(offsets.ringEntries)).load(as: UInt32.self)
        entries = base + Int(offsets.entries)
        self.entryShift = entryShift
        localHead = kernelHead.pointee.load(ordering: .relaxed)
    }

    /// Completions posted and not yet consumed.
    @inlinable
    var ready: UInt32 { kernelTail.pointee.load(ordering: .acquiring) &- localHead }

    /// The entry at ring position `position`.
    @inlinable
    func entry(at position: UInt32) -> UnsafeMutableRawPointer {
        entries + Int((position & mask) << entryShift)
    }

    /// Consumes `count` entries and publishes the new head.
    @inlinable
    mutating func advance(by count: UInt32) {
        localHead &+= count
        kernelHead.pointee.store(localHead, ordering: .releasing)
    }
}
