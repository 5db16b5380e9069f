import Uring

/// Receives every completion of a multishot operation, on the ring thread.
///
/// ``receive(_:final:)`` is called once per completion; `final` is true for the
/// last one (no `IORING_CQE_F_MORE`), after which the slot is free again.
protocol CompletionSink: AnyObject {
    /// Takes one completion; called on the ring thread only.
    func receive(_ completion: Completion, final: Bool)
}

/// Who waits for an operation's completions.
enum Waiter {
    /// A task suspended until the final completion.
    case once(UnsafeContinuation<Completion, Never>)
    /// A stream that takes every completion of a multishot operation.
    case stream(CompletionSink)
    /// Every operation of a ``RingBatch``, sharing one slot: each operation's
    /// position is in its user data. Unretained: the suspended submitter holds
    /// the batch until its last completion.
    case batch(Unmanaged<BatchStorage>)
}

/// The table of operations in flight on one ``RingExecutor``; used on its ring
/// thread only.
///
/// `user_data` is a slot index (low 32 bits), an operation's position in a
/// batch (the next 16 bits; 0 outside batches), and the slot's generation (the
/// top 16 bits): a completion whose generation no longer matches its slot is
/// stale and dropped. Free slots form a stack and each slot owns a timespec for
/// its linked timeout, so taking and releasing one allocates nothing once the
/// table has grown to the number of operations in flight.
struct OperationSlots {
    /// What the ring thread keeps for one operation in flight.
    struct Entry {
        var generation: UInt16 = 0
        var waiter: Waiter?
        /// Memory the kernel may touch until the final completion (a buffer, a path).
        var keepAlive: AnyObject?
        /// The cancel ticket of the wait (``RingExecutor/newCancelTicket()``), so a cancel request finds the operation.
        var ticket: Int = 0
        /// The result of a zero-copy send, held until its notification arrives.
        var held: Completion?
        /// The timespec of this slot's linked timeout; allocated with the slot, reused.
        let timespec: UnsafeMutablePointer<KernelTimespec>
    }

    /// What a completion asks of the ring thread.
    enum Delivery {
        /// The operation's final completion, for its waiter (the slot is free again).
        case final(Waiter, Completion)
        /// One of several completions of a multishot operation, for its stream.
        case more(CompletionSink, Completion)
        /// A completion of the operation at `position` of a batch (the slot stays
        /// taken until ``releaseBatch(_:)``).
        case batch(Unmanaged<BatchStorage>, position: Int, Completion)
    }

    private(set) var entries: [Entry] = []
    private var free: [UInt32] = []
    /// How many slots hold an operation (or a batch).
    private(set) var inFlight = 0

    /// User data no slot produces: the executor's own wakeup read.
    static let wakeUserData = UInt64.max
    /// User data no slot produces: cancel requests and linked timeouts, whose completions are ignored.
    static let ignoredUserData = UInt64.max - 1

    /// Takes a slot for `waiter` and returns its user data (position 0).
    mutating func take(_ waiter: Waiter, keepAlive: AnyObject?, ticket: Int) -> UInt64 {
        let index: UInt32
        if let reused = free.popLast() {
            index = reused
        } else {
            index = UInt32(entries.count)
            let timespec = UnsafeMutablePointer<KernelTimespec>.allocate(capacity: 1)
            timespec.initialize(to: KernelTimespec(seconds: 0, nanoseconds: 0))
            entries.append(Entry(timespec: timespec))
        }
        entries[Int(index)].waiter = waiter
        entries[Int(index)].keepAlive = keepAlive
        entries[Int(index)].ticket = ticket
        inFlight += 1
        return userData(of: Int(index))
    }

    /// The user data of the operation at `position` of the batch whose slot is `userData`.
    static func userData(_ userData: UInt64, position: Int) -> UInt64 {
        userData | UInt64(position) << 32
    }

    /// What to do with `completion`, releasing its slot when it is the final one;
    /// nil for a stale or foreign completion, or one that only announces more.
    mutating func deliver(_ completion: Completion) -> Delivery? {
        guard let index = liveIndex(completion.userData), let waiter = entries[index].waiter else { return nil }
        switch waiter {
        case .batch(let batch):
            return .batch(batch, position: Int(completion.userData >> 32 & 0xFFFF), completion)
        case .stream(let sink) where completion.hasMore:
            return .more(sink, completion)
        default:
            if completion.hasMore {
                // A zero-copy send: the result now, its buffer released by a later notification.
                entries[index].held = completion
                return nil
            }
            let result = completion.isNotification ? entries[index].held ?? completion : completion
            release(index)
            return .final(waiter, result)
        }
    }

    /// Frees the slot of a batch whose last operation has completed.
    mutating func releaseBatch(_ userData: UInt64) {
        if let index = liveIndex(userData) { release(index) }
    }

    /// Releases the slot `userData` names and returns its waiter and kept memory
    /// (for shutdown); nil when it is not in flight.
    mutating func remove(_ userData: UInt64) -> (Waiter, AnyObject?)? {
        guard let index = liveIndex(userData), let waiter = entries[index].waiter else { return nil }
        let kept = entries[index].keepAlive
        release(index)
        return (waiter, kept)
    }

    /// The timespec the linked timeout of the operation `userData` uses.
    func timespec(of userData: UInt64) -> UnsafeMutablePointer<KernelTimespec> {
        entries[Int(userData & 0xFFFF_FFFF)].timespec
    }

    /// The user data of every operation the wait `ticket` holds and that is still in
    /// flight: one, or each pending operation of a batch.
    func userData(ofTicket ticket: Int) -> [UInt64] {
        var found: [UInt64] = []
        for index in entries.indices where entries[index].ticket == ticket {
            switch entries[index].waiter {
            case .batch(let batch)?:
                let pending = batch._withUnsafeGuaranteedRef { $0.pendingPositions }
                found += pending.map { Self.userData(userData(of: index), position: $0) }
            case .some:
                found.append(userData(of: index))
            case nil:
                break
            }
        }
        return found
    }

    /// Whether `userData` names an operation still in flight.
    func isLive(_ userData: UInt64) -> Bool { liveIndex(userData) != nil }

    /// The user data of every operation in flight.
    var allInFlight: [UInt64] {
        entries.indices.compactMap { entries[$0].waiter == nil ? nil : userData(of: $0) }
    }

    /// Frees every slot's timespec; the table must be empty and is not used again.
    mutating func deallocate() {
        precondition(inFlight == 0, "operations still in flight")
        for entry in entries { entry.timespec.deallocate() }
        entries.removeAll()
        free.removeAll()
    }

    private func userData(of index: Int) -> UInt64 {
        UInt64(entries[index].generation) << 48 | UInt64(index)
    }

    private func liveIndex(_ userData: UInt64) -> Int? {
        let index = Int(userData & 0xFFFF_FFFF)
        guard index < entries.count, UInt64(entries[index].generation) == userData >> 48,
            entries[index].waiter != nil
        else { return nil }
        return index
    }

    private mutating func release(_ index: Int) {
        entries[index].waiter = nil
        entries[index].keepAlive = nil
        entries[index].held = nil
        entries[index].ticket = 0
        entries[index].generation &+= 1
        free.append(UInt32(index))
        inFlight -= 1
    }
}
