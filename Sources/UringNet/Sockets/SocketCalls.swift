import Glibc
import Uring
import UringAsync

/// The plain system calls a socket's setup takes: none of them blocks, so they
/// run in place rather than through the ring.
enum SocketCalls {
    /// socket(2) of `address`'s family, with `SOCK_CLOEXEC`.
    /// - Throws: `UringError` (operation `socket`): `EMFILE`, `EAFNOSUPPORT`, …
    static func open(for address: SocketAddress, _ type: SocketType) throws(UringError) -> FileDescriptor {
        let fd = Glibc.socket(address.family, type.rawValue | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            throw UringError(errno: Errno(rawValue: errno), operation: "socket", detail: "a socket for \(address)")
        }
        return FileDescriptor(rawValue: fd)
    }

    /// Sets an integer option during setup.
    static func enable(_ option: SocketOption<Bool>, on fd: FileDescriptor) throws(UringError) {
        var on: Int32 = 1
        guard setsockopt(fd.rawValue, option.level, option.name, &on, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw UringError(errno: Errno(rawValue: errno), operation: "setsockopt", detail: option.description)
        }
    }

    /// bind(2).
    /// - Throws: `UringError` (operation `bind`) with the address in the detail:
    ///   `EADDRINUSE`, `EACCES` (a port below 1024), `EADDRNOTAVAIL`, …
    static func bind(_ fd: FileDescriptor, to address: SocketAddress) throws(UringError) {
        let bound = address.withSockaddr { Glibc.bind(fd.rawValue, $0, $1) }
        guard bound == 0 else {
            let code = Errno(rawValue: errno)
            let reason = code == .addressInUse ? "is already in use" : "cannot be bound"
            throw UringError(errno: code, operation: "bind", detail: "\(address) \(reason)")
        }
    }

    /// listen(2).
    /// - Throws: `UringError` (operation `listen`) with the address in the detail.
    static func listen(_ fd: FileDescriptor, backlog: Int, at address: SocketAddress) throws(UringError) {
        guard Glibc.listen(fd.rawValue, Int32(clamping: backlog)) == 0 else {
            throw UringError(errno: Errno(rawValue: errno), operation: "listen", detail: "\(address)")
        }
    }

    /// getsockname(2), or getpeername(2) when `peer`.
    /// - Throws: `UringError` naming the call: `ENOTCONN` for the peer of an unconnected socket, `EBADF`, …
    static func address(of fd: FileDescriptor, peer: Bool) throws(UringError) -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let done = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                peer ? getpeername(fd.rawValue, $0, &length) : getsockname(fd.rawValue, $0, &length)
            }
        }
        guard done == 0 else {
            throw UringError(errno: Errno(rawValue: errno), operation: peer ? "getpeername" : "getsockname")
        }
        return SocketAddress(storage, length: length)
    }
}
