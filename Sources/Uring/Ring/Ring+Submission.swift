import CUring
import Glibc
import Synchronization

extension Ring {
    /// Reserves the next free submission entry, zeroed, or nil when the
    /// submission ring is full (``submit()`` frees it).
    ///
    /// liburing's `io_uring_get_sqe`. The entry is handed to the kernel by the
    /// next submit whether or not it was filled in: a zeroed entry is a NOP.
    ///
    /// **Unsafe**: whatever memory the entry's fields point to must stay valid
    /// until that request's completion has been consumed.
    @unsafe @inlinable
    public mutating func nextSubmission() -> UnsafeMutablePointer<SubmissionQueueEntry>? {
        if isInherited { return nil }
        if submissionQueue.localTail &- submissionQueue.cachedHead >= submissionQueue.capacity {
            submissionQueue.refreshHead()
            if submissionQueue.localTail &- submissionQueue.cachedHead >= submissionQueue.capacity {
                return nil
            }
        }
        let position = submissionQueue.localTail & submissionQueue.mask
        let slot = submissionQueue.entries + Int(position << submissionQueue.entryShift)
        submissionQueue.localTail &+= 1
        if submissionQueue.entryShift > 6 {
            slot.initializeMemory(as: UInt8.self, repeating: 0, count: 128)
        }
        let entry = slot.assumingMemoryBound(to: SubmissionQueueEntry.self)
        entry.initialize(to: SubmissionQueueEntry())
        return entry
    }

    /// Prepares `operation` in the next submission entry; false when the ring is full.
    ///
    /// liburing's `io_uring_get_sqe` followed by an `io_uring_prep_*` helper.
    /// Nothing reaches the kernel until the next submit. Allocates nothing.
    ///
    /// **Unsafe**: the ring does not own what the operation points to (buffers,
    /// iovecs, paths, timespecs); keep that memory valid until this request's
    /// final completion has been consumed.
    /// - Parameters:
    ///   - operation: what to do.
    ///   - userData: returned unchanged in the completion.
    ///   - flags: `IOSQE_*` flags such as ``SubmissionFlags/link``.
    /// - Returns: false when no submission slot is free; submit, then push again.
    @unsafe @inlinable
    @discardableResult
    public mutating func push<Operation: RingOperation>(
        _ operation: Operation, userData: UInt64 = 0, flags: SubmissionFlags = []
    ) -> Bool {
        guard let entry = nextSubmission() else { return false }
        entry.pointee.opcode = operation.opcode.rawValue
        operation.prepare(&entry.pointee)
        entry.pointee.userData = userData
        entry.pointee.flags |= flags.rawValue
        return true
    }

    /// Prepares `operation` with per-request `options` (flags, buffer group,
    /// personality, I/O priority); false when the ring is full.
    ///
    /// **Unsafe**: as ``push(_:userData:flags:)``.
    @unsafe @inlinable
    @discardableResult
    public mutating func push<Operation: RingOperation>(
        _ operation: Operation, userData: UInt64 = 0, options: SubmissionOptions
    ) -> Bool {
        guard let entry = nextSubmission() else { return false }
        entry.pointee.opcode = operation.opcode.rawValue
        operation.prepare(&entry.pointee)
        entry.pointee.userData = userData
        options.apply(to: &entry.pointee)
        return true
    }

    /// Takes back every entry reserved since the last submit, so the next submit
    /// does not send them; for a batch abandoned half-way. Returns how many.
    ///
    /// Entries already handed to the kernel are not affected.
    @discardableResult
    public mutating func discardUnsubmitted() -> Int {
        if isInherited { return 0 }
        let published = submissionQueue.kernelTail.pointee.load(ordering: .relaxed)
        let discarded = submissionQueue.localTail &- published
        submissionQueue.localTail = published
        return Int(discarded)
    }

    /// The kernel's `IORING_SQ_*` flags right now: whether the SQPOLL thread
    /// sleeps, completions overflowed, or task work is pending.
    public var submissionRingFlags: SubmissionRingFlags {
        isInherited ? [] : SubmissionRingFlags(rawValue: submissionQueue.flags)
    }

