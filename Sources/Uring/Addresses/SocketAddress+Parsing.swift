import SystemPackage

/// Addresses read from text: the forms ``SocketAddress/description`` prints.
extension SocketAddress: LosslessStringConvertible {
    /// Reads `127.0.0.1:8080`, `[::1]:443`, `unix:/run/app.sock` (or a bare
    /// absolute path) and `unix:@name` (an abstract name). Host names are not
    /// resolved here: see `SocketAddress.resolve` in UringNet.
    /// - Throws: `UringError` `EINVAL` naming the text and the forms expected;
    ///   `ENAMETOOLONG` for a Unix path longer than `sun_path`.
    public init(parsing text: String) throws(UringError) {
        if text.hasPrefix("unix:") || text.hasPrefix("/") {
            let name = text.hasPrefix("unix:") ? String(text.dropFirst(5)) : text
            self = name.hasPrefix("@") ? try .unixAbstract(String(name.dropFirst())) : try .unix(path: FilePath(name))
            return
        }
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else {
            throw Self.unreadable(text, "it has no :port (0-65535) at the end")
        }
        let host = text[..<colon]
        if host.hasPrefix("[") && host.hasSuffix("]") {
            do { self = try .ipv6(String(host.dropFirst().dropLast()), port: port) } catch { throw Self.unreadable(text, error.detail) }
        } else if host.contains(":") {
            throw Self.unreadable(text, "an IPv6 host goes in brackets, as in [::1]:\(port)")
        } else {
            do { self = try .ipv4(String(host), port: port) } catch { throw Self.unreadable(text, error.detail) }
        }
    }

    /// ``init(parsing:)``, nil where it throws.
    public init?(_ description: String) {
        guard let address = try? SocketAddress(parsing: description) else { return nil }
        self = address
    }

    private static func unreadable(_ text: String, _ reason: String?) -> UringError {
        UringError(
            errno: .invalidArgument, operation: "parse_address",
            detail: "“\(text)” is not an address (\(reason ?? "unreadable")); expected 127.0.0.1:8080, [::1]:443 or unix:/path")
    }
}
