import Glibc

extension Ring {
    /// Gives the ring new submission and completion queues of other sizes
    /// (`IORING_REGISTER_RESIZE_RINGS`, Linux 6.13; liburing's `io_uring_resize_rings`).
    ///
    /// The kernel moves completions not yet consumed into the new completion
    /// ring, keeping their order and the head and tail counters, so nothing is
    /// lost and nothing needs re-reading. The old mappings are unmapped and the
    /// new ones mapped; on a ring set up with ``SetupFlags/noMmap`` the new
    /// memory is allocated here and supplied to the kernel.
    ///
    /// The kernel resizes only rings set up with ``SetupFlags/deferTaskRun``,
    /// and with ``SetupFlags/singleIssuer`` only from the thread that created it.
    ///
    /// - Parameters:
    ///   - entries: the new number of submission slots (rounded up to a power of two).
    ///   - completionEntries: the new number of completion slots; twice `entries` when nil.
    ///   - clamp: clamp sizes above the kernel's limits instead of failing (`IORING_SETUP_CLAMP`).
    /// - Throws: ``UringError`` for `io_uring_register`: `EBUSY` while prepared entries
    ///   are not yet submitted; `EINVAL` for a ring without `DEFER_TASKRUN` or a bad size;
    ///   `EOVERFLOW` when more completions wait than the new completion ring holds.
    public mutating func resize(entries: UInt32, completionEntries: UInt32? = nil, clamp: Bool = false) throws(UringError) {
        let unsubmitted = submissionQueue.localTail &- submissionQueue.kernelTail.pointee.load(ordering: .relaxed)
        guard unsubmitted == 0 else {
            throw UringError(
                errno: .resourceBusy, operation: RegisterOpcode.registerResizeRings.operationName,
                detail: "\(unsubmitted) prepared entries are not submitted: submit or discard them first")
        }
        var requested = SetupFlags()
        if completionEntries != nil { requested.insert(.completionQueueSize) }
        if clamp { requested.insert(.clamp) }
        var wanted = RingParameters()
        wanted.submissionEntries = entries
        wanted.completionEntries = completionEntries ?? 0
        wanted.flags = requested.rawValue

        let current = flags
        var supplied: UserRingMemory?
        if current.contains(.noMmap) {
            let memory = try UserRingMemory(
                entries: entries, flags: current.union(requested), completionEntries: completionEntries)
            wanted.completionOffsets.userAddress = .address(memory.rings)
            wanted.submissionOffsets.userAddress = .address(memory.entries)
            supplied = memory
        }
        let result = rawRegister(RegisterOpcode.registerResizeRings.rawValue, &wanted, 1)
        guard result >= 0 else {
            supplied?.release()
            throw registrationError(
                result, operation: RegisterOpcode.registerResizeRings.operationName,
                detail: resizeFailureDetail(-result, entries: entries, completionEntries: completionEntries))
        }
        // The kernel reports neither features nor the index array's offset here:
        // the ring's features still apply, and the array follows the completions.
        wanted.features = parameters.features
        if !current.contains(.noSubmissionArray) {
            wanted.submissionOffsets.array = Ring.submissionArrayOffset(
                completionOffsets: wanted.completionOffsets, completionEntries: wanted.completionEntries,
                flags: current)
        }
        let newMappings: RingMappings
        if let supplied {
            newMappings = RingMappings(userMemory: supplied)
        } else {
            // The kernel has switched rings: the new ones must be mapped before
            // the ring can be used again, so a failure here leaves it unusable.
            newMappings = try RingMappings(fd: descriptor.rawValue, parameters: wanted)
        }
        mappings.unmap()
        mappings = newMappings
        parameters.submissionEntries = wanted.submissionEntries
        parameters.completionEntries = wanted.completionEntries
        parameters.submissionOffsets = wanted.submissionOffsets
        parameters.completionOffsets = wanted.completionOffsets
        let queues = Ring.makeQueues(mappings: newMappings, parameters: parameters)
        submissionQueue = queues.submission
        completionQueue = queues.completion
    }

    private func resizeFailureDetail(_ errno: Int32, entries: UInt32, completionEntries: UInt32?) -> String? {
        switch errno {
        case EINVAL where !flags.contains(.deferTaskRun):
            return "the kernel resizes only rings set up with IORING_SETUP_DEFER_TASKRUN"
        case EINVAL:
            return "\(entries) submission / \(completionEntries.map(String.init) ?? "default") completion "
                + "entries are not valid sizes (at most \(Ring.maximumEntries) / \(Ring.maximumCompletionEntries), "
                + "the completion ring no smaller than the submission ring)"
        case EOVERFLOW:
            return "more completions are waiting than the new completion ring holds: consume them first"
        case EEXIST:
            return "this ring uses IORING_SETUP_SINGLE_ISSUER: only the thread that created it may resize it"
        default:
            return nil
        }
    }

    /// Where the kernel places the submission index array: after the ring
    /// header and the completion entries, rounded up to a cache line (64 bytes).
    /// With `CQE32` the kernel doubles that whole size, header included.
    static func submissionArrayOffset(
        completionOffsets: CompletionRingOffsets, completionEntries: UInt32, flags: SetupFlags
    ) -> UInt32 {
        let end = completionOffsets.entries + completionEntries * UInt32(MemoryLayout<CompletionQueueEntry>.size)
        let size = flags.contains(.cqe32) ? 2 * end : end
        return (size + 63) & ~63
    }
}
