/// Posts a completion on another ring, or passes it a registered file:
/// `IORING_OP_MSG_RING` (Linux 5.18; descriptor passing Linux 6.0; chosen CQE flags Linux 6.3).
///
/// The sender's completion reports 0 or a negated errno; the target ring gets a
/// completion with ``userData`` and, for ``Payload/data(result:completionFlags:)``, its result (and flags).
/// A passed file is a slot of the **sender's** registered table, installed in the target's table.
public struct MessageRing: RingOperation {
    /// `IORING_OP_MSG_RING`.
    public var opcode: Opcode { .msgRing }
    /// `IORING_MSG_RING_CQE_SKIP`: post nothing on the sender's ring on success.
    public static let skipSenderCompletion: UInt32 = 1 << 0
    /// `IORING_MSG_RING_FLAGS_PASS`: the target completion carries the payload's `completionFlags`.
    public static let passFlags: UInt32 = 1 << 1

    /// What to deliver.
    public enum Payload: Sendable, Equatable {
        /// `IORING_MSG_DATA`: a completion with this result.
        case data(result: Int32, completionFlags: UInt32?)
        /// `IORING_MSG_SEND_FD`: the sender's registered slot `source`, installed at `slot` in the target.
        case file(source: UInt32, slot: FixedSlot)
    }

    /// The target ring's descriptor (or its slot in this ring's registered table).
    public var target: FileTarget
    /// The user data of the target's completion.
    public var userData: UInt64
    /// The data or file.
    public var payload: Payload
    /// Extra `IORING_MSG_RING_*` flags, such as ``skipSenderCompletion``.
    public var flags: UInt32

    /// A message to `target`.
    @inlinable
    public init(to target: FileTarget, userData: UInt64, payload: Payload, flags: UInt32 = 0) {
        self.target = target
        self.userData = userData
        self.payload = payload
        self.flags = flags
    }

    /// Writes the target, the command in `addr`, the user data in `off`, and the
    /// result in `len` (data) or the source in `addr3` and slot in `file_index` (file).
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        target.apply(to: &entry)
        entry.offset = userData
        switch payload {
        case .data(let result, let completionFlags):
            entry.address = 0
            entry.length = UInt32(bitPattern: result)
            entry.operationFlags = flags | (completionFlags == nil ? 0 : MessageRing.passFlags)
            entry.fileIndex = completionFlags ?? 0
        case .file(let source, let slot):
            entry.address = 1
            entry.address3 = UInt64(source)
            entry.fileIndex = slot.fileIndexValue
            entry.operationFlags = flags
        }
    }
}
