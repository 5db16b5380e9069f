import Glibc

/// Sends a driver-specific command to a file: `IORING_OP_URING_CMD` (Linux 5.19).
///
/// The meaning of `command` and the 16 command bytes belongs to the file's
/// driver (NVMe passthrough, ublk, sockets — see ``SocketCommand``). On a ring
/// with ``SetupFlags/sqe128``, fill the 80 command bytes through
/// ``Ring/nextSubmission()`` and ``SubmissionQueueEntry128`` instead.
public struct UringCommand: RingOperation {
    /// `IORING_OP_URING_CMD`.
    public var opcode: Opcode { .uringCommand }
    /// `BLOCK_URING_CMD_DISCARD`: discard a byte range of a block device (Linux 6.12).
    public static let blockDiscard: UInt32 = 0x1200
    /// The file.
    public var file: FileTarget
    /// `cmd_op`.
    public var command: UInt32
    /// `addr`.
    public var address: UInt64
    /// The 16 command bytes at `addr3` (`cmd[0..<16]`).
    public var data: (UInt64, UInt64)

    /// A command to `file`.
    @inlinable
    public init(_ file: FileTarget, command: UInt32, address: UInt64 = 0, data: (UInt64, UInt64) = (0, 0)) {
        self.file = file
        self.command = command
        self.address = address
        self.data = data
    }

    /// A discard of `length` bytes at `offset` of a block device (liburing's `io_uring_prep_cmd_discard`).
    @inlinable
    public static func discard(_ file: FileTarget, offset: UInt64, length: UInt64) -> UringCommand {
        UringCommand(file, command: blockDiscard, address: offset, data: (length, 0))
    }

    /// Writes the file, `cmd_op`, `addr` and the command bytes.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        file.apply(to: &entry)
        entry.offset = UInt64(command)
        entry.address = address
        entry.address3 = data.0
        entry.extra = data.1
    }
}

/// A socket command through `IORING_OP_URING_CMD`: the `SOCKET_URING_OP_*`
/// commands (Linux 6.7; getsockname Linux 6.19).
public struct SocketCommand: RingOperation {
    /// `IORING_OP_URING_CMD`.
    public var opcode: Opcode { .uringCommand }

    /// Which socket command.
    public enum Command {
        /// `SOCKET_URING_OP_SIOCINQ`: bytes waiting to be read (the completion's result).
        case bytesToRead
        /// `SOCKET_URING_OP_SIOCOUTQ`: bytes not yet sent (the completion's result).
        case bytesToSend
        /// `SOCKET_URING_OP_GETSOCKOPT`: `getsockopt(level, name)` into `value`; completes with the length.
        case getOption(level: Int32, name: Int32, value: UnsafeMutableRawBufferPointer)
        /// `SOCKET_URING_OP_SETSOCKOPT`: `setsockopt(level, name, value)`.
        case setOption(level: Int32, name: Int32, value: UnsafeRawBufferPointer)
        /// `SOCKET_URING_OP_GETSOCKNAME`: the local (or, with `peer`, remote) address into `address`,
        /// its length through `length`.
        case getName(address: UnsafeMutablePointer<sockaddr>, length: UnsafeMutablePointer<socklen_t>, peer: Bool)

        /// The `SOCKET_URING_OP_*` value.
        @inlinable
        public var rawValue: UInt32 {
            switch self {
            case .bytesToRead: return 0
            case .bytesToSend: return 1
            case .getOption: return 2
            case .setOption: return 3
            case .getName: return 5
            }
        }
    }

    /// The socket.
    public var socket: FileTarget
    /// The command.
    public var command: Command

    /// `command` on `socket`.
    /// **Ownership**: option values and address buffers stay valid until the completion is consumed.
    @inlinable
    public init(_ socket: FileTarget, _ command: Command) {
        self.socket = socket
        self.command = command
    }

    /// Writes the socket, `cmd_op`, and `level`/`optname`/`optlen`/`optval` or the address fields.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        socket.apply(to: &entry)
        entry.offset = UInt64(command.rawValue)
        switch command {
        case .bytesToRead, .bytesToSend:
            break
        case .getOption(let level, let name, let value):
            entry.setSocketOption(level: level, name: name, value: UnsafeRawPointer(value.baseAddress), count: value.count)
        case .setOption(let level, let name, let value):
            entry.setSocketOption(level: level, name: name, value: value.baseAddress, count: value.count)
        case .getName(let address, let length, let peer):
            entry.address = .address(address)
            entry.address3 = .address(length)
            entry.fileIndex = peer ? 1 : 0
        }
    }
}

extension SubmissionQueueEntry {
    /// `level` and `optname` in the two halves of `addr`, `optlen` and `optval`.
    @inlinable
    mutating func setSocketOption(level: Int32, name: Int32, value: UnsafeRawPointer?, count: Int) {
        address = UInt64(UInt32(bitPattern: name)) << 32 | UInt64(UInt32(bitPattern: level))
        fileIndex = UInt32(clamping: count)
        address3 = .address(value)
    }
}

/// Receives into a zero-copy receive queue: `IORING_OP_RECV_ZC` (Linux 6.15).
///
/// Needs an interface queue registered with `IORING_REGISTER_ZCRX_IFQ` on a NIC
/// with header split and flow steering; loopback and virtual NICs cannot.
public struct ReceiveZeroCopy: RingOperation {
    /// `IORING_OP_RECV_ZC`.
    public var opcode: Opcode { .recvZeroCopy }
    /// The socket.
    public var socket: FileTarget
    /// The registered interface queue's index (`zcrx_ifq_idx`).
    public var queueIndex: UInt32
    /// The most bytes to receive; 0 for no limit.
    public var length: UInt32
    /// `MSG_*` flags.
    public var flags: Int32

    /// A multishot zero-copy receive on `socket` through queue `queueIndex`.
    @inlinable
    public init(_ socket: FileTarget, queueIndex: UInt32, length: UInt32 = 0, flags: Int32 = 0) {
        self.socket = socket
        self.queueIndex = queueIndex
        self.length = length
        self.flags = flags
    }

    /// Writes the socket, length, `msg_flags`, the multishot bit and `zcrx_ifq_idx`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        socket.apply(to: &entry)
        entry.length = length
        entry.operationFlags = UInt32(bitPattern: flags)
        entry.ioPriority = SendReceiveFlags.multishot
        entry.fileIndex = queueIndex
    }
}
