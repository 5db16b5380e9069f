import Glibc
import Synchronization
import SystemPackage
import Uring

/// Operations awaited together: a task fills a batch, submits it with
/// `executor.submit(&batch)` and suspends once until every operation
/// of it has completed — liburing's "prepare several entries, submit, wait for
/// all" as one `await`.
///
/// Entries keep their order in the submission queue, so ``SubmissionFlags/link``
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
    ///   - flags: `IOSQE_*` flags for its entry, such as ``SubmissionFlags/link``
    ///     to start the next operation only after this one succeeds.
    ///     ``SubmissionFlags/skipSuccess`` is refused at submission (the batch
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
    /// - Throws: ``UringError`` `EINVAL` when `index` is outside the batch or the
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
    /// - Throws: ``UringError`` with that operation's errno and name, and its
    ///   position in the batch; `EINVAL` when the batch has not been submitted.
    public func requireSuccess() throws {
        for index in 0..<storage.count {
            let completion = try self.completion(at: index)
            guard completion.result < 0 else { continue }
            let name = Opcode(rawValue: storage.entries[index].opcode)?.shortName ?? "batch"
            throw UringError(
                errno: Errno(rawValue: -completion.result), operation: name,
                detail: "operation \(index) of a batch of \(storage.count)")
        }
    }
}

/// The memory behind a ``RingBatch``: its entries, their completions, the
/// owners it keeps alive, and the progress of a submission. The ring thread
/// writes the completions while the submitting task is suspended; nobody else
/// touches the storage until it resumes.
final class BatchStorage: @unchecked Sendable {
    private(set) var entries: UnsafeMutablePointer<SubmissionQueueEntry>
    private(set) var completions: UnsafeMutablePointer<Completion>
    /// Per operation: whether its final completion is still to come.
    private var pending: UnsafeMutablePointer<Bool>
    private var capacity: Int
    private(set) var count = 0
    private var owners: [AnyObject] = []
    /// Operations of the submission still waiting for their final completion.
    private var remaining = 0
    /// Set by the ring thread, with release ordering, once every operation of
    /// the current contents has completed: the submitter's acquiring load sees
    /// every completion written before it (an edge ThreadSanitizer can see,
    /// unlike the one inside a continuation's resume).
    private let completed = Atomic<Bool>(false)
    /// The task waiting for the submission.
    var continuation: UnsafeContinuation<Void, Never>?

    init(capacity: Int) {
        self.capacity = capacity
        entries = .allocate(capacity: capacity)
        completions = .allocate(capacity: capacity)
        pending = .allocate(capacity: capacity)
    }

    deinit {
        entries.deallocate()
        completions.deallocate()
        pending.deallocate()
    }

    func append(_ entry: SubmissionQueueEntry, keepAlive: AnyObject?) {
        if count == capacity { grow() }
        (entries + count).initialize(to: entry)
        count += 1
        if let keepAlive { owners.append(keepAlive) }
        completed.store(false, ordering: .relaxed)
    }

    func removeAll() {
        count = 0
        owners.removeAll(keepingCapacity: true)
        completed.store(false, ordering: .relaxed)
    }

    /// Whether every operation of the current contents has completed.
    var isComplete: Bool { completed.load(ordering: .acquiring) }

    /// After a submission: the first operation that shutdown ended (its user data
    /// marks it), and whether any operation answered `ECANCELED`.
    func outcome() -> (shutDownAt: Int?, anyCancelled: Bool) {
        guard isComplete else { return (nil, false) }
        var anyCancelled = false
        for index in 0..<count {
            if completions[index].userData == OperationSlots.ignoredUserData { return (index, true) }
            if completions[index].result == -ECANCELED { anyCancelled = true }
        }
        return (nil, anyCancelled)
    }

    /// Checks the batch can go to the kernel in one submission of a ring with
    /// `submissionEntries` entries, and marks every operation as awaited.
    /// - Throws: ``UringError`` `EINVAL` for an empty batch, one larger than the
    ///   ring, a chain left open at the end, or a skipped completion.
    func startSubmission(submissionEntries: Int) throws {
        func refuse(_ detail: String) -> UringError {
            UringError(errno: .invalidArgument, operation: "batch", detail: detail)
        }
        guard count > 0 else { throw refuse("the batch is empty") }
        guard count <= submissionEntries else {
            throw refuse("\(count) operations do not fit the ring's \(submissionEntries) submission entries")
        }
        let chaining = SubmissionFlags.link.rawValue | SubmissionFlags.hardLink.rawValue
        guard entries[count - 1].flags & chaining == 0 else {
            throw refuse("the last operation is linked to nothing")
        }
        let skip = SubmissionFlags.skipSuccess.rawValue
        for index in 0..<count where entries[index].flags & skip != 0 {
            throw refuse("operation \(index) skips its completion (IOSQE_CQE_SKIP_SUCCESS); a batch waits for each")
        }
        pending.update(repeating: true, count: count)
        remaining = count
        completed.store(false, ordering: .relaxed)
    }

    /// Records a completion of the operation at `position`. A zero-copy send's
    /// result is kept and its notification ends it. Ring thread only.
    /// - Returns: whether that was the batch's last final completion.
    func record(_ completion: Completion, at position: Int) -> Bool {
        guard position < count, pending[position] else { return false }
        if !completion.isNotification { completions[position] = completion }
        if completion.hasMore { return false }
        pending[position] = false
        remaining -= 1
        return remaining == 0
    }

    /// Gives every operation whose final completion has not come `completion`
    /// (shutdown, or a refused submission) and resumes the submitting task.
    func finishRemaining(with completion: Completion) {
        for position in 0..<count where pending[position] {
            completions[position] = completion
            pending[position] = false
        }
        remaining = 0
        resumeSubmitter()
    }

    /// The positions whose final completion is still to come.
    var pendingPositions: [Int] {
        (0..<count).filter { pending[$0] }
    }

    /// Resumes the submitting task, once every operation has completed.
    func resumeSubmitter() {
        completed.store(true, ordering: .releasing)
        let waiting = continuation
        continuation = nil
        waiting?.resume()
    }

    private func grow() {
        let larger = capacity * 2
        let newEntries = UnsafeMutablePointer<SubmissionQueueEntry>.allocate(capacity: larger)
        newEntries.moveInitialize(from: entries, count: count)
        entries.deallocate()
        entries = newEntries
        completions.deallocate()
        completions = .allocate(capacity: larger)
        pending.deallocate()
        pending = .allocate(capacity: larger)
        capacity = larger
    }
}
