import Glibc
import Synchronization
import SystemPackage
import Uring

/// What one completion of a multishot operation means to its stream.
enum StreamOutcome<Element> {
    /// A value for the consumer.
    case element(Element)
    /// Nothing for the consumer (`ENOBUFS`: the operation is re-armed once it ends).
    case skip
    /// The natural end (a receive of 0 bytes: the peer shut down).
    case end
    /// A failure the consumer sees as a thrown error.
    case fail(UringError)
}

/// The engine behind a ``RingStream``: arms a multishot operation on the ring
/// thread, buffers its elements for the consumer, and re-arms it when the kernel
/// ends it without the stream being over.
///
/// The stream ends only on a failure, a natural end (``StreamOutcome/end``),
/// the consumer cancelling or dropping it, or the executor shutting down — never
/// silently. Backpressure: at `limit` buffered elements the operation is cancelled
/// and the stream pauses; once the consumer has taken half of them it is re-armed.
/// With provided buffers, nothing is lost meanwhile: the data waits in the socket.
///
/// Fields under "ring thread" are touched on the executor's ring thread only;
/// the rest is under `shared`.
///
/// The per-element paths are specialized for the element types of the socket
/// streams (`@_specialize`): unspecialized, each element looked up the generic
/// metadata of `Shared` and its continuation at run time, 8 % of an echo
/// server's CPU in `perf record` at 256 connections.
final class MultishotCore<Element: Sendable>: CompletionSink, @unchecked Sendable {
    struct Shared {
        var elements: [Element] = []
        var head = 0
        var waiter: UnsafeContinuation<Element?, any Error>?
        var ending: (any Error)??
        /// Callers of ``stop()`` waiting for the operation's final completion.
        var stopWaiters: [UnsafeContinuation<Void, Never>] = []
        /// Whether the operation has ended for good (its final completion came, or it never ran).
        var finished = false
        var paused = false
        var resumePosted = false
        var count: Int { elements.count - head }
    }

    let executor: RingExecutor
    let limit: Int
    let shared = Locked(Shared())
    /// The entry that arms the operation (ring thread).
    private let entry: SubmissionQueueEntry
    /// Classifies each completion (ring thread).
    private let classify: (Completion) -> StreamOutcome<Element>
    /// Runs once the operation is over for good: unregisters a buffer ring (ring thread).
    private var cleanup: (() -> Void)?
    /// The operation's name for errors.
    private let name: String
    /// Memory the operation points to (a timespec), kept while armed.
    private let keepAlive: AnyObject?
    /// Releases an element nobody will take (closes an accepted socket).
    private let discard: (Element) -> Void
    // Ring thread:
    private var armed: UInt64?
    private var paused = false
    /// The operation cancelled for a pause, until its final completion.
    private var pausedOperation: UInt64?
    private var over = false
    /// The consumer asked to stop: the operation is cancelled, and what it still
    /// delivers before its final completion goes to the consumer.
    private var stopping = false

    init(
        executor: RingExecutor, limit: Int, entry: SubmissionQueueEntry, keepAlive: AnyObject? = nil,
        discard: @escaping (Element) -> Void = { _ in }, classify: @escaping (Completion) -> StreamOutcome<Element>
    ) {
        self.discard = discard
        self.executor = executor
        self.limit = max(1, limit)
        self.entry = entry
        self.name = Opcode(rawValue: entry.opcode)?.operationName ?? "multishot"
        self.keepAlive = keepAlive
        self.classify = classify
    }

    /// Starts the stream on the ring thread: `setup` (which may register memory
    /// and returns the cleanup), then the first arm. A setup error ends the stream.
    func start(setup: @escaping () throws -> (() -> Void)? = { nil }) {
        executor.onRingThread { [self] in
            do {
                cleanup = try setup()
                arm()
            } catch {
                over = true
                end(with: error)
            }
        }
    }

    // MARK: ring thread

    private func arm() {
        guard !over else { return }
        armed = executor.begin(entry, waiter: .stream(self), keepAlive: keepAlive, ticket: 0)
    }

    @_specialize(where Element == ProvidedChunk)
    @_specialize(where Element == FileDescriptor)
    func receive(_ completion: Completion, final: Bool) {
        let ownCancel = completion.result == -ECANCELED && (completion.userData == pausedOperation || stopping)
        if final {
            armed = nil
            if completion.userData == pausedOperation { pausedOperation = nil }
        }
        if completion.userData == OperationSlots.ignoredUserData
            || (completion.result == -ECANCELED && executor.loop.shuttingDown)
        {
            stop(with: UringError(errno: .canceled, operation: name, detail: "the RingExecutor was shut down"))
        } else if over {
            if case .element(let element) = classify(completion) { discard(element) }
        } else if !ownCancel {
            switch classify(completion) {
            case .element(let element): deliver(element)
            case .skip: break
            case .end: stop(with: nil)
            case .fail(let error): stop(with: error)
            }
        }
        // A requested stop ends the stream after everything the operation took.
        if stopping && final && !over { stop(with: nil) }
        if over {
            if let armed { executor.requestCancel(userData: armed) } else { finishCleanup() }
        } else if armed == nil && !paused {
            arm()
        }
        resumeStopWaitersIfFinished()
    }

    /// On the ring thread: cancels the operation but keeps delivering what it
    /// takes until its final completion; then the stream ends.
    func stopRequested() {
        guard !over else { return resumeStopWaitersIfFinished() }
        stopping = true
        if let armed {
            executor.requestCancel(userData: armed)
        } else {
            stop(with: nil)
            finishCleanup()
            resumeStopWaitersIfFinished()
        }
    }

