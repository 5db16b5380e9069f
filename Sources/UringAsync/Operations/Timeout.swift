import Glibc
import SystemPackage
import Uring

extension RingExecutor {
    /// `IORING_OP_TIMEOUT`: suspends for `duration` on the ring's clock (Linux 5.4).
    /// For repeating ticks see ``ticks(every:limit:)``.
    /// - Throws: `CancellationError` when the task is cancelled first;
    ///   `UringError` `ECANCELED` after shutdown.
    nonisolated(nonsending) public func sleep(for duration: Duration) async throws {
        let time = Pinned(KernelTimespec(duration))
        // SAFETY: the timespec is pinned in `time`, kept alive until the final completion.
        let completion = try await awaitCompletion(of: Timeout(time.pointer), keepAlive: time)
        guard completion.result == -ETIME || completion.result == 0 else {
            throw UringError(negatedErrno: completion.result, operation: "timeout")
        }
    }

    /// A tick every `interval`: `IORING_OP_TIMEOUT` with `IORING_TIMEOUT_MULTISHOT`
    /// (Linux 6.4). Elements count the ticks from 1. Ticks that fire while the
    /// consumer is `limit` behind are dropped by the pause, not queued. Intervals
    /// below ``minimumTickInterval`` are raised to it.
    public func ticks(every interval: Duration, limit: Int = 64) -> RingStream<Int> {
        let time = Pinned(KernelTimespec(max(interval, Self.minimumTickInterval)))
        var count = 0
        // SAFETY: the stream keeps `time` until its multishot timeout has ended.
        let core = MultishotCore<Int>(
            executor: self, limit: limit, entry: prepared(Timeout(time.pointer, repeating: true)), keepAlive: time
        ) { completion in
            guard completion.result == -ETIME else {
                return .fail(UringError(negatedErrno: completion.result, operation: "timeout"))
            }
            count += 1
            return .element(count)
        }
        core.start()
        return RingStream(core)
    }

    /// The shortest interval ``ticks(every:limit:)`` uses: a timer that fires
    /// back to back is nearly always inside its callback, where the kernel cannot
    /// cancel it (`EALREADY`), so neither a pause nor a shutdown could stop it.
    public static let minimumTickInterval = Duration.milliseconds(1)
}
