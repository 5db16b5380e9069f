import CUring
import Glibc

extension Ring {
    /// Cancels matching requests and waits until they have completed:
    /// `IORING_REGISTER_SYNC_CANCEL` (Linux 6.0).
    ///
    /// liburing's `io_uring_register_sync_cancel`. The cancelled requests still post
    /// their completions (usually `-ECANCELED`); consume them as usual.
    /// - Parameters:
    ///   - match: what to cancel.
    ///   - all: cancel every match.
    ///   - timeout: how long to wait; nil waits as long as it takes.
    /// - Returns: the number cancelled (1 without `all`).
    /// - Throws: ``UringError``: `ENOENT` when nothing matched, `ETIME` on timeout.
    @discardableResult
    public func cancelSynchronously(_ match: CancelMatch, all: Bool = false, timeout: Duration? = nil) throws(UringError) -> Int {
        let encoded = match.encode(all: all)
        var argument = SyncCancelArgument(
            userData: encoded.userData, fd: encoded.fd, flags: encoded.flags,
            timeout: timeout.map { KernelTimespec($0) } ?? KernelTimespec(seconds: -1, nanoseconds: -1),
            opcode: UInt8(truncatingIfNeeded: encoded.opcode))
        return Int(try register(.registerSyncCancel, argument: &argument, count: 1))
    }

    /// Posts a ``MessageRing`` data message to another ring without a source ring:
    /// `IORING_REGISTER_SEND_MSG_RING` (Linux 6.13).
    ///
    /// liburing's `io_uring_register_sync_msg`. Only ``MessageRing/Payload/data(result:completionFlags:)``
    /// can be sent this way.
    /// - Throws: ``UringError`` with the kernel's errno (`EBADFD` for a target that is not a ring).
    public static func sendMessage(_ message: MessageRing) throws(UringError) {
        var entry = SubmissionQueueEntry()
        entry.opcode = message.opcode.rawValue
        message.prepare(&entry)
        let result = curing_register(-1, RegisterOpcode.registerSendMessageRing.rawValue, &entry, 1)
        if result < 0 { throw UringError(negatedErrno: result, operation: RegisterOpcode.registerSendMessageRing.operationName) }
    }
}
