import Glibc
import Synchronization
import Uring

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
    /// - Throws: `UringError` `EINVAL` for an empty batch, one larger than the
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

extension RingExecutor {
    /// Pushes every entry of `batch` under one slot (each with its position in
    /// its user data), with room for all of them in one submission. Ring thread
    /// only; after shutdown began, every operation gets the shut-down completion instead.
    func begin(_ batch: BatchStorage, ticket: Int) {
        guard !loop.shuttingDown, let ring = loop.ring else {
            batch.finishRemaining(with: Self.shutDownCompletion)
            return
        }
        makeRoom(for: batch.count, in: ring)
        let slot = loop.slots.take(.batch(Unmanaged.passUnretained(batch)), keepAlive: nil, ticket: ticket)
        for position in 0..<batch.count {
            push(batch.entries[position], userData: OperationSlots.userData(slot, position: position))
        }
    }

    /// Hands a completion to the batch it belongs to; frees the batch's slot and
    /// resumes its submitter after the last one. An operation that shutdown
    /// cancelled is recorded as shut down.
    func deliver(_ completion: Completion, toBatch batch: Unmanaged<BatchStorage>, position: Int) {
        let shutDown = loop.shuttingDown && completion.result == -ECANCELED
        batch._withUnsafeGuaranteedRef { storage in
            guard storage.record(shutDown ? Self.shutDownCompletion : completion, at: position) else { return }
            loop.slots.releaseBatch(completion.userData)
            storage.resumeSubmitter()
        }
    }
}
