import SystemPackage

/// The one error this library throws.
///
/// Like pyuring's `UringError`: ``errno`` is the kernel's error number,
/// ``operation`` names the failing system call or opcode
/// (`io_uring_setup`, `IORING_OP_READ`, …) and ``detail`` is a hint for a
/// person: the sysctl value that blocks io_uring, the memlock limit, the flag
/// that was refused, "closed". Branch on ``errno``, never on the text.
public struct UringError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kernel's error number, for example `.noSuchFileOrDirectory`.
    public var errno: Errno
    /// The system call or opcode that failed, for example `io_uring_enter`.
    public var operation: String
    /// A hint for a person, or nil when the errno says everything.
    public var detail: String?

    /// Creates an error.
    /// - Parameters:
    ///   - errno: the kernel's error number.
    ///   - operation: the system call or opcode name.
    ///   - detail: an optional hint for a person.
    public init(errno: Errno, operation: String, detail: String? = nil) {
        self.errno = errno
        self.operation = operation
        self.detail = detail
    }

    /// Creates an error from a negated errno as the kernel returns it (`-EBADF`).
    /// - Parameters:
    ///   - negatedErrno: a negative result, as in `cqe->res` or a raw system call.
    ///   - operation: the system call or opcode name.
    ///   - detail: an optional hint for a person.
    public init(negatedErrno: Int32, operation: String, detail: String? = nil) {
        self.init(errno: Errno(rawValue: -negatedErrno), operation: operation, detail: detail)
    }

    /// `operation: message (detail)`, for logs.
    public var description: String {
        var text = "\(operation): \(errno) (errno \(errno.rawValue))"
        if let detail { text += ": " + detail }
        return text
    }
}
