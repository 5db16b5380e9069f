import Glibc
import Uring

extension RingExecutor {
    /// Takes a slot for `waiter` and pushes the prepared entry, followed by a
    /// linked timeout when `timeout` is set. Ring thread only. After shutdown
    /// began, the waiter gets the shut-down completion instead.
    /// - Returns: the operation's user data; nil when it was refused.
    @discardableResult
    func begin(
        _ entry: SubmissionQueueEntry, waiter: Waiter, keepAlive: AnyObject?, ticket: Int, timeout: Duration? = nil
    ) -> UInt64? {
        guard !loop.shuttingDown, let ring = loop.ring else {
            Self.deliver(Self.shutDownCompletion, to: waiter)
            return nil
        }
        let userData = loop.slots.take(waiter, keepAlive: keepAlive, ticket: ticket)
        guard let timeout else {
            push(entry, userData: userData)
            return userData
        }
        makeRoom(for: 2, in: ring)  // the operation and its linked timeout: one chain
        var linked = entry
        linked.flags |= SubmissionFlags.link.rawValue
        push(linked, userData: userData)
        let time = loop.slots.timespec(of: userData)
        time.pointee = KernelTimespec(timeout)
        // SAFETY: `time` is the slot's own timespec; the slot table outlives every operation in it.
        push(prepared(LinkTimeout(time)), userData: OperationSlots.ignoredUserData)
        return userData
    }

    /// Submits what is queued when fewer than `count` submission entries are free,
    /// so a chain of `count` entries reaches the kernel in one submission (a
    /// chain split across two is cut).
    func makeRoom(for count: Int, in ring: UnsafeMutablePointer<Ring>) {
        if ring.pointee.submissionCapacity - ring.pointee.pendingSubmissions < count { _ = try? ring.pointee.submit() }
    }

    /// Asks the kernel to cancel every operation of the wait `ticket` that is in flight.
    func requestCancel(ticket: Int) {
        for target in loop.slots.userData(ofTicket: ticket) { requestCancel(userData: target) }
    }

    /// Asks the kernel to cancel the operation `userData` names, if it is still in flight.
    func requestCancel(userData target: UInt64) {
        guard loop.slots.isLive(target) else { return }
        push(prepared(AsyncCancel(.userData(target))), userData: OperationSlots.ignoredUserData)
    }

    /// Copies `entry` into the submission queue, submitting first when it is full.
    func push(_ entry: SubmissionQueueEntry, userData: UInt64) {
        guard let ring = loop.ring else { return }
        // SAFETY: the entry's memory is kept by its slot (keepAlive, the slot's
        // timespec, a batch's storage) until the final completion is delivered,
        // and for good when shutdown gives up on it.
        var slot = ring.pointee.nextSubmission()
        while slot == nil {
            _ = try? ring.pointee.submit()
            slot = ring.pointee.nextSubmission()
        }
        slot!.pointee = entry
        slot!.pointee.userData = userData
    }
}

/// A zeroed entry prepared for `operation` (opcode and fields; user data and flags left to the caller).
func prepared<Operation: RingOperation>(_ operation: Operation) -> SubmissionQueueEntry {
    var entry = SubmissionQueueEntry()
    entry.opcode = operation.opcode.rawValue
    operation.prepare(&entry)
    return entry
}
