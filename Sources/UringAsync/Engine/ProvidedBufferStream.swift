import Glibc
import SystemPackage
import Uring

extension RingExecutor {
    /// A stream of one multishot operation that takes buffers from a ring of its
    /// own: a group id is taken, the ring registered on the ring thread, and both
    /// given back once the operation is over for good.
    ///
    /// `element` turns each completion's buffer into what the consumer gets; it
    /// runs on the ring thread, and decides when the buffer goes back
    /// (``ProvidedBuffers/recycle(_:)``): at once after a copy, or once the
    /// consumer is done with it; an error it throws ends the stream with it.
    /// `discard` releases an element nobody will take. `keepAlive` is memory the
    /// operation points to (a msghdr), kept while it is armed.
    /// - Returns: the stream and the buffers behind it.
    package func providedBufferStream<Element: Sendable, Operation: RingOperation>(
        buffers: UInt32, bufferSize: Int, limit: Int, keepAlive: AnyObject? = nil, operation: (UInt16) -> Operation,
        discard: @escaping (ProvidedBuffers, Element) -> Void = { _, _ in },
        element: @escaping (ProvidedBuffers, _ id: UInt16, _ bytes: UnsafeRawBufferPointer) throws(UringError) -> Element
    ) -> (stream: RingStream<Element>, buffers: ProvidedBuffers) {
        let group = bufferGroups.withLock { $0.take() }
        let made = operation(group ?? 0)
        let name = made.opcode.operationName
        let box = ProvidedBuffers()
        let core = MultishotCore<Element>(
            executor: self, limit: limit, entry: prepared(made), keepAlive: keepAlive, discard: { discard(box, $0) }
        ) { completion in
            if completion.result == -ENOBUFS { return .skip }
            if completion.result < 0 { return .fail(UringError(negatedErrno: completion.result, operation: name)) }
            if completion.result == 0 { return .end }
            guard let id = completion.bufferID, let bytes = box.bytes(for: completion) else {
                return .fail(UringError(errno: .ioError, operation: name, detail: "a completion without its buffer"))
            }
            do throws(UringError) {
                return .element(try element(box, id, bytes))
            } catch {
                return .fail(error)
            }
        }
        core.start { [self] in
            try registerBufferRing(group: group, buffers: buffers, bufferSize: bufferSize, into: box, for: name)
        }
        return (RingStream(core), box)
    }

    /// On the ring thread: registers a ring of `buffers` buffers of `bufferSize`
    /// bytes for `group` (taken from ``bufferGroups``, nil when none was free)
    /// and attaches it to `box`; returns what unregisters it and gives the id back.
    /// On failure the id is given back here.
    /// - Throws: `UringError` `ENOBUFS` when `group` is nil; the registration's error.
    func registerBufferRing(group: UInt16?, buffers: UInt32, bufferSize: Int, into box: ProvidedBuffers, for name: String)
        throws(UringError) -> () -> Void
    {
        guard let group else {
            throw UringError(
                errno: .noBufferSpace, operation: RegisterOpcode.registerProvidedBufferRing.operationName,
                detail: "all 65,536 provided-buffer groups of this executor are in use")
        }
        do throws(UringError) {
            guard let ring = loop.ring else { throw UringError(errno: .canceled, operation: name, detail: "the ring is gone") }
            box.attach(try ring.pointee.registerBufferRing(group: group, entries: buffers, bufferSize: bufferSize))
        } catch {
            bufferGroups.withLock { $0.giveBack(group) }
            throw error
        }
        return { [self] in
            _ = try? loop.ring?.pointee.unregisterBufferRing(group: group)
            bufferGroups.withLock { $0.giveBack(group) }
        }
    }

    /// Messages as copies: each completion's bytes in an array, the buffer back at once.
    func copyingBufferStream<Operation: RingOperation>(
        buffers: UInt32, bufferSize: Int, limit: Int, operation: (UInt16) -> Operation
    ) -> RingStream<[UInt8]> {
        providedBufferStream(buffers: buffers, bufferSize: bufferSize, limit: limit, operation: operation) { box, id, bytes in
            defer { box.recycle(id) }
            return Array(bytes)
        }.stream
    }
}

/// The provided-buffer ring behind one stream, shared by the ring thread (which
/// reads completions' bytes) and the consumer (which may give buffers back).
///
/// The ring object stays here after it is unregistered, so memory a consumer
/// still reads is never unmapped under it; recycling after that is harmless.
package final class ProvidedBuffers: @unchecked Sendable {
    private let ring = Locked<ProvidedBufferRing?>(nil)

    /// Sets the registered ring (ring thread, before the first arm).
    func attach(_ registered: ProvidedBufferRing) {
        ring.withLock { $0 = registered }
    }

    /// The bytes a completion received into its buffer.
    func bytes(for completion: Completion) -> UnsafeRawBufferPointer? {
        ring.withLock { $0?.data(for: completion) }
    }

    /// Buffer `id`'s first `count` bytes; valid while the buffer is not recycled.
    package func bytes(_ id: UInt16, count: Int) -> UnsafeRawBufferPointer {
        ring.withLock { ring in
            guard let ring else { return UnsafeRawBufferPointer(start: nil, count: 0) }
            return UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(ring.buffer(id)).prefix(count))
        }
    }

    /// Gives buffer `id` back to the kernel (`io_uring_buf_ring_add` and advance), from any thread.
    package func recycle(_ id: UInt16) {
        ring.withLock { $0?.recycle(id) }
    }
}

/// One provided buffer lent to a consumer: its id and how many bytes it holds.
package struct ProvidedChunk: Sendable {
    /// The buffer's id in its ring.
    package let id: UInt16
    /// The bytes received into it.
    package let count: Int
}

extension RingExecutor {
    /// Messages lent, not copied: each element names a buffer the consumer reads
    /// in place and gives back (``ProvidedBuffers/recycle(_:)``) when done with it.
    /// Buffers not yet taken when the stream ends go back by themselves.
    package func lendingBufferStream<Operation: RingOperation>(
        buffers: UInt32, bufferSize: Int, limit: Int, operation: (UInt16) -> Operation
    ) -> (stream: RingStream<ProvidedChunk>, buffers: ProvidedBuffers) {
        providedBufferStream(
            buffers: buffers, bufferSize: bufferSize, limit: limit, operation: operation,
            discard: { box, chunk in box.recycle(chunk.id) }
        ) { _, id, bytes in
            ProvidedChunk(id: id, count: bytes.count)
        }
    }
}
