/// Which in-flight requests an ``AsyncCancel`` (or a synchronous cancel) matches.
public enum CancelMatch: Sendable, Equatable {
    /// The request with this user data (Linux 5.5).
    case userData(UInt64)
    /// Requests on this file (`IORING_ASYNC_CANCEL_FD`, Linux 5.19).
    case file(FileTarget)
    /// Requests with this opcode (`IORING_ASYNC_CANCEL_OP`, Linux 6.6).
    case opcode(Opcode)
    /// Every request (`IORING_ASYNC_CANCEL_ANY`, Linux 5.19); the result counts them.
    case any

    /// `IORING_ASYNC_CANCEL_ALL`.
    public static let allFlag: UInt32 = 1 << 0
    /// `IORING_ASYNC_CANCEL_FD`.
    public static let fileFlag: UInt32 = 1 << 1
    /// `IORING_ASYNC_CANCEL_ANY`.
    public static let anyFlag: UInt32 = 1 << 2
    /// `IORING_ASYNC_CANCEL_FD_FIXED`.
    public static let fixedFileFlag: UInt32 = 1 << 3
    /// `IORING_ASYNC_CANCEL_USERDATA`.
    public static let userDataFlag: UInt32 = 1 << 4
    /// `IORING_ASYNC_CANCEL_OP`.
    public static let opcodeFlag: UInt32 = 1 << 5

    /// The `IORING_ASYNC_CANCEL_*` bits, the fd, the user data and the opcode for this match.
    @inlinable
    public func encode(all: Bool) -> (flags: UInt32, fd: Int32, userData: UInt64, opcode: UInt32) {
        let every = all ? CancelMatch.allFlag : 0
        switch self {
        case .userData(let data):
            return (every, -1, data, 0)
        case .file(let target):
            let fixed = target.isFixed ? CancelMatch.fixedFileFlag : 0
            return (every | CancelMatch.fileFlag | fixed, target.rawValue, 0, 0)
        case .opcode(let opcode):
            return (every | CancelMatch.opcodeFlag, -1, 0, UInt32(opcode.rawValue))
        case .any:
            return (CancelMatch.anyFlag, -1, 0, 0)
        }
    }
}

/// Asks the kernel to cancel in-flight requests: `IORING_OP_ASYNC_CANCEL` (Linux 5.5).
///
/// Completes with 0 (one cancelled), the number cancelled when `all` is set,
/// `-ENOENT` when nothing matched, or `-EALREADY` when the match was already
/// running and may still complete. Each cancelled request still posts its own
/// completion (usually `-ECANCELED`): only then is its memory free.
public struct AsyncCancel: RingOperation {
    /// `IORING_OP_ASYNC_CANCEL`.
    public var opcode: Opcode { .asyncCancel }
    /// What to match.
    public var match: CancelMatch
    /// Cancel every match, not just the first (`IORING_ASYNC_CANCEL_ALL`, Linux 5.19).
    public var all: Bool

    /// A cancel of the request(s) `match` selects.
    @inlinable
    public init(_ match: CancelMatch, all: Bool = false) {
        self.match = match
        self.all = all
    }

    /// Writes the fd, user data in `addr`, opcode in `len` and `cancel_flags`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        let encoded = match.encode(all: all)
        entry.fd = encoded.fd
        entry.address = encoded.userData
        entry.length = encoded.opcode
        entry.operationFlags = encoded.flags
    }
}
