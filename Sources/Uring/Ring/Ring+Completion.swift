import CUring
import Glibc
import Synchronization

extension Ring {
    /// Completions posted to the ring and not yet consumed.
    @inlinable
    public var readyCompletions: Int { isInherited ? 0 : Int(completionQueue.ready) }

    /// The look at the head completion, flushing what the kernel holds back when
    /// the ring looks empty; nil when nothing is ready (`io_uring_peek_cqe`).
    ///
    /// Does not consume: call ``markSeen(_:)`` (or use ``nextCompletion()``).
    /// - Throws: ``UringError`` for `io_uring_enter` when a needed flush fails.
    @inlinable
    public mutating func peekCompletion() throws(UringError) -> Completion? {
        if isInherited { throw inheritedError("io_uring_peek_cqe") }
        while true {
            if completionQueue.ready == 0 {
                guard completionsNeedEnter else { return nil }
                try flushCompletions()
                if completionQueue.ready == 0 { return nil }
            }
            let completion = headCompletion()
            guard isMixedSize && completion.flags.contains(.skip) else { return completion }
            completionQueue.advance(by: 1)
        }
    }

    /// Waits for a completion and returns it without consuming it (`io_uring_wait_cqe`).
    ///
    /// Submits whatever is queued on the way. Call ``markSeen(_:)`` afterwards.
    /// - Throws: ``UringError`` for `io_uring_enter`.
    @inlinable
    public mutating func waitCompletion() throws(UringError) -> Completion {
        while true {
            if let completion = try peekCompletion() { return completion }
            try submitAndWait(1, limit: .unbounded)
        }
    }

    /// Waits at most `timeout` for a completion and returns it without consuming
    /// it (`io_uring_wait_cqe_timeout`); nil when the time ran out.
    /// - Throws: ``UringError`` for `io_uring_enter`.
    public mutating func waitCompletion(timeout: Duration) throws(UringError) -> Completion? {
        if let completion = try peekCompletion() { return completion }
        try submit(waitingFor: 1, timeout: timeout)
        return try peekCompletion()
    }

    /// Consumes `count` completions from the head (`io_uring_cq_advance`;
    /// `io_uring_cqe_seen` for one). At most ``readyCompletions`` are consumed.
    @inlinable
    public mutating func markSeen(_ count: Int = 1) {
        if isInherited { return }
        let available = completionQueue.ready
        completionQueue.advance(by: min(UInt32(clamping: max(count, 0)), available))
    }

    /// Returns and consumes the head completion; nil when none is ready.
    /// - Throws: ``UringError`` for `io_uring_enter` when a needed flush fails.
    @inlinable
    public mutating func nextCompletion() throws(UringError) -> Completion? {
        guard let completion = try peekCompletion() else { return nil }
        completionQueue.advance(by: completionSlots(completion))
        return completion
    }

    /// Calls `body` for every ready completion, in order, then consumes them
    /// with one head update; flushes overflowed or deferred completions and
    /// goes on while the kernel has more.
    ///
    /// `body` sees each completion once. If it throws, the completions before
    /// the throwing one are consumed and the throwing one is not. At most `limit`
    /// completions are handled, so a source that never stops posting (a multishot
    /// timeout with a zero interval) cannot keep the caller here.
    /// - Returns: how many completions `body` saw.
    /// - Throws: what `body` throws, or ``UringError`` for `io_uring_enter`.
    @inlinable
    @discardableResult
    public mutating func forEachCompletion(limit: Int = .max, _ body: (Completion) throws -> Void) throws -> Int {
        if isInherited { throw inheritedError("io_uring_for_each_cqe") }
        var seen = 0
        while seen < limit {
            var ready = completionQueue.ready
            if ready == 0 {
                guard completionsNeedEnter else { return seen }
                try flushCompletions()
                ready = completionQueue.ready
                if ready == 0 { return seen }
            }
            var consumed: UInt32 = 0
            defer { completionQueue.advance(by: consumed) }
            while consumed < ready && seen < limit {
                let completion = headCompletion(offset: consumed)
                let slots = completionSlots(completion)
                if !isMixedSize || !completion.flags.contains(.skip) {
                    try body(completion)
                    seen += 1
                }
                consumed &+= slots
            }
        }
        return seen
    }

    /// Whether completions may be held back by the kernel until the next
    /// io_uring_enter(2): overflow, pending task work, IOPOLL, or DEFER_TASKRUN
    /// without the TASKRUN flag to say so.
    @inlinable
    var completionsNeedEnter: Bool {
        let waiting = SubmissionRingFlags.completionOverflow.rawValue | SubmissionRingFlags.taskRun.rawValue
        if submissionQueue.flags & waiting != 0 { return true }
        if setupBits & SetupFlags.ioPoll.rawValue != 0 { return true }
        let deferred = SetupFlags.deferTaskRun.rawValue
        return setupBits & (deferred | SetupFlags.taskRunFlag.rawValue) == deferred
    }

    /// The completions ready now, after asking the kernel to post those it holds
    /// back (pending task work, an overflow), without submitting or waiting: the
    /// step of a loop that polls the ring instead of sleeping in it.
    ///
    /// Enters the kernel only when nothing is ready and the ring says completions
    /// are held back (`IORING_SQ_TASKRUN`, `IORING_SQ_CQ_OVERFLOW`), or cannot say so.
    /// - Throws: ``UringError`` for `io_uring_enter`.
    public mutating func pollCompletions() throws(UringError) -> Int {
        if completionQueue.ready == 0 && completionsNeedEnter { try flushCompletions() }
        return readyCompletions
    }

    /// Asks the kernel to post held-back completions, without submitting or waiting.
    @inlinable
    mutating func flushCompletions() throws(UringError) {
        let result = curing_enter(enterDescriptor, 0, 0, baseEnterFlags | EnterFlags.getEvents.rawValue)
        if result < 0 && result != -EINTR && result != -EAGAIN && result != -EBUSY {
            throw enterError(result)
        }
    }

    /// The completion `offset` entries past the head.
    @inlinable
    func headCompletion(offset: UInt32 = 0) -> Completion {
        let position = completionQueue.localHead &+ offset
        let slot = completionQueue.entry(at: position)
        if completionQueue.entryShift == 5 {
            let big = slot.load(as: CompletionQueueEntry32.self)
            return Completion(big.entry, extra: big.extra)
        }
        let entry = slot.load(as: CompletionQueueEntry.self)
        if isMixedSize && entry.flags & CompletionFlags.big.rawValue != 0 {
            let next = completionQueue.entry(at: position &+ 1)
            return Completion(entry, extra: (next.load(as: UInt64.self), next.load(fromByteOffset: 8, as: UInt64.self)))
        }
        return Completion(entry, extra: nil)
    }

    /// Ring slots a completion occupies: 2 for a 32-byte entry of a mixed-size ring.
    @inlinable
    func completionSlots(_ completion: Completion) -> UInt32 {
        isMixedSize && completion.flags.contains(.big) ? 2 : 1
    }
}
