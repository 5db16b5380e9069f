import Glibc
import SystemPackage
import Uring

/// The ring thread's own state. Only the ring thread reads or writes it.
struct RingLoopState {
    let entries: UInt32
    let options: RingOptions
    /// How the thread waits when it sleeps; ``startRing`` turns it off without `IORING_FEAT_MIN_TIMEOUT`.
    var batching: CompletionBatching
    /// The batch size the thread is at (with ``CompletionBatching/adaptive``).
    var waitBatch = WaitBatch()
    /// How the thread polls before it sleeps; ``startRing`` sets it up from the executor's ``IdleSpinning``.
    var idleSpin: IdleSpin?
    /// The ring, owned by ``RingExecutor/runLoop(_:)``'s frame while it runs.
    var ring: UnsafeMutablePointer<Ring>?
    var slots = OperationSlots()
    /// Jobs enqueued from the ring thread itself.
    var localJobs: [RingJob] = []
    /// Actions posted from the ring thread itself.
    var localActions: [RingExecutor.RingAction] = []
    /// How many operations (singly or in batches) and jobs other threads handed
    /// over through the inbox; code on the ring thread needs no handover.
    var handedOver = (submissions: 0, jobs: 0)
    /// Set once shutdown began: new operations are refused.
    var shuttingDown = false
    /// Whether the read of the wake pipe is posted.
    var wakeArmed = false
    /// Where the wake pipe's bytes land.
    let wakeBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 16)

    init(entries: UInt32, options: RingOptions, batching: CompletionBatching) {
        self.entries = entries
        self.options = options
        self.batching = batching
    }
}

extension RingExecutor {
    /// How a run of the loop ended.
    enum LoopEnd {
        /// A second passed with nothing to do: the thread may look whether the executor was dropped.
        case idle
        /// The executor shut down.
        case finished
    }

    /// The ring thread's loop: take the inbox, submit, run jobs, dispatch
    /// completions, sleep in `io_uring_enter` when there is nothing to do.
    /// Returns ``LoopEnd/idle`` after a second without work, to be called again.
    func runLoop() -> LoopEnd {
        guard let ring = loop.ring else { return .finished }
        var taken = Inbox()
        var wakeArmed = loop.wakeArmed
        defer { loop.wakeArmed = wakeArmed }
        var shutdownDeadline: ContinuousClock.Instant?
        while true {
            let (shuttingDown, timeout) = inbox.withLock { inbox -> (Bool, Duration) in
                swap(&inbox.jobs, &taken.jobs)
                swap(&inbox.starts, &taken.starts)
                swap(&inbox.batches, &taken.batches)
                swap(&inbox.cancels, &taken.cancels)
                swap(&inbox.actions, &taken.actions)
                return (inbox.shuttingDown, inbox.shutdownTimeout)
            }
            if shuttingDown && shutdownDeadline == nil {
                shutdownDeadline = .now + timeout
                loop.shuttingDown = true
                push(prepared(AsyncCancel(.any, all: true)), userData: OperationSlots.ignoredUserData)
            }
            loop.handedOver.submissions &+= taken.starts.count &+ taken.batches.count
            loop.handedOver.jobs &+= taken.jobs.count
            for start in taken.starts {
                begin(start.entry, waiter: start.waiter, keepAlive: start.keepAlive, ticket: start.ticket, timeout: start.timeout)
            }
            taken.starts.removeAll(keepingCapacity: true)
            for batch in taken.batches { begin(batch.storage, ticket: batch.ticket) }
            taken.batches.removeAll(keepingCapacity: true)
            for ticket in taken.cancels { requestCancel(ticket: ticket) }
            taken.cancels.removeAll(keepingCapacity: true)
            taken.actions.append(contentsOf: loop.localActions)
            loop.localActions.removeAll(keepingCapacity: true)
            for action in taken.actions { action.run() }
            taken.actions.removeAll(keepingCapacity: true)
            taken.jobs.append(contentsOf: loop.localJobs)
            loop.localJobs.removeAll(keepingCapacity: true)
            // Through a buffer pointer: plain loads, no accessor coroutine (which unoptimized builds heap-allocate).
            taken.jobs.withUnsafeBufferPointer { jobs in for job in jobs { job.run(on: self) } }
            taken.jobs.removeAll(keepingCapacity: true)
            dispatchCompletions(wakeArmed: &wakeArmed)
            if let deadline = shutdownDeadline {
                if loop.slots.inFlight == 0 || ContinuousClock.now >= deadline { break }
                _ = try? ring.pointee.submit(waitingFor: 1, timeout: .milliseconds(10))
                // A cancel can miss an operation that is running (a timer in its callback
                // answers EALREADY): ask again each turn until everything has ended.
                push(prepared(AsyncCancel(.any, all: true)), userData: OperationSlots.ignoredUserData)
                continue
            }
            if !wakeArmed {
                // Posted before any sleep: a waker's byte always finds a read waiting.
                // SAFETY: the wake buffer belongs to the loop state, freed only in deinit, after the ring is gone.
                let read = Read(.descriptor(FileDescriptor(rawValue: wakePipe.read)), into: loop.wakeBuffer, at: UInt64.max)
                push(prepared(read), userData: OperationSlots.wakeUserData)
                wakeArmed = true
            }
            let idle =
                loop.localJobs.isEmpty && loop.localActions.isEmpty
                && inbox.withLock { inbox -> Bool in
                    inbox.sleeping = inbox.isEmpty
                    return inbox.sleeping
                }
            if idle {
                let timed = sleep(ring)
                inbox.withLock { $0.sleeping = false }
                if timed && ring.pointee.readyCompletions == 0 && loop.slots.inFlight == 0 { return .idle }
                // What woke the ring is ready now: its jobs run at the next turn, one pass sooner.
                dispatchCompletions(wakeArmed: &wakeArmed)
            } else {
                _ = try? ring.pointee.submit()
            }
        }
        finishShutdown()
        return .finished
    }

