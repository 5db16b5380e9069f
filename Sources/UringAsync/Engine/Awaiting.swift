import Glibc
import SystemPackage
import Uring

/// The engine's steps, in the order one awaited operation takes them:
///
/// 1. **prepare**: the operation becomes a submission entry (``prepared(_:)``).
/// 2. **suspend**: the task parks its continuation (`Suspension.swift`).
/// 3. **hand over**: the submission goes to the ring thread: in place when the
///    caller runs there, else **post**ed to the inbox with a wakeup (`Inbox.swift`).
/// 4. **begin**: on the ring thread, the operation takes a slot and its entry is
///    **push**ed into the submission queue (`Submission.swift`).
/// 5. **deliver**: its completion finds the slot and resumes the waiter (`Delivery.swift`).
///
/// The `await…` functions below are what operations call: they run the steps and
/// shape the completion into what the operation hands back.
extension RingExecutor {
    /// Runs the engine's steps for `operation` and returns its final completion:
    /// the body of ``submit(_:keepAlive:timeout:)``, for operations of this module.
    nonisolated(nonsending) func awaitCompletion<Operation: RingOperation>(
        of operation: Operation, keepAlive: AnyObject? = nil, timeout: Duration? = nil
    ) async throws -> Completion {
        let entry = prepared(operation)
        let ticket = newCancelTicket()
        let completion = await suspend(OneOperation(entry: entry, keepAlive: keepAlive, timeout: timeout), ticket: ticket)
        return try checked(completion, of: operation.opcode, timeout: timeout)
    }

    /// Awaits `operation` and returns its non-negative result.
    /// - Throws: ``UringError`` with the kernel's errno, the opcode's
    ///   ``Opcode/operationName`` and the request's path, offset and length;
    ///   otherwise as ``submit(_:keepAlive:timeout:)``.
    nonisolated(nonsending) func awaitValue<Operation: RingOperation>(
        of operation: Operation, keepAlive: AnyObject? = nil, timeout: Duration? = nil,
        path: FilePath? = nil, offset: UInt64? = nil, length: Int? = nil
    ) async throws -> Int32 {
        do {
            return try await awaitCompletion(of: operation, keepAlive: keepAlive, timeout: timeout).value(for: operation.opcode.operationName)
        } catch let error as UringError {
            throw error.filling(path: path, offset: offset, length: length)
        }
    }

    /// Submits the operation `make` builds over the first `count` bytes (default:
    /// all) of `buffer`, keeping the buffer alive until the final completion.
    /// - Returns: the completion's byte count and the buffer.
    /// - Throws: ``UringError`` `EINVAL` for a count outside the buffer, else with
    ///   the kernel's errno and `opcode`'s name.
    nonisolated(nonsending) func awaitTransfer<Operation: RingOperation>(
        _ opcode: Opcode, _ buffer: IOBuffer, count: Int?, at offset: UInt64? = nil, timeout: Duration? = nil,
        _ make: (UnsafeMutableRawBufferPointer) -> Operation
    ) async throws -> (count: Int, buffer: IOBuffer) {
        let length = try Self.checkedLength(count, in: buffer, operation: opcode.operationName)
        let operation = make(UnsafeMutableRawBufferPointer(rebasing: buffer.memory[0..<length]))
        let done = try await awaitValue(of: operation, keepAlive: buffer, timeout: timeout, offset: offset, length: length)
        return (Int(done), buffer)
    }

    /// `count` when it fits the buffer, else the buffer's capacity.
    static func checkedLength(_ count: Int?, in buffer: IOBuffer, operation: String) throws -> Int {
        let length = count ?? buffer.capacity
        guard length >= 0, length <= buffer.capacity else {
            throw UringError(
                errno: .invalidArgument, operation: operation,
                detail: "count \(length) is outside the buffer's capacity 0...\(buffer.capacity)")
        }
        return length
    }

    /// A ticket no other wait of this executor has had or will have, so a cancel
    /// request finds this wait's operations and nothing else. (A task's address
    /// would not do: a later task can reuse it, and a late cancel would hit it.)
    func newCancelTicket() -> Int {
        cancelTickets.wrappingAdd(1, ordering: .relaxed).newValue
    }

    /// The completion, or the error that stands for how the operation ended.
    func checked(_ completion: Completion, of opcode: Opcode, timeout: Duration?) throws -> Completion {
        if completion.userData == OperationSlots.ignoredUserData {
            throw UringError(
                errno: .canceled, operation: opcode.operationName,
                detail: "the RingExecutor was shut down before this operation completed")
        }
        guard completion.result == -ECANCELED else { return completion }
        if Task.isCancelled { throw CancellationError() }
        if let timeout {
            throw UringError(errno: Errno(rawValue: ETIME), operation: opcode.operationName, detail: "no completion within \(timeout)")
        }
        return completion
    }
}

/// Several owners kept alive together for one operation.
final class Kept: @unchecked Sendable {
    let owners: [AnyObject]
    init(_ owners: AnyObject...) { self.owners = owners }
}
