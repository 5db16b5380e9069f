import Glibc
import Uring

/// Facts about the running kernel for `uring probe`.
enum KernelReport {
    /// `uname -r`.
    static func release() -> String {
        var name = utsname()
        uname(&name)
        return withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// `/proc/sys/kernel/io_uring_disabled`, or "absent".
    static func ioUringDisabled() -> String {
        KernelSettings.ioUringDisabled.map(String.init) ?? "absent"
    }

    /// Whether the kernel accepts `flag`, tried with the flags and values it needs.
    static func setupVerdict(_ flag: SetupFlags) -> (accepted: Bool, note: String?) {
        var options = RingOptions(flags: flag)
        var note: String?
        switch flag {
        case .submissionQueueAffinity:
            options.flags.insert(.submissionQueuePolling)
            options.submissionThreadCPU = 0
            note = "with SQPOLL on CPU 0"
        case .completionQueueSize:
            options.completionQueueEntries = 16
        case .taskRunFlag:
            options.flags.insert(.cooperativeTaskRun)
            note = "with COOP_TASKRUN"
        case .deferTaskRun:
            options.flags.insert(.singleIssuer)
            note = "with SINGLE_ISSUER"
        case .hybridIOPoll:
            options.flags.insert(.ioPoll)
            note = "with IOPOLL"
        case .attachWorkQueue:
            guard let host = try? Ring(entries: 2, options: .plain) else { return (false, "no ring to attach to") }
            options.attachWorkQueueFD = host.descriptor
            let accepted = (try? Ring(entries: 2, options: options)) != nil
            return (accepted, "attached to a fresh ring")
        case .registeredFDOnly:
            options.flags.insert(.noMmap)
            note = "with NO_MMAP"
        default:
            break
        }
        do {
            _ = try Ring(entries: 2, options: options)
            return (true, note)
        } catch {
            return (false, [note, "\(error.errno)"].compactMap { $0 }.joined(separator: "; "))
        }
    }
}
