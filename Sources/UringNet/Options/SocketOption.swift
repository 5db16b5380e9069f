import Glibc

/// A socket option (setsockopt(2), getsockopt(2)) and the type of its value.
///
/// Set and read one on any ``RingSocket``:
/// `try connection.setOption(.noDelay, true)`, `try listener.option(.reusePort)`.
public struct SocketOption<Value: Sendable>: Sendable, CustomStringConvertible {
    /// The option's level (`SOL_SOCKET`, `IPPROTO_TCP`, `IPPROTO_IP`, …).
    let level: Int32
    /// The option's name at that level (`SO_KEEPALIVE`, `TCP_NODELAY`, …).
    let name: Int32
    /// The kernel's name for errors: `TCP_NODELAY`.
    public let description: String
}

extension SocketOption where Value == Bool {
    /// `TCP_NODELAY`: send small writes at once instead of coalescing them (Nagle off).
    public static var noDelay: Self { Self(level: Int32(IPPROTO_TCP), name: TCP_NODELAY, description: "TCP_NODELAY") }
    /// `SO_KEEPALIVE`: probe an idle connection, and fail it when the peer is gone.
    public static var keepAlive: Self { Self(level: SOL_SOCKET, name: SO_KEEPALIVE, description: "SO_KEEPALIVE") }
    /// `SO_REUSEADDR`: bind a port that still has connections in `TIME_WAIT`.
    public static var reuseAddress: Self { Self(level: SOL_SOCKET, name: SO_REUSEADDR, description: "SO_REUSEADDR") }
    /// `SO_REUSEPORT`: several sockets bind the same address; the kernel spreads
    /// connections (or datagrams) over them.
    public static var reusePort: Self { Self(level: SOL_SOCKET, name: SO_REUSEPORT, description: "SO_REUSEPORT") }
    /// `SO_BROADCAST`: a datagram socket may send to a broadcast address.
    public static var broadcast: Self { Self(level: SOL_SOCKET, name: SO_BROADCAST, description: "SO_BROADCAST") }
    /// `IP_MULTICAST_LOOP`: IPv4 multicast this host sends is delivered to it too.
    public static var multicastLoop: Self {
        Self(level: Int32(IPPROTO_IP), name: IP_MULTICAST_LOOP, description: "IP_MULTICAST_LOOP")
    }
    /// `IPV6_V6ONLY`: an IPv6 socket takes IPv6 only, not IPv4-mapped addresses.
    public static var ipv6Only: Self { Self(level: Int32(IPPROTO_IPV6), name: IPV6_V6ONLY, description: "IPV6_V6ONLY") }
}

extension SocketOption where Value == Int {
    /// `SO_RCVBUF`: the receive buffer's size in bytes (the kernel doubles what is set).
    public static var receiveBufferSize: Self { Self(level: SOL_SOCKET, name: SO_RCVBUF, description: "SO_RCVBUF") }
    /// `SO_SNDBUF`: the send buffer's size in bytes (the kernel doubles what is set).
    public static var sendBufferSize: Self { Self(level: SOL_SOCKET, name: SO_SNDBUF, description: "SO_SNDBUF") }
    /// `IP_MULTICAST_TTL`: how many hops IPv4 multicast this socket sends may take.
    public static var multicastTimeToLive: Self {
        Self(level: Int32(IPPROTO_IP), name: IP_MULTICAST_TTL, description: "IP_MULTICAST_TTL")
    }
}

extension SocketOption where Value == Duration? {
    /// `SO_LINGER`: how long close waits to send what is queued (whole seconds);
    /// nil turns lingering off. Zero makes close reset the connection.
    public static var linger: Self { Self(level: SOL_SOCKET, name: SO_LINGER, description: "SO_LINGER") }
}
