import Glibc

/// The `ioprio` bits of send and receive operations.
public enum SendReceiveFlags {
    /// `IORING_RECVSEND_POLL_FIRST`: poll before trying.
    public static let pollFirst: UInt16 = 1 << 0
    /// `IORING_RECV_MULTISHOT`: keep receiving.
    public static let multishot: UInt16 = 1 << 1
    /// `IORING_RECVSEND_FIXED_BUF`: the buffer is registered.
    public static let fixedBuffer: UInt16 = 1 << 2
    /// `IORING_SEND_ZC_REPORT_USAGE`: the notification says whether data was copied.
    public static let reportUsage: UInt16 = 1 << 3
    /// `IORING_RECVSEND_BUNDLE`: use several provided buffers at once (Linux 6.10).
    public static let bundle: UInt16 = 1 << 4
    /// `IORING_NOTIF_USAGE_ZC_COPIED`: in a zero-copy notification's result, the data was copied.
    public static let zeroCopyCopied: Int32 = Int32(bitPattern: 1 << 31)
}

/// Sends bytes on a socket: `IORING_OP_SEND` like send(2) / sendto(2) (Linux 5.6;
/// destination address Linux 6.0), or `IORING_OP_SEND_ZC` without copying (Linux 6.0).
///
/// The buffer may be plain, registered (fixed-buffer send), or provided — the
/// kernel then sends from the group's buffers, several at once with `bundle`.
/// A zero-copy send completes twice: the result with ``Completion/hasMore``, then a
/// notification (``Completion/isNotification``) when the kernel no longer reads the buffer.
/// **Ownership**: the buffer and destination stay valid until the final completion
/// (for zero-copy, the notification) is consumed.
public struct Send: RingOperation {
    /// `IORING_OP_SEND_ZC` when zero-copy, else `IORING_OP_SEND`.
    public var opcode: Opcode { zeroCopy ? .sendZeroCopy : .send }
    /// The socket.
    public var socket: FileTarget
    /// The bytes.
    public var buffer: BufferTarget<KernelReads>
    /// `MSG_*` flags.
    public var flags: Int32
    /// Where to send on an unconnected socket, or nil.
    public var destination: UnsafePointer<sockaddr>?
    /// The destination's length.
    public var destinationLength: socklen_t
    /// Send without copying (`IORING_OP_SEND_ZC`).
    public var zeroCopy: Bool
    /// Send several provided buffers in one go (``SendReceiveFlags/bundle``).
    public var bundle: Bool
    /// Extra ``SendReceiveFlags`` bits, such as ``SendReceiveFlags/reportUsage``.
    public var extraFlags: UInt16

    /// A send of `buffer` on `socket`.
    @unsafe @inlinable
    public init(
        _ socket: FileTarget, _ buffer: BufferTarget<KernelReads>, flags: Int32 = 0, to destination: UnsafePointer<sockaddr>? = nil,
        destinationLength: socklen_t = 0, zeroCopy: Bool = false, bundle: Bool = false, extraFlags: UInt16 = 0
    ) {
        self.socket = socket
        self.buffer = buffer
        self.flags = flags
        self.destination = destination
        self.destinationLength = destinationLength
        self.zeroCopy = zeroCopy
        self.bundle = bundle
        self.extraFlags = extraFlags
    }

    /// Writes the socket, buffer, `msg_flags`, the destination in `addr2`/`addr_len` and `ioprio` bits.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        socket.apply(to: &entry)
        buffer.apply(to: &entry)
        entry.operationFlags = UInt32(bitPattern: flags)
        entry.offset = .address(destination)
        entry.fileIndex = destination == nil ? 0 : UInt32(destinationLength)
        entry.ioPriority =
            extraFlags | (buffer.isRegistered ? SendReceiveFlags.fixedBuffer : 0)
            | (bundle ? SendReceiveFlags.bundle : 0)
    }
}

/// Receives bytes from a socket: `IORING_OP_RECV`, like recv(2) (Linux 5.6);
/// multishot into provided buffers (Linux 6.0), bundles (Linux 6.10).
///
/// Completes with the bytes received (0 when the peer closed). A multishot
/// receive posts one completion per chunk with ``Completion/hasMore`` and
/// ``Completion/bufferID``; it ends with a completion without "more" (`-ENOBUFS`
/// when the group ran dry, 0 at end of stream).
/// **Ownership**: a plain or registered buffer stays valid until the completion is consumed.
public struct Receive: RingOperation {
    /// `IORING_OP_RECV`.
    public var opcode: Opcode { .recv }
    /// The socket.
    public var socket: FileTarget
    /// Where the bytes go; ``BufferTarget/provided(group:length:)`` for multishot.
    public var buffer: BufferTarget<KernelWrites>
    /// `MSG_*` flags.
    public var flags: Int32
    /// Keep receiving (needs a provided buffer).
    public var multishot: Bool
    /// Fill several provided buffers per completion.
    public var bundle: Bool

