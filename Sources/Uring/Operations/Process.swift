import Glibc

/// Waits for a child process to change state: `IORING_OP_WAITID`, like waitid(2) (Linux 6.7).
///
/// Completes with 0 (and fills `info`) or a negated errno.
/// **Ownership**: `info` stays valid until the completion is consumed.
public struct WaitID: RingOperation {
    /// `IORING_OP_WAITID`.
    public var opcode: Opcode { .waitid }
    /// `P_PID`, `P_PGID`, `P_PIDFD` or `P_ALL`.
    public var idType: idtype_t
    /// The id (ignored for `P_ALL`).
    public var id: id_t
    /// `WEXITED`, `WSTOPPED`, `WCONTINUED`, `WNOHANG`, `WNOWAIT`.
    public var options: Int32
    /// Where the child's status goes.
    public var info: UnsafeMutablePointer<siginfo_t>

    /// A waitid(2) for `id` of `idType`.
    @unsafe @inlinable
    public init(_ idType: idtype_t, id: id_t, options: Int32 = WEXITED, info: UnsafeMutablePointer<siginfo_t>) {
        self.idType = idType
        self.id = id
        self.options = options
        self.info = info
    }

    /// Writes the id in `fd`, the type in `len`, options in `file_index`, `info` in `addr2`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.fd = Int32(bitPattern: id)
        entry.length = idType.rawValue
        entry.fileIndex = UInt32(bitPattern: options)
        entry.offset = .address(info)
    }
}
