import Glibc

/// One message of a multishot ``ReceiveMessage``, parsed from the provided
/// buffer the kernel filled: a `struct io_uring_recvmsg_out` header (16 bytes),
/// then the source address, the control data and the payload.
///
/// liburing's `io_uring_recvmsg_validate`, `_name`, `_cmsg_firsthdr` and `_payload`.
public struct ReceivedMessage {
    /// `namelen`: the source address's full length (may exceed the space reserved).
    public let nameLength: UInt32
    /// `controllen`: the control data's length.
    public let controlLength: UInt32
    /// `payloadlen`: the payload's full length (may exceed what fitted: see `MSG_TRUNC` in ``flags``).
    public let payloadLength: UInt32
    /// `flags`: the `MSG_*` flags of the message.
    public let flags: UInt32
    /// The source address bytes (the space the msghdr reserved).
    public let name: UnsafeRawBufferPointer
    /// The control data bytes.
    public let control: UnsafeRawBufferPointer
    /// The payload bytes that fitted in the buffer.
    public let payload: UnsafeRawBufferPointer

    /// The header size, `sizeof(struct io_uring_recvmsg_out)`.
    public static let headerSize = 16

    /// Parses `buffer` (the completion's result bytes of the selected buffer)
    /// with the name and control space `header` reserved; nil if too short.
    public init?(_ buffer: UnsafeRawBufferPointer, header: msghdr) {
        let nameSpace = Int(header.msg_namelen)
        let controlSpace = Int(header.msg_controllen)
        let start = ReceivedMessage.headerSize + nameSpace + controlSpace
        guard let base = buffer.baseAddress, buffer.count >= start else { return nil }
        nameLength = base.loadUnaligned(as: UInt32.self)
        controlLength = base.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        payloadLength = base.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
        flags = base.loadUnaligned(fromByteOffset: 12, as: UInt32.self)
        name = UnsafeRawBufferPointer(rebasing: buffer[16..<(16 + nameSpace)])
        control = UnsafeRawBufferPointer(
            rebasing: buffer[(16 + nameSpace)..<(16 + nameSpace + min(controlSpace, Int(controlLength)))])
        payload = UnsafeRawBufferPointer(rebasing: buffer[start...])
    }
}
