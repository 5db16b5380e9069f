import Glibc
import SystemPackage

/// Addresses by family: made from parts, and taken apart again.
extension SocketAddress {
    /// The most bytes a Unix-domain path may have: `sun_path` less its terminating zero.
    public static let maximumUnixPathLength = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    /// An IPv4 address (`sockaddr_in`) from dotted text such as `127.0.0.1`.
    /// - Throws: `UringError` `EINVAL` (operation `inet_pton`) when `host` is not dotted IPv4.
    public static func ipv4(_ host: String, port: UInt16) throws(UringError) -> SocketAddress {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw UringError(errno: .invalidArgument, operation: "inet_pton", detail: "“\(host)” is not an IPv4 address")
        }
        return SocketAddress(structure: address)
    }

    /// An IPv6 address (`sockaddr_in6`) from text such as `::1`.
    /// - Throws: `UringError` `EINVAL` (operation `inet_pton`) when `host` is not IPv6 text.
    public static func ipv6(_ host: String, port: UInt16, scopeID: UInt32 = 0) throws(UringError) -> SocketAddress {
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_port = port.bigEndian
        address.sin6_scope_id = scopeID
        guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else {
            throw UringError(errno: .invalidArgument, operation: "inet_pton", detail: "“\(host)” is not an IPv6 address")
        }
        return SocketAddress(structure: address)
    }

    /// `127.0.0.1` at `port`.
    public static func ipv4Loopback(port: UInt16) -> SocketAddress {
        anyIPv4(raw: UInt32(INADDR_LOOPBACK), port: port)
    }

    /// `0.0.0.0` at `port`: every IPv4 interface, for a listener.
    public static func ipv4Any(port: UInt16) -> SocketAddress {
        anyIPv4(raw: UInt32(INADDR_ANY), port: port)
    }

    /// `::1` at `port`.
    public static func ipv6Loopback(port: UInt16) -> SocketAddress {
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_port = port.bigEndian
        address.sin6_addr = in6addr_loopback
        return SocketAddress(structure: address)
    }

    /// `::` at `port`: every IPv6 interface (and IPv4 too, unless `IPV6_V6ONLY`).
    public static func ipv6Any(port: UInt16) -> SocketAddress {
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_port = port.bigEndian
        return SocketAddress(structure: address)
    }

    private static func anyIPv4(raw: UInt32, port: UInt16) -> SocketAddress {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = raw.bigEndian
        return SocketAddress(structure: address)
    }

    /// A Unix-domain address for a path in the file system (`sockaddr_un`).
    /// - Throws: `UringError` `ENAMETOOLONG` when the path has more than
    ///   ``maximumUnixPathLength`` bytes; `EINVAL` for an empty path.
    public static func unix(path: FilePath) throws(UringError) -> SocketAddress {
        try unix(name: Array(path.string.utf8), abstract: false, shown: path.string)
    }

    /// A Linux abstract Unix-domain address: `name` in a namespace of its own,
    /// not in the file system (`sun_path` starts with a zero byte).
    /// - Throws: `UringError` `ENAMETOOLONG` when the name has more than
    ///   ``maximumUnixPathLength`` bytes.
    public static func unixAbstract(_ name: String) throws(UringError) -> SocketAddress {
        try unix(name: Array(name.utf8), abstract: true, shown: "@" + name)
    }

    private static func unix(name: [UInt8], abstract: Bool, shown: String) throws(UringError) -> SocketAddress {
        guard abstract || !name.isEmpty else {
            throw UringError(errno: .invalidArgument, operation: "sockaddr_un", detail: "a Unix socket path cannot be empty")
        }
        guard name.count <= maximumUnixPathLength else {
            throw UringError(
                errno: .fileNameTooLong, operation: "sockaddr_un",
                detail: "“\(shown)” has \(name.count) bytes; sun_path holds at most \(maximumUnixPathLength)")
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let start = abstract ? 1 : 0
        withUnsafeMutableBytes(of: &address.sun_path) { $0.baseAddress!.advanced(by: start).copyMemory(from: name, byteCount: name.count) }
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)!
        // A path keeps its terminating zero; an abstract name is exactly its bytes.
        return SocketAddress(structure: address, length: pathOffset + start + name.count + (abstract ? 0 : 1))
    }

    /// The port of an IPv4 or IPv6 address, nil for others.
    public var port: UInt16? {
        switch family {
        case AF_INET: return loaded(sockaddr_in.self).map { UInt16(bigEndian: $0.sin_port) }
        case AF_INET6: return loaded(sockaddr_in6.self).map { UInt16(bigEndian: $0.sin6_port) }
        default: return nil
        }
    }

    /// The host part of an IPv4 or IPv6 address as text (`127.0.0.1`, `::1`), nil for others.
    public var host: String? {
        switch family {
        case AF_INET, AF_INET6:
            // sin_addr and sin6_addr: the raw address inet_ntop(3) prints.
            let offset =
                family == AF_INET ? MemoryLayout<sockaddr_in>.offset(of: \.sin_addr)! : MemoryLayout<sockaddr_in6>.offset(of: \.sin6_addr)!
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            withUnsafeBytes(of: storage) { _ = inet_ntop(family, $0.baseAddress! + offset, &text, socklen_t(text.count)) }
            return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        default: return nil
        }
    }

    /// A Unix-domain address's path, or its abstract name after `@`; nil for
    /// other families and for an unnamed socket.
    public var unixName: String? {
        guard family == AF_UNIX else { return nil }
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)!
        let name = bytes.dropFirst(pathOffset)
        guard let first = name.first else { return nil }
        if first == 0 { return "@" + String(decoding: name.dropFirst(), as: UTF8.self) }
        return String(decoding: name.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// `127.0.0.1:8080`, `[::1]:443`, `unix:/run/app.sock`, `unix:@name`,
    /// `unix:(unnamed)`, or the family number: what ``init(parsing:)`` reads back.
    public var description: String {
        switch family {
        case AF_INET: return "\(host ?? "?"):\(port ?? 0)"
        case AF_INET6: return "[\(host ?? "?")]:\(port ?? 0)"
        case AF_UNIX: return "unix:" + (unixName ?? "(unnamed)")
        default: return "family \(family)"
        }
    }

    /// The address as `Structure` when it is at least that long.
    private func loaded<Structure>(_: Structure.Type) -> Structure? {
        guard Int(length) >= MemoryLayout<Structure>.size else { return nil }
        return withUnsafeBytes(of: storage) { $0.load(as: Structure.self) }
    }
}
