/// A socket's address family (`AF_*`), for ``RingExecutor/socket(_:_:protocol:)``.
public struct SocketDomain: RawRepresentable, Hashable, Sendable {
    /// The kernel's `AF_*` number.
    public let rawValue: Int32

    /// The family with the kernel's number.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// `AF_UNIX`: a Unix-domain socket (a path or an abstract name).
    public static let unix = SocketDomain(rawValue: 1)
    /// `AF_INET`: IPv4.
    public static let ipv4 = SocketDomain(rawValue: 2)
    /// `AF_INET6`: IPv6.
    public static let ipv6 = SocketDomain(rawValue: 10)
}

/// A socket's type (`SOCK_*`), for ``RingExecutor/socket(_:_:protocol:)``.
public struct SocketType: RawRepresentable, Hashable, Sendable {
    /// The kernel's `SOCK_*` number.
    public let rawValue: Int32

    /// The type with the kernel's number.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// `SOCK_STREAM`: a connected byte stream (TCP, a Unix stream socket).
    public static let stream = SocketType(rawValue: 1)
    /// `SOCK_DGRAM`: datagrams (UDP, a Unix datagram socket).
    public static let datagram = SocketType(rawValue: 2)
    /// `SOCK_RAW`: raw packets.
    public static let raw = SocketType(rawValue: 3)
    /// `SOCK_SEQPACKET`: connected, ordered, message-preserving.
    public static let sequencedPacket = SocketType(rawValue: 5)
}

/// A socket's protocol (`IPPROTO_*`), for ``RingExecutor/socket(_:_:protocol:)``.
public struct SocketProtocol: RawRepresentable, Hashable, Sendable {
    /// The kernel's protocol number.
    public let rawValue: Int32

    /// The protocol with the kernel's number.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// 0: the family's usual protocol for the type.
    public static let `default` = SocketProtocol(rawValue: 0)
    /// `IPPROTO_TCP`.
    public static let tcp = SocketProtocol(rawValue: 6)
    /// `IPPROTO_UDP`.
    public static let udp = SocketProtocol(rawValue: 17)
}

/// Which halves of a connection ``RingExecutor/shutdownSocket(_:_:)`` shuts down (`SHUT_*`).
public enum SocketShutdown: Int32, Sendable {
    /// `SHUT_RD`: no more receiving.
    case reading = 0
    /// `SHUT_WR`: no more sending; the peer reads end of file.
    case writing = 1
    /// `SHUT_RDWR`: both.
    case both = 2
}
