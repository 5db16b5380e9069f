import Dispatch
import Synchronization
import Uring

extension RingContext {
    /// Waits for the next completion on a worker thread and resumes the caller
    /// with it (pyuring's `wait_completion_in_executor`): for callers that cannot
    /// use a ``RingContextBridge``.
    ///
    /// The blocking `waitCompletion()` runs on a Dispatch worker, so create the
    /// context with `singleThreadCheck: false` (with the check, the worker's call
    /// throws `EPERM`, rethrown here, unless the worker happens to be the creating
    /// thread) and keep access exclusive meanwhile.
    /// Cancelling the task resumes it at once with `CancellationError`; the worker
    /// stays blocked until a completion arrives, and that completion is consumed
    /// and dropped, as in pyuring.
    /// - Throws: the context's error, or `CancellationError`.
    public func waitCompletionInExecutor() async throws -> RingContextCompletion {
        let context = UncheckedContext(self)
        let once = ResumeOnce()
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { continuation in
                once.set(continuation)
                DispatchQueue.global().async {
                    once.resume(with: Result { try context.value.waitCompletion() })
                }
            }
        } onCancel: {
            once.resume(with: .failure(CancellationError()))
        }
    }
}

/// Hands a context to the worker thread; the caller keeps access exclusive.
private struct UncheckedContext: @unchecked Sendable {
    let value: RingContext
    init(_ value: RingContext) { self.value = value }
}

/// A continuation resumed by whichever comes first: the worker or the cancel.
private final class ResumeOnce: Sendable {
    private let state = Locked<
        (continuation: UnsafeContinuation<RingContextCompletion, any Error>?, early: Result<RingContextCompletion, any Error>?)
    >((nil, nil))

    func set(_ continuation: UnsafeContinuation<RingContextCompletion, any Error>) {
        let early = state.withLock { state -> Result<RingContextCompletion, any Error>? in
            if let early = state.early { return early }
            state.continuation = continuation
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    func resume(with result: Result<RingContextCompletion, any Error>) {
        let continuation = state.withLock { state -> UnsafeContinuation<RingContextCompletion, any Error>? in
            defer { state.continuation = nil }
            if state.continuation == nil && state.early == nil { state.early = result }
            return state.continuation
        }
        continuation?.resume(with: result)
    }
}
