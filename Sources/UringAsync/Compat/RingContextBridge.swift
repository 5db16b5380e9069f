import Glibc
import Synchronization
import SystemPackage
import Uring

/// Awaits the completions of a synchronous `RingContext` from any async
/// context (pyuring's `UringAsync`, its asyncio bridge).
///
/// The bridge watches the context's ring descriptor (`RingContext.ringFD`)
/// with `IORING_OP_POLL_ADD` on one ``RingExecutor`` — its one event loop,
/// fixed at creation — and hands each ready completion to the longest waiting
/// ``waitCompletion()``. No thread blocks in a syscall while waiting.
///
/// Part of the compatibility layer, for code ported from pyuring. New Swift code
/// awaits operations on a ``RingExecutor`` directly.
///
/// **Threads.** The context is used from the executor's thread and from the
/// callers of ``withContext(_:)``, one at a time under the bridge's lock: create
/// it with `singleThreadCheck: false` and, while the bridge is open, reach it only
/// through ``withContext(_:)``. A context with the default thread check works
/// when it was created on the executor's ring thread (see ``init(_:on:)``).
///
/// **Submitting threads.** The kernel cancels the requests a thread submitted
/// when that thread exits, and threads of Swift's pool can exit while a request
/// waits. Submit from a thread that outlives the requests: the executor's ring
/// thread (the bridge submits there itself while it waits), or a thread of your own.
///
/// **Cancellation** of a wait only withdraws that waiter; the kernel operation is
/// not cancelled and its completion goes to the next waiter. ``close()`` fails
/// every pending wait and leaves the context open.
public final class RingContextBridge: @unchecked Sendable {
    private struct State {
        var waiters: [(id: UInt64, continuation: UnsafeContinuation<RingContextCompletion, any Error>)] = []
        var nextID: UInt64 = 0
        var pumping = false
        var closed = false
        var pump: Task<Void, Never>?
    }

    /// The executor whose ring watches the context.
    public let executor: RingExecutor
    private let context: RingContext
    private let ringFD: FileDescriptor
    private let state = Locked(State())

    /// A bridge for `context`, watched by `executor` (default: the shared group's next).
    ///
    /// A context made with the default thread check is accepted when this runs on
    /// the context's own thread and that thread is an executor's ring thread (a
    /// task on `executor`, or on one of the shared group's): the bridge then uses
    /// the context on that thread only, and ``withContext(_:)`` works from it alone.
    /// - Throws: `UringError` `EINVAL` when the context checks its thread and this
    ///   does not run on it as a ring thread (create it with `singleThreadCheck: false`),
    ///   or "closed" when it is closed.
    public init(_ context: RingContext, on executor: RingExecutor? = nil) throws {
        let chosen: RingExecutor
        if context.checksThread {
            guard let home = try Self.homeExecutor(of: context, preferring: executor) else {
                throw UringError(
                    errno: .invalidArgument, operation: "RingContextBridge",
                    detail: "the bridge consumes completions on its executor's thread: create the RingContext "
                        + "with singleThreadCheck: false and use it through withContext while the bridge is open, "
                        + "or create the context and the bridge on that executor's ring thread")
            }
            chosen = home
        } else {
            chosen = try executor ?? RingExecutorGroup.shared().next()
        }
        self.ringFD = FileDescriptor(rawValue: try context.ringFD)
        self.context = context
        self.executor = chosen
    }

    /// The executor whose ring thread is the calling thread, when the context
    /// belongs to it (`RingContext.isUsableHere`); nil otherwise.
    private static func homeExecutor(of context: RingContext, preferring executor: RingExecutor?) throws -> RingExecutor? {
        guard context.isUsableHere else { return nil }
        if let executor { return executor.isOnRingThread ? executor : nil }
        return try RingExecutorGroup.shared().executors.first { $0.isOnRingThread }
    }

    /// Runs `body` with the context, excluding the bridge's own use of it
    /// (submit through here: `bridge.withContext { try $0.readAsync(…); try $0.submit() }`).
    public func withContext<Result>(_ body: (RingContext) throws -> Result) rethrows -> Result {
        try state.withLock { _ in try body(context) }
    }

    /// The next completion of the context (pyuring's `await ua.wait_completion()`).
    /// - Throws: `UringError` `ECANCELED` when the bridge is or gets closed;
    ///   `CancellationError` when the task is cancelled (the operation is not);
    ///   the context's error for `peek_completion`.
    public func waitCompletion() async throws -> RingContextCompletion {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { continuation in
                let outcome: Result<RingContextCompletion, any Error>? = state.withLock { state in
                    if state.closed { return .failure(Self.closedError) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if state.waiters.isEmpty {
                        do {
                            if let ready = try submitAndPeek() { return .success(ready) }
                        } catch {
                            return .failure(error)
                        }
                    }
                    state.waiters.append((id, continuation))
                    if !state.pumping {
                        state.pumping = true
                        state.pump = Task(executorPreference: executor) { await self.pump() }
                    }
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let withdrawn = state.withLock { state -> UnsafeContinuation<RingContextCompletion, any Error>? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            withdrawn?.resume(throwing: CancellationError())
        }
    }

    /// Fails every pending wait with `ECANCELED` and stops watching; later waits
    /// fail the same way. The context stays open. Idempotent.
    public func close() {
        let (waiters, pump) = state.withLock { state in
            state.closed = true
            defer {
                state.waiters.removeAll()
                state.pump = nil
            }
            return (state.waiters, state.pump)
        }
        pump?.cancel()
        for waiter in waiters { waiter.continuation.resume(throwing: Self.closedError) }
    }

    /// Hands the context's queued requests to the kernel (what `readAsync` and
    /// `writeAsync` left unsubmitted, as `RingContext.waitCompletion()` does),
    /// then takes a ready completion if there is one. Under the bridge's lock.
    private func submitAndPeek() throws -> RingContextCompletion? {
        try context.submit()
        return try context.peekCompletion()
    }

    private static var closedError: UringError {
        UringError(errno: .canceled, operation: "wait_completion", detail: "the RingContextBridge was closed")
    }

    /// On the executor: while anyone waits, poll the ring descriptor and hand
    /// out what is ready.
    private func pump() async {
        while true {
            let more = state.withLock { state -> Bool in
                while !state.waiters.isEmpty {
                    let ready: RingContextCompletion?
                    do {
                        ready = try submitAndPeek()
                    } catch {
                        state.waiters.removeFirst().continuation.resume(throwing: error)
                        continue
                    }
                    guard let ready else { break }
                    state.waiters.removeFirst().continuation.resume(returning: ready)
                }
                if state.waiters.isEmpty || state.closed { state.pumping = false }
                return state.pumping
            }
            guard more else { return }
            do {
                _ = try await executor.poll(ringFD, events: .readable)
            } catch {
                // Closed (the waiters are already failed) or the executor shut down: fail who is left.
                let left = state.withLock { state in
                    state.pumping = false
                    defer { state.waiters.removeAll() }
                    return state.waiters
                }
                for waiter in left { waiter.continuation.resume(throwing: error) }
                return
            }
        }
    }
}
