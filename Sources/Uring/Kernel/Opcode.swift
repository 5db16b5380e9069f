/// Every io_uring request type through Linux 6.18: the kernel's `IORING_OP_*` values.
///
/// ``kernelName`` gives the C name and ``introducedIn`` the Linux release that
/// added the opcode; whether the running kernel has it is a question for
/// ``Probe``, never for a version comparison.
public enum Opcode: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    /// `IORING_OP_NOP` (Linux 5.1).
    case nop = 0
    /// `IORING_OP_READV` (Linux 5.1).
    case readv = 1
    /// `IORING_OP_WRITEV` (Linux 5.1).
    case writev = 2
    /// `IORING_OP_FSYNC` (Linux 5.1).
    case fsync = 3
    /// `IORING_OP_READ_FIXED` (Linux 5.1).
    case readFixed = 4
    /// `IORING_OP_WRITE_FIXED` (Linux 5.1).
    case writeFixed = 5
    /// `IORING_OP_POLL_ADD` (Linux 5.1).
    case pollAdd = 6
    /// `IORING_OP_POLL_REMOVE` (Linux 5.1).
    case pollRemove = 7
    /// `IORING_OP_SYNC_FILE_RANGE` (Linux 5.2).
    case syncFileRange = 8
    /// `IORING_OP_SENDMSG` (Linux 5.3).
    case sendmsg = 9
    /// `IORING_OP_RECVMSG` (Linux 5.3).
    case recvmsg = 10
    /// `IORING_OP_TIMEOUT` (Linux 5.4).
    case timeout = 11
    /// `IORING_OP_TIMEOUT_REMOVE` (Linux 5.5).
    case timeoutRemove = 12
    /// `IORING_OP_ACCEPT` (Linux 5.5).
    case accept = 13
    /// `IORING_OP_ASYNC_CANCEL` (Linux 5.5).
    case asyncCancel = 14
    /// `IORING_OP_LINK_TIMEOUT` (Linux 5.5).
    case linkTimeout = 15
    /// `IORING_OP_CONNECT` (Linux 5.5).
    case connect = 16
    /// `IORING_OP_FALLOCATE` (Linux 5.6).
    case fallocate = 17
    /// `IORING_OP_OPENAT` (Linux 5.6).
    case openat = 18
    /// `IORING_OP_CLOSE` (Linux 5.6).
    case close = 19
    /// `IORING_OP_FILES_UPDATE` (Linux 5.6).
    case filesUpdate = 20
    /// `IORING_OP_STATX` (Linux 5.6).
    case statx = 21
    /// `IORING_OP_READ` (Linux 5.6).
    case read = 22
    /// `IORING_OP_WRITE` (Linux 5.6).
    case write = 23
    /// `IORING_OP_FADVISE` (Linux 5.6).
    case fadvise = 24
    /// `IORING_OP_MADVISE` (Linux 5.6).
    case madvise = 25
    /// `IORING_OP_SEND` (Linux 5.6).
    case send = 26
    /// `IORING_OP_RECV` (Linux 5.6).
    case recv = 27
    /// `IORING_OP_OPENAT2` (Linux 5.6).
    case openat2 = 28
    /// `IORING_OP_EPOLL_CTL` (Linux 5.6).
    case epollCtl = 29
    /// `IORING_OP_SPLICE` (Linux 5.7).
    case splice = 30
    /// `IORING_OP_PROVIDE_BUFFERS` (Linux 5.7).
    case provideBuffers = 31
    /// `IORING_OP_REMOVE_BUFFERS` (Linux 5.7).
    case removeBuffers = 32
    /// `IORING_OP_TEE` (Linux 5.8).
    case tee = 33
    /// `IORING_OP_SHUTDOWN` (Linux 5.11).
    case shutdown = 34
    /// `IORING_OP_RENAMEAT` (Linux 5.11).
    case renameat = 35
    /// `IORING_OP_UNLINKAT` (Linux 5.11).
    case unlinkat = 36
    /// `IORING_OP_MKDIRAT` (Linux 5.15).
    case mkdirat = 37
    /// `IORING_OP_SYMLINKAT` (Linux 5.15).
    case symlinkat = 38
    /// `IORING_OP_LINKAT` (Linux 5.15).
    case linkat = 39
    /// `IORING_OP_MSG_RING` (Linux 5.18).
    case msgRing = 40
    /// `IORING_OP_FSETXATTR` (Linux 5.19).
    case fsetxattr = 41
    /// `IORING_OP_SETXATTR` (Linux 5.19).
    case setxattr = 42
    /// `IORING_OP_FGETXATTR` (Linux 5.19).
    case fgetxattr = 43
    /// `IORING_OP_GETXATTR` (Linux 5.19).
    case getxattr = 44
    /// `IORING_OP_SOCKET` (Linux 5.19).
    case socket = 45
    /// `IORING_OP_URING_CMD` (Linux 5.19).
    case uringCommand = 46
    /// `IORING_OP_SEND_ZC` (Linux 6.0).
    case sendZeroCopy = 47
    /// `IORING_OP_SENDMSG_ZC` (Linux 6.1).
    case sendmsgZeroCopy = 48
    /// `IORING_OP_READ_MULTISHOT` (Linux 6.7).
    case readMultishot = 49
    /// `IORING_OP_WAITID` (Linux 6.7).
    case waitid = 50
    /// `IORING_OP_FUTEX_WAIT` (Linux 6.7).
    case futexWait = 51
    /// `IORING_OP_FUTEX_WAKE` (Linux 6.7).
    case futexWake = 52
    /// `IORING_OP_FUTEX_WAITV` (Linux 6.7).
    case futexWaitv = 53
    /// `IORING_OP_FIXED_FD_INSTALL` (Linux 6.8).
    case fixedFDInstall = 54
    /// `IORING_OP_FTRUNCATE` (Linux 6.9).
    case ftruncate = 55
    /// `IORING_OP_BIND` (Linux 6.11).
    case bind = 56
    /// `IORING_OP_LISTEN` (Linux 6.11).
    case listen = 57
    /// `IORING_OP_RECV_ZC` (Linux 6.15).
    case recvZeroCopy = 58
    /// `IORING_OP_EPOLL_WAIT` (Linux 6.15).
    case epollWait = 59
    /// `IORING_OP_READV_FIXED` (Linux 6.15).
    case readvFixed = 60
    /// `IORING_OP_WRITEV_FIXED` (Linux 6.15).
    case writevFixed = 61
    /// `IORING_OP_PIPE` (Linux 6.16).
    case pipe = 62
    /// `IORING_OP_NOP128`: a no-op in a 128-byte entry, for rings with
    /// `IORING_SETUP_SQE128` or `IORING_SETUP_SQE_MIXED` (Linux 6.19).
    case nop128 = 63
    /// `IORING_OP_URING_CMD128`: a passthrough command in a 128-byte entry (Linux 6.19).
    case uringCommand128 = 64

    /// The kernel's name for this opcode, for example `IORING_OP_READ`.
    public var kernelName: String { "IORING_OP_" + Self.kernelSuffixes[Int(rawValue)] }

    /// The operation's name as ``UringError/operation`` gives it: the kernel name
    /// without `IORING_OP_`, in lower case (`read`, `openat`, `poll_add`), which is
    /// also the suffix of liburing's `io_uring_prep_…` function.
    public var operationName: String { Self.operationNames[Int(rawValue)] }

    /// ``operationName`` of every opcode, computed once: errors name their
    /// operation on hot paths, where building the string each time would cost.
    private static let operationNames: [String] = kernelSuffixes.map { $0.lowercased() }

    /// The Linux release that added this opcode, for example `"5.6"`.
    public var introducedIn: String { Self.releases[Int(rawValue)] }

    /// The kernel name, as in ``kernelName``.
    public var description: String { kernelName }

    private static let kernelSuffixes: [String] = [
        "NOP", "READV", "WRITEV", "FSYNC",
        "READ_FIXED", "WRITE_FIXED", "POLL_ADD", "POLL_REMOVE",
        "SYNC_FILE_RANGE", "SENDMSG", "RECVMSG", "TIMEOUT",
        "TIMEOUT_REMOVE", "ACCEPT", "ASYNC_CANCEL", "LINK_TIMEOUT",
        "CONNECT", "FALLOCATE", "OPENAT", "CLOSE",
        "FILES_UPDATE", "STATX", "READ", "WRITE",
        "FADVISE", "MADVISE", "SEND", "RECV",
        "OPENAT2", "EPOLL_CTL", "SPLICE", "PROVIDE_BUFFERS",
        "REMOVE_BUFFERS", "TEE", "SHUTDOWN", "RENAMEAT",
        "UNLINKAT", "MKDIRAT", "SYMLINKAT", "LINKAT",
        "MSG_RING", "FSETXATTR", "SETXATTR", "FGETXATTR",
        "GETXATTR", "SOCKET", "URING_CMD", "SEND_ZC",
        "SENDMSG_ZC", "READ_MULTISHOT", "WAITID", "FUTEX_WAIT",
        "FUTEX_WAKE", "FUTEX_WAITV", "FIXED_FD_INSTALL", "FTRUNCATE",
        "BIND", "LISTEN", "RECV_ZC", "EPOLL_WAIT",
        "READV_FIXED", "WRITEV_FIXED", "PIPE", "NOP128",
        "URING_CMD128",
    ]

    private static let releases: [String] = [
        "5.1", "5.1", "5.1", "5.1", "5.1", "5.1", "5.1", "5.1",
        "5.2", "5.3", "5.3", "5.4", "5.5", "5.5", "5.5", "5.5",
        "5.5", "5.6", "5.6", "5.6", "5.6", "5.6", "5.6", "5.6",
        "5.6", "5.6", "5.6", "5.6", "5.6", "5.6", "5.7", "5.7",
        "5.7", "5.8", "5.11", "5.11", "5.11", "5.15", "5.15", "5.15",
        "5.18", "5.19", "5.19", "5.19", "5.19", "5.19", "5.19", "6.0",
        "6.1", "6.7", "6.7", "6.7", "6.7", "6.7", "6.8", "6.9",
        "6.11", "6.11", "6.15", "6.15", "6.15", "6.15", "6.16", "6.19",
        "6.19",
    ]
}
