import Glibc
import Uring

extension RingExecutor {
    /// Submits every operation of `batch` in one submission and suspends once,
    /// until each has completed; their completions are then in the batch, in order.
    ///
    /// One suspension for the whole batch instead of one per operation, and linked
    /// chains (``SubmissionFlags/link``) are never cut. A failed operation does not
    /// throw: read its completion, or call ``RingBatch/requireSuccess()``.
    /// Cancelling the task only asks, as for one operation: every operation of the
    /// batch still in flight gets an `IORING_OP_ASYNC_CANCEL`, and the task resumes
    /// when the last completion has arrived.
    ///
    /// **Ownership**: the batch's memory and the owners it keeps belong to the
    /// kernel until this returns.
    /// - Throws: ``UringError`` `EINVAL` for a batch that cannot go in one submission
    ///   (empty, larger than the ring, ending in a link, skipping a completion);
    ///   `CancellationError` when the task was cancelled and an operation answered
    ///   `ECANCELED`; ``UringError`` `ECANCELED` ("shut down") when
    ///   ``shutdown(timeout:)`` came first.
    nonisolated(nonsending) public func submit(_ batch: inout RingBatch) async throws {
        let storage = batch.storage
        try storage.startSubmission(submissionEntries: submissionEntries)
        let ticket = newCancelTicket()
        await suspend(WholeBatch(storage: storage), ticket: ticket)
        let outcome = storage.outcome()
        if let index = outcome.shutDownAt {
            throw UringError(
                errno: .canceled, operation: "batch",
                detail: "the RingExecutor was shut down before operation \(index) of the batch completed")
        }
        if outcome.anyCancelled && Task.isCancelled { throw CancellationError() }
    }

    /// Pushes every entry of `batch` under one slot (each with its position in
    /// its user data), with room for all of them in one submission. Ring thread
    /// only; after shutdown began, every operation gets the shut-down completion instead.
    func begin(_ batch: BatchStorage, ticket: Int) {
        guard !loop.shuttingDown, let ring = loop.ring else {
            batch.finishRemaining(with: Self.shutDownCompletion)
            return
        }
        makeRoom(for: batch.count, in: ring)
        let slot = loop.slots.take(.batch(Unmanaged.passUnretained(batch)), keepAlive: nil, ticket: ticket)
        for position in 0..<batch.count {
            pushEntry(batch.entries[position], userData: OperationSlots.userData(slot, position: position))
        }
    }

    /// Hands a completion to the batch it belongs to; frees the batch's slot and
    /// resumes its submitter after the last one. An operation that shutdown
    /// cancelled is recorded as shut down.
    func deliver(_ completion: Completion, toBatch batch: Unmanaged<BatchStorage>, position: Int) {
        let shutDown = loop.shuttingDown && completion.result == -ECANCELED
        batch._withUnsafeGuaranteedRef { storage in
            guard storage.record(shutDown ? Self.shutDownCompletion : completion, at: position) else { return }
            loop.slots.releaseBatch(completion.userData)
            storage.resumeSubmitter()
        }
    }
}
