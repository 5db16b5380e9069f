import Uring

extension RingExecutor {
    /// Submits `operation` and suspends until its final completion: every
    /// operation of the core (any `RingOperation`) can be awaited this way.
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
    ///   answered `ECANCELED` (the operation lost the race); `UringError`
    ///   `ETIME` when `timeout` ran out first; `UringError` `ECANCELED`
    ///   ("shut down") when ``shutdown(timeout:)`` came first.
    nonisolated(nonsending) public func submit<Operation: RingOperation>(
        _ operation: Operation, keepAlive: AnyObject? = nil, timeout: Duration? = nil
    ) async throws -> Completion {
        try await awaitCompletion(of: operation, keepAlive: keepAlive, timeout: timeout)
    }
}
