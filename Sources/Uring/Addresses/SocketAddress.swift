import Glibc

/// A socket address: IPv4, IPv6 or Unix-domain (a path or an abstract name),
/// held as the kernel's `struct sockaddr_storage` and its length.
///
/// Make one from text (``init(parsing:)``: `127.0.0.1:8080`, `[::1]:443`,
/// `unix:/run/app.sock`), from parts (``ipv4(_:port:)``, ``ipv6(_:port:scopeID:)``,
/// ``unix(path:)``, ``unixAbstract(_:)``), or from what the kernel filled in
/// (``init(_:length:)``). Its ``description`` prints the same text back.
/// Two addresses are equal when their bytes are.
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address as `struct sockaddr_storage`; bytes past ``length`` are zero.
    public private(set) var storage: sockaddr_storage
    /// How many bytes of ``storage`` the address uses (`socklen_t`).
    public private(set) var length: socklen_t

    /// Wraps the first `length` bytes of `storage`, as accept(2) or
    /// getsockname(2) filled them in; a longer `length` is cut to the structure.
    public init(_ storage: sockaddr_storage, length: socklen_t) {
        self.storage = sockaddr_storage()
        self.length = min(length, socklen_t(MemoryLayout<sockaddr_storage>.size))
        var source = storage
        let count = Int(self.length)
        withUnsafeMutableBytes(of: &self.storage) { target in
            withUnsafeBytes(of: &source) { target.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0.prefix(count))) }
        }
    }

    /// Wraps a complete address structure (`sockaddr_in`, `sockaddr_in6`, `sockaddr_un`).
    init<Structure>(structure: Structure, length: Int = MemoryLayout<Structure>.size) {
        var copy = structure
        let source = withUnsafeBytes(of: &copy) { Array($0.prefix(length)) }
        self.storage = sockaddr_storage()
        self.length = socklen_t(source.count)
        withUnsafeMutableBytes(of: &self.storage) { $0.copyBytes(from: source) }
    }

    /// The raw bytes, ``length`` long.
    public var bytes: [UInt8] {
        withUnsafeBytes(of: storage) { Array($0.prefix(Int(length))) }
    }

    /// `AF_INET`, `AF_INET6`, `AF_UNIX`, …; 0 for an empty address.
    public var family: Int32 {
        length >= 2 ? Int32(storage.ss_family) : 0
    }

    /// Calls `body` with the address as `struct sockaddr` and its length, as
    /// bind(2), connect(2) and sendto(2) take it. The pointer is valid only in `body`.
    public func withSockaddr<Result, Failure: Error>(
        _ body: (UnsafePointer<sockaddr>, socklen_t) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        var copy = storage
        return try withUnsafeMutablePointer(to: &copy) { (pointer) throws(Failure) -> Result in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (generic) throws(Failure) -> Result in
                try body(generic, length)
            }
        }
    }

    /// Whether both addresses have the same bytes.
    public static func == (lhs: SocketAddress, rhs: SocketAddress) -> Bool {
        lhs.length == rhs.length && lhs.bytes == rhs.bytes
    }

    /// Hashes the address's bytes.
    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes(of: storage) { hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: $0.prefix(Int(length)))) }
    }
}
