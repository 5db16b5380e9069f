/// The io_uring UAPI constants under their C names (pyuring exports the same
/// names at its package root): `UAPI.IORING_OP_READ`, `UAPI.IORING_SETUP_SQPOLL`,
/// `UAPI.IOSQE_IO_LINK`. Each is defined by the typed value it names. ``names``
/// lists them all (pyuring's `UAPI_CONSTANT_NAMES`); ``value(named:)`` looks one
/// up by name. Swift code should prefer ``Opcode``, ``SetupFlags`` and
/// ``SubmissionFlags``; these are for code ported from C or Python.
///
/// Part of the compatibility layer, for code ported from pyuring or C.
public enum UAPI {
    /// `IORING_OP_NOP`: ``Opcode/nop``.
    public static let IORING_OP_NOP: UInt32 = UInt32(Opcode.nop.rawValue)
    /// `IORING_OP_READV`: ``Opcode/readv``.
    public static let IORING_OP_READV: UInt32 = UInt32(Opcode.readv.rawValue)
    /// `IORING_OP_WRITEV`: ``Opcode/writev``.
    public static let IORING_OP_WRITEV: UInt32 = UInt32(Opcode.writev.rawValue)
    /// `IORING_OP_FSYNC`: ``Opcode/fsync``.
    public static let IORING_OP_FSYNC: UInt32 = UInt32(Opcode.fsync.rawValue)
    /// `IORING_OP_READ_FIXED`: ``Opcode/readFixed``.
    public static let IORING_OP_READ_FIXED: UInt32 = UInt32(Opcode.readFixed.rawValue)
    /// `IORING_OP_WRITE_FIXED`: ``Opcode/writeFixed``.
    public static let IORING_OP_WRITE_FIXED: UInt32 = UInt32(Opcode.writeFixed.rawValue)
    /// `IORING_OP_POLL_ADD`: ``Opcode/pollAdd``.
    public static let IORING_OP_POLL_ADD: UInt32 = UInt32(Opcode.pollAdd.rawValue)
    /// `IORING_OP_POLL_REMOVE`: ``Opcode/pollRemove``.
    public static let IORING_OP_POLL_REMOVE: UInt32 = UInt32(Opcode.pollRemove.rawValue)
    /// `IORING_OP_SYNC_FILE_RANGE`: ``Opcode/syncFileRange``.
    public static let IORING_OP_SYNC_FILE_RANGE: UInt32 = UInt32(Opcode.syncFileRange.rawValue)
    /// `IORING_OP_SENDMSG`: ``Opcode/sendmsg``.
    public static let IORING_OP_SENDMSG: UInt32 = UInt32(Opcode.sendmsg.rawValue)
    /// `IORING_OP_RECVMSG`: ``Opcode/recvmsg``.
    public static let IORING_OP_RECVMSG: UInt32 = UInt32(Opcode.recvmsg.rawValue)
    /// `IORING_OP_TIMEOUT`: ``Opcode/timeout``.
    public static let IORING_OP_TIMEOUT: UInt32 = UInt32(Opcode.timeout.rawValue)
    /// `IORING_OP_TIMEOUT_REMOVE`: ``Opcode/timeoutRemove``.
    public static let IORING_OP_TIMEOUT_REMOVE: UInt32 = UInt32(Opcode.timeoutRemove.rawValue)
    /// `IORING_OP_ACCEPT`: ``Opcode/accept``.
    public static let IORING_OP_ACCEPT: UInt32 = UInt32(Opcode.accept.rawValue)
    /// `IORING_OP_ASYNC_CANCEL`: ``Opcode/asyncCancel``.
    public static let IORING_OP_ASYNC_CANCEL: UInt32 = UInt32(Opcode.asyncCancel.rawValue)
    /// `IORING_OP_LINK_TIMEOUT`: ``Opcode/linkTimeout``.
    public static let IORING_OP_LINK_TIMEOUT: UInt32 = UInt32(Opcode.linkTimeout.rawValue)
    /// `IORING_OP_CONNECT`: ``Opcode/connect``.
    public static let IORING_OP_CONNECT: UInt32 = UInt32(Opcode.connect.rawValue)
    /// `IORING_OP_FALLOCATE`: ``Opcode/fallocate``.
    public static let IORING_OP_FALLOCATE: UInt32 = UInt32(Opcode.fallocate.rawValue)
    /// `IORING_OP_OPENAT`: ``Opcode/openat``.
    public static let IORING_OP_OPENAT: UInt32 = UInt32(Opcode.openat.rawValue)
    /// `IORING_OP_CLOSE`: ``Opcode/close``.
    public static let IORING_OP_CLOSE: UInt32 = UInt32(Opcode.close.rawValue)
    /// `IORING_OP_FILES_UPDATE`: ``Opcode/filesUpdate``.
    public static let IORING_OP_FILES_UPDATE: UInt32 = UInt32(Opcode.filesUpdate.rawValue)
    /// `IORING_OP_STATX`: ``Opcode/statx``.
    public static let IORING_OP_STATX: UInt32 = UInt32(Opcode.statx.rawValue)
    /// `IORING_OP_READ`: ``Opcode/read``.
    public static let IORING_OP_READ: UInt32 = UInt32(Opcode.read.rawValue)
    /// `IORING_OP_WRITE`: ``Opcode/write``.
    public static let IORING_OP_WRITE: UInt32 = UInt32(Opcode.write.rawValue)
    /// `IORING_OP_FADVISE`: ``Opcode/fadvise``.
    public static let IORING_OP_FADVISE: UInt32 = UInt32(Opcode.fadvise.rawValue)
    /// `IORING_OP_MADVISE`: ``Opcode/madvise``.
    public static let IORING_OP_MADVISE: UInt32 = UInt32(Opcode.madvise.rawValue)
    /// `IORING_OP_SEND`: ``Opcode/send``.
    public static let IORING_OP_SEND: UInt32 = UInt32(Opcode.send.rawValue)
    /// `IORING_OP_RECV`: ``Opcode/recv``.
    public static let IORING_OP_RECV: UInt32 = UInt32(Opcode.recv.rawValue)
    /// `IORING_OP_OPENAT2`: ``Opcode/openat2``.
    public static let IORING_OP_OPENAT2: UInt32 = UInt32(Opcode.openat2.rawValue)
    /// `IORING_OP_EPOLL_CTL`: ``Opcode/epollCtl``.
    public static let IORING_OP_EPOLL_CTL: UInt32 = UInt32(Opcode.epollCtl.rawValue)
    /// `IORING_OP_SPLICE`: ``Opcode/splice``.
    public static let IORING_OP_SPLICE: UInt32 = UInt32(Opcode.splice.rawValue)
    /// `IORING_OP_PROVIDE_BUFFERS`: ``Opcode/provideBuffers``.
    public static let IORING_OP_PROVIDE_BUFFERS: UInt32 = UInt32(Opcode.provideBuffers.rawValue)
    /// `IORING_OP_REMOVE_BUFFERS`: ``Opcode/removeBuffers``.
    public static let IORING_OP_REMOVE_BUFFERS: UInt32 = UInt32(Opcode.removeBuffers.rawValue)
    /// `IORING_OP_TEE`: ``Opcode/tee``.
    public static let IORING_OP_TEE: UInt32 = UInt32(Opcode.tee.rawValue)
    /// `IORING_OP_SHUTDOWN`: ``Opcode/shutdown``.
    public static let IORING_OP_SHUTDOWN: UInt32 = UInt32(Opcode.shutdown.rawValue)
    /// `IORING_OP_RENAMEAT`: ``Opcode/renameat``.
    public static let IORING_OP_RENAMEAT: UInt32 = UInt32(Opcode.renameat.rawValue)
    /// `IORING_OP_UNLINKAT`: ``Opcode/unlinkat``.
    public static let IORING_OP_UNLINKAT: UInt32 = UInt32(Opcode.unlinkat.rawValue)
    /// `IORING_OP_MKDIRAT`: ``Opcode/mkdirat``.
    public static let IORING_OP_MKDIRAT: UInt32 = UInt32(Opcode.mkdirat.rawValue)
    /// `IORING_OP_SYMLINKAT`: ``Opcode/symlinkat``.
    public static let IORING_OP_SYMLINKAT: UInt32 = UInt32(Opcode.symlinkat.rawValue)
    /// `IORING_OP_LINKAT`: ``Opcode/linkat``.
    public static let IORING_OP_LINKAT: UInt32 = UInt32(Opcode.linkat.rawValue)
    /// `IORING_OP_MSG_RING`: ``Opcode/msgRing``.
    public static let IORING_OP_MSG_RING: UInt32 = UInt32(Opcode.msgRing.rawValue)
    /// `IORING_OP_FSETXATTR`: ``Opcode/fsetxattr``.
    public static let IORING_OP_FSETXATTR: UInt32 = UInt32(Opcode.fsetxattr.rawValue)
    /// `IORING_OP_SETXATTR`: ``Opcode/setxattr``.
    public static let IORING_OP_SETXATTR: UInt32 = UInt32(Opcode.setxattr.rawValue)
    /// `IORING_OP_FGETXATTR`: ``Opcode/fgetxattr``.
    public static let IORING_OP_FGETXATTR: UInt32 = UInt32(Opcode.fgetxattr.rawValue)
    /// `IORING_OP_GETXATTR`: ``Opcode/getxattr``.
    public static let IORING_OP_GETXATTR: UInt32 = UInt32(Opcode.getxattr.rawValue)
    /// `IORING_OP_SOCKET`: ``Opcode/socket``.
    public static let IORING_OP_SOCKET: UInt32 = UInt32(Opcode.socket.rawValue)
    /// `IORING_OP_URING_CMD`: ``Opcode/uringCommand``.
    public static let IORING_OP_URING_CMD: UInt32 = UInt32(Opcode.uringCommand.rawValue)
    /// `IORING_OP_SEND_ZC`: ``Opcode/sendZeroCopy``.
    public static let IORING_OP_SEND_ZC: UInt32 = UInt32(Opcode.sendZeroCopy.rawValue)
    /// `IORING_OP_SENDMSG_ZC`: ``Opcode/sendmsgZeroCopy``.
    public static let IORING_OP_SENDMSG_ZC: UInt32 = UInt32(Opcode.sendmsgZeroCopy.rawValue)
    /// `IORING_OP_READ_MULTISHOT`: ``Opcode/readMultishot``.
    public static let IORING_OP_READ_MULTISHOT: UInt32 = UInt32(Opcode.readMultishot.rawValue)
    /// `IORING_OP_WAITID`: ``Opcode/waitid``.
    public static let IORING_OP_WAITID: UInt32 = UInt32(Opcode.waitid.rawValue)
    /// `IORING_OP_FUTEX_WAIT`: ``Opcode/futexWait``.
    public static let IORING_OP_FUTEX_WAIT: UInt32 = UInt32(Opcode.futexWait.rawValue)
    /// `IORING_OP_FUTEX_WAKE`: ``Opcode/futexWake``.
    public static let IORING_OP_FUTEX_WAKE: UInt32 = UInt32(Opcode.futexWake.rawValue)
    /// `IORING_OP_FUTEX_WAITV`: ``Opcode/futexWaitv``.
    public static let IORING_OP_FUTEX_WAITV: UInt32 = UInt32(Opcode.futexWaitv.rawValue)
    /// `IORING_OP_FIXED_FD_INSTALL`: ``Opcode/fixedFDInstall``.
    public static let IORING_OP_FIXED_FD_INSTALL: UInt32 = UInt32(Opcode.fixedFDInstall.rawValue)
    /// `IORING_OP_FTRUNCATE`: ``Opcode/ftruncate``.
    public static let IORING_OP_FTRUNCATE: UInt32 = UInt32(Opcode.ftruncate.rawValue)
    /// `IORING_OP_BIND`: ``Opcode/bind``.
    public static let IORING_OP_BIND: UInt32 = UInt32(Opcode.bind.rawValue)
    /// `IORING_OP_LISTEN`: ``Opcode/listen``.
    public static let IORING_OP_LISTEN: UInt32 = UInt32(Opcode.listen.rawValue)
    /// `IORING_OP_RECV_ZC`: ``Opcode/recvZeroCopy``.
    public static let IORING_OP_RECV_ZC: UInt32 = UInt32(Opcode.recvZeroCopy.rawValue)
    /// `IORING_OP_EPOLL_WAIT`: ``Opcode/epollWait``.
    public static let IORING_OP_EPOLL_WAIT: UInt32 = UInt32(Opcode.epollWait.rawValue)
    /// `IORING_OP_READV_FIXED`: ``Opcode/readvFixed``.
    public static let IORING_OP_READV_FIXED: UInt32 = UInt32(Opcode.readvFixed.rawValue)
    /// `IORING_OP_WRITEV_FIXED`: ``Opcode/writevFixed``.
    public static let IORING_OP_WRITEV_FIXED: UInt32 = UInt32(Opcode.writevFixed.rawValue)
    /// `IORING_OP_PIPE`: ``Opcode/pipe``.
    public static let IORING_OP_PIPE: UInt32 = UInt32(Opcode.pipe.rawValue)
    /// `IORING_OP_NOP128`: ``Opcode/nop128``.
    public static let IORING_OP_NOP128: UInt32 = UInt32(Opcode.nop128.rawValue)
    /// `IORING_OP_URING_CMD128`: ``Opcode/uringCommand128``.
    public static let IORING_OP_URING_CMD128: UInt32 = UInt32(Opcode.uringCommand128.rawValue)
    /// `IORING_SETUP_IOPOLL`: ``SetupFlags/ioPoll``.
    public static let IORING_SETUP_IOPOLL: UInt32 = SetupFlags.ioPoll.rawValue
    /// `IORING_SETUP_SQPOLL`: ``SetupFlags/submissionQueuePolling``.
    public static let IORING_SETUP_SQPOLL: UInt32 = SetupFlags.submissionQueuePolling.rawValue
    /// `IORING_SETUP_SQ_AFF`: ``SetupFlags/submissionQueueAffinity``.
    public static let IORING_SETUP_SQ_AFF: UInt32 = SetupFlags.submissionQueueAffinity.rawValue
    /// `IORING_SETUP_CQSIZE`: ``SetupFlags/completionQueueSize``.
    public static let IORING_SETUP_CQSIZE: UInt32 = SetupFlags.completionQueueSize.rawValue
    /// `IORING_SETUP_CLAMP`: ``SetupFlags/clamp``.
    public static let IORING_SETUP_CLAMP: UInt32 = SetupFlags.clamp.rawValue
    /// `IORING_SETUP_ATTACH_WQ`: ``SetupFlags/attachWorkQueue``.
    public static let IORING_SETUP_ATTACH_WQ: UInt32 = SetupFlags.attachWorkQueue.rawValue
    /// `IORING_SETUP_R_DISABLED`: ``SetupFlags/ringDisabled``.
    public static let IORING_SETUP_R_DISABLED: UInt32 = SetupFlags.ringDisabled.rawValue
    /// `IORING_SETUP_SUBMIT_ALL`: ``SetupFlags/submitAll``.
    public static let IORING_SETUP_SUBMIT_ALL: UInt32 = SetupFlags.submitAll.rawValue
    /// `IORING_SETUP_COOP_TASKRUN`: ``SetupFlags/cooperativeTaskRun``.
    public static let IORING_SETUP_COOP_TASKRUN: UInt32 = SetupFlags.cooperativeTaskRun.rawValue
    /// `IORING_SETUP_TASKRUN_FLAG`: ``SetupFlags/taskRunFlag``.
    public static let IORING_SETUP_TASKRUN_FLAG: UInt32 = SetupFlags.taskRunFlag.rawValue
    /// `IORING_SETUP_SQE128`: ``SetupFlags/sqe128``.
    public static let IORING_SETUP_SQE128: UInt32 = SetupFlags.sqe128.rawValue
    /// `IORING_SETUP_CQE32`: ``SetupFlags/cqe32``.
    public static let IORING_SETUP_CQE32: UInt32 = SetupFlags.cqe32.rawValue
    /// `IORING_SETUP_SINGLE_ISSUER`: ``SetupFlags/singleIssuer``.
    public static let IORING_SETUP_SINGLE_ISSUER: UInt32 = SetupFlags.singleIssuer.rawValue
    /// `IORING_SETUP_DEFER_TASKRUN`: ``SetupFlags/deferTaskRun``.
    public static let IORING_SETUP_DEFER_TASKRUN: UInt32 = SetupFlags.deferTaskRun.rawValue
    /// `IORING_SETUP_NO_MMAP`: ``SetupFlags/noMmap``.
    public static let IORING_SETUP_NO_MMAP: UInt32 = SetupFlags.noMmap.rawValue
    /// `IORING_SETUP_REGISTERED_FD_ONLY`: ``SetupFlags/registeredFDOnly``.
    public static let IORING_SETUP_REGISTERED_FD_ONLY: UInt32 = SetupFlags.registeredFDOnly.rawValue
    /// `IORING_SETUP_NO_SQARRAY`: ``SetupFlags/noSubmissionArray``.
    public static let IORING_SETUP_NO_SQARRAY: UInt32 = SetupFlags.noSubmissionArray.rawValue
    /// `IORING_SETUP_HYBRID_IOPOLL`: ``SetupFlags/hybridIOPoll``.
    public static let IORING_SETUP_HYBRID_IOPOLL: UInt32 = SetupFlags.hybridIOPoll.rawValue
    /// `IORING_SETUP_CQE_MIXED`: ``SetupFlags/mixedCompletionSize``.
    public static let IORING_SETUP_CQE_MIXED: UInt32 = SetupFlags.mixedCompletionSize.rawValue
    /// `IORING_SETUP_SQE_MIXED`: ``SetupFlags/mixedSubmissionSize``.
    public static let IORING_SETUP_SQE_MIXED: UInt32 = SetupFlags.mixedSubmissionSize.rawValue
    /// `IOSQE_FIXED_FILE`: ``SubmissionFlags/fixedFile``.
    public static let IOSQE_FIXED_FILE: UInt32 = UInt32(SubmissionFlags.fixedFile.rawValue)
    /// `IOSQE_IO_DRAIN`: ``SubmissionFlags/drain``.
    public static let IOSQE_IO_DRAIN: UInt32 = UInt32(SubmissionFlags.drain.rawValue)
    /// `IOSQE_IO_LINK`: ``SubmissionFlags/link``.
    public static let IOSQE_IO_LINK: UInt32 = UInt32(SubmissionFlags.link.rawValue)
    /// `IOSQE_IO_HARDLINK`: ``SubmissionFlags/hardLink``.
    public static let IOSQE_IO_HARDLINK: UInt32 = UInt32(SubmissionFlags.hardLink.rawValue)
    /// `IOSQE_ASYNC`: ``SubmissionFlags/async``.
    public static let IOSQE_ASYNC: UInt32 = UInt32(SubmissionFlags.async.rawValue)
    /// `IOSQE_BUFFER_SELECT`: ``SubmissionFlags/bufferSelect``.
    public static let IOSQE_BUFFER_SELECT: UInt32 = UInt32(SubmissionFlags.bufferSelect.rawValue)
    /// `IOSQE_CQE_SKIP_SUCCESS`: ``SubmissionFlags/skipSuccess``.
    public static let IOSQE_CQE_SKIP_SUCCESS: UInt32 = UInt32(SubmissionFlags.skipSuccess.rawValue)
}
