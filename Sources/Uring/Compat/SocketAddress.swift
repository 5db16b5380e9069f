import Glibc

/// A socket address as the kernel filled it in (`struct sockaddr_storage`), with
/// a readable form for IPv4, IPv6 and Unix-domain addresses.
public struct SocketAddress: Sendable, Equatable, CustomStringConvertible {
    /// The raw bytes, `length` long.
    public let bytes: [UInt8]

    /// Wraps the first `length` bytes of `storage`.
    public init(_ storage: sockaddr_storage, length: socklen_t) {
        var copy = storage
        let count = min(Int(length), MemoryLayout<sockaddr_storage>.size)
        bytes = withUnsafeBytes(of: &copy) { Array($0.prefix(count)) }
    }

    /// `AF_INET`, `AF_INET6`, `AF_UNIX`, …; 0 for an empty address.
    public var family: Int32 {
        bytes.count >= 2 ? Int32(UInt16(bytes[0]) | UInt16(bytes[1]) << 8) : 0
    }

    /// The port of an IPv4 or IPv6 address, nil for others.
    public var port: UInt16? {
        guard family == AF_INET || family == AF_INET6, bytes.count >= 4 else { return nil }
        return UInt16(bytes[2]) << 8 | UInt16(bytes[3])
    }

    /// `127.0.0.1:8080`, `[::1]:8080`, a Unix path, or the family number.
    public var description: String {
        switch family {
        case AF_INET where bytes.count >= 8:
            return Self.text(family: AF_INET, Array(bytes[4..<8])) + ":\(port ?? 0)"
        case AF_INET6 where bytes.count >= 24:
            return "[" + Self.text(family: AF_INET6, Array(bytes[8..<24])) + "]:\(port ?? 0)"
        case AF_UNIX:
            let path = bytes.dropFirst(2).prefix { $0 != 0 }
            return path.isEmpty ? "unix:(unnamed)" : String(decoding: path, as: UTF8.self)
        default:
            return "family \(family)"
        }
    }

    /// inet_ntop(3) of a raw IPv4 or IPv6 address.
    private static func text(family: Int32, _ address: [UInt8]) -> String {
        var text = [UInt8](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        text.withUnsafeMutableBytes { _ = inet_ntop(family, address, $0.baseAddress, socklen_t($0.count)) }
        return String(decoding: text.prefix { $0 != 0 }, as: UTF8.self)
    }
}
