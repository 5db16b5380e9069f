/// A set of kernel flag bits whose every known bit has a kernel name.
///
/// Lets tools and error messages print flags as the kernel spells them
/// (`IORING_SETUP_SQPOLL|IORING_SETUP_CQSIZE`) instead of as numbers.
public protocol NamedFlags: OptionSet, Sendable where RawValue: FixedWidthInteger, Element == Self {
    /// Every known single bit with its kernel name, lowest bit first.
    static var namedFlags: [(flag: Self, name: String)] { get }
}

extension NamedFlags {
    /// The kernel names of the bits that are set, lowest first; unknown bits as hex.
    public var names: [String] {
        var rest = rawValue
        var result: [String] = []
        for (flag, name) in Self.namedFlags where contains(flag) {
            result.append(name)
            rest &= ~flag.rawValue
        }
        if rest != 0 { result.append("0x" + String(rest, radix: 16)) }
        return result
    }

    /// The names joined by `|`, or `0` when no bit is set.
    public var kernelDescription: String {
        let parts = names
        return parts.isEmpty ? "0" : parts.joined(separator: "|")
    }
}
