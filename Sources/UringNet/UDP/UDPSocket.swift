import Glibc
import Uring
import UringAsync

/// A datagram socket (UDP, or a Unix-domain datagram socket) served by one
/// `RingExecutor`.
///
/// Send to any address with ``send(_:count:to:timeout:)`` and receive with the
/// sender's address (``receive(into:count:timeout:)``, one operation each, or
/// ``datagrams(maximumSize:buffers:)``, one multishot operation for all); or
/// ``connect(to:)`` to one peer and use ``send(_:count:timeout:)``.
public final class UDPSocket: RingSocket {
    let lifetime: SocketLifetime
    /// The executor whose ring runs this socket's operations.
    public var executor: RingExecutor { lifetime.executor }

    private init(_ fd: FileDescriptor, executor: RingExecutor) {
        lifetime = SocketLifetime(fd, executor: executor, kind: "UDP socket")
    }

    /// The socket's descriptor, owned by the socket.
    /// - Throws: `UringError` `EBADF` once the socket is closed.
    public var descriptor: FileDescriptor {
        get throws { try lifetime.descriptor(for: "descriptor") }
    }

    /// A socket bound to `address` (port 0: a free port; see `localAddress`).
    /// - Parameters:
    ///   - address: where to receive: `.ipv4Any(port: 0)`, `.ipv6Loopback(port:)`, …
    ///   - executor: the executor whose ring runs the socket's operations.
    ///   - reusePort: let other sockets bind the same address (`SO_REUSEPORT`).
    /// - Throws: `UringError` with the address in the detail: `EADDRINUSE` (operation `bind`), …
    public static func bind(to address: SocketAddress, on executor: RingExecutor, reusePort: Bool = false) throws -> UDPSocket {
        let fd = try SocketCalls.open(for: address, .datagram)
        do {
            if reusePort { try SocketCalls.enable(.reusePort, on: fd) }
            try SocketCalls.bind(fd, to: address)
        } catch {
            _ = try? fd.close()
            throw error
        }
        return UDPSocket(fd, executor: executor)
    }

    /// Connects to one peer: later sends go there, and only its datagrams arrive.
    /// connect(2) on a datagram socket never blocks, so it runs in place.
    /// - Throws: `UringError` (operation `connect`) with the address in the detail.
    public func connect(to address: SocketAddress) throws {
        let fd = try descriptor
        guard address.withSockaddr({ Glibc.connect(fd.rawValue, $0, $1) }) == 0 else {
            throw UringError(errno: Errno(rawValue: errno), operation: "connect", detail: "\(address)")
        }
    }

    /// The connected peer: getpeername(2).
    /// - Throws: `UringError` `ENOTCONN` when not connected.
    public var remoteAddress: SocketAddress {
        get throws { try SocketCalls.address(of: descriptor, peer: true) }
    }

    /// Sends the first `count` bytes of `buffer` (default: all) as one datagram to `address`.
    ///
    /// **Ownership**: the buffer belongs to the kernel until the completion and comes back then.
    /// - Throws: `UringError` (operation `send`): `EMSGSIZE` for a datagram too
    ///   large, `ENETUNREACH`, `EBADF` after close, …
    @discardableResult
    public func send(_ buffer: IOBuffer, count: Int? = nil, to address: SocketAddress, timeout: Duration? = nil) async throws -> IOBuffer {
        let slice = try buffer.prefix(count, for: "send")
        return try await lifetime.run("send") { fd in
            let (sent, _) = try await executor.send(fd, from: slice, to: address, flags: .noSignal, timeout: timeout)
            try Self.checkWhole(sent, slice.range.count)
            return buffer
        }
    }

    /// Sends the first `count` bytes of `buffer` (default: all) as one datagram to the connected peer.
    /// - Throws: `UringError` (operation `send`) `EDESTADDRREQ` when not connected; `ECONNREFUSED`
    ///   after the peer's port answered unreachable; as ``send(_:count:to:timeout:)``.
    @discardableResult
    public func send(_ buffer: IOBuffer, count: Int? = nil, timeout: Duration? = nil) async throws -> IOBuffer {
        let slice = try buffer.prefix(count, for: "send")
        return try await lifetime.run("send") { fd in
            let (sent, _) = try await executor.send(fd, from: slice, flags: .noSignal, timeout: timeout)
            try Self.checkWhole(sent, slice.range.count)
            return buffer
        }
    }

