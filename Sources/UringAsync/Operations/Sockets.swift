import Glibc
import SystemPackage
import Uring

extension RingExecutor {
    /// `IORING_OP_SOCKET`, like socket(2) (Linux 5.19).
    /// - Returns: the new socket (with `SOCK_CLOEXEC`); the caller closes it.
    /// - Throws: `UringError` with the kernel's errno and operation `socket`.
    nonisolated(nonsending) public func socket(
        _ domain: SocketDomain, _ type: SocketType, protocol: SocketProtocol = .default
    ) async throws -> FileDescriptor {
        let socket = Socket(domain: domain.rawValue, type: type.rawValue | Int32(SOCK_CLOEXEC.rawValue), protocol: `protocol`.rawValue)
        return FileDescriptor(rawValue: try await awaitValue(of: socket))
    }

    /// `IORING_OP_CONNECT`, like connect(2) (Linux 5.5).
    ///
    /// `address` is a socket address structure (`sockaddr_in`, `sockaddr_in6`,
    /// `sockaddr_un`); the executor keeps a copy alive until the completion.
    /// - Throws: `UringError` `ECONNREFUSED`, `ETIME` when `timeout` ran out, …
    nonisolated(nonsending) public func connect<Address: BitwiseCopyable>(
        _ socket: FileDescriptor, to address: Address, timeout: Duration? = nil
    ) async throws {
        try await connect(socket, pinned: Pinned(address), length: socklen_t(MemoryLayout<Address>.size), timeout: timeout)
    }

    /// `IORING_OP_CONNECT` to a `SocketAddress` (Linux 5.5); the executor keeps a
    /// copy of the address alive until the completion.
    /// - Throws: `UringError` `ECONNREFUSED`, `ENOENT` (no such Unix socket),
    ///   `ETIME` when `timeout` ran out, …
    nonisolated(nonsending) public func connect(_ socket: FileDescriptor, to address: SocketAddress, timeout: Duration? = nil)
        async throws
    {
        try await connect(socket, pinned: Pinned(address.storage), length: address.length, timeout: timeout)
    }

    private nonisolated(nonsending) func connect<Address>(
        _ socket: FileDescriptor, pinned: Pinned<Address>, length: socklen_t, timeout: Duration?
    ) async throws {
        let generic = UnsafeRawPointer(pinned.pointer).assumingMemoryBound(to: sockaddr.self)
        // SAFETY: the address is the copy in `pinned`, kept alive until the final completion.
        _ = try await awaitValue(of: Connect(.descriptor(socket), to: generic, length: length), keepAlive: pinned, timeout: timeout)
    }

    /// `IORING_OP_ACCEPT`, like accept4(2) (Linux 5.5): one connection.
    /// For a stream of connections see ``acceptConnections(_:limit:)``.
    /// - Returns: the connected socket (with `SOCK_CLOEXEC`); the caller closes it.
    /// - Throws: `UringError` with the kernel's errno and operation `accept`.
    nonisolated(nonsending) public func accept(_ socket: FileDescriptor, timeout: Duration? = nil) async throws -> FileDescriptor {
        let flags = Int32(SOCK_CLOEXEC.rawValue)
        return FileDescriptor(
            rawValue: try await awaitValue(of: Accept(.descriptor(socket), flags: flags), timeout: timeout))
    }

    /// Connections accepted on a listening `socket`: `IORING_OP_ACCEPT` with
    /// `IORING_ACCEPT_MULTISHOT` (Linux 5.19), re-armed until the stream ends.
    ///
    /// **Ownership**: each socket the stream yields is the consumer's to close;
    /// sockets accepted but never taken are closed when the stream ends.
    /// - Parameters:
    ///   - socket: a listening socket.
    ///   - limit: connections buffered before accepting pauses.
    public func acceptConnections(_ socket: FileDescriptor, limit: Int = 64) -> RingStream<FileDescriptor> {
        let accept = Accept(.descriptor(socket), flags: Int32(SOCK_CLOEXEC.rawValue), multishot: true)
        let core = MultishotCore<FileDescriptor>(
            executor: self, limit: limit, entry: prepared(accept), discard: { try? $0.close() }
        ) { completion in
            completion.result >= 0
                ? .element(FileDescriptor(rawValue: completion.result))
                : .fail(UringError(negatedErrno: completion.result, operation: "accept"))
        }
        core.start()
        return RingStream(core)
    }

    /// `IORING_OP_SHUTDOWN`, like shutdown(2): ends one or both halves of a
    /// connection (Linux 5.11). (The executor itself stops with ``shutdown(timeout:)``.)
    /// - Throws: `UringError` `ENOTCONN`, `ENOTSOCK`, …
    nonisolated(nonsending) public func shutdownSocket(_ socket: FileDescriptor, _ direction: SocketShutdown) async throws {
        _ = try await awaitValue(of: Shutdown(.descriptor(socket), how: direction.rawValue))
    }
}
