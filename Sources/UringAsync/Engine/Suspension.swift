import Uring

/// What a task hands to the ring before it suspends: its continuation goes in
/// the waiter, the ring resumes it at the final completion.
///
/// Conforming types are Sendable by hand-over: the memory they keep is touched
/// by nobody else until the final completion.
protocol RingSubmission: Sendable {
    /// What the suspended task gets back.
    associatedtype Value: Sendable
    /// Hands the operations to the ring under `ticket`: begins them in place on the
    /// ring thread, else posts them to the inbox. Returns false when the executor has exited; the
    /// continuation was then resumed with the shut-down outcome.
    func handOver(to executor: RingExecutor, resuming continuation: UnsafeContinuation<Value, Never>, ticket: Int) -> Bool
}

/// One operation, awaited until its final completion.
struct OneOperation: RingSubmission, @unchecked Sendable {
    let entry: SubmissionQueueEntry
    let keepAlive: AnyObject?
    let timeout: Duration?

    func handOver(to executor: RingExecutor, resuming continuation: UnsafeContinuation<Completion, Never>, ticket: Int) -> Bool {
        if executor.isOnRingThread {
            executor.begin(entry, waiter: .once(continuation), keepAlive: keepAlive, ticket: ticket, timeout: timeout)
            return true
        }
        let start = RingExecutor.PendingStart(
            entry: entry, waiter: .once(continuation), keepAlive: keepAlive, ticket: ticket, timeout: timeout)
        guard executor.post({ $0.starts.append(start) }) else {
            continuation.resume(returning: RingExecutor.shutDownCompletion)
            return false
        }
        return true
    }
}

/// A ``RingBatch``, awaited until its last completion.
struct WholeBatch: RingSubmission, @unchecked Sendable {
    let storage: BatchStorage

    func handOver(to executor: RingExecutor, resuming continuation: UnsafeContinuation<Void, Never>, ticket: Int) -> Bool {
        storage.continuation = continuation
        if executor.isOnRingThread {
            executor.begin(storage, ticket: ticket)
            return true
        }
        guard executor.post({ $0.batches.append(RingExecutor.PendingBatch(storage: storage, ticket: ticket)) }) else {
            storage.finishRemaining(with: RingExecutor.shutDownCompletion)
            return false
        }
        return true
    }
}

extension RingExecutor {
    /// Hands `submission` over and suspends the task until the ring resumes it.
    /// Cancelling the task, before or during the wait, asks the ring to cancel
    /// every operation of the wait `ticket`.
    ///
    /// The hand-over runs where the caller runs: an actor on this executor submits
    /// in place, on the ring thread, with no hop and no handover.
    nonisolated(nonsending) func suspend<Submission: RingSubmission>(
        _ submission: Submission, ticket: Int
    ) async -> Submission.Value {
        let isolation = #isolation
        if let actor = isolation { return await suspend(submission, ticket: ticket, on: actor) }
        return await withTaskCancellationHandler {
            await withUnsafeContinuation { handOver(submission, resuming: $0, ticket: ticket) }
        } onCancel: {
            cancelOperations(of: ticket)
        }
    }

    /// ``suspend(_:ticket:)`` for a caller isolated to `actor`: the wait runs on the
    /// actor rather than on the global executor, and prefers this executor
    /// (``preferringThisExecutor(on:_:)``). Kept apart from the unisolated path,
    /// whose tasks would pay for both checks on every await.
    private func suspend<Submission: RingSubmission>(
        _ submission: Submission, ticket: Int, on actor: isolated any Actor
    ) async -> Submission.Value {
        await preferringThisExecutor(on: actor) {
            await suspendCancellably(submission, ticket: ticket, on: actor)
        }
    }

    /// Runs `wait` with this executor as the task's preferred executor when the
    /// caller, `actor`, runs on the ring thread and the task does not prefer this
    /// executor yet; the runtime resumes continuations on the preferred executor,
    /// so the wait ends on the ring thread instead of a thread of the global executor.
    func preferringThisExecutor<Value, Failure: Error>(
        on actor: isolated any Actor, _ wait: () async throws(Failure) -> Value
    ) async throws(Failure) -> Value {
        guard isOnRingThread, withUnsafeCurrentTask(body: { $0?.unownedTaskExecutor }) != asUnownedTaskExecutor() else {
            return try await wait()
        }
        return try await withTaskExecutorPreference(self, isolation: actor, operation: wait)
    }

    /// Hands `submission` over from `actor` and waits, cancellably. The operation
    /// closure captures the actor, which isolates it to the actor.
    private func suspendCancellably<Submission: RingSubmission>(
        _ submission: Submission, ticket: Int, on actor: isolated any Actor
    ) async -> Submission.Value {
        await withTaskCancellationHandler {
            _ = actor
            return await withUnsafeContinuation { handOver(submission, resuming: $0, ticket: ticket) }
        } onCancel: {
            cancelOperations(of: ticket)
        }
    }

    /// Hands `submission` over; if the task was cancelled meanwhile, asks for its cancellation.
    private func handOver<Submission: RingSubmission>(
        _ submission: Submission, resuming continuation: UnsafeContinuation<Submission.Value, Never>, ticket: Int
    ) {
        if submission.handOver(to: self, resuming: continuation, ticket: ticket) && Task.isCancelled {
            cancelOperations(of: ticket)
        }
    }

    /// Asks the ring thread to cancel every operation of the wait `ticket`.
    func cancelOperations(of ticket: Int) {
        if isOnRingThread {
            requestCancel(ticket: ticket)
        } else {
            post { $0.cancels.append(ticket) }
        }
    }
}
