import Glibc
import Uring
import UringAsync

/// The engine behind ``TCPConnection/respond(buffers:bufferSize:_:)``: a
/// ``HandledReceive`` whose handler answers through a ``SendQueue``, all on the
/// ring thread; the awaiting task is resumed once, at the end.
///
/// The end comes when the receive is over (the peer shut down, ``Responder/finish()``,
/// a stop at close, a failure) and the queue has sent or dropped everything.
/// Receiving pauses while more than `highWater` bytes wait to be sent.
final class Responding: ReceiveHandling, SendQueueOwner, @unchecked Sendable {
    typealias Handler = (ReceivedBytes, Responder) throws -> Void

    let executor: RingExecutor
    private var receive: HandledReceive!
    private var queue: SendQueue!
    private var handler: Handler?
    let lease = InboundLease()
    private let highWater: Int
    // Ring thread:
    private var continuation: UnsafeContinuation<Void, any Error>?
    private var failure: (any Error)?
    private var receiving = true
    private var started = false
    /// Stop callers waiting for the receive to be over.
    private var stopWaiters: [UnsafeContinuation<Void, Never>] = []

    init(socket: FileDescriptor, executor: RingExecutor, buffers: UInt32, bufferSize: Int, handler: @escaping Handler) {
        self.executor = executor
        self.handler = handler
        self.highWater = Int(buffers) * bufferSize
        receive = HandledReceive(socket: socket, executor: executor, buffers: buffers, bufferSize: bufferSize, handler: self)
        queue = SendQueue(socket: socket, executor: executor, keepAlive: receive.buffers, owner: self)
    }

    /// Runs until the end; the error that ended it, if any.
    func run() async throws {
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
                executor.onRingThread { [self] in
                    self.continuation = continuation
                    started = true
                    if failure == nil && receiving { receive.start() } else { receive.stop() }
                    endIfDone()
                }
            }
        } onCancel: {
            executor.onRingThread { [self] in fail(CancellationError()) }
        }
    }

    /// From any thread: stops receiving and returns once the receive is over
    /// (sends may still be in flight; close cancels them).
    func stopReceiving() async {
        await withUnsafeContinuation { (waiter: UnsafeContinuation<Void, Never>) in
            executor.onRingThread { [self] in
                guard receiving else { return waiter.resume() }
                stopWaiters.append(waiter)
                receive.stop()
            }
        }
    }

    // MARK: ring thread

    /// Stops receiving from inside the handler; the end comes once the queue is sent.
    func finishReceiving() { receive.stop() }

    /// Queues `bytes`, held until sent.
    func send(_ bytes: ReceivedBytes) throws(UringError) {
        receive.hold(bytes.id)
        do {
            try queue.send(lent: bytes.id, bytes.memory)
        } catch {
            receive.release(bytes.id)
            throw error
        }
    }

    /// Queues a copy of `bytes`.
    func send(copying bytes: UnsafeRawBufferPointer) throws(UringError) {
        try queue.send(copying: bytes)
    }

    func received(_ id: UInt16, count: Int) {
        guard let handler, failure == nil else { return }
        let generation = lease.current.load(ordering: .relaxed)
        let bytes = ReceivedBytes(buffers: receive.buffers, lease: lease, generation: generation, id: id, count: count)
        let outcome = Result { try handler(bytes, Responder(core: self, generation: generation)) }
        lease.current.add(1, ordering: .releasing)
        if case .failure(let error) = outcome { return fail(error) }
        queue.flush()
        updateBlocked()
    }

    func receiveEnded(_ error: UringError?) {
        receiving = false
        handler = nil
        if let error { fail(error) }
        stopWaiters.forEach { $0.resume() }
        stopWaiters.removeAll()
        endIfDone()
    }

    func sent(lent id: UInt16) {
        receive.release(id)
    }

    func sendQueueShrank() {
        if let error = queue.failure { fail(error) }
        updateBlocked()
        endIfDone()
    }

    /// Records the first failure, stops receiving and drops what waits to be sent.
    private func fail(_ error: any Error) {
        guard failure == nil else { return }
        failure = error
        guard started else { return }
        receive.stop()
        queue.cancel((error as? UringError) ?? UringError(errno: .canceled, operation: "send", detail: "the responder stopped"))
    }

    /// Pauses receiving while the backlog is over the high-water mark; resumes below half of it.
    private func updateBlocked() {
        let blocked = queue.backlog > highWater || (receive.blocked && queue.backlog > highWater / 2)
        guard blocked != receive.blocked else { return }
        receive.blocked = blocked
        receive.updatePause()
    }

    /// Resumes the awaiting task once nothing is received or sent any more.
    private func endIfDone() {
        guard !receiving, !queue.isSending, queue.backlog == 0 || queue.failure != nil, let continuation else { return }
        self.continuation = nil
        queue.detach()
        if let failure {
            continuation.resume(throwing: failure)
        } else if let error = queue.failure {
            continuation.resume(throwing: error)
        } else {
            continuation.resume()
        }
    }
}
