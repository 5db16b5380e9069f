import Glibc

/// Explains why io_uring_setup(2) refused, in words a person can act on.
///
/// Probes the machine (sysctl, rlimit, CPU count) rather than guessing from
/// the kernel version.
enum SetupDiagnostics {
    /// The detail for a failed setup with `flags` asking for `entries`.
    static func detail(for errno: Int32, entries: UInt32, options: RingOptions) -> String {
        switch errno {
        case EPERM, ENOSYS:
            return blocked(errno: errno, options: options)
        case ENOMEM:
            return memory(entries: entries)
        case EINVAL:
            return invalid(entries: entries, options: options)
        case EFAULT:
            return "the kernel could not use the ring memory supplied for IORING_SETUP_NO_MMAP"
        case EBADF:
            return "IORING_SETUP_ATTACH_WQ needs an open io_uring descriptor to attach to"
        default:
            return "flags \(options.flags.kernelDescription), \(entries) entries"
        }
    }

    private static func blocked(errno: Int32, options: RingOptions) -> String {
        var reasons: [String] = []
        switch KernelSettings.ioUringDisabled {
        case 2?:
            reasons.append("kernel.io_uring_disabled = 2: io_uring is disabled for every process")
        case 1?:
            reasons.append(
                "kernel.io_uring_disabled = 1: only CAP_SYS_ADMIN or the group in kernel.io_uring_group may create rings")
        case let value?:
            reasons.append("kernel.io_uring_disabled = \(value)")
        case nil:
            if errno == ENOSYS {
                reasons.append("this kernel was built without io_uring (CONFIG_IO_URING)")
            }
        }
        reasons.append("a seccomp filter (containers often install one) may block io_uring_setup")
        if options.flags.contains(.submissionQueuePolling) {
            reasons.append("IORING_SETUP_SQPOLL needs CAP_SYS_NICE before Linux 5.11; drop the flag")
        }
        return reasons.joined(separator: "; ")
    }

    private static func memory(entries: UInt32) -> String {
        var limit = rlimit()
        var text = "the kernel could not allocate the rings for \(entries) entries"
        if getrlimit(__rlimit_resource_t(__RLIMIT_MEMLOCK.rawValue), &limit) == 0 {
            let current = limit.rlim_cur == rlim_t.max ? "unlimited" : "\(limit.rlim_cur / 1024) KiB"
            text += "; before Linux 5.12 ring memory counts against RLIMIT_MEMLOCK (now \(current)):"
            text += " raise it (ulimit -l) or ask for fewer entries"
        }
        return text
    }

    private static func invalid(entries: UInt32, options: RingOptions) -> String {
        let flags = options.flags
        var reasons: [String] = []
        if entries == 0 || entries > Ring.maximumEntries && !flags.contains(.clamp) {
            reasons.append(
                "entries must be 1...\(Ring.maximumEntries) (got \(entries)); add IORING_SETUP_CLAMP to cap it")
        }
        if let cq = options.completionQueueEntries, cq > Ring.maximumCompletionEntries && !flags.contains(.clamp) {
            reasons.append("completion entries must be at most \(Ring.maximumCompletionEntries) (got \(cq))")
        }
        if let cq = options.completionQueueEntries, cq < entries {
            reasons.append("completion entries (\(cq)) must be at least the submission entries (\(entries))")
        }
        if flags.contains(.deferTaskRun) && !flags.contains(.singleIssuer) {
            reasons.append("IORING_SETUP_DEFER_TASKRUN needs IORING_SETUP_SINGLE_ISSUER")
        }
        if flags.contains(.taskRunFlag)
            && !flags.contains(.cooperativeTaskRun) && !flags.contains(.deferTaskRun)
        {
            reasons.append("IORING_SETUP_TASKRUN_FLAG needs COOP_TASKRUN or DEFER_TASKRUN")
        }
        if flags.contains(.submissionQueuePolling) && flags.contains(.deferTaskRun) {
            reasons.append("IORING_SETUP_SQPOLL cannot be combined with DEFER_TASKRUN")
        }
        if flags.contains(.submissionQueueAffinity) {
            if !flags.contains(.submissionQueuePolling) {
                reasons.append("IORING_SETUP_SQ_AFF needs IORING_SETUP_SQPOLL")
            }
            let cpus = sysconf(Int32(_SC_NPROCESSORS_CONF))
            if let cpu = options.submissionThreadCPU, cpus > 0, Int(cpu) >= cpus {
                reasons.append("SQPOLL CPU \(cpu) does not exist (this machine has CPUs 0...\(cpus - 1))")
            }
        }
        if flags.contains(.hybridIOPoll) && !flags.contains(.ioPoll) {
            reasons.append("IORING_SETUP_HYBRID_IOPOLL needs IORING_SETUP_IOPOLL")
        }
        if flags.contains(.registeredFDOnly) && !flags.contains(.noMmap) {
            reasons.append("IORING_SETUP_REGISTERED_FD_ONLY needs IORING_SETUP_NO_MMAP")
        }
        if flags.contains(.attachWorkQueue) {
            if let fd = options.attachWorkQueueFD {
                if !isRingDescriptor(fd.rawValue) {
                    reasons.append("IORING_SETUP_ATTACH_WQ: descriptor \(fd.rawValue) is not an io_uring instance")
                }
            } else {
                reasons.append("IORING_SETUP_ATTACH_WQ needs the descriptor of a ring to attach to")
            }
        }
        if flags.contains(.cqe32) && flags.contains(.mixedCompletionSize) {
            reasons.append("IORING_SETUP_CQE32 and CQE_MIXED exclude each other")
        }
        if reasons.isEmpty {
            let known = SetupFlags.namedFlags.reduce(SetupFlags()) { $0.union($1.flag) }
            let unknown = flags.subtracting(known)
            reasons.append(
                unknown.isEmpty
                    ? "this kernel refused the flags \(flags.kernelDescription); run `uring probe` to see which it accepts"
                    : "unknown setup bits \(unknown.kernelDescription)")
        }
        return reasons.joined(separator: "; ")
    }

    /// Whether `fd` is an io_uring instance, from its /proc/self/fd link.
    private static func isRingDescriptor(_ fd: Int32) -> Bool {
        var target = [CChar](repeating: 0, count: 64)
        let count = readlink("/proc/self/fd/\(fd)", &target, target.count - 1)
        guard count > 0 else { return false }
        return String(decoding: target[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) == "anon_inode:[io_uring]"
    }
}
