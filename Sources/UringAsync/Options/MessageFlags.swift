/// The `MSG_*` flags of send(2) and recv(2), for
/// ``RingExecutor/send(_:from:count:flags:timeout:)`` and
/// ``RingExecutor/receive(_:into:count:flags:timeout:)``.
public struct MessageFlags: OptionSet, Hashable, Sendable {
    /// The kernel's bit mask.
    public let rawValue: Int32

    /// Flags from the kernel's bit mask.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// `MSG_OOB`: out-of-band data.
    public static let outOfBand = MessageFlags(rawValue: 0x1)
    /// `MSG_PEEK`: receive without taking the data off the queue.
    public static let peek = MessageFlags(rawValue: 0x2)
    /// `MSG_DONTWAIT`: fail with `EAGAIN` instead of waiting.
    public static let dontWait = MessageFlags(rawValue: 0x40)
    /// `MSG_WAITALL`: a receive waits until the whole count has arrived.
    public static let waitAll = MessageFlags(rawValue: 0x100)
    /// `MSG_NOSIGNAL`: a send to a closed peer fails with `EPIPE` and raises no `SIGPIPE`.
    public static let noSignal = MessageFlags(rawValue: 0x4000)
    /// `MSG_MORE`: more data follows; the kernel may hold this send back to fill a packet.
    public static let more = MessageFlags(rawValue: 0x8000)
}
