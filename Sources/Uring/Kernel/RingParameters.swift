/// Where the submission ring's fields lie in its mapping: `struct io_sqring_offsets`.
@frozen
public struct SubmissionRingOffsets: Sendable, Equatable {
    /// `head`: consumed by the kernel.
    public var head: UInt32 = 0
    /// `tail`: published by the application.
    public var tail: UInt32 = 0
    /// `ring_mask`: entries minus one.
    public var ringMask: UInt32 = 0
    /// `ring_entries`: the number of slots.
    public var ringEntries: UInt32 = 0
    /// `flags`: the `IORING_SQ_*` bits (``SubmissionRingFlags``).
    public var flags: UInt32 = 0
    /// `dropped`: entries the kernel found invalid.
    public var dropped: UInt32 = 0
    /// `array`: the index indirection array (absent with `IORING_SETUP_NO_SQARRAY`).
    public var array: UInt32 = 0
    /// `resv1`: reserved.
    public var reserved: UInt32 = 0
    /// `user_addr`: the application's memory for `IORING_SETUP_NO_MMAP`.
    public var userAddress: UInt64 = 0

    /// All offsets zero.
    public init() {}
}

/// Where the completion ring's fields lie in its mapping: `struct io_cqring_offsets`.
@frozen
public struct CompletionRingOffsets: Sendable, Equatable {
    /// `head`: consumed by the application.
    public var head: UInt32 = 0
    /// `tail`: published by the kernel.
    public var tail: UInt32 = 0
    /// `ring_mask`: entries minus one.
    public var ringMask: UInt32 = 0
    /// `ring_entries`: the number of slots.
    public var ringEntries: UInt32 = 0
    /// `overflow`: completions the kernel had to drop (never with `IORING_FEAT_NODROP`).
    public var overflow: UInt32 = 0
    /// `cqes`: the first completion entry.
    public var entries: UInt32 = 0
    /// `flags`: the `IORING_CQ_*` bits (``CompletionRingFlags``).
    public var flags: UInt32 = 0
    /// `resv1`: reserved.
    public var reserved: UInt32 = 0
    /// `user_addr`: the application's memory for `IORING_SETUP_NO_MMAP`.
    public var userAddress: UInt64 = 0

    /// All offsets zero.
    public init() {}
}

/// The setup parameters and what the kernel returned: `struct io_uring_params` (120 bytes).
@frozen
public struct RingParameters: Sendable, Equatable {
    /// `sq_entries`: the submission ring size the kernel chose.
    public var submissionEntries: UInt32 = 0
    /// `cq_entries`: the completion ring size (an input with `IORING_SETUP_CQSIZE`).
    public var completionEntries: UInt32 = 0
    /// `flags`: the `IORING_SETUP_*` bits (``SetupFlags``).
    public var flags: UInt32 = 0
    /// `sq_thread_cpu`: the CPU of the SQPOLL thread (with `IORING_SETUP_SQ_AFF`).
    public var submissionThreadCPU: UInt32 = 0
    /// `sq_thread_idle`: milliseconds before the SQPOLL thread sleeps.
    public var submissionThreadIdle: UInt32 = 0
    /// `features`: the `IORING_FEAT_*` bits the kernel offers (``RingFeatures``).
    public var features: UInt32 = 0
    /// `wq_fd`: the ring whose workers to share (with `IORING_SETUP_ATTACH_WQ`).
    public var workQueueFD: UInt32 = 0
    /// `resv[3]`: reserved.
    public var reserved: (UInt32, UInt32, UInt32) = (0, 0, 0)
    /// `sq_off`: the submission ring layout.
    public var submissionOffsets = SubmissionRingOffsets()
    /// `cq_off`: the completion ring layout.
    public var completionOffsets = CompletionRingOffsets()

    /// All fields zero.
    public init() {}

    /// Compares every field but the reserved words.
    public static func == (lhs: RingParameters, rhs: RingParameters) -> Bool {
        lhs.submissionEntries == rhs.submissionEntries
            && lhs.completionEntries == rhs.completionEntries && lhs.flags == rhs.flags
            && lhs.submissionThreadCPU == rhs.submissionThreadCPU
            && lhs.submissionThreadIdle == rhs.submissionThreadIdle
            && lhs.features == rhs.features && lhs.workQueueFD == rhs.workQueueFD
            && lhs.submissionOffsets == rhs.submissionOffsets
            && lhs.completionOffsets == rhs.completionOffsets
    }
}

/// The mmap(2) offsets that select which part of a ring to map (`IORING_OFF_*`).
public enum RingMapOffset {
    /// `IORING_OFF_SQ_RING`: the submission ring (and, with a single mmap, the completion ring).
    public static let submissionRing: Int = 0
    /// `IORING_OFF_CQ_RING`: the completion ring.
    public static let completionRing: Int = 0x800_0000
    /// `IORING_OFF_SQES`: the submission entries.
    public static let submissionEntries: Int = 0x1000_0000
}