    /// Entries reserved since the last submit and not yet consumed by the kernel.
    public var pendingSubmissions: Int {
        if isInherited { return 0 }
        return Int(submissionQueue.localTail &- submissionQueue.kernelHead.pointee.load(ordering: .acquiring))
    }

    /// Hands every queued entry to the kernel without waiting (`io_uring_submit`).
    ///
    /// Keeps calling io_uring_enter(2) until the kernel has taken every entry;
    /// `EINTR` is retried and `EBUSY`/`EAGAIN` (the kernel holds completions
    /// that were not consumed) end the call early with the entries still queued:
    /// consume completions and submit again.
    /// - Returns: the number of entries the kernel took.
    /// - Throws: ``UringError`` for `io_uring_enter`.
    @inlinable
    @discardableResult
    public mutating func submit() throws(UringError) -> Int {
        try submitAndWait(0, limit: .unbounded)
    }

    /// Hands every queued entry to the kernel and waits until at least `count`
    /// completions are ready (`io_uring_submit_and_wait`).
    /// - Returns: the number of entries the kernel took.
    /// - Throws: ``UringError`` for `io_uring_enter`.
    @inlinable
    @discardableResult
    public mutating func submit(waitingFor count: Int) throws(UringError) -> Int {
        try submitAndWait(UInt32(clamping: max(count, 0)), limit: .unbounded)
    }

    /// Hands every queued entry to the kernel and waits until at least `count`
    /// completions are ready or `timeout` has passed
    /// (`io_uring_submit_and_wait_timeout`, through `IORING_ENTER_EXT_ARG`).
    ///
    /// A timeout is not an error: compare ``readyCompletions`` with `count`.
    /// A signal does not extend the wait: it goes on for what is left of `timeout`.
    /// - Returns: the number of entries the kernel took.
    /// - Throws: ``UringError`` for `io_uring_enter`; `EOPNOTSUPP` when the kernel
    ///   lacks `IORING_FEAT_EXT_ARG` (Linux 5.11).
    @discardableResult
    public mutating func submit(waitingFor count: Int, timeout: Duration) throws(UringError) -> Int {
        guard features.contains(.extendedArgument) else {
            throw UringError(
                errno: .notSupported, operation: "io_uring_enter",
                detail: "waiting with a timeout needs IORING_FEAT_EXT_ARG (Linux 5.11)")
        }
        return try submitAndWait(
            UInt32(clamping: max(count, 0)), limit: .timeout(KernelTimespec(timeout), minimumWait: 0))
    }

    /// Hands every queued entry to the kernel and waits for a batch: until `count`
    /// completions are ready, or `minimumWait` has passed and at least one is,
    /// or `timeout` has passed (`io_uring_submit_and_wait_min_timeout`).
    ///
    /// A completion that arrives after `minimumWait` ends the wait at once, so
    /// a lone completion waits at most `minimumWait` longer than it would alone.
    /// An `IORING_OP_TIMEOUT` that fires ends the wait at once too, whatever the count.
    /// - Throws: ``UringError`` for `io_uring_enter`; `EOPNOTSUPP` when the kernel
    ///   lacks `IORING_FEAT_MIN_TIMEOUT` (Linux 6.12).
    @discardableResult
    public mutating func submit(waitingFor count: Int, timeout: Duration, minimumWait: Duration) throws(UringError)
        -> Int
    {
        guard features.contains(.minimumTimeout) else {
            throw UringError(
                errno: .notSupported, operation: "io_uring_enter",
                detail: "a minimum batch wait needs IORING_FEAT_MIN_TIMEOUT (Linux 6.12)")
        }
        return try submitAndWait(
            UInt32(clamping: max(count, 0)),
            limit: .timeout(KernelTimespec(timeout), minimumWait: KernelTimespec(minimumWait).clampedMicroseconds))
    }

