import Glibc
import SystemPackage

/// How a timeout ended (pyuring's `timeout` result: an expired timer is normal).
public enum TimeoutOutcome: Sendable, Equatable {
    /// The time ran out (`-ETIME` from the kernel).
    case expired
    /// `count` other completions arrived first (result 0).
    case countReached
}

/// Synchronous wrappers for the operations that steer others: no-ops, timeouts,
/// cancellation and poll control (pyuring's `UringCtx` methods of these names).
/// Each throws ``UringError`` with the completion's errno, or "closed".
extension RingContext {
    /// `IORING_OP_NOP`; with `result`, one that completes with that value (Linux 6.10).
    /// - Returns: the completion's result, 0 for a plain no-op.
    /// - Throws: ``UringError`` when the (injected) result is an error.
    @discardableResult
    public func nop(result: Int32? = nil) throws(UringError) -> Int32 {
        try perform(Nop(result: result), name: "nop")
    }

    /// `IORING_OP_TIMEOUT`: waits `duration`, or until `count` other completions arrive.
    /// - Returns: ``TimeoutOutcome/expired`` when the time ran out, as usual.
    public func timeout(_ duration: Duration, count: UInt32 = 0) throws(UringError) -> TimeoutOutcome {
        try UringError.rethrowing {
            var time = KernelTimespec(duration)
            let result = try withUnsafePointer(to: &time) { try performAll([Timeout($0, count: count)], name: "timeout")[0] }
            switch result {
            case -ETIME: return .expired
            case 0: return .countReached
            default: throw UringError(negatedErrno: result, operation: "timeout")
            }
        }
    }

    /// Queues an `IORING_OP_TIMEOUT` under `userData` without waiting, for
    /// ``timeoutRemove(userData:)`` or a later ``waitCompletion()`` (`-ETIME` when it fires).
    /// Call ``submit()`` to send it.
    public func timeoutAsync(_ duration: Duration, count: UInt32 = 0, userData: UInt64) throws(UringError) {
        let time = try pin(count: MemoryLayout<KernelTimespec>.size, isRead: false, userData: userData, name: "timeout")
        let pointer = time.memory.baseAddress!.bindMemory(to: KernelTimespec.self, capacity: 1)
        pointer.initialize(to: KernelTimespec(duration))
        try queue(Timeout(pointer, count: count), userData: userData, name: "timeout", owned: time)
    }

    /// `IORING_OP_TIMEOUT_REMOVE`: cancels the queued timeout `userData`; its own
    /// completion (`-ECANCELED`) follows through ``waitCompletion()``.
    /// - Throws: ``UringError`` `ENOENT` when no such timeout is pending, `EALREADY` when it is firing.
    public func timeoutRemove(userData: UInt64) throws(UringError) {
        try perform(TimeoutRemove(userData), name: "timeout_remove")
    }

    /// Runs `operation` with an `IORING_OP_LINK_TIMEOUT` linked behind it: the
    /// operation is cancelled if it has not completed within `timeout`.
    ///
    /// **Unsafe** for operations that point at memory: keep it valid until this returns.
    /// - Returns: the operation's non-negative result.
    /// - Throws: ``UringError`` `ETIME` naming the timeout when it ran out, or the
    ///   operation's own error.
    @discardableResult
    public func perform<Operation: RingOperation>(_ operation: Operation, timeout: Duration, name: String? = nil) throws(UringError)
        -> Int32
    {
        try UringError.rethrowing {
            let label = name ?? operation.opcode.operationName
            var time = KernelTimespec(timeout)
            let results = try withUnsafePointer(to: &time) { time in
                try performAll([OperationPair.first(operation), .second(LinkTimeout(time))], name: label, linked: true)
            }
            if results[0] == -ECANCELED && results[1] == -ETIME {
                throw UringError(errno: Errno(rawValue: ETIME), operation: label, detail: "no completion within \(timeout)")
            }
            if results[0] < 0 { throw UringError(negatedErrno: results[0], operation: label) }
            return results[0]
        }
    }

    /// `IORING_OP_ASYNC_CANCEL` of the request queued under `userData`.
    /// - Throws: ``UringError`` `ENOENT` when nothing matches, `EALREADY` when it is running.
    public func cancel(userData: UInt64) throws(UringError) {
        try perform(AsyncCancel(.userData(userData)), name: "async_cancel")
    }

    /// `IORING_OP_ASYNC_CANCEL` of the requests on `fd` (Linux 5.19): every one with `all`.
    /// - Returns: how many were cancelled (1 without `all`).
    /// - Throws: ``UringError`` `ENOENT` when nothing matches.
    @discardableResult
    public func cancel(fd: FileDescriptor, all: Bool = true) throws(UringError) -> Int {
        Int(try perform(AsyncCancel(.file(.descriptor(fd)), all: all), name: "async_cancel"))
    }

    /// Queues an `IORING_OP_POLL_ADD` under `userData` without waiting, for
    /// ``pollRemove(userData:)`` and ``pollUpdate(userData:events:newUserData:)``;
    /// its completion (the ready events) comes through ``waitCompletion()``.
    public func pollAddAsync(_ fd: FileDescriptor, events: UInt32, userData: UInt64, multishot: Bool = false) throws(UringError) {
        try checkUserData(userData, "poll_add")
        try queue(PollAdd(.descriptor(fd), events: events, multishot: multishot), userData: userData, name: "poll_add", owned: nil)
    }

    /// `IORING_OP_POLL_REMOVE` of the poll queued under `userData`.
    /// - Throws: ``UringError`` `ENOENT` when no such poll is armed.
    public func pollRemove(userData: UInt64) throws(UringError) {
        try perform(PollRemove(userData), name: "poll_remove")
    }

    /// `IORING_OP_POLL_REMOVE` with update flags (Linux 5.13): changes the events
    /// and/or the user data of the poll queued under `userData`.
    /// - Throws: ``UringError`` `ENOENT` when no such poll is armed.
    public func pollUpdate(userData: UInt64, events: UInt32? = nil, newUserData: UInt64? = nil) throws(UringError) {
        try perform(PollRemove(updating: userData, events: events, userData: newUserData), name: "poll_update")
    }
}

/// Either of two operations, so a pair of different kinds goes through one
/// ``RingContext/performAll(_:name:linked:)`` call.
enum OperationPair<First: RingOperation, Second: RingOperation>: RingOperation {
    case first(First)
    case second(Second)

    var opcode: Opcode {
        switch self {
        case .first(let operation): operation.opcode
        case .second(let operation): operation.opcode
        }
    }

    func prepare(_ entry: inout SubmissionQueueEntry) {
        switch self {
        case .first(let operation): operation.prepare(&entry)
        case .second(let operation): operation.prepare(&entry)
        }
    }
}