    /// A receive on `socket` into `buffer`.
    @inlinable
    public init(
        _ socket: FileTarget, into buffer: BufferTarget<KernelWrites>, flags: Int32 = 0, multishot: Bool = false, bundle: Bool = false
    ) {
        self.socket = socket
        self.buffer = buffer
        self.flags = flags
        self.multishot = multishot
        self.bundle = bundle
    }

    /// Writes the socket, buffer, `msg_flags` and the `ioprio` bits.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        socket.apply(to: &entry)
        buffer.apply(to: &entry)
        entry.operationFlags = UInt32(bitPattern: flags)
        entry.ioPriority =
            (multishot ? SendReceiveFlags.multishot : 0) | (bundle ? SendReceiveFlags.bundle : 0)
            | (buffer.isRegistered ? SendReceiveFlags.fixedBuffer : 0)
    }
}

/// Sends a message: `IORING_OP_SENDMSG` like sendmsg(2) (Linux 5.3), or
/// `IORING_OP_SENDMSG_ZC` without copying (Linux 6.1; from a registered buffer Linux 6.18).
///
/// **Ownership**: the msghdr, its iovecs, name, control data and buffers stay
/// valid until the final completion (the notification, for zero-copy) is consumed.
public struct SendMessage: RingOperation {
    /// `IORING_OP_SENDMSG_ZC` when zero-copy, else `IORING_OP_SENDMSG`.
    public var opcode: Opcode { zeroCopy ? .sendmsgZeroCopy : .sendmsg }
    /// The socket.
    public var socket: FileTarget
    /// The message.
    public var message: UnsafePointer<msghdr>
    /// `MSG_*` flags.
    public var flags: Int32
    /// Send without copying.
    public var zeroCopy: Bool
    /// For zero-copy: the registered buffer every iovec lies in.
    public var registeredBuffer: UInt16?

    /// A sendmsg of `message` on `socket`.
    @unsafe @inlinable
    public init(
        _ socket: FileTarget, message: UnsafePointer<msghdr>, flags: Int32 = 0, zeroCopy: Bool = false,
        registeredBuffer: UInt16? = nil
    ) {
        self.socket = socket
        self.message = message
        self.flags = flags
        self.zeroCopy = zeroCopy
        self.registeredBuffer = registeredBuffer
    }

    /// Writes the socket, the msghdr address, `len` 1, `msg_flags` and a fixed buffer.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.setMessageHeader(socket, message, flags: flags)
        if let index = registeredBuffer {
            entry.ioPriority = SendReceiveFlags.fixedBuffer
            entry.bufferIndex = index
        }
    }
}

/// Receives a message: `IORING_OP_RECVMSG`, like recvmsg(2) (Linux 5.3);
/// multishot into provided buffers (Linux 6.0).
///
/// A multishot receive writes each message into a provided buffer laid out as
/// ``ReceivedMessage`` describes, sized by the msghdr's `msg_namelen` and `msg_controllen`.
/// **Ownership**: the msghdr and what it points to stay valid until the final completion.
public struct ReceiveMessage: RingOperation {
    /// `IORING_OP_RECVMSG`.
    public var opcode: Opcode { .recvmsg }
    /// The socket.
    public var socket: FileTarget
    /// The message header: buffers, or for provided buffers only the name and control sizes.
    public var message: UnsafeMutablePointer<msghdr>
    /// `MSG_*` flags.
    public var flags: Int32
    /// The provided-buffer group to receive into, or nil to use the msghdr's iovecs.
    public var bufferGroup: UInt16?
    /// Keep receiving (needs a buffer group).
    public var multishot: Bool

    /// A recvmsg on `socket`.
    @unsafe @inlinable
    public init(
        _ socket: FileTarget, message: UnsafeMutablePointer<msghdr>, flags: Int32 = 0, bufferGroup: UInt16? = nil,
        multishot: Bool = false
    ) {
        self.socket = socket
        self.message = message
        self.flags = flags
        self.bufferGroup = bufferGroup
        self.multishot = multishot
    }

    /// Writes the socket, the msghdr, `len` 1, `msg_flags`, the group and the multishot bit.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.setMessageHeader(socket, message, flags: flags)
        if let group = bufferGroup { entry.selectBuffer(from: group) }
        entry.ioPriority = multishot ? SendReceiveFlags.multishot : 0
    }
}

extension SubmissionQueueEntry {
    /// The layout sendmsg and recvmsg share: the socket, the msghdr in `addr`,
    /// `len` 1 and the `MSG_*` flags in `msg_flags`.
    @inlinable
    mutating func setMessageHeader(_ socket: FileTarget, _ message: UnsafeRawPointer, flags: Int32) {
        socket.apply(to: &self)
        address = .address(message)
        length = 1
        operationFlags = UInt32(bitPattern: flags)
    }
}
