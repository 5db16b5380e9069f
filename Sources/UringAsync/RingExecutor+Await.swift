import Glibc
import SystemPackage
import Uring

extension RingExecutor {
    /// Submits `operation` and suspends until its final completion: every
    /// operation of the core (any ``RingOperation``) can be awaited this way.
    ///
    /// On the ring thread the entry goes straight into the ring; from elsewhere it
    /// is handed over with one enqueue. Cancelling the task only asks: it submits
    /// `IORING_OP_ASYNC_CANCEL` for this operation and still waits for the
    /// operation's own completion. A `timeout` links an `IORING_OP_LINK_TIMEOUT`
    /// (Linux 5.5) behind the operation. A zero-copy send resumes at its
    /// notification, with the send's result.
    ///
    /// **Ownership**: memory the operation points to must stay valid until the
    /// final completion; pass its owner as `keepAlive` and the executor holds it
    /// until then, even if the caller goes away.
    /// - Parameters:
    ///   - operation: the prepared request.
    ///   - keepAlive: the owner of the memory the request points to.
    ///   - timeout: the longest the operation may run; it is cancelled after that.
    /// - Returns: the completion, whatever its result.
    /// - Throws: `CancellationError` when the task was cancelled and the kernel
    ///   answered `ECANCELED` (the operation lost the race); ``UringError``
    ///   `ETIME` when `timeout` ran out first; ``UringError`` `ECANCELED`
    ///   ("shut down") when ``shutdown(timeout:)`` came first.
    nonisolated(nonsending) public func submit<Operation: RingOperation>(
        _ operation: Operation, keepAlive: AnyObject? = nil, timeout: Duration? = nil
    ) async throws -> Completion {
        let entry = prepared(operation)
        let ticket = newCancelTicket()
        let completion = await suspend(OneOperation(entry: entry, keepAlive: keepAlive, timeout: timeout), ticket: ticket)
        return try checked(completion, of: operation.opcode, timeout: timeout)
    }

    /// A ticket no other wait of this executor has had or will have, so a cancel
    /// request finds this wait's operations and nothing else. (A task's address
    /// would not do: a later task can reuse it, and a late cancel would hit it.)
    func newCancelTicket() -> Int {
        cancelTickets.wrappingAdd(1, ordering: .relaxed).newValue
    }

    /// The completion, or the error that stands for how the operation ended.
    func checked(_ completion: Completion, of opcode: Opcode, timeout: Duration?) throws -> Completion {
        if completion.userData == OperationSlots.ignoredUserData {
            throw UringError(
                errno: .canceled, operation: opcode.shortName,
                detail: "the RingExecutor was shut down before this operation completed")
        }
        guard completion.result == -ECANCELED else { return completion }
        if Task.isCancelled { throw CancellationError() }
        if let timeout {
            throw UringError(errno: Errno(rawValue: ETIME), operation: opcode.shortName, detail: "no completion within \(timeout)")
        }
        return completion
    }
}
