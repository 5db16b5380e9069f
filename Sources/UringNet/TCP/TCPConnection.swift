import Glibc
import Uring
import UringAsync

/// A connected stream socket (TCP, or a Unix-domain stream) served by one
/// `RingExecutor`.
///
/// Read with ``read(into:count:timeout:)`` or iterate ``inbound``; write with
/// ``write(_:count:timeout:)``, which sends every byte. ``close()`` cancels what is
/// pending, waits for it, and closes the descriptor; a connection dropped without
/// it closes its descriptor when the last reference goes.
///
/// Errors stay with the connection: a peer's reset fails this connection's
/// operations (`ECONNRESET`, `EPIPE`) and nothing else. Operations submit in
/// place when the caller already runs on the connection's executor
/// (`Task(executorPreference: connection.executor)`), and are handed over otherwise.
public final class TCPConnection: RingSocket {
    let lifetime: SocketLifetime
    /// The executor whose ring runs this connection's operations.
    public var executor: RingExecutor { lifetime.executor }
    /// The peer's address.
    public let remoteAddress: SocketAddress

    /// Takes ownership of a connected socket, served by `executor`.
    /// - Throws: `UringError` (operation `getpeername`) `ENOTCONN` when the socket is not connected.
    public convenience init(adopting socket: FileDescriptor, on executor: RingExecutor) throws {
        let remote = try SocketCalls.address(of: socket, peer: true)
        self.init(socket, remote: remote, executor: executor)
    }

    init(_ socket: FileDescriptor, remote: SocketAddress, executor: RingExecutor) {
        lifetime = SocketLifetime(socket, executor: executor, kind: "connection")
        remoteAddress = remote
    }

    /// The connection's descriptor, owned by the connection.
    /// - Throws: `UringError` `EBADF` once the connection is closed.
    public var descriptor: FileDescriptor {
        get throws { try lifetime.descriptor(for: "descriptor") }
    }

    /// Connects to `address`: a stream socket of its family, then
    /// `IORING_OP_CONNECT` (Linux 5.5).
    /// - Parameters:
    ///   - address: an IPv4, IPv6 or Unix-domain address.
    ///   - executor: the executor that will serve the connection.
    ///   - timeout: how long to wait for the peer to answer.
    /// - Throws: `UringError` (operation `connect`) with the address in the detail:
    ///   `ECONNREFUSED`, `ENOENT` (no such Unix socket), `ETIME` when `timeout` ran
    ///   out, `ENETUNREACH`, …; `CancellationError` when the task was cancelled.
    public static func connect(to address: SocketAddress, on executor: RingExecutor, timeout: Duration? = nil) async throws
        -> TCPConnection
    {
        let socket = try SocketCalls.open(for: address, .stream)
        do {
            try await executor.connect(socket, to: address, timeout: timeout)
        } catch let error as UringError {
            _ = try? socket.close()
            throw UringError(errno: error.errno, operation: error.operation, detail: "\(address)" + (error.detail.map { ": " + $0 } ?? ""))
        } catch {
            _ = try? socket.close()
            throw error
        }
        return TCPConnection(socket, remote: address, executor: executor)
    }

    /// `IORING_OP_RECV` (Linux 5.6): up to `count` bytes (default: the buffer's
    /// capacity) into `buffer`; 0 when the peer has shut down its sending half.
    ///
    /// **Ownership**: the buffer belongs to the kernel until the completion and
    /// comes back with the result.
    /// - Throws: `UringError` (operation `recv`): `ECONNRESET` when the peer reset,
    ///   `EBADF` after close, `ETIME` when `timeout` ran out, `EBUSY` when
    ///   something else holds the buffer; `CancellationError`.
    public func read(into buffer: IOBuffer, count: Int? = nil, timeout: Duration? = nil) async throws -> (count: Int, buffer: IOBuffer) {
        try await lifetime.run("recv") { fd in try await executor.receive(fd, into: buffer, count: count, timeout: timeout) }
    }

    /// Shuts down one or both halves: `IORING_OP_SHUTDOWN` (Linux 5.11). After
    /// `.writing` the peer reads end of file, and this side can still read.
    /// - Throws: `UringError` (operation `shutdown`) `ENOTCONN`, `EBADF` after close.
    public func shutdown(_ direction: SocketShutdown) async throws {
        try await lifetime.run("shutdown") { fd in try await executor.shutdownSocket(fd, direction) }
    }

    /// Closes the connection: stops ``inbound``, cancels pending reads and writes
    /// (they throw `ECANCELED`, "closed while this waited"), waits for them, then
    /// closes the descriptor. Later operations throw `EBADF`; a second close returns.
    /// - Throws: `UringError` (operation `close`) when close(2) fails.
    public func close() async throws {
        try await lifetime.close()
    }
}
