import Uring

/// The table of operations in flight on one ``RingExecutor``; used on its ring
/// thread only.
///
/// `user_data` is a slot index (low 32 bits) plus the slot's generation (high
/// 32 bits): a completion whose generation no longer matches its slot is stale
/// and dropped. Free slots form a stack, so taking and releasing one allocates
/// nothing once the table has grown to the number of operations in flight.
struct OperationSlots {
    /// What the ring thread keeps for one operation in flight.
    struct Entry {
        var generation: UInt32 = 0
        var continuation: UnsafeContinuation<Completion, Never>?
        /// Memory the kernel may touch until the final completion (a buffer, a path).
        var keepAlive: AnyObject?
        /// The waiting task, so a cancel request can find the operation.
        var task: Int = 0
    }

    private(set) var entries: [Entry] = []
    private var free: [UInt32] = []
    /// How many slots hold an operation.
    private(set) var inFlight = 0

    /// User data no slot produces: the executor's own wakeup read.
    static let wakeUserData = UInt64.max
    /// User data no slot produces: cancel requests, whose completions are ignored.
    static let cancelUserData = UInt64.max - 1

    /// Takes a slot for `continuation` and returns its user data.
    mutating func take(
        _ continuation: UnsafeContinuation<Completion, Never>, keepAlive: AnyObject?, task: Int
    ) -> UInt64 {
        let index: UInt32
        if let reused = free.popLast() {
            index = reused
        } else {
            index = UInt32(entries.count)
            entries.append(Entry())
        }
        entries[Int(index)].continuation = continuation
        entries[Int(index)].keepAlive = keepAlive
        entries[Int(index)].task = task
        inFlight += 1
        return UInt64(entries[Int(index)].generation) << 32 | UInt64(index)
    }

    /// Releases the slot `userData` names and returns its waiter and kept memory,
    /// or nil for a stale or foreign completion.
    mutating func finish(_ userData: UInt64) -> (UnsafeContinuation<Completion, Never>, AnyObject?)? {
        let index = Int(userData & 0xFFFF_FFFF)
        guard index < entries.count, UInt64(entries[index].generation) == userData >> 32,
            let continuation = entries[index].continuation
        else { return nil }
        let kept = entries[index].keepAlive
        entries[index] = Entry(generation: entries[index].generation &+ 1)
        free.append(UInt32(index))
        inFlight -= 1
        return (continuation, kept)
    }

    /// The user data of the operation `task` waits on, if one is in flight.
    func userData(ofTask task: Int) -> UInt64? {
        guard let index = entries.firstIndex(where: { $0.continuation != nil && $0.task == task }) else { return nil }
        return UInt64(entries[index].generation) << 32 | UInt64(index)
    }

    /// The user data of every operation in flight.
    var allInFlight: [UInt64] {
        entries.indices.compactMap { index in
            entries[index].continuation == nil ? nil : UInt64(entries[index].generation) << 32 | UInt64(index)
        }
    }
}