    /// The submit-and-wait loop behind every submit.
    @inlinable
    @discardableResult
    mutating func submitAndWait(_ wanted: UInt32, limit: WaitLimit) throws(UringError) -> Int {
        if isInherited { throw inheritedError("io_uring_enter") }
        var limit = limit
        let deadline = limit.deadline
        // A wait with a minimum ends with a partial batch on purpose: one completion is enough then.
        let enough = limit.minimumWait > 0 ? min(wanted, 1) : wanted
        let tail = submissionQueue.localTail
        submissionQueue.kernelTail.pointee.store(tail, ordering: .releasing)
        if setupBits & SetupFlags.submissionQueuePolling.rawValue != 0 {
            return try submitPolled(tail: tail, wanted: wanted, limit: limit)
        }
        var submitted = 0
        var pending = tail &- submissionQueue.cachedHead
        var blocked = false
        while true {
            var flags = baseEnterFlags
            var minimum: UInt32 = 0
            if wanted > 0 && completionQueue.ready < wanted {
                flags |= EnterFlags.getEvents.rawValue
                minimum = wanted
            } else if pending == 0 || blocked {
                break
            }
            let toSubmit = blocked ? 0 : pending
            let result = enter(toSubmit, minimum, flags, limit: limit)
            if result >= 0 {
                submitted += Int(result)
                submissionQueue.refreshHead()
                pending = tail &- submissionQueue.cachedHead
                if result == 0 && minimum == 0 { break }
                if limit.isBounded && minimum > 0 && pending == 0 {
                    // A call that submitted reports the count even when a signal cut its
                    // wait short: a timed wait goes on for what is left of its time.
                    if completionQueue.ready >= enough || deadline == nil || !limit.shorten(toward: deadline) { break }
                }
                continue
            }
            switch -result {
            case EINTR:
                guard limit.shorten(toward: deadline) else {
                    submissionQueue.refreshHead()
                    return submitted
                }
            case EAGAIN, EBUSY:
                if blocked { return submitted }
                blocked = true
            case ETIME:
                submissionQueue.refreshHead()
                return submitted
            default:
                throw enterError(result)
            }
        }
        return submitted
    }

    /// Submission on an SQPOLL ring: the kernel thread consumes the entries, so
    /// io_uring_enter(2) is needed only to wake it or to wait.
    @usableFromInline
    mutating func submitPolled(tail: UInt32, wanted: UInt32, limit: WaitLimit) throws(UringError) -> Int {
        // The kernel thread consumes asynchronously: the head is left to the
        // acquire reload in nextSubmission(), never assumed.
        let published = tail &- submissionQueue.publishedTail
        submissionQueue.publishedTail = tail
        // MEMORY ORDERING: a full fence between the tail store above and the load
        // of the SQ flags below. Release and acquire alone let a store be passed by
        // a later load, and then this thread could read a stale "awake" while the
        // kernel thread, having seen the old tail, goes to sleep: the entries would
        // wait until some later submit. The kernel thread does the mirror image: it
        // sets IORING_SQ_NEED_WAKEUP, issues a full barrier, and reads the tail once
        // more before it sleeps (io_uring/sqpoll.c, io_sq_thread). With both fences,
        // at least one side sees the other's store: either the kernel finds the new
        // tail, or this thread finds NEED_WAKEUP and enters with SQ_WAKEUP.
        // io_uring_setup(2), "IORING_SQ_NEED_WAKEUP", asks applications for exactly
        // this barrier; liburing's sq_ring_needs_enter does the same.
        atomicMemoryFence(ordering: .sequentiallyConsistent)
        var flags = baseEnterFlags
        if submissionQueue.flags & SubmissionRingFlags.needWakeup.rawValue != 0 {
            flags |= EnterFlags.submissionQueueWakeup.rawValue
        }
        var minimum: UInt32 = 0
        if wanted > 0 && completionQueue.ready < wanted {
            flags |= EnterFlags.getEvents.rawValue
            minimum = wanted
        }
        guard flags != baseEnterFlags else { return Int(published) }
        var limit = limit
        let deadline = limit.deadline
        while true {
            let result = enter(published, minimum, flags, limit: limit)
            if result >= 0 || result == -ETIME { return Int(published) }
            if result == -EINTR {
                guard limit.shorten(toward: deadline) else { return Int(published) }
                continue
            }
            if (result == -EAGAIN || result == -EBUSY) && minimum == 0 { return Int(published) }
            throw enterError(result)
        }
    }

