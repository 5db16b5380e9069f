import Glibc

/// Creates a socket: `IORING_OP_SOCKET`, like socket(2) (Linux 5.19);
/// into a registered-file slot when `slot` is set.
///
/// Completes with the descriptor (or the chosen slot for ``FixedSlot/anyFree``).
public struct Socket: RingOperation {
    /// `IORING_OP_SOCKET`.
    public var opcode: Opcode { .socket }
    /// `AF_*` domain.
    public var domain: Int32
    /// `SOCK_*` type, optionally with `SOCK_NONBLOCK` / `SOCK_CLOEXEC`.
    public var type: Int32
    /// The protocol, usually 0.
    public var protocolNumber: Int32
    /// Install the socket in this registered slot instead of the descriptor table.
    public var slot: FixedSlot?

    /// A socket of `domain` and `type`.
    @inlinable
    public init(domain: Int32, type: Int32, protocol protocolNumber: Int32 = 0, slot: FixedSlot? = nil) {
        self.domain = domain
        self.type = type
        self.protocolNumber = protocolNumber
        self.slot = slot
    }

    /// Writes domain in `fd`, type in `off`, protocol in `len`, and `file_index`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.fd = domain
        entry.offset = UInt64(UInt32(bitPattern: type))
        entry.length = UInt32(bitPattern: protocolNumber)
        entry.fileIndex = slot?.fileIndexValue ?? 0
    }
}

/// Binds a socket to an address: `IORING_OP_BIND`, like bind(2) (Linux 6.11).
///
/// **Ownership**: `address` stays valid until the completion is consumed.
public struct Bind: RingOperation {
    /// `IORING_OP_BIND`.
    public var opcode: Opcode { .bind }
    /// The socket.
    public var socket: FileTarget
    /// The address.
    public var address: UnsafePointer<sockaddr>
    /// Its length.
    public var length: socklen_t

    /// A bind of `socket` to `address`.
    @unsafe @inlinable
    public init(_ socket: FileTarget, to address: UnsafePointer<sockaddr>, length: socklen_t) {
        self.socket = socket
        self.address = address
        self.length = length
    }

    /// Writes the socket, the address in `addr` and its length in `addr2`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.setSocketAddress(socket, address, length: length)
    }
}

/// Marks a socket as accepting connections: `IORING_OP_LISTEN`, like listen(2) (Linux 6.11).
public struct Listen: RingOperation {
    /// `IORING_OP_LISTEN`.
    public var opcode: Opcode { .listen }
    /// The bound socket.
    public var socket: FileTarget
    /// The queue length for pending connections.
    public var backlog: Int32

    /// A listen on `socket`.
    @inlinable
    public init(_ socket: FileTarget, backlog: Int32 = 128) {
        self.socket = socket
        self.backlog = backlog
    }

    /// Writes the socket and the backlog in `len`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        socket.apply(to: &entry)
        entry.length = UInt32(bitPattern: backlog)
    }
}

/// Connects a socket: `IORING_OP_CONNECT`, like connect(2) (Linux 5.5).
///
/// **Ownership**: `address` stays valid until the completion is consumed.
public struct Connect: RingOperation {
    /// `IORING_OP_CONNECT`.
    public var opcode: Opcode { .connect }
    /// The socket.
    public var socket: FileTarget
    /// The peer's address.
    public var address: UnsafePointer<sockaddr>
    /// Its length.
    public var length: socklen_t

    /// A connect of `socket` to `address`.
    @unsafe @inlinable
    public init(_ socket: FileTarget, to address: UnsafePointer<sockaddr>, length: socklen_t) {
        self.socket = socket
        self.address = address
        self.length = length
    }

    /// Writes the socket, the address in `addr` and its length in `off`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.setSocketAddress(socket, address, length: length)
    }
}

/// Accepts a connection: `IORING_OP_ACCEPT`, like accept4(2) (Linux 5.5);
/// multishot (one completion per connection, Linux 5.19) and into registered
/// slots (Linux 5.15).
///
/// Completes with the new descriptor (or slot). A multishot accept posts
/// completions with ``Completion/hasMore`` until it fails or is cancelled;
/// a multishot accept into the file table needs ``FixedSlot/anyFree``.
/// **Ownership**: `address` and `addressLength` stay valid until the final completion.
public struct Accept: RingOperation {
    /// `IORING_OP_ACCEPT`.
    public var opcode: Opcode { .accept }
    /// `IORING_ACCEPT_MULTISHOT`.
    public static let multishotFlag: UInt16 = 1 << 0
    /// `IORING_ACCEPT_DONTWAIT`: fail with `EAGAIN` instead of waiting (Linux 6.10).
    public static let dontWaitFlag: UInt16 = 1 << 1
    /// `IORING_ACCEPT_POLL_FIRST`: poll before trying (Linux 6.10).
    public static let pollFirstFlag: UInt16 = 1 << 2
    /// The listening socket.
    public var socket: FileTarget
    /// Where the peer's address goes, or nil.
    public var address: UnsafeMutablePointer<sockaddr>?
    /// In: the address buffer's size; out: the address's length. Nil with a nil address.
    public var addressLength: UnsafeMutablePointer<socklen_t>?
    /// `SOCK_NONBLOCK` / `SOCK_CLOEXEC` for the new socket.
    public var flags: Int32
    /// Keep accepting.
    public var multishot: Bool
    /// Install accepted sockets in the registered file table.
    public var slot: FixedSlot?

    /// An accept on `socket`.
    @unsafe @inlinable
    public init(
        _ socket: FileTarget, address: UnsafeMutablePointer<sockaddr>? = nil,
        addressLength: UnsafeMutablePointer<socklen_t>? = nil, flags: Int32 = 0, multishot: Bool = false,
        slot: FixedSlot? = nil
    ) {
        self.socket = socket
        self.address = address
        self.addressLength = addressLength
        self.flags = flags
        self.multishot = multishot
        self.slot = slot
    }

    /// Writes the socket, address, length pointer in `addr2`, `accept_flags`,
    /// the multishot bit in `ioprio` and `file_index`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        socket.apply(to: &entry)
        entry.address = .address(address)
        entry.offset = .address(addressLength)
        entry.operationFlags = UInt32(bitPattern: flags)
        entry.ioPriority = multishot ? Accept.multishotFlag : 0
        entry.fileIndex = slot?.fileIndexValue ?? 0
    }
}

/// Shuts down part of a connection: `IORING_OP_SHUTDOWN`, like shutdown(2) (Linux 5.11).
public struct Shutdown: RingOperation {
    /// `IORING_OP_SHUTDOWN`.
    public var opcode: Opcode { .shutdown }
    /// The socket.
    public var socket: FileTarget
    /// `SHUT_RD`, `SHUT_WR` or `SHUT_RDWR`.
    public var how: Int32

    /// A shutdown of `socket`.
    @inlinable
    public init(_ socket: FileTarget, how: Int32) {
        self.socket = socket
        self.how = how
    }

    /// Writes the socket and `how` in `len`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        socket.apply(to: &entry)
        entry.length = UInt32(bitPattern: how)
    }
}

extension SubmissionQueueEntry {
    /// The layout bind and connect share: the socket, the address in `addr`,
    /// its length in `off`.
    @inlinable
    mutating func setSocketAddress(_ socket: FileTarget, _ address: UnsafePointer<sockaddr>, length: socklen_t) {
        socket.apply(to: &self)
        self.address = .address(address)
        offset = UInt64(length)
    }
}
