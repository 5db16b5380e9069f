import SystemPackage

/// The one error this library throws.
///
/// Like pyuring's `UringError`: ``errno`` is the kernel's error number,
/// ``operation`` names what failed and ``detail`` is a hint for a person: the
/// sysctl value that blocks io_uring, the memlock limit, the flag that was
/// refused, "closed". Branch on ``errno``, never on the text.
///
/// ``operation`` is one vocabulary across every API of the package:
/// - an io_uring operation: its opcode's ``Opcode/operationName`` (`read`,
///   `openat`, `poll_add`), whichever API submitted it;
/// - a registration: its ``RegisterOpcode/operationName`` (`register_buffers`);
/// - a system call: its name (`io_uring_setup`, `io_uring_enter`, `mmap`, `pipe`);
/// - a whole-file helper: pyuring's name for it (`copy`, `write`, `write_many`).
public struct UringError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kernel's error number, for example `.noSuchFileOrDirectory`.
    public var errno: Errno
    /// What failed, in the vocabulary above, for example `read` or `io_uring_enter`.
    public var operation: String
    /// A hint for a person, or nil when the errno says everything.
    public var detail: String?
    /// The file the failing request named, when one did (pyuring 0.3.3's `path`).
    public var path: FilePath?
    /// The file offset of the failing request, when it had one.
    public var offset: UInt64?
    /// The byte count of the failing request, when it had one.
    public var length: Int?

    /// Creates an error.
    /// - Parameters:
    ///   - errno: the kernel's error number.
    ///   - operation: the system call or opcode name.
    ///   - detail: an optional hint for a person.
    ///   - path: the file the request named, if any.
    ///   - offset: the request's file offset, if any.
    ///   - length: the request's byte count, if any.
    public init(
        errno: Errno, operation: String, detail: String? = nil, path: FilePath? = nil, offset: UInt64? = nil,
        length: Int? = nil
    ) {
        self.errno = errno
        self.operation = operation
        self.detail = detail
        self.path = path
        self.offset = offset
        self.length = length
    }

    /// Creates an error from a negated errno as the kernel returns it (`-EBADF`).
    /// - Parameters:
    ///   - negatedErrno: a negative result, as in `cqe->res` or a raw system call.
    ///   - operation: the system call or opcode name.
    ///   - detail: an optional hint for a person.
    public init(negatedErrno: Int32, operation: String, detail: String? = nil) {
        self.init(errno: Errno(rawValue: -negatedErrno), operation: operation, detail: detail)
    }

    /// This error with the request's path, offset and length, where it names none yet.
    package func filling(path: FilePath? = nil, offset: UInt64? = nil, length: Int? = nil) -> UringError {
        var filled = self
        filled.path = self.path ?? path
        filled.offset = self.offset ?? offset
        filled.length = self.length ?? length
        return filled
    }

    /// `operation: message (errno N): detail`, for logs; an errno of 0 reads
    /// "failed without an errno", never "Success".
    public var description: String {
        let reason = errno.rawValue == 0 ? "failed without an errno" : "\(errno)"
        var text = "\(operation): \(reason) (errno \(errno.rawValue))"
        if let detail { text += ": " + detail }
        var request: [String] = []
        if let path { request.append("path \(path)") }
        if let offset { request.append("offset \(offset)") }
        if let length { request.append("length \(length)") }
        if !request.isEmpty { text += " [" + request.joined(separator: ", ") + "]" }
        return text
    }
}
