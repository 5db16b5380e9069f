import Synchronization
import Uring
import UringAsync

/// The bytes of one receive, read in place from the provided buffer the kernel
/// filled: no copy. Valid until the iterator that returned it is asked for the
/// next element; then the buffer goes back to the kernel, and reading it throws.
public struct ReceivedBytes: Sendable {
    let buffers: ProvidedBuffers
    let lease: InboundLease
    let generation: UInt64
    let id: UInt16
    /// How many bytes were received (at least 1).
    public let count: Int

    /// The bytes in place; only while current.
    var memory: UnsafeRawBufferPointer { buffers.bytes(id, count: count) }

    /// Throws unless this is still the iterator's current element.
    func checkCurrent() throws(UringError) {
        guard lease.current.load(ordering: .acquiring) == generation else {
            throw UringError(
                errno: .invalidArgument, operation: "recv",
                detail: "received bytes are valid only until the next call to next(); copy them to keep them")
        }
    }

    /// Calls `body` with the bytes; the pointer is valid only inside `body`.
    /// - Throws: `UringError` `EINVAL` once the iterator has moved on; what `body` throws.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) throws -> Result {
        try checkCurrent()
        return try body(memory)
    }

    /// A copy of the bytes, to keep past the next element.
    /// - Throws: `UringError` `EINVAL` once the iterator has moved on.
    public func copyBytes() throws -> [UInt8] {
        try withUnsafeBytes { Array($0) }
    }
}

/// Which element of an inbound stream is current.
final class InboundLease: Sendable {
    let current = Atomic<UInt64>(0)
}

/// The bytes a ``TCPConnection`` receives, as an `AsyncSequence` of
/// ``ReceivedBytes``: `IORING_OP_RECV` with `IORING_RECV_MULTISHOT` (Linux 6.0)
/// into a ring of provided buffers registered for the stream (Linux 5.19).
///
/// Each buffer goes back to the kernel when the consumer asks for the next
/// element, so a slow consumer holds back the kernel, not memory: with every
/// buffer lent or waiting, receiving pauses and the bytes wait in the socket.
/// The sequence ends (nil) when the peer shuts down its sending half or
/// ``TCPConnection/close()`` stops it, and throws the connection's error
/// (`ECONNRESET`, …); made after close, it throws `EBADF`. Iterate it from one task.
public struct Inbound: AsyncSequence, Sendable {
    let stream: RingStream<ProvidedChunk>?
    let buffers: ProvidedBuffers?
    let closed: UringError?

    /// The iterator: ``next()`` gives back the previous element's buffer, then
    /// waits for the next receive.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var inner: RingStream<ProvidedChunk>.AsyncIterator?
        let buffers: ProvidedBuffers?
        var closed: UringError?
        let lease = InboundLease()
        var lent: UInt16?

        /// The next bytes; nil once the peer has shut down or the connection was closed.
        /// - Throws: the connection's `UringError`; `CancellationError` when the task was cancelled.
        public mutating func next() async throws -> ReceivedBytes? {
            try giveBack()
            return wrap(try await inner?.next())
        }

        /// The next bytes, awaited on the caller's isolation (what `for try await` calls).
        public mutating func next(isolation actor: isolated (any Actor)?) async throws -> ReceivedBytes? {
            try giveBack()
            return wrap(try await inner?.next(isolation: actor))
        }

        /// Gives the lent buffer back; throws the after-close error once.
        private mutating func giveBack() throws {
            if let error = closed {
                closed = nil
                throw error
            }
            guard let id = lent else { return }
            lent = nil
            lease.current.add(1, ordering: .releasing)
            buffers?.recycle(id)
        }

        private mutating func wrap(_ chunk: ProvidedChunk?) -> ReceivedBytes? {
            guard let chunk, let buffers else { return nil }
            lent = chunk.id
            return ReceivedBytes(
                buffers: buffers, lease: lease, generation: lease.current.load(ordering: .relaxed), id: chunk.id, count: chunk.count)
        }
    }

    /// The iterator over the stream.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(inner: stream?.makeAsyncIterator(), buffers: buffers, closed: closed)
    }

    /// Stops receiving, as `RingStream.stop()`: what was received is still returned, then nil.
    public func stop() async { await stream?.stop() }
}

extension TCPConnection {
    /// What the connection receives, with the default ring: 16 buffers of 4 KiB.
    /// See ``inbound(buffers:bufferSize:)``.
    public var inbound: Inbound { inbound() }

    /// What the connection receives, into a ring of `buffers` buffers of
    /// `bufferSize` bytes registered for this stream and unregistered when it ends.
    /// One stream at a time: a second, while the first runs, splits the bytes between them.
    /// - Parameters:
    ///   - buffers: the ring's size, a power of two from 2 to 32768; at most
    ///     `buffers - 1` receives wait for the consumer before receiving pauses.
    ///   - bufferSize: the most one element holds.
    public func inbound(buffers: Int = 16, bufferSize: Int = 4096) -> Inbound {
        let fd: FileDescriptor
        do {
            fd = try lifetime.descriptor(for: "recv")
        } catch {
            return Inbound(stream: nil, buffers: nil, closed: error)
        }
        let ring = UInt32(clamping: max(2, buffers))
        let (stream, provided) = executor.lendingBufferStream(
            buffers: ring, bufferSize: bufferSize, limit: Int(ring) - 1
        ) { group in
            Receive(.descriptor(fd), into: .provided(group: group), multishot: true)
        }
        if !lifetime.onClose("inbound", stream.stopper) { stream.cancel() }
        return Inbound(stream: stream, buffers: provided, closed: nil)
    }
}
