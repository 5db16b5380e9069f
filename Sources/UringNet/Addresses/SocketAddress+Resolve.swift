import Glibc
import Uring
import UringAsync

extension SocketAddress {
    /// The addresses `host` names at `port`, as getaddrinfo(3) finds them (IPv4
    /// and IPv6, stream sockets), in its order of preference.
    ///
    /// getaddrinfo blocks, sometimes for seconds, so it runs on a thread of its
    /// own: neither a ring thread nor Swift's cooperative pool waits for it. A
    /// task cancelled meanwhile gets `CancellationError` once the lookup returns.
    /// - Throws: `UringError` (operation `getaddrinfo`) `ENOENT` when the name is
    ///   unknown, `EAGAIN` for a temporary failure, or the system's errno, with
    ///   gai_strerror(3)'s text in the detail.
    public static func resolve(_ host: String, port: UInt16) async throws -> [SocketAddress] {
        let addresses = try await BlockingWork.run("getaddrinfo") { _ in try lookUp(host, port: port) }
        try Task.checkCancellation()
        return addresses
    }

    private static func lookUp(_ host: String, port: UInt16) throws(UringError) -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_ADDRCONFIG | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else {
            let code: Errno =
                switch status {
                case EAI_NONAME, -5: .noSuchFileOrDirectory  // -5: EAI_NODATA
                case EAI_AGAIN: .resourceTemporarilyUnavailable
                case EAI_MEMORY: .noMemory
                case EAI_SYSTEM: Errno(rawValue: errno)
                default: .invalidArgument
                }
            throw UringError(errno: code, operation: "getaddrinfo", detail: "“\(host)”: " + String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(list) }
        var found: [SocketAddress] = []
        var entry = list
        while let current = entry?.pointee {
            if let address = current.ai_addr {
                var storage = sockaddr_storage()
                withUnsafeMutableBytes(of: &storage) {
                    $0.copyMemory(from: UnsafeRawBufferPointer(start: address, count: Int(current.ai_addrlen)))
                }
                let resolved = SocketAddress(storage, length: current.ai_addrlen)
                if !found.contains(resolved) { found.append(resolved) }
            }
            entry = current.ai_next
        }
        return found
    }
}
