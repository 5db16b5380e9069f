/// Per-request flags: the `IOSQE_*` bits of a submission entry's `flags` byte.
public struct SubmissionFlags: NamedFlags {
    /// The bits as the kernel reads them.
    public let rawValue: UInt8
    /// Wraps raw `IOSQE_*` bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `IOSQE_FIXED_FILE`: `fd` is a registered-file slot. Set by ``FileTarget``, not by hand.
    public static let fixedFile = SubmissionFlags(rawValue: 1 << 0)
    /// `IOSQE_IO_DRAIN`: start only after every earlier request has completed.
    public static let drain = SubmissionFlags(rawValue: 1 << 1)
    /// `IOSQE_IO_LINK`: the next entry starts after this one succeeds.
    public static let link = SubmissionFlags(rawValue: 1 << 2)
    /// `IOSQE_IO_HARDLINK`: the next entry starts after this one, whatever its result.
    public static let hardLink = SubmissionFlags(rawValue: 1 << 3)
    /// `IOSQE_ASYNC`: go straight to an async worker.
    public static let async = SubmissionFlags(rawValue: 1 << 4)
    /// `IOSQE_BUFFER_SELECT`: take a buffer from the provided-buffer group in `buf_group`.
    public static let bufferSelect = SubmissionFlags(rawValue: 1 << 5)
    /// `IOSQE_CQE_SKIP_SUCCESS`: post no completion when the request succeeds.
    public static let skipSuccess = SubmissionFlags(rawValue: 1 << 6)

    /// Every flag with its kernel name.
    public static let namedFlags: [(flag: SubmissionFlags, name: String)] = [
        (.fixedFile, "IOSQE_FIXED_FILE"), (.drain, "IOSQE_IO_DRAIN"), (.link, "IOSQE_IO_LINK"),
        (.hardLink, "IOSQE_IO_HARDLINK"), (.async, "IOSQE_ASYNC"),
        (.bufferSelect, "IOSQE_BUFFER_SELECT"), (.skipSuccess, "IOSQE_CQE_SKIP_SUCCESS"),
    ]
}
