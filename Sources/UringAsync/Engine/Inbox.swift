import Glibc
import Uring

extension RingExecutor {
    /// What other threads hand to the ring thread.
    struct Inbox {
        var jobs: [RingJob] = []
        var starts: [PendingStart] = []
        var batches: [PendingBatch] = []
        var cancels: [Int] = []
        var actions: [RingAction] = []
        var sleeping = false
        var shuttingDown = false
        var shutdownTimeout = Duration.seconds(5)
        var exited = false
        /// The last outside reference went away without ``RingExecutor/shutdown(timeout:)``.
        var abandoned = false

        /// Whether nothing waits for the ring thread.
        var isEmpty: Bool {
            jobs.isEmpty && starts.isEmpty && batches.isEmpty && cancels.isEmpty && actions.isEmpty && !shuttingDown
        }
    }

    /// An operation prepared on another thread, waiting for the ring thread to submit it.
    /// Sendable by hand-over: its kept memory is touched by nobody until the final completion.
    struct PendingStart: @unchecked Sendable {
        var entry: SubmissionQueueEntry
        var waiter: Waiter
        var keepAlive: AnyObject?
        var ticket: Int
        var timeout: Duration?
    }

    /// A ``RingBatch`` handed over by another thread, waiting for the ring thread to submit it.
    struct PendingBatch: @unchecked Sendable {
        var storage: BatchStorage
        var ticket: Int
    }

    /// Work for the ring thread that is neither a job nor a submission (re-arming
    /// a stream, cancelling one): rare, so a closure is fine.
    struct RingAction: @unchecked Sendable {
        let run: () -> Void
    }

    /// Hands `apply` to the inbox and wakes the ring thread if it sleeps.
    /// Returns false when the executor has exited (nothing was enqueued).
    @discardableResult
    func post(_ apply: (inout Inbox) -> Void) -> Bool {
        let (wake, exited) = inbox.withLock { inbox -> (Bool, Bool) in
            if inbox.exited { return (false, true) }
            apply(&inbox)
            let wake = inbox.sleeping
            inbox.sleeping = false
            return (wake, false)
        }
        if wake {
            var byte: UInt8 = 1
            _ = Glibc.write(wakePipe.write, &byte, 1)
        }
        return !exited
    }

    /// Queues `job` for the ring thread: straight into the local queue on the
    /// ring thread, else through the inbox with a wakeup.
    func enqueue(_ job: RingJob) {
        if isOnRingThread {
            loop.localJobs.append(job)
        } else if !post({ $0.jobs.append(job) }) {
            job.run(on: self)
        }
    }

    /// Runs `action` on the ring thread at its next turn (never inline, so it is
    /// safe from inside a completion handler); inline on the caller's thread
    /// once the executor has exited.
    package func onRingThread(_ action: @escaping () -> Void) {
        if isOnRingThread {
            loop.localActions.append(RingAction(run: action))
        } else if !post({ $0.actions.append(RingAction(run: action)) }) {
            action()
        }
    }
}