    /// Receives one datagram of up to `count` bytes (default: the buffer's capacity) with its
    /// sender: `IORING_OP_RECVMSG`. A longer datagram is cut and `truncated` says so.
    ///
    /// **Ownership**: the buffer belongs to the kernel until the completion and comes back then.
    /// - Throws: `UringError` (operation `recvmsg`), `EBADF` after close, `ETIME`
    ///   when `timeout` ran out; `CancellationError`.
    public func receive(into buffer: IOBuffer, count: Int? = nil, timeout: Duration? = nil) async throws -> (
        count: Int, sender: SocketAddress, truncated: Bool, buffer: IOBuffer
    ) {
        try await lifetime.run("recvmsg") { fd in
            let received = try await executor.receiveMessage(fd, into: buffer, count: count, timeout: timeout)
            let sender = received.sender ?? SocketAddress(sockaddr_storage(), length: 0)
            return (received.count, sender, received.truncated, buffer)
        }
    }

    /// Every datagram that arrives, with its sender, as an `AsyncSequence`: one
    /// multishot `IORING_OP_RECVMSG` (Linux 6.0) into a ring of `buffers`
    /// provided buffers, rather than a request per datagram. Each element is a
    /// copy; a payload longer than `maximumSize` is cut and says so (`truncated`).
    /// While 4 × `buffers` datagrams wait for the consumer, receiving pauses and
    /// the kernel drops what overflows the socket, as UDP does. The sequence ends
    /// (nil) at ``close()``; iterate it from one task.
    /// - Throws: `UringError` `EBADF` once the socket is closed.
    public func datagrams(maximumSize: Int = 2048, buffers: Int = 64) throws -> RingStream<Datagram> {
        let fd = try lifetime.descriptor(for: "recvmsg")
        let ring = UInt32(clamping: max(2, buffers))
        let stream = executor.datagramStream(fd, buffers: ring, maximumSize: maximumSize, limit: 4 * Int(ring))
        if !lifetime.onClose("datagrams", stream.stopper) { stream.cancel() }
        return stream
    }

    /// Joins the IPv4 multicast `group` (`IP_ADD_MEMBERSHIP`) on the interface with
    /// `interface`'s address (default: the kernel's choice).
    /// - Throws: `UringError` (operation `setsockopt`) `EINVAL` for an address that is not IPv4 multicast.
    public func joinMulticastGroup(_ group: SocketAddress, interface: SocketAddress? = nil) throws {
        try membership(IP_ADD_MEMBERSHIP, group, interface)
    }

    /// Leaves an IPv4 multicast group (`IP_DROP_MEMBERSHIP`).
    /// - Throws: `UringError` (operation `setsockopt`) `EADDRNOTAVAIL` when not a member.
    public func leaveMulticastGroup(_ group: SocketAddress, interface: SocketAddress? = nil) throws {
        try membership(IP_DROP_MEMBERSHIP, group, interface)
    }

    /// Cancels pending sends and receives (they throw `ECANCELED`), waits for them,
    /// and closes the descriptor. Later operations throw `EBADF`.
    /// - Throws: `UringError` (operation `close`) when close(2) fails.
    public func close() async throws {
        try await lifetime.close()
    }

    private func membership(_ name: Int32, _ group: SocketAddress, _ interface: SocketAddress?) throws {
        guard group.family == AF_INET, interface == nil || interface?.family == AF_INET else {
            throw UringError(errno: .invalidArgument, operation: "setsockopt", detail: "IPv4 multicast needs IPv4 addresses, not \(group)")
        }
        var request = ip_mreq()
        request.imr_multiaddr = group.withSockaddr { address, _ in
            UnsafeRawPointer(address).assumingMemoryBound(to: sockaddr_in.self).pointee.sin_addr
        }
        if let interface {
            request.imr_interface = interface.withSockaddr { address, _ in
                UnsafeRawPointer(address).assumingMemoryBound(to: sockaddr_in.self).pointee.sin_addr
            }
        }
        let fd = try descriptor
        guard setsockopt(fd.rawValue, Int32(IPPROTO_IP), name, &request, socklen_t(MemoryLayout<ip_mreq>.size)) == 0 else {
            throw UringError(errno: Errno(rawValue: errno), operation: "setsockopt", detail: "multicast membership of \(group)")
        }
    }

    /// A datagram goes whole or not at all.
    private static func checkWhole(_ sent: Int, _ length: Int) throws(UringError) {
        if sent != length {
            throw UringError(errno: .messageTooLong, operation: "send", detail: "sent \(sent) of a \(length)-byte datagram")
        }
    }
}
