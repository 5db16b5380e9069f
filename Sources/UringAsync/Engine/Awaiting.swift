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
    /// - Throws: `UringError` with the kernel's errno, the opcode's
    ///   `Opcode.operationName` and the request's path, offset and length;
    ///   otherwise as ``submit(_:keepAlive:timeout:)``.
    nonisolated(nonsending) func awaitValue<Operation: RingOperation>(
        of operation: Operation, keepAlive: AnyObject? = nil, timeout: Duration? = nil,
        path: FilePath? = nil, offset: UInt64? = nil, length: Int? = nil
    ) async throws -> Int32 {
        do {
            return try await awaitCompletion(of: operation, keepAlive: keepAlive, timeout: timeout).value(
                for: operation.opcode.operationName)
        } catch let error as UringError {
            throw error.filling(path: path, offset: offset, length: length)
        }
    }

    /// Submits the operation `make` builds over the bytes of `buffer` in
    /// `region`. The buffer is held (``IOBuffer/lend(to:)``) and kept alive until
    /// the final completion, then given back with the result; after a shutdown
    /// that gave up on the operation it stays held, since the kernel may still use it.
    /// - Returns: the completion's byte count and the buffer.
    /// - Throws: `UringError` `EBUSY` when something else holds the buffer, else
    ///   with the kernel's errno and `opcode`'s name.
    nonisolated(nonsending) func awaitTransfer<Operation: RingOperation>(
        _ opcode: Opcode, _ buffer: IOBuffer, region: Range<Int>, at offset: UInt64? = nil, timeout: Duration? = nil,
        _ make: (UnsafeMutableRawBufferPointer) -> Operation
    ) async throws -> (count: Int, buffer: IOBuffer) {
        try buffer.lend(to: opcode)
        let operation = make(UnsafeMutableRawBufferPointer(rebasing: buffer.memory[region]))
        do {
            let done = try await awaitValue(of: operation, keepAlive: buffer, timeout: timeout, offset: offset, length: region.count)
            buffer.giveBack()
            return (Int(done), buffer)
        } catch let error as UringError where error.detail == Self.shutDownDetail {
            throw error
        } catch {
            buffer.giveBack()
            throw error
        }
    }

    /// The first `count` bytes of `buffer` (default: all of them).
    /// - Throws: `UringError` `EINVAL` naming `opcode` for a count outside the buffer.
    static func region(count: Int?, in buffer: IOBuffer, for opcode: Opcode) throws -> Range<Int> {
        let length = count ?? buffer.capacity
        guard length >= 0, length <= buffer.capacity else {
            throw UringError(
                errno: .invalidArgument, operation: opcode.operationName,
                detail: "count \(length) is outside the buffer's capacity 0...\(buffer.capacity)")
        }
        return 0..<length
    }

    /// The bytes `slice` names.
    /// - Throws: `UringError` `EINVAL` naming `opcode` for a range outside the buffer.
    static func region(of slice: IOBuffer.Slice, for opcode: Opcode) throws -> Range<Int> {
        guard slice.range.lowerBound >= 0, slice.range.upperBound <= slice.buffer.capacity else {
            throw UringError(
                errno: .invalidArgument, operation: opcode.operationName,
                detail: "bytes \(slice.range) are outside the buffer's capacity 0..<\(slice.buffer.capacity)")
        }
        return slice.range
    }

    /// A ticket no other wait of this executor has had or will have, so a cancel
    /// request finds this wait's operations and nothing else. (A task's address
    /// would not do: a later task can reuse it, and a late cancel would hit it.)
    func newCancelTicket() -> Int {
        cancelTickets.wrappingAdd(1, ordering: .relaxed).newValue
    }

    /// What an operation that shutdown gave up on says.
    static let shutDownDetail = "the RingExecutor was shut down before this operation completed"

    /// The completion, or the error that stands for how the operation ended.
    func checked(_ completion: Completion, of opcode: Opcode, timeout: Duration?) throws -> Completion {
        if completion.userData == OperationSlots.ignoredUserData {
            throw UringError(
                errno: .canceled, operation: opcode.operationName, detail: Self.shutDownDetail)
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
