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
}

/// The table of operations in flight on one ``RingExecutor``; used on its ring
/// thread only.
///
/// `user_data` is a slot index (low 32 bits) plus the slot's generation (high
/// 32 bits): a completion whose generation no longer matches its slot is stale
/// and dropped. Free slots form a stack and each slot owns a timespec for its
/// linked timeout, so taking and releasing one allocates nothing once the table
/// has grown to the number of operations in flight.
struct OperationSlots {
    /// What the ring thread keeps for one operation in flight.
    struct Entry {
        var generation: UInt32 = 0
        var waiter: Waiter?
        /// Memory the kernel may touch until the final completion (a buffer, a path).
        var keepAlive: AnyObject?
        /// The waiting task, so a cancel request can find the operation.
        var task: Int = 0
        /// The result of a zero-copy send, held until its notification arrives.
        var held: Completion?
        /// The timespec of this slot's linked timeout; allocated with the slot, reused.
        let timespec: UnsafeMutablePointer<KernelTimespec>
    }

    /// What a completion asks of the ring thread.
    enum Delivery {
        /// Resume a waiting task.
        case resume(UnsafeContinuation<Completion, Never>, Completion)
        /// Hand the completion to a stream.
        case stream(CompletionSink, Completion, final: Bool)
    }

    private(set) var entries: [Entry] = []
    private var free: [UInt32] = []
    /// How many slots hold an operation.
    private(set) var inFlight = 0

    /// User data no slot produces: the executor's own wakeup read.
    static let wakeUserData = UInt64.max
    /// User data no slot produces: cancel requests and linked timeouts, whose completions are ignored.
    static let ignoredUserData = UInt64.max - 1

    /// Takes a slot for `waiter` and returns its user data.
    mutating func take(_ waiter: Waiter, keepAlive: AnyObject?, task: Int) -> UInt64 {
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
        entries[Int(index)].task = task
        inFlight += 1
        return userData(of: Int(index))
    }

    /// What to do with `completion`, releasing its slot when it is the final one;
    /// nil for a stale or foreign completion, or one that only announces more.
    mutating func deliver(_ completion: Completion) -> Delivery? {
        guard let index = liveIndex(completion.userData), let waiter = entries[index].waiter else { return nil }
        switch waiter {
        case .once(let continuation):
            if completion.hasMore {
                // A zero-copy send: the result now, its buffer released by a later notification.
                entries[index].held = completion
                return nil
            }
            let result = completion.isNotification ? entries[index].held ?? completion : completion
            release(index)
            return .resume(continuation, result)
        case .stream(let sink):
            if !completion.hasMore { release(index) }
            return .stream(sink, completion, final: !completion.hasMore)
        }
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

    /// The user data of the operation `task` waits on, if one is in flight.
    func userData(ofTask task: Int) -> UInt64? {
        guard let index = entries.firstIndex(where: { $0.waiter != nil && $0.task == task }) else { return nil }
        return userData(of: index)
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
        UInt64(entries[index].generation) << 32 | UInt64(index)
    }

    private func liveIndex(_ userData: UInt64) -> Int? {
        let index = Int(userData & 0xFFFF_FFFF)
        guard index < entries.count, UInt64(entries[index].generation) == userData >> 32,
            entries[index].waiter != nil
        else { return nil }
        return index
    }

    private mutating func release(_ index: Int) {
        entries[index].waiter = nil
        entries[index].keepAlive = nil
        entries[index].held = nil
        entries[index].task = 0
        entries[index].generation &+= 1
        free.append(UInt32(index))
        inFlight -= 1
    }
}
