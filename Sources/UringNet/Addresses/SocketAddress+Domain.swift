import Uring
import UringAsync

extension SocketAddress {
    /// The address's family as a type: `.ipv4`, `.ipv6` or `.unix` (`family` is the kernel's number).
    public var domain: SocketDomain { SocketDomain(rawValue: family) }
}
