import Glibc
import SystemPackage
import Uring

extension RingExecutor {
    /// Submits `operation` and suspends until its final completion.
    ///
    /// On the ring thread the entry goes straight into the ring; from elsewhere it
    /// is handed over with one enqueue. Cancelling the task only asks: it submits
    /// `IORING_OP_ASYNC_CANCEL` for this operation and still waits for the
    /// operation's own completion.
    ///
    /// **Ownership**: memory the operation points to must stay valid until this
    /// returns; pass its owner as `keepAlive` and the executor holds it until the
    /// final completion, even if the caller goes away.
    /// - Returns: the completion, whatever its result.
    /// - Throws: `CancellationError` when the task was cancelled and the kernel
    ///   answered `ECANCELED` (the operation lost the race); ``UringError``
    ///   `ECANCELED` ("shut down") when ``shutdown()`` came first.
    public func submit<Operation: RingOperation>(
        _ operation: Operation, keepAlive: AnyObject? = nil
    ) async throws -> Completion {
        let entry = prepared(operation)
        let task = withUnsafeCurrentTask { $0?.hashValue ?? 0 }
        let completion = await withTaskCancellationHandler {
            await withUnsafeContinuation { (continuation: UnsafeContinuation<Completion, Never>) in
                if isOnRingThread {
                    begin(entry, continuation: continuation, keepAlive: keepAlive, task: task)
                    if Task.isCancelled { requestCancel(task: task) }
                    return
                }
                let posted = post {
                    $0.starts.append(
                        PendingStart(entry: entry, continuation: continuation, keepAlive: keepAlive, task: task))
                }
                if !posted {
                    continuation.resume(returning: Self.cancelledCompletion)
                } else if Task.isCancelled {
                    post { $0.cancels.append(task) }
                }
            }
        } onCancel: {
            if isOnRingThread {
                requestCancel(task: task)
            } else {
                post { $0.cancels.append(task) }
            }
        }
        if completion.userData == OperationSlots.cancelUserData {
            throw UringError(
                errno: .canceled, operation: operation.opcode.description,
                detail: "the RingExecutor was shut down before this operation completed")
        }
        if completion.result == -ECANCELED && Task.isCancelled { throw CancellationError() }
        return completion
    }

    /// `IORING_OP_NOP`: a round trip through the ring (Linux 5.1).
    /// - Throws: as ``submit(_:keepAlive:)``.
    public func nop() async throws {
        _ = try await submit(Nop()).value(for: "nop")
    }

    /// `IORING_OP_READ`, like `pread(2)`: reads up to `count` bytes (default: the
    /// buffer's capacity) at `offset` (nil: the file position) into `buffer` (Linux 5.6).
    ///
    /// **Ownership**: the buffer belongs to the kernel until the read's final
    /// completion and comes back with the result.
    /// - Returns: the bytes read (0 at end of file) and the buffer.
    /// - Throws: ``UringError`` with the kernel's errno and operation `read`;
    ///   `CancellationError` when cancelled before the read finished.
    public func read(
        _ file: FileDescriptor, into buffer: IOBuffer, count: Int? = nil, at offset: UInt64? = nil
    ) async throws -> (count: Int, buffer: IOBuffer) {
        let length = try Self.checkedLength(count, in: buffer, operation: "read")
        let region = UnsafeMutableRawBufferPointer(rebasing: buffer.memory[0..<length])
        let completion = try await submit(
            Read(.descriptor(file), into: region, at: offset ?? UInt64.max), keepAlive: buffer)
        return (Int(try completion.value(for: "read")), buffer)
    }

    /// `IORING_OP_WRITE`, like `pwrite(2)`: writes the first `count` bytes (default:
    /// all) of `buffer` at `offset` (nil: the file position) (Linux 5.6). One write:
    /// the count may be short, as with `pwrite(2)`.
    ///
    /// **Ownership**: as ``read(_:into:count:at:)``.
    /// - Returns: the bytes written and the buffer.
    /// - Throws: ``UringError`` with the kernel's errno and operation `write`.
    public func write(
        _ file: FileDescriptor, from buffer: IOBuffer, count: Int? = nil, at offset: UInt64? = nil
    ) async throws -> (count: Int, buffer: IOBuffer) {
        let length = try Self.checkedLength(count, in: buffer, operation: "write")
        let region = UnsafeRawBufferPointer(rebasing: buffer.memory[0..<length])
        let completion = try await submit(
            Write(.descriptor(file), from: region, at: offset ?? UInt64.max), keepAlive: buffer)
        return (Int(try completion.value(for: "write")), buffer)
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
}
