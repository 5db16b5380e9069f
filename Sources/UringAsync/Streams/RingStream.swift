/// The completions of one multishot operation as an `AsyncSequence`.
///
/// The stream ends (returns nil) at the operation's natural end — a receive of
/// 0 bytes — and throws on a failure, or `UringError` `ECANCELED` ("shut down")
/// when its executor shuts down. It never ends silently: when the kernel stops
/// the operation early (`ENOBUFS`, a full completion queue) it is re-armed.
/// A slow consumer applies backpressure: at `limit` buffered elements the
/// operation is cancelled, and re-armed once half of them are taken.
///
/// Iterate it from one task. Cancelling that task, or dropping the stream and
/// its iterator, cancels the operation (`IORING_OP_ASYNC_CANCEL`) and drops what
/// it still delivers, since nobody is left to take it; ``cancel()`` and ``stop()``
/// keep it for the iterator.
public struct RingStream<Element: Sendable>: AsyncSequence, Sendable {
    let handle: StreamHandle<Element>

    init(_ core: MultishotCore<Element>) {
        handle = StreamHandle(core)
    }

    /// The iterator: ``next()`` suspends until an element or the end.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let handle: StreamHandle<Element>

        /// The next element; nil at the end.
        /// - Throws: the stream's failure (once), or `CancellationError` when the
        ///   iterating task was cancelled while waiting.
        public mutating func next() async throws -> Element? {
            try await handle.core.next()
        }

        /// The next element, awaited on the caller's isolation (what `for try
        /// await` calls): an actor on the ring executor takes elements without a hop.
        public mutating func next(isolation actor: isolated (any Actor)?) async throws -> Element? {
            try await handle.core.next(isolation: actor)
        }
    }

    /// The iterator over this stream.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(handle: handle) }

    /// Stops the stream without waiting: cancels the operation (`IORING_OP_ASYNC_CANCEL`).
    /// Nothing the operation took is lost: what it delivers before the kernel ends
    /// it is still returned by the iterator, then the stream ends (nil).
    /// To start another operation on the same descriptor, use ``stop()``.
    public func cancel() {
        handle.core.requestStop()
    }

    /// Stops the stream as ``cancel()`` does and returns once the kernel has ended
    /// the operation: from then on it takes nothing more from the descriptor, so a
    /// new stream on it sees every later byte. What was taken before is still
    /// returned by the iterator, then the stream ends (nil).
    public func stop() async {
        await handle.core.stop()
    }

    /// What ``stop()`` does, without keeping the stream alive: dropping the
    /// stream still cancels it while someone holds this.
    package var stopper: @Sendable () async -> Void {
        { [core = handle.core] in await core.stop() }
    }
}

/// Held by the consumer's side only: when the last copy of a stream and its
/// iterator is gone, the operation is cancelled.
final class StreamHandle<Element: Sendable>: Sendable {
    let core: MultishotCore<Element>

    init(_ core: MultishotCore<Element>) { self.core = core }

    deinit { core.leave() }
}
