import Glibc
import Uring
import SystemPackage

/// Operations awaited together: a task fills a batch, submits it with
/// `executor.submit(&batch)` and suspends once until every operation
/// of it has completed — liburing's "prepare several entries, submit, wait for
/// all" as one `await`.
///
/// Entries keep their order in the submission queue, so `SubmissionFlags.link`
/// chains work (a read linked to the write of what it read, an operation linked
/// to an `IORING_OP_LINK_TIMEOUT`); a batch always reaches the kernel in one
/// submission, so its chains are never cut.
///
/// Reusable: ``removeAll()`` keeps the memory, so a task that refills the same
/// batch allocates nothing per operation. Not copyable: one batch is in one
/// submission at a time.
///
/// **Ownership**: memory an operation points to must stay valid until the
/// batch's submission returns; pass its owner as `keepAlive` and the batch
/// holds it until ``removeAll()`` (or, if the executor shuts down with the
/// operation still in the kernel, for good).
public struct RingBatch: ~Copyable {
    let storage: BatchStorage

    /// An empty batch with room for `capacity` operations (it grows past that).
    /// - Parameter capacity: a hint, kept within 1 through `Ring.maximumEntries`,
    ///   the most one submission can hold.
    public init(capacity: Int = 32) {
        storage = BatchStorage(capacity: min(max(1, capacity), Int(Ring.maximumEntries)))
    }

    /// The operations in the batch.
    public var count: Int { storage.count }

    /// Whether the batch holds no operation.
    public var isEmpty: Bool { storage.count == 0 }

    /// Adds `operation` behind the ones already in the batch.
    /// - Parameters:
    ///   - operation: the prepared request.
    ///   - flags: `IOSQE_*` flags for its entry, such as `SubmissionFlags.link`
    ///     to start the next operation only after this one succeeds.
    ///     `SubmissionFlags.skipSuccess` is refused at submission (the batch
    ///     waits for every completion).
    ///   - keepAlive: the owner of memory the request points to, held by the batch.
    public mutating func append<Operation: RingOperation>(
        _ operation: Operation, flags: SubmissionFlags = [], keepAlive: AnyObject? = nil
    ) {
        var entry = prepared(operation)
        entry.flags |= flags.rawValue
        storage.append(entry, keepAlive: keepAlive)
    }

    /// Empties the batch, keeping its memory for the next operations, and lets go
    /// of every owner it kept alive.
    public mutating func removeAll() {
        storage.removeAll()
    }

    /// The completions of the last submission, in the order the operations were appended.
    /// Empty before the batch was submitted.
    public var completions: [Completion] {
        guard storage.isComplete else { return [] }
        return Array(UnsafeBufferPointer(start: storage.completions, count: storage.count))
    }

    /// The completion of operation `index` of the last submission.
    /// - Throws: `UringError` `EINVAL` when `index` is outside the batch or the
    ///   batch has not completed a submission since it last changed.
    public func completion(at index: Int) throws -> Completion {
        guard storage.isComplete else {
            throw UringError(
                errno: .invalidArgument, operation: "batch",
                detail: "the batch has not been submitted since its last change")
        }
        guard index >= 0, index < storage.count else {
            throw UringError(
                errno: .invalidArgument, operation: "batch",
                detail: "index \(index) is outside the batch's \(storage.count) operations")
        }
        return storage.completions[index]
    }

    /// Throws for the first operation of the last submission that failed.
    /// - Throws: `UringError` with that operation's errno and name, and its
    ///   position in the batch; `EINVAL` when the batch has not been submitted.
    public func requireSuccess() throws {
        for index in 0..<storage.count {
            let completion = try self.completion(at: index)
            guard completion.result < 0 else { continue }
            let name = Opcode(rawValue: storage.entries[index].opcode)?.operationName ?? "batch"
            throw UringError(
                errno: Errno(rawValue: -completion.result), operation: name,
                detail: "operation \(index) of a batch of \(storage.count)")
        }
    }
}

extension RingExecutor {
    /// Submits every operation of `batch` in one submission and suspends once,
    /// until each has completed; their completions are then in the batch, in order.
    ///
    /// One suspension for the whole batch instead of one per operation, and linked
    /// chains (`SubmissionFlags.link`) are never cut. A failed operation does not
    /// throw: read its completion, or call ``RingBatch/requireSuccess()``.
    /// Cancelling the task only asks, as for one operation: every operation of the
    /// batch still in flight gets an `IORING_OP_ASYNC_CANCEL`, and the task resumes
    /// when the last completion has arrived.
    ///
    /// **Ownership**: the batch's memory and the owners it keeps belong to the
    /// kernel until this returns.
    /// - Throws: `UringError` `EINVAL` for a batch that cannot go in one submission
    ///   (empty, larger than the ring, ending in a link, skipping a completion);
    ///   `CancellationError` when the task was cancelled and an operation answered
    ///   `ECANCELED`; `UringError` `ECANCELED` ("shut down") when
    ///   ``shutdown(timeout:)`` came first.
    nonisolated(nonsending) public func submit(_ batch: inout RingBatch) async throws {
        let storage = batch.storage
        try storage.startSubmission(submissionEntries: submissionEntries)
        let ticket = newCancelTicket()
        await suspend(WholeBatch(storage: storage), ticket: ticket)
        let outcome = storage.outcome()
        if let index = outcome.shutDownAt {
            throw UringError(
                errno: .canceled, operation: "batch",
                detail: "the RingExecutor was shut down before operation \(index) of the batch completed")
        }
        if outcome.anyCancelled && Task.isCancelled { throw CancellationError() }
    }
}
