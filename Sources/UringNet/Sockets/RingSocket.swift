import Glibc
import Uring
import UringAsync

/// A socket of this module: a descriptor served by one `RingExecutor`.
///
/// ``TCPConnection``, ``TCPListener`` and ``UDPSocket`` are ring sockets; this
/// protocol gives them options and addresses in one place.
public protocol RingSocket: Sendable {
    /// The executor whose ring runs this socket's operations.
    var executor: RingExecutor { get }
    /// The socket's descriptor, which the socket owns and closes.
    /// - Throws: `UringError` `EBADF` once the socket is closed.
    var descriptor: FileDescriptor { get throws }
}

extension RingSocket {
    /// Sets an on/off option: `setsockopt(2)`.
    /// - Throws: `UringError` (operation `setsockopt`) naming the option: `ENOPROTOOPT`
    ///   where it does not apply to this socket, `EBADF` after close.
    public func setOption(_ option: SocketOption<Bool>, _ value: Bool) throws {
        try set(option, Int32(value ? 1 : 0))
    }

    /// Sets a numeric option: `setsockopt(2)`.
    /// - Throws: `UringError` `EINVAL` for a value outside `Int32`; else as ``setOption(_:_:)-(SocketOption<Bool>,_)``.
    public func setOption(_ option: SocketOption<Int>, _ value: Int) throws {
        guard let number = Int32(exactly: value) else {
            throw UringError(errno: .invalidArgument, operation: "setsockopt", detail: "\(option): \(value) does not fit the kernel's int")
        }
        try set(option, number)
    }

    /// Sets `SO_LINGER`: nil turns it off, otherwise whole seconds (rounded up).
    /// - Throws: `UringError` `EINVAL` for a negative duration; else as ``setOption(_:_:)-(SocketOption<Bool>,_)``.
    public func setOption(_ option: SocketOption<Duration?>, _ value: Duration?) throws {
        var setting = linger()
        if let value {
            guard value >= .zero else {
                throw UringError(errno: .invalidArgument, operation: "setsockopt", detail: "\(option): \(value) is negative")
            }
            let (seconds, rest) = value.components
            setting.l_onoff = 1
            setting.l_linger = Int32(clamping: seconds + (rest > 0 ? 1 : 0))
        }
        try set(option, setting)
    }

    /// Reads an on/off option: `getsockopt(2)`.
    /// - Throws: `UringError` (operation `getsockopt`) naming the option.
    public func option(_ option: SocketOption<Bool>) throws -> Bool {
        try get(option, as: Int32.self) != 0
    }

    /// Reads a numeric option: `getsockopt(2)`.
    /// - Throws: `UringError` (operation `getsockopt`) naming the option.
    public func option(_ option: SocketOption<Int>) throws -> Int {
        Int(try get(option, as: Int32.self))
    }

    /// Reads `SO_LINGER`: nil when off.
    /// - Throws: `UringError` (operation `getsockopt`) naming the option.
    public func option(_ option: SocketOption<Duration?>) throws -> Duration? {
        let setting = try get(option, as: linger.self)
        return setting.l_onoff == 0 ? nil : .seconds(setting.l_linger)
    }

    /// The address this socket is bound to: getsockname(2).
    /// - Throws: `UringError` (operation `getsockname`), `EBADF` after close.
    public var localAddress: SocketAddress {
        get throws { try SocketCalls.address(of: descriptor, peer: false) }
    }

    private func set<Raw: BitwiseCopyable>(_ option: SocketOption<some Sendable>, _ value: Raw) throws {
        var value = value
        let fd = try descriptor.rawValue
        guard setsockopt(fd, option.level, option.name, &value, socklen_t(MemoryLayout<Raw>.size)) == 0 else {
            throw UringError(errno: Errno(rawValue: errno), operation: "setsockopt", detail: option.description)
        }
    }

    private func get<Raw: BitwiseCopyable>(_ option: SocketOption<some Sendable>, as _: Raw.Type) throws -> Raw {
        let fd = try descriptor.rawValue
        let value = UnsafeMutableRawPointer.allocate(byteCount: MemoryLayout<Raw>.size, alignment: MemoryLayout<Raw>.alignment)
        defer { value.deallocate() }
        memset(value, 0, MemoryLayout<Raw>.size)
        var length = socklen_t(MemoryLayout<Raw>.size)
        guard getsockopt(fd, option.level, option.name, value, &length) == 0 else {
            throw UringError(errno: Errno(rawValue: errno), operation: "getsockopt", detail: option.description)
        }
        return value.load(as: Raw.self)
    }
}