    /// Resumes the callers of ``stop()`` once the operation is over and has no completion to come.
    private func resumeStopWaitersIfFinished() {
        guard over, armed == nil else { return }
        let waiters = shared.withLock { shared -> [UnsafeContinuation<Void, Never>] in
            shared.finished = true
            defer { shared.stopWaiters.removeAll() }
            return shared.stopWaiters
        }
        waiters.forEach { $0.resume() }
    }

    /// From any thread: requests a stop (``stopRequested()``) and returns once
    /// the operation's final completion has come.
    func stop() async {
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
            let done = shared.withLock { shared -> Bool in
                if shared.finished { return true }
                shared.stopWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() } else { requestStop() }
        }
    }

    /// From any thread: requests a stop without waiting for it.
    func requestStop() {
        executor.onRingThread { [self] in stopRequested() }
    }

    @_specialize(where Element == ProvidedChunk)
    @_specialize(where Element == FileDescriptor)
    private func deliver(_ element: Element) {
        let (waiter, full) = shared.withLock { shared -> (UnsafeContinuation<Element?, any Error>?, Bool) in
            if let waiter = shared.waiter {
                shared.waiter = nil
                return (waiter, false)
            }
            shared.elements.append(element)
            if shared.count >= limit && !shared.paused {
                shared.paused = true
                shared.resumePosted = false
            }
            return (nil, shared.paused)
        }
        if let waiter {
            waiter.resume(returning: element)
        } else if full && !paused {
            paused = true
            if let armed {
                pausedOperation = armed
                executor.requestCancel(userData: armed)
            }
        } else if full, let armed, armed == pausedOperation {
            // Still delivering: the cancel missed (a running timer answers EALREADY). Ask again.
            executor.requestCancel(userData: armed)
        }
    }

    /// Ends the stream for the consumer (nil: a normal end) and stops re-arming.
    private func stop(with error: (any Error)?) {
        over = true
        end(with: error)
    }

    private func finishCleanup() {
        cleanup?()
        cleanup = nil
    }

    /// The consumer drained below half the limit: re-arm after a pause.
    func resumeAfterPause() {
        paused = false
        shared.withLock { $0.paused = false }
        if armed == nil { arm() }
    }

    /// From any thread: the consumer is gone or cancelled (see ``consumerLeft()``).
    func leave() {
        executor.onRingThread { [self] in consumerLeft() }
    }

    /// The consumer is gone or cancelled: cancel the operation, end the stream.
    func consumerLeft() {
        let left = shared.withLock { shared -> [Element] in
            defer {
                shared.elements.removeAll()
                shared.head = 0
            }
            return Array(shared.elements[shared.head...])
        }
        left.forEach(discard)
        guard !over else { return }
        over = true
        end(with: nil)
        if let armed { executor.requestCancel(userData: armed) } else { finishCleanup() }
        resumeStopWaitersIfFinished()
    }

    // MARK: any thread

    /// Records the end and resumes a waiting consumer with it.
    private func end(with error: (any Error)?) {
        let waiter = shared.withLock { shared -> UnsafeContinuation<Element?, any Error>? in
            if shared.ending == nil { shared.ending = .some(error) }
            defer { shared.waiter = nil }
            return shared.waiter
        }
        if let error { waiter?.resume(throwing: error) } else { waiter?.resume(returning: nil) }
    }

    /// The next element, nil at the end; throws the stream's failure once.
    @_specialize(where Element == ProvidedChunk)
    @_specialize(where Element == FileDescriptor)
    func next(isolation: isolated (any Actor)? = #isolation) async throws -> Element? {
        if let ready = try take() { return ready }
        guard let actor = isolation else { return try await wait() }
        return try await executor.preferringThisExecutor(on: actor) { try await wait(isolation: actor) }
    }

    /// Waits for the next element, its end or a failure.
    @_specialize(where Element == ProvidedChunk)
    @_specialize(where Element == FileDescriptor)
    private func wait(isolation: isolated (any Actor)? = #isolation) async throws -> Element? {
        try await withTaskCancellationHandler {
            _ = isolation  // the wait stays on the caller's actor: no hop to the global executor
            return try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Element?, any Error>) in
                let outcome: Result<Element??, any Error> = shared.withLock { shared in
                    let outcome = Result { try take(from: &shared) }
                    if case .success(nil) = outcome { shared.waiter = continuation }
                    return outcome
                }
                switch outcome {
                case .success(nil): break
                case .success(.some(let ready)): continuation.resume(returning: ready)
                case .failure(let error): continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            leave()
        }
    }

    /// A buffered element or the end (`.some(nil)`); nil when the consumer must wait.
    @_specialize(where Element == ProvidedChunk)
    @_specialize(where Element == FileDescriptor)
    private func take() throws -> Element?? {
        try shared.withLock { try take(from: &$0) }
    }

    /// Pops the next element (posting the re-arm after a pause once half the
    /// limit is drained); `.some(nil)` at the end; nil when empty and running.
    @_specialize(where Element == ProvidedChunk)
    @_specialize(where Element == FileDescriptor)
    private func take(from shared: inout Shared) throws -> Element?? {
        if shared.count > 0 {
            let element = shared.elements[shared.head]
            shared.head += 1
            if shared.head == shared.elements.count {
                shared.elements.removeAll(keepingCapacity: true)
                shared.head = 0
            }
            if shared.paused && !shared.resumePosted && shared.count <= limit / 2 {
                shared.resumePosted = true
                executor.onRingThread { [self] in resumeAfterPause() }
            }
            return .some(element)
        }
        if let ending = shared.ending {
            shared.ending = .some(nil)
            if let error = ending { throw error }
            return .some(nil)
        }
        return nil
    }
}