    /// How long an idle ring thread sleeps before it returns to look whether the executor was dropped.
    static let idleLook = Duration.seconds(1)

    /// Submits what is queued and sleeps until completions are ready: one, or a
    /// batch under ``CompletionBatching/adaptive``; under ``IdleSpinning/adaptive``
    /// it may poll for them first.
    /// - Returns: whether the sleep was timed (Linux 5.11), so that an empty
    ///   return means the thread may look whether the executor was dropped.
    private func sleep(_ ring: UnsafeMutablePointer<Ring>) -> Bool {
        if loop.idleSpin?.poll(ring, inFlight: loop.slots.inFlight) == true { return true }
        guard ring.pointee.features.contains(.extendedArgument) else {
            _ = try? ring.pointee.submit(waitingFor: 1)
            return false
        }
        guard let delay = loop.batching.maximumDelay else {
            _ = try? ring.pointee.submit(waitingFor: 1, timeout: Self.idleLook)
            return true
        }
        let wanted = loop.waitBatch.wanted(inFlight: loop.slots.inFlight)
        _ =
            try? wanted > 1
            ? ring.pointee.submit(waitingFor: wanted, timeout: Self.idleLook, minimumWait: delay)
            : ring.pointee.submit(waitingFor: 1, timeout: Self.idleLook)
        loop.waitBatch.record(ready: ring.pointee.readyCompletions, asked: wanted)
        return true
    }

    /// Resumes waiters whose completions never came, drains the last jobs, and
    /// closes the inbox so later work runs on its caller's thread.
    private func finishShutdown() {
        for userData in loop.slots.allInFlight {
            // The kernel may still own this memory: keep it alive for good rather than free it early.
            if let (waiter, kept) = loop.slots.remove(userData) {
                if let kept { _ = Unmanaged.passRetained(kept) }
                if case .batch(let batch) = waiter { _ = batch.retain() }
                Self.deliver(Self.shutDownCompletion, to: waiter)
            }
        }
        while true {
            let (taken, exited) = inbox.withLock { inbox -> (Inbox, Bool) in
                var taken = Inbox()
                swap(&inbox.jobs, &taken.jobs)
                swap(&inbox.starts, &taken.starts)
                swap(&inbox.batches, &taken.batches)
                swap(&inbox.actions, &taken.actions)
                taken.jobs += loop.localJobs
                taken.actions += loop.localActions
                loop.localJobs.removeAll()
                loop.localActions.removeAll()
                inbox.exited = taken.jobs.isEmpty && taken.starts.isEmpty && taken.batches.isEmpty && taken.actions.isEmpty
                return (taken, inbox.exited)
            }
            if exited { break }
            loop.handedOver.submissions &+= taken.starts.count &+ taken.batches.count
            loop.handedOver.jobs &+= taken.jobs.count
            for start in taken.starts { Self.deliver(Self.shutDownCompletion, to: start.waiter) }
            for batch in taken.batches { batch.storage.finishRemaining(with: Self.shutDownCompletion) }
            for action in taken.actions { action.run() }
            for job in taken.jobs { job.run(on: self) }
        }
        loop.ring = nil
    }
}
