import Glibc
import SystemPackage
import Uring

/// One datagram of a ``RingExecutor/datagramStream(_:buffers:maximumSize:limit:)``.
public struct Datagram: Sendable {
    /// The payload, a copy (at most the stream's maximum size).
    public let bytes: [UInt8]
    /// Who sent it; an empty address (length 0) when the sender has none (an unbound Unix socket).
    public let sender: SocketAddress
    /// Whether the datagram was longer than the maximum size and was cut (`MSG_TRUNC`).
    public let truncated: Bool
}

extension RingExecutor {
    /// Datagrams received on `socket`, each with its sender:
    /// `IORING_OP_RECVMSG` with `IORING_RECV_MULTISHOT` (Linux 6.0) into a
    /// provided-buffer ring of its own: one request for every datagram, not one each.
    ///
    /// Each buffer holds the kernel's `io_uring_recvmsg_out` header, the sender's
    /// address and the payload; the element is a copy, and the buffer goes back
    /// at once. While `limit` datagrams wait for the consumer, receiving pauses;
    /// datagrams that then overflow the socket's receive buffer are dropped by
    /// the kernel, as UDP does.
    /// - Parameters:
    ///   - socket: a datagram socket.
    ///   - buffers: the ring's size, a power of two up to 32768.
    ///   - maximumSize: the longest payload kept whole; longer ones are cut.
    ///   - limit: datagrams waiting before receiving pauses.
    public func datagramStream(
        _ socket: FileDescriptor, buffers: UInt32 = 64, maximumSize: Int = 2048, limit: Int = 256
    ) -> RingStream<Datagram> {
        let header = MessageHeader(vectors: 0, receiving: true)
        let layout = header.message.pointee
        let bufferSize = ReceivedMessage.headerSize + Int(layout.msg_namelen) + max(0, maximumSize)
        return providedBufferStream(buffers: buffers, bufferSize: bufferSize, limit: limit, keepAlive: header) { group in
            // SAFETY: the header is kept alive while the operation is armed.
            ReceiveMessage(.descriptor(socket), message: header.message, bufferGroup: group, multishot: true)
        } element: { box, id, bytes throws(UringError) in
            defer { box.recycle(id) }
            guard let message = ReceivedMessage(bytes, header: layout) else {
                throw UringError(errno: .ioError, operation: "recvmsg", detail: "a \(bytes.count)-byte buffer is too short for its header")
            }
            return Datagram(message)
        }.stream
    }
}

extension Datagram {
    /// A copy of what `message` holds.
    init(_ message: ReceivedMessage) {
        var storage = sockaddr_storage()
        let length = min(Int(message.nameLength), message.name.count, MemoryLayout<sockaddr_storage>.size)
        withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: message.name.prefix(length))) }
        bytes = Array(message.payload)
        sender = SocketAddress(storage, length: socklen_t(length))
        truncated = message.flags & UInt32(MSG_TRUNC) != 0
    }
}
