/// A job for the ring thread, with how it arrived: through the executor's
/// actor side (``RingActorExecutor``, run isolated to it) or as a task that
/// prefers the executor (run on it as a task executor, so nonisolated code
/// continues without hopping again).
struct RingJob {
    let job: UnownedJob
    let isolated: Bool

    /// Runs the job on `executor`'s ring thread (or, after shutdown, on the caller's).
    func run(on executor: RingExecutor) {
        if isolated {
            job.runSynchronously(
                isolatedTo: executor.asUnownedSerialExecutor(), taskExecutor: executor.asUnownedTaskExecutor())
        } else {
            job.runSynchronously(on: executor.asUnownedTaskExecutor())
        }
    }
}

/// The serial-executor side of a ``RingExecutor``: actors whose
/// `unownedExecutor` is `ringExecutor.asUnownedSerialExecutor()` run their jobs
/// here, on the ring thread, isolated to it.
///
/// A separate object so that the ring can tell actor jobs from task jobs: a
/// task job run as isolated would hop again at its first nonisolated await.
final class RingActorExecutor: SerialExecutor, @unchecked Sendable {
    unowned(unsafe) let ring: RingExecutor

    init(_ ring: RingExecutor) { self.ring = ring }

    func enqueue(_ job: consuming ExecutorJob) {
        ring.enqueue(RingJob(job: UnownedJob(job), isolated: true))
    }

    func checkIsolated() { ring.checkIsolated() }
}
