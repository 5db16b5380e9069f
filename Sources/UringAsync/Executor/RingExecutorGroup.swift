import Glibc
import Synchronization
import Uring

/// One ``RingExecutor`` per core, handed out in turn.
///
/// Spread independent work over the cores with ``next()``; keep related work
/// (a connection, a file) on one executor. ``shared()`` is a process-wide group
/// with one executor per online processor, made on first use.
public final class RingExecutorGroup: Sendable {
    /// The executors, one ring thread each.
    public let executors: [RingExecutor]
    private let turn = Atomic<Int>(0)
    private static let sharedGroup = Locked<RingExecutorGroup?>(nil)

    /// Starts `count` executors (default: one per online processor).
    /// - Parameters:
    ///   - count: how many executors; at least one.
    ///   - entries: each ring's submission queue size.
    ///   - options: each ring's setup.
    ///   - batching: how each ring thread waits for completions (``CompletionBatching``).
    ///   - spinning: whether each ring thread polls before it sleeps (``IdleSpinning``).
    /// - Throws: `UringError` from the first executor that cannot start (those
    ///   already started are shut down), or `EINVAL` for a count below one.
    public init(
        count: Int = RingExecutorGroup.onlineProcessors, entries: UInt32 = 256, options: RingOptions = .default,
        batching: CompletionBatching = .adaptive, spinning: IdleSpinning = .adaptive
    ) throws {
        guard count >= 1 else {
            throw UringError(errno: .invalidArgument, operation: "RingExecutorGroup", detail: "count \(count) must be at least 1")
        }
        var started: [RingExecutor] = []
        do {
            for _ in 0..<count {
                started.append(try RingExecutor(entries: entries, options: options, batching: batching, spinning: spinning))
            }
        } catch {
            for executor in started { executor.shutdown() }
            throw error
        }
        executors = started
    }

    /// The number of online processors (`sysconf(_SC_NPROCESSORS_ONLN)`), at least one.
    public static var onlineProcessors: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// The next executor, round robin; safe from any thread.
    public func next() -> RingExecutor {
        let index = turn.wrappingAdd(1, ordering: .relaxed).oldValue
        return executors[index % executors.count]
    }

    /// Shuts every executor down (see ``RingExecutor/shutdown(timeout:)``).
    public func shutdown(timeout: Duration = .seconds(5)) {
        for executor in executors { executor.shutdown(timeout: timeout) }
    }

    /// The process-wide group, one executor per online processor, started on
    /// first use and never shut down.
    /// - Throws: `UringError` when its rings cannot be set up (a later call tries again).
    public static func shared() throws -> RingExecutorGroup {
        try sharedGroup.withLock { group in
            if let group { return group }
            let made = try RingExecutorGroup()
            group = made
            return made
        }
    }
}
