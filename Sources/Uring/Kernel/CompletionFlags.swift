/// What a completion says besides its result: the `IORING_CQE_F_*` bits.
///
/// The upper 16 bits of a completion's flags hold a buffer id when
/// ``buffer`` is set; ``Completion/bufferID`` reads it.
public struct CompletionFlags: NamedFlags {
    /// The bits as the kernel wrote them.
    public let rawValue: UInt32
    /// Wraps raw `IORING_CQE_F_*` bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `IORING_CQE_F_BUFFER`: the upper 16 bits name the provided buffer used.
    public static let buffer = CompletionFlags(rawValue: 1 << 0)
    /// `IORING_CQE_F_MORE`: a multishot request will post further completions.
    public static let more = CompletionFlags(rawValue: 1 << 1)
    /// `IORING_CQE_F_SOCK_NONEMPTY`: the socket had more data after this receive.
    public static let socketNonEmpty = CompletionFlags(rawValue: 1 << 2)
    /// `IORING_CQE_F_NOTIF`: a zero-copy send's notification that its buffer is free.
    public static let notification = CompletionFlags(rawValue: 1 << 3)
    /// `IORING_CQE_F_BUF_MORE`: an incrementally consumed buffer stays with this request.
    public static let bufferMore = CompletionFlags(rawValue: 1 << 4)
    /// `IORING_CQE_F_SKIP`: padding in a mixed-size ring; not a completion (Linux 6.18).
    public static let skip = CompletionFlags(rawValue: 1 << 5)
    /// `IORING_CQE_F_32`: this entry of a mixed-size ring is 32 bytes (Linux 6.18).
    public static let big = CompletionFlags(rawValue: 1 << 15)

    /// `IORING_CQE_BUFFER_SHIFT`: where the buffer id starts in the flags word.
    public static let bufferIDShift: UInt32 = 16

    /// Every flag with its kernel name.
    public static let namedFlags: [(flag: CompletionFlags, name: String)] = [
        (.buffer, "IORING_CQE_F_BUFFER"), (.more, "IORING_CQE_F_MORE"),
        (.socketNonEmpty, "IORING_CQE_F_SOCK_NONEMPTY"), (.notification, "IORING_CQE_F_NOTIF"),
        (.bufferMore, "IORING_CQE_F_BUF_MORE"), (.skip, "IORING_CQE_F_SKIP"),
        (.big, "IORING_CQE_F_32"),
    ]
}