    /// One io_uring_enter(2), with the wait limit as an extended argument when there is one.
    @inlinable
    func enter(_ toSubmit: UInt32, _ minimum: UInt32, _ flags: UInt32, limit: WaitLimit) -> Int32 {
        switch limit {
        case .unbounded:
            return curing_enter(enterDescriptor, toSubmit, minimum, flags)
        case .timeout(var timespec, let minimumWait):
            return withUnsafePointer(to: &timespec) { timespecPointer in
                var argument = GetEventsArgument()
                argument.timeout = UInt64(UInt(bitPattern: timespecPointer))
                argument.minimumWaitMicroseconds = minimumWait
                return withUnsafePointer(to: &argument) {
                    curing_enter2(
                        enterDescriptor, toSubmit, minimum, flags | EnterFlags.extendedArgument.rawValue,
                        $0, MemoryLayout<GetEventsArgument>.size)
                }
            }
        case .registered(let offset):
            // The "pointer" is the slot's byte offset inside the registered wait region.
            let registered = EnterFlags.extendedArgument.rawValue | EnterFlags.extendedArgumentRegistered.rawValue
            return curing_enter2(
                enterDescriptor, toSubmit, minimum, flags | registered,
                UnsafeRawPointer(bitPattern: offset), MemoryLayout<RegisteredWait>.size)
        }
    }

    /// Whether the ring enters through a registered index from a thread other than its creator.
    var isForeignThread: Bool {
        registeredIndex != nil && pthread_equal(pthread_self(), creatorThread) == 0
    }

    /// A ``UringError`` for a failed io_uring_enter(2), with a hint where one helps.
    @usableFromInline
    func enterError(_ result: Int32) -> UringError {
        let detail: String?
        switch -result {
        case EEXIST:
            detail = "this ring uses IORING_SETUP_SINGLE_ISSUER: only the thread that created it may submit"
        case EBADF where isForeignThread, EINVAL where isForeignThread:
            detail =
                "this ring's registered descriptor (IORING_REGISTER_RING_FDS) belongs to the thread that "
                + "created it; use the ring from that thread, or create it with RingOptions.registerRingFD = false "
                + "to hand it between threads"
        case EBADF where registeredIndex != nil:
            detail = "the registered ring index is per thread: use the ring from the thread that created it"
        case EBADFD:
            detail = "the ring was created with IORING_SETUP_R_DISABLED: call enable() first"
        case EOWNERDEAD:
            detail = "the SQPOLL thread has exited"
        default:
            detail = nil
        }
        return UringError(negatedErrno: result, operation: "io_uring_enter", detail: detail)
    }
}

/// How long a submit may wait for completions.
@usableFromInline
enum WaitLimit {
    /// Until enough completions are ready.
    case unbounded
    /// At most this long (`IORING_ENTER_EXT_ARG`), and with a nonzero minimum wait
    /// (microseconds), no longer than that for a full batch once one completion is ready.
    case timeout(KernelTimespec, minimumWait: UInt32)
    /// As the registered wait slot at this byte offset says (`IORING_ENTER_EXT_ARG_REG`).
    case registered(offset: Int)

    /// When a timed wait must end, measured on the monotonic clock; nil otherwise.
    @inlinable
    var deadline: ContinuousClock.Instant? {
        guard case .timeout(let timespec, _) = self else { return nil }
        return .now + .seconds(timespec.seconds) + .nanoseconds(timespec.nanoseconds)
    }

    /// After a signal: a timed wait keeps only what is left before `deadline`.
    /// - Returns: false when nothing is left, so the wait is over.
    @inlinable
    mutating func shorten(toward deadline: ContinuousClock.Instant?) -> Bool {
        guard let deadline, case .timeout(_, let minimumWait) = self else { return true }
        let left = ContinuousClock.now.duration(to: deadline)
        guard left > .zero else { return false }
        self = .timeout(KernelTimespec(left), minimumWait: minimumWait)
        return true
    }

    /// The minimum batch wait in microseconds, 0 for none.
    @inlinable
    var minimumWait: UInt32 {
        guard case .timeout(_, let minimumWait) = self else { return 0 }
        return minimumWait
    }

    /// Whether the kernel may end the wait before enough completions are ready.
    @inlinable
    var isBounded: Bool {
        if case .unbounded = self { return false }
        return true
    }
}
