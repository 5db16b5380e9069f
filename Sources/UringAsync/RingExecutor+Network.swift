import Glibc
import SystemPackage
import Uring

extension RingExecutor {
    /// `IORING_OP_SOCKET`, like socket(2) (Linux 5.19).
    /// - Returns: the new socket (with `SOCK_CLOEXEC`); the caller closes it.
    /// - Throws: ``UringError`` with the kernel's errno and operation `socket`.
    nonisolated(nonsending) public func socket(domain: Int32, type: Int32, protocol protocolNumber: Int32 = 0) async throws -> FileDescriptor {
        let flags = type | Int32(SOCK_CLOEXEC.rawValue)
        return FileDescriptor(rawValue: try await value(of: Socket(domain: domain, type: flags, protocol: protocolNumber), "socket"))
    }

    /// `IORING_OP_CONNECT`, like connect(2) (Linux 5.5).
    ///
    /// `address` is a socket address structure (`sockaddr_in`, `sockaddr_in6`,
    /// `sockaddr_un`); the executor keeps a copy alive until the completion.
    /// - Throws: ``UringError`` `ECONNREFUSED`, `ETIME` when `timeout` ran out, …
    nonisolated(nonsending) public func connect<Address: BitwiseCopyable>(
        _ socket: FileDescriptor, to address: Address, timeout: Duration? = nil
    ) async throws {
        let pinned = Pinned(address)
        let generic = UnsafeRawPointer(pinned.pointer).assumingMemoryBound(to: sockaddr.self)
        _ = try await value(
            of: Connect(.descriptor(socket), to: generic, length: socklen_t(MemoryLayout<Address>.size)), "connect",
            keepAlive: pinned, timeout: timeout)
    }

    /// `IORING_OP_ACCEPT`, like accept4(2) (Linux 5.5): one connection.
    /// For a stream of connections see ``acceptConnections(_:)``.
    /// - Returns: the connected socket (with `SOCK_CLOEXEC`); the caller closes it.
    /// - Throws: ``UringError`` with the kernel's errno and operation `accept`.
    nonisolated(nonsending) public func accept(_ socket: FileDescriptor, timeout: Duration? = nil) async throws -> FileDescriptor {
        let flags = Int32(SOCK_CLOEXEC.rawValue)
        return FileDescriptor(
            rawValue: try await value(of: Accept(.descriptor(socket), flags: flags), "accept", timeout: timeout))
    }

    /// `IORING_OP_SEND`, like send(2) (Linux 5.6): one send of up to `count` bytes
    /// (default: all) of `buffer`; the count may be short.
    ///
    /// **Ownership**: the buffer belongs to the kernel until the final completion
    /// and comes back with the result.
    /// - Throws: ``UringError`` with the kernel's errno (`EPIPE`, …) and operation `send`.
    nonisolated(nonsending) public func send(
        _ socket: FileDescriptor, from buffer: IOBuffer, count: Int? = nil, flags: Int32 = 0, timeout: Duration? = nil
    ) async throws -> (count: Int, buffer: IOBuffer) {
        try await transfer("send", buffer, count: count, timeout: timeout) {
            Send(.descriptor(socket), .plain(UnsafeRawBufferPointer($0)), flags: flags)
        }
    }

    /// `IORING_OP_RECV`, like recv(2) (Linux 5.6): up to `count` bytes (default:
    /// the buffer's capacity); 0 when the peer has shut down.
    /// For a stream of messages see ``receiveStream(_:buffers:)``.
    ///
    /// **Ownership**: as ``send(_:from:count:flags:timeout:)``.
    /// - Throws: ``UringError`` with the kernel's errno and operation `recv`.
    nonisolated(nonsending) public func receive(
        _ socket: FileDescriptor, into buffer: IOBuffer, count: Int? = nil, flags: Int32 = 0, timeout: Duration? = nil
    ) async throws -> (count: Int, buffer: IOBuffer) {
        try await transfer("recv", buffer, count: count, timeout: timeout) {
            Receive(.descriptor(socket), into: .plain($0), flags: flags)
        }
    }

    /// `IORING_OP_SHUTDOWN`, like shutdown(2) (Linux 5.11).
    /// - Throws: ``UringError`` `ENOTCONN`, `ENOTSOCK`, …
    nonisolated(nonsending) public func shutdown(_ socket: FileDescriptor, how: Int32) async throws {
        _ = try await value(of: Shutdown(.descriptor(socket), how: how), "shutdown")
    }
}
