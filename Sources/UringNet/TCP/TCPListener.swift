import Glibc
import Uring
import UringAsync

/// A listening stream socket (TCP, or a Unix-domain stream) whose accepted
/// connections arrive as an `AsyncSequence` (``connections``).
///
/// Bind one per server, and spread its connections over a `RingExecutorGroup`
/// (``connections(spreadingOver:pause:onPause:)``), or bind one per executor
/// with ``bindEach(to:on:backlog:)`` and let `SO_REUSEPORT` spread them.
public final class TCPListener: RingSocket {
    let lifetime: SocketLifetime
    /// The executor whose ring accepts.
    public var executor: RingExecutor { lifetime.executor }
    /// The bound address; for port 0, with the port the kernel chose.
    public let address: SocketAddress

    private init(_ fd: FileDescriptor, address: SocketAddress, executor: RingExecutor) {
        lifetime = SocketLifetime(fd, executor: executor, kind: "listener")
        self.address = address
    }

    /// The listening descriptor, owned by the listener.
    /// - Throws: `UringError` `EBADF` once the listener is closed.
    public var descriptor: FileDescriptor {
        get throws { try lifetime.descriptor(for: "descriptor") }
    }

    /// Binds `address` and listens: socket(2), `SO_REUSEADDR` (and `SO_REUSEPORT`
    /// when asked), bind(2), listen(2). Port 0 takes a free port (see ``address``).
    /// - Parameters:
    ///   - address: where to listen: `.ipv4Any(port:)`, `.ipv6Loopback(port:)`, `.unix(path:)`, …
    ///   - executor: the executor whose ring accepts.
    ///   - backlog: connections the kernel queues before they are accepted (capped by `net.core.somaxconn`).
    ///   - reusePort: let other sockets bind the same address (`SO_REUSEPORT`).
    /// - Throws: `UringError` with the address in the detail: `EADDRINUSE` (operation
    ///   `bind`) for an address in use, `EACCES`, `EMFILE`, …
    public static func bind(
        to address: SocketAddress, on executor: RingExecutor, backlog: Int = 511, reusePort: Bool = false
    ) throws -> TCPListener {
        let fd = try SocketCalls.open(for: address, .stream)
        do {
            if address.family != AF_UNIX {
                try SocketCalls.enable(.reuseAddress, on: fd)
                if reusePort { try SocketCalls.enable(.reusePort, on: fd) }
            }
            try SocketCalls.bind(fd, to: address)
            try SocketCalls.listen(fd, backlog: backlog, at: address)
            return TCPListener(fd, address: try SocketCalls.address(of: fd, peer: false), executor: executor)
        } catch {
            _ = try? fd.close()
            throw error
        }
    }

    /// One listener per executor of `group`, all bound to `address` with
    /// `SO_REUSEPORT`: the kernel spreads connections over them by a hash of
    /// each connection's addresses. For port 0, all take the port the first got.
    /// - Throws: as ``bind(to:on:backlog:reusePort:)``; listeners already bound are closed.
    public static func bindEach(to address: SocketAddress, on group: RingExecutorGroup, backlog: Int = 511) throws
        -> [TCPListener]
    {
        var listeners: [TCPListener] = []
        var target = address
        for executor in group.executors {
            let listener = try bind(to: target, on: executor, backlog: backlog, reusePort: true)
            target = listener.address
            listeners.append(listener)
        }
        return listeners
    }

    /// Stops accepting (the ``connections`` sequences end), waits for the accept
    /// to be cancelled, and closes the descriptor; a Unix-domain listener also
    /// removes its socket file. Connections already accepted stay open.
    /// - Throws: `UringError` (operation `close`) when close(2) fails.
    public func close() async throws {
        try await lifetime.close()
        if let path = address.unixName, !path.hasPrefix("@") { _ = unlink(path) }
    }
}
