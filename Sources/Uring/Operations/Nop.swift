/// Does nothing and completes with result 0: `IORING_OP_NOP` (Linux 5.1).
///
/// Useful to measure the ring itself, to wake a waiter, or as a link barrier.
public struct Nop: RingOperation {
    /// `IORING_OP_NOP`.
    public static var opcode: Opcode { .nop }

    /// A no-op.
    @inlinable
    public init() {}

    /// Nothing to fill in: a zeroed entry is a NOP.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {}
}
