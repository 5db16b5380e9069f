import CUring
import Glibc

/// io_uring_setup(2) with the retry policy of ``RingOptions/relaxableFlags``.
enum RingSetup {
    /// What setup produced: the descriptor, the parameters the kernel filled in,
    /// and the flags that had to be dropped.
    struct Outcome {
        /// The ring descriptor, or with `REGISTERED_FD_ONLY` the registered ring index.
        var fd: Int32
        var parameters: RingParameters
        var dropped: SetupFlags
        /// The memory supplied for `IORING_SETUP_NO_MMAP`, nil when the kernel's is mapped.
        var userMemory: UserRingMemory?
    }

    /// Creates the ring, dropping relaxable flags one step at a time on EINVAL.
    /// - Throws: ``UringError`` for `io_uring_setup`, with a detail from ``SetupDiagnostics``.
    static func create(entries: UInt32, options: RingOptions) throws(UringError) -> Outcome {
        var flags = options.effectiveFlags
        var dropped = SetupFlags()
        var steps = options.relaxableFlags[...]
        while true {
            var parameters = makeParameters(flags: flags, options: options)
            var memory: UserRingMemory?
            if flags.contains(.noMmap) {
                let supplied = try UserRingMemory(
                    entries: entries, flags: flags, completionEntries: options.completionQueueEntries)
                parameters.completionOffsets.userAddress = .address(supplied.rings)
                parameters.submissionOffsets.userAddress = .address(supplied.entries)
                memory = supplied
            }
            let fd = curing_setup(entries, &parameters)
            if fd >= 0 {
                return Outcome(fd: fd, parameters: parameters, dropped: dropped, userMemory: memory)
            }
            memory?.release()
            if fd == -EINVAL, let step = nextStep(&steps, within: flags) {
                flags.subtract(step)
                dropped.formUnion(step)
                continue
            }
            var reported = options
            reported.flags = flags
            throw UringError(
                negatedErrno: fd, operation: "io_uring_setup",
                detail: SetupDiagnostics.detail(for: -fd, entries: entries, options: reported))
        }
    }

    private static func nextStep(_ steps: inout ArraySlice<SetupFlags>, within flags: SetupFlags)
        -> SetupFlags?
    {
        while let step = steps.popFirst() {
            let present = step.intersection(flags)
            if !present.isEmpty { return present }
        }
        return nil
    }

    private static func makeParameters(flags: SetupFlags, options: RingOptions) -> RingParameters {
        var parameters = RingParameters()
        parameters.flags = flags.rawValue
        if let cq = options.completionQueueEntries { parameters.completionEntries = cq }
        if let cpu = options.submissionThreadCPU { parameters.submissionThreadCPU = cpu }
        if let idle = options.submissionThreadIdle {
            let milliseconds = idle.components.seconds * 1000 + idle.components.attoseconds / 1_000_000_000_000_000
            parameters.submissionThreadIdle = UInt32(clamping: milliseconds)
        }
        if let wq = options.attachWorkQueueFD { parameters.workQueueFD = UInt32(bitPattern: wq.rawValue) }
        return parameters
    }
}
