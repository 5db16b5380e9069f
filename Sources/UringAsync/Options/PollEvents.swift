/// The readiness events of poll(2) (`POLLIN`, `POLLOUT`, …): what
/// ``RingExecutor/poll(_:events:timeout:)`` and ``RingExecutor/readiness(of:events:limit:)``
/// wait for and report.
public struct PollEvents: OptionSet, Hashable, Sendable, CustomStringConvertible {
    /// The kernel's bit mask.
    public let rawValue: UInt32

    /// Events from the kernel's bit mask.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `POLLIN`: there is data to read.
    public static let readable = PollEvents(rawValue: 0x001)
    /// `POLLPRI`: there is urgent data (TCP out-of-band data, a cgroup event, …).
    public static let priority = PollEvents(rawValue: 0x002)
    /// `POLLOUT`: a write would not block.
    public static let writable = PollEvents(rawValue: 0x004)
    /// `POLLERR`: an error is pending (always reported, never needs asking).
    public static let error = PollEvents(rawValue: 0x008)
    /// `POLLHUP`: the peer hung up (always reported, never needs asking).
    public static let hangUp = PollEvents(rawValue: 0x010)
    /// `POLLNVAL`: the descriptor is not open.
    public static let invalid = PollEvents(rawValue: 0x020)
    /// `POLLRDHUP`: the stream socket's peer shut down its writing half.
    public static let readHangUp = PollEvents(rawValue: 0x2000)

    /// The events by their kernel names, `POLLIN|POLLOUT`.
    public var description: String {
        let names: [(PollEvents, String)] = [
            (.readable, "POLLIN"), (.priority, "POLLPRI"), (.writable, "POLLOUT"), (.error, "POLLERR"),
            (.hangUp, "POLLHUP"), (.invalid, "POLLNVAL"), (.readHangUp, "POLLRDHUP"),
        ]
        var rest = rawValue
        var parts: [String] = []
        for (event, name) in names where contains(event) {
            parts.append(name)
            rest &= ~event.rawValue
        }
        if rest != 0 { parts.append("0x" + String(rest, radix: 16)) }
        return parts.isEmpty ? "[]" : parts.joined(separator: "|")
    }
}
