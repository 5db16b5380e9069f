import Glibc
import SystemPackage
import Uring

extension RingExecutor {
    /// A stream of one multishot operation that takes buffers from a ring
    /// registered for it on the ring thread, and unregistered when it is over.
    func providedBufferStream<Operation: RingOperation>(
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
