import Glibc
import SystemPackage
import Uring

extension RingExecutor {
    /// Connections accepted on a listening `socket`: `IORING_OP_ACCEPT` with
    /// `IORING_ACCEPT_MULTISHOT` (Linux 5.19), re-armed until the stream ends.
    ///
    /// **Ownership**: each socket the stream yields is the consumer's to close;
    /// sockets accepted but never taken are closed when the stream ends.
    /// - Parameter limit: connections buffered before accepting pauses.
    public func acceptConnections(_ socket: FileDescriptor, limit: Int = 64) -> RingStream<FileDescriptor> {
        let accept = Accept(.descriptor(socket), flags: Int32(SOCK_CLOEXEC.rawValue), multishot: true)
        let core = MultishotCore<FileDescriptor>(
            executor: self, limit: limit, entry: prepared(accept), discard: { try? $0.close() }
        ) { completion in
            completion.result >= 0
                ? .element(FileDescriptor(rawValue: completion.result))
                : .fail(UringError(negatedErrno: completion.result, operation: "accept"))
        }
        core.start()
        return RingStream(core)
    }

    /// Messages received on `socket`: `IORING_OP_RECV` with `IORING_RECV_MULTISHOT`
    /// (Linux 6.0) into a provided-buffer ring of `buffers` buffers of `bufferSize`
    /// bytes registered for this stream (Linux 5.19).
    ///
    /// Each element is a copy of one completion's bytes; its buffer goes back to
    /// the ring at once. When the ring runs dry (`ENOBUFS`) the receive is re-armed;
    /// the data waits in the socket, so nothing is lost or reordered. The stream
    /// ends when the peer shuts down (a receive of 0 bytes).
    /// - Parameters:
    ///   - buffers: the ring's size, a power of two up to 32768.
    ///   - bufferSize: each buffer's size.
    ///   - limit: messages buffered before receiving pauses.
    public func receiveStream(
        _ socket: FileDescriptor, buffers: UInt32 = 16, bufferSize: Int = 4096, limit: Int = 64
    ) -> RingStream<[UInt8]> {
        providedBufferStream(buffers: buffers, bufferSize: bufferSize, limit: limit, name: "recv") { group in
            Receive(.descriptor(socket), into: .provided(group: group), multishot: true)
        }
    }

    /// Chunks read from `file` (a pipe, a socket, a character device):
    /// `IORING_OP_READ_MULTISHOT` (Linux 6.7) into a provided-buffer ring, as
    /// ``receiveStream(_:buffers:bufferSize:limit:)``. The stream ends at end of file.
    public func readStream(
        _ file: FileDescriptor, buffers: UInt32 = 16, bufferSize: Int = 4096, limit: Int = 64
    ) -> RingStream<[UInt8]> {
        providedBufferStream(buffers: buffers, bufferSize: bufferSize, limit: limit, name: "read_multishot") { group in
            ReadMultishot(.descriptor(file), bufferGroup: group)
        }
    }

    /// Readiness events of `file`: `IORING_OP_POLL_ADD` with `IORING_POLL_ADD_MULTI`
    /// (Linux 5.13); each element is the ready `POLL*` mask.
    public func readiness(of file: FileDescriptor, events: Int16, limit: Int = 64) -> RingStream<Int16> {
        let poll = PollAdd(.descriptor(file), events: UInt32(UInt16(bitPattern: events)), multishot: true)
        let core = MultishotCore<Int16>(executor: self, limit: limit, entry: prepared(poll)) { completion in
            completion.result >= 0
                ? .element(Int16(truncatingIfNeeded: completion.result))
                : .fail(UringError(negatedErrno: completion.result, operation: "poll_add"))
        }
        core.start()
        return RingStream(core)
    }

    /// A tick every `interval`: `IORING_OP_TIMEOUT` with `IORING_TIMEOUT_MULTISHOT`
    /// (Linux 6.4). Elements count the ticks from 1. Ticks that fire while the
    /// consumer is `limit` behind are dropped by the pause, not queued. Intervals
    /// below ``minimumTickInterval`` are raised to it.
    public func ticks(every interval: Duration, limit: Int = 64) -> RingStream<Int> {
        let time = Pinned(KernelTimespec(max(interval, Self.minimumTickInterval)))
        var count = 0
        let core = MultishotCore<Int>(
            executor: self, limit: limit, entry: prepared(Timeout(time.pointer, repeating: true)), keepAlive: time
        ) { completion in
            guard completion.result == -ETIME else {
                return .fail(UringError(negatedErrno: completion.result, operation: "timeout"))
            }
            count += 1
            return .element(count)
        }
        core.start()
        return RingStream(core)
    }

    /// The shortest interval ``ticks(every:limit:)`` uses: a timer that fires
    /// back to back is nearly always inside its callback, where the kernel cannot
    /// cancel it (`EALREADY`), so neither a pause nor a shutdown could stop it.
    public static let minimumTickInterval = Duration.milliseconds(1)

    /// A stream of one multishot operation that takes buffers from a ring
    /// registered for it on the ring thread, and unregistered when it is over.
    private func providedBufferStream<Operation: RingOperation>(
        buffers: UInt32, bufferSize: Int, limit: Int, name: String, operation: (UInt16) -> Operation
    ) -> RingStream<[UInt8]> {
        let group = UInt16(truncatingIfNeeded: bufferGroups.wrappingAdd(1, ordering: .relaxed).newValue)
        let box = BufferRingBox()
        let core = MultishotCore<[UInt8]>(executor: self, limit: limit, entry: prepared(operation(group))) { completion in
            if completion.result == -ENOBUFS { return .skip }
            if completion.result < 0 { return .fail(UringError(negatedErrno: completion.result, operation: name)) }
            if completion.result == 0 { return .end }
            guard let ring = box.ring, let id = completion.bufferID, let bytes = ring.data(for: completion) else {
                return .fail(UringError(errno: .ioError, operation: name, detail: "a completion without its buffer"))
            }
            let element = Array(bytes)
            ring.recycle(id)
            return .element(element)
        }
        core.start { [self] in
            guard let ring = loop.ring else { return nil }
            box.ring = try ring.pointee.registerBufferRing(group: group, entries: buffers, bufferSize: bufferSize)
            return { [self] in
                _ = try? loop.ring?.pointee.unregisterBufferRing(group: group)
                box.ring = nil
            }
        }
        return RingStream(core)
    }
}

/// The provided-buffer ring of one stream, set on the ring thread once registered.
final class BufferRingBox: @unchecked Sendable {
    var ring: ProvidedBufferRing?
}
