import Glibc
import SystemPackage
import Uring

/// Who a ``HandledReceive`` hands its buffers to, on the ring thread.
package protocol ReceiveHandling: AnyObject {
    /// `count` bytes arrived in buffer `id`, which the receive holds for the
    /// duration of the call; ``HandledReceive/hold(_:)`` keeps it longer.
    func received(_ id: UInt16, count: Int)
    /// The receive is over and no completion of it is left: nil at the peer's
    /// shutdown or after ``HandledReceive/stop()``, else its failure.
    func receiveEnded(_ error: UringError?)
}

/// A multishot receive into a ring of provided buffers that calls its handler
/// on the ring thread for every completion: no task is resumed per message.
///
/// Each buffer is held while the handler runs and for every ``hold(_:)`` after
/// it, and goes back to the kernel at its last ``release(_:)``. Backpressure:
/// with `limit` buffers held, or while ``blocked`` is set, the operation is
/// cancelled and the bytes wait in the socket; it is re-armed once half the
/// limit is free and nothing blocks it. Ring thread only, except ``start()``.
package final class HandledReceive: CompletionSink, @unchecked Sendable {
    package let executor: RingExecutor
    /// The buffers behind the stream; they outlive the registration.
    package let buffers = ProvidedBuffers()
    private let entry: SubmissionQueueEntry
    /// The group id while this receive holds it and has not handed it to the registration.
    private var group: UInt16?
    private let count: UInt32
    private let bufferSize: Int
    private let limit: Int
    /// Set by the handler's owner: the receive stays paused while it is true.
    package var blocked = false
    private var handler: ReceiveHandling?
    /// Holds per buffer id (the handler's, and one per queued send of it).
    private var holds: [Int]
    private var held = 0
    private var armed: UInt64?
    private var paused = false
    /// The operation cancelled for a pause, until its final completion: its
    /// `ECANCELED` is this receive's own, even once the pause is lifted.
    private var cancelledForPause: UInt64?
    private var over = false
    private var unregister: (() -> Void)?
    /// The failure that ends the receive once its operation is over.
    private var ending: UringError?

    /// A receive on `socket` into `buffers` buffers of `bufferSize` bytes (the
    /// ring's size is a power of two; at most `buffers - 1` are held before it pauses).
    package init(socket: FileDescriptor, executor: RingExecutor, buffers: UInt32, bufferSize: Int, handler: ReceiveHandling) {
        self.executor = executor
        self.handler = handler
        self.count = buffers
        self.bufferSize = bufferSize
        self.limit = max(1, Int(buffers) - 1)
        self.holds = Array(repeating: 0, count: Int(buffers))
        let group = executor.bufferGroups.withLock { $0.take() }
        self.group = group
        self.entry = prepared(Receive(.descriptor(socket), into: .provided(group: group ?? 0), multishot: true))
    }

    /// On the ring thread: registers the buffer ring and arms the receive; a
    /// registration failure ends it at once.
    package func start() {
        guard !over else { return }
        let taken = group
        group = nil
        do {
            unregister = try executor.registerBufferRing(
                group: taken, buffers: count, bufferSize: bufferSize, into: buffers, for: Opcode.recv.operationName)
            arm()
        } catch {
            end(error)
        }
    }

    /// Keeps buffer `id` from the kernel until a matching ``release(_:)``.
    package func hold(_ id: UInt16) {
        if holds[Int(id)] == 0 { held += 1 }
        holds[Int(id)] += 1
    }

    /// Drops one hold on buffer `id`; the last gives it back to the kernel.
    package func release(_ id: UInt16) {
        holds[Int(id)] -= 1
        guard holds[Int(id)] == 0 else { return }
        held -= 1
        buffers.recycle(id)
        updatePause()
    }

    /// Pauses or re-arms the receive after ``blocked`` or the held count changed.
    package func updatePause() {
        guard !over else { return }
        if blocked || held >= limit {
            guard !paused else { return }
            paused = true
            if let armed {
                cancelledForPause = armed
                executor.requestCancel(userData: armed)
            }
        } else if paused && held <= limit / 2 {
            paused = false
            if armed == nil { arm() }
        }
    }

    /// Stops receiving: the operation is cancelled, what it still delivers goes
    /// to the handler, then ``ReceiveHandling/receiveEnded(_:)`` gets nil.
    package func stop() {
        guard !over else { return }
        over = true
        if let armed { executor.requestCancel(userData: armed) } else { finish(nil) }
    }

    private func arm() {
        armed = executor.begin(entry, waiter: .stream(self), keepAlive: buffers, ticket: 0)
    }

    func receive(_ completion: Completion, final: Bool) {
        let result = completion.result
        let ownCancel = result == -ECANCELED && (completion.userData == cancelledForPause || over)
        if final {
            armed = nil
            if completion.userData == cancelledForPause { cancelledForPause = nil }
        }
        if result > 0 {
            if let id = completion.bufferID {
                hold(id)
                handler?.received(id, count: Int(result))
                release(id)
            } else {
                end(UringError(errno: .ioError, operation: "recv", detail: "a completion without its buffer"))
            }
        } else if result == 0 {
            end(nil)
        } else if completion.userData == OperationSlots.ignoredUserData || executor.loop.shuttingDown {
            end(UringError(errno: .canceled, operation: "recv", detail: "the RingExecutor was shut down"))
        } else if result == -ENOBUFS {
            // Every buffer was taken before the pause's cancel landed; re-armed once some come back.
            paused = paused || held > limit / 2
        } else if !ownCancel {
            end(UringError(negatedErrno: result, operation: "recv"))
        }
        guard final else { return }
        if over {
            finish(nil)
        } else if !paused {
            arm()
        }
    }

    /// Ends the receive with `error` (nil: the natural end), once its operation is over.
    private func end(_ error: UringError?) {
        guard !over else { return }
        over = true
        ending = error
        if let armed { executor.requestCancel(userData: armed) } else { finish(error) }
    }

    /// The operation is over for good: unregisters the ring and tells the handler.
    private func finish(_ error: UringError?) {
        guard let handler else { return }
        self.handler = nil
        if let unregister {
            unregister()
        } else if let group {
            executor.bufferGroups.withLock { $0.giveBack(group) }
        }
        unregister = nil
        group = nil
        handler.receiveEnded(error ?? ending)
    }
}
