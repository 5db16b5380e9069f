import Glibc
import Synchronization
import SystemPackage
import Uring

/// One io_uring ring on one dedicated thread, as a Swift executor.
///
/// The thread lives as long as the ring: the kernel cancels requests whose
/// submitting thread has exited, so a ring must not be driven from pooled
/// threads. The executor is a `SerialExecutor` (an actor can run on it) and a
/// `TaskExecutor` (a task can prefer it: `Task(executorPreference: executor)`).
/// Code already on the ring thread submits straight into the ring, without a
/// lock; other threads hand an operation over with one enqueue and, when the
/// ring thread sleeps, one byte into a wake pipe whose read the ring keeps posted.
/// An actor on the executor starts its operations in place too; when they
/// complete, the Swift runtime brings its task back through the global executor
/// unless the task prefers this executor, in which case it never leaves the ring thread.
/// The ring is set up with `RingOptions.default` (SINGLE_ISSUER|DEFER_TASKRUN
/// where the kernel has them).
///
/// ``shutdown(timeout:)`` cancels what is in flight, waits for it (bounded), and resumes
/// every waiter exactly once. An executor dropped without it shuts itself down
/// the same way about a second after its last reference went away (an idle ring
/// thread looks once a second), releasing its thread and descriptors.
public final class RingExecutor: SerialExecutor, TaskExecutor, @unchecked Sendable {
    let inbox = Locked(Inbox())
    /// The serial-executor side that actors use.
    private(set) var actorExecutor: RingActorExecutor!
    /// The last cancel ticket handed out (``newCancelTicket()``); 0 is no wait's.
    let cancelTickets = Atomic<Int>(0)
    /// The provided-buffer group ids the executor's streams hold.
    let bufferGroups = Locked(BufferGroupIDs())
    /// The ring thread's own state: touched on that thread only.
    var loop: RingLoopState {
        unsafeAddress { UnsafePointer(loopStorage) }
        unsafeMutableAddress { loopStorage }
    }
    /// Behind ``loop``: a plain pointer, because the ring thread is its only
    /// user and a stored property would pay for dynamic exclusivity checks.
    private let loopStorage: UnsafeMutablePointer<RingLoopState>
    let wakePipe: (read: Int32, write: Int32)
    private var thread = pthread_t()
    private let started = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)
    private var setupError: UringError?
    /// The ring thread, once it runs.
    private(set) var ringThread = pthread_t()
    /// The ring's submission queue size: the most operations one ``RingBatch`` may hold.
    public private(set) var submissionEntries = 0
    /// How the ring thread waits for completions: as asked, or ``CompletionBatching/off``
    /// when the kernel lacks `IORING_FEAT_MIN_TIMEOUT` (Linux 6.12).
    public private(set) var batching = CompletionBatching.off
    /// Whether the ring thread polls before it sleeps: as asked, or ``IdleSpinning/off``
    /// where `/proc/loadavg` cannot be read.
    public private(set) var spinning: IdleSpinning

    /// Starts a ring of `entries` submission entries on a new thread.
    /// - Parameters:
    ///   - entries: the submission queue size; the completion queue is twice that.
    ///   - options: the ring setup; `RingOptions.default` relaxes flags the kernel refuses.
    ///   - batching: how the thread waits for completions: under load in batches
    ///     (``CompletionBatching/adaptive``, where the kernel has Linux 6.12's minimum wait), or one at a time.
    ///   - spinning: whether the thread polls for completions before it sleeps: under a light
    ///     load while a CPU is spare (``IdleSpinning/adaptive``), or never.
    /// - Throws: `UringError` from `io_uring_setup` (with the core's detail), or from `pipe` (the wake pipe).
    public init(
        entries: UInt32 = 256, options: RingOptions = .default, batching: CompletionBatching = .adaptive,
        spinning: IdleSpinning = .adaptive
    ) throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            throw UringError(errno: Errno(rawValue: errno), operation: "pipe", detail: "the executor's wake pipe")
        }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        // The write end never blocks a waker (a full pipe already holds a wakeup);
        // the read end stays blocking, or io_uring would answer the posted read with EAGAIN.
        _ = fcntl(fds[1], F_SETFL, O_NONBLOCK)
        wakePipe = (fds[0], fds[1])
        loopStorage = .allocate(capacity: 1)
        loopStorage.initialize(to: RingLoopState(entries: entries, options: options, batching: batching))
        self.spinning = spinning
        actorExecutor = RingActorExecutor(self)
        sem_init(started, 0, 0)
        let context = Unmanaged.passRetained(self).toOpaque()
        let created = pthread_create(
            &thread, nil,
            { context in
                RingExecutor.threadMain(Unmanaged<RingExecutor>.fromOpaque(context!))
                return nil
            }, context)
        guard created == 0 else {
            Unmanaged<RingExecutor>.fromOpaque(context).release()
            Glibc.close(fds[0])
            Glibc.close(fds[1])
            throw UringError(errno: Errno(rawValue: created), operation: "pthread_create", detail: "the ring thread")
        }
        sem_wait(started)
        if let setupError {
            pthread_join(thread, nil)
            Glibc.close(fds[0])
            Glibc.close(fds[1])
            throw setupError
        }
    }

    /// Runs once the ring thread has exited (it holds a reference until then).
    deinit {
        sem_destroy(started)
        started.deallocate()
        loop.slots.deallocate()
        loop.wakeBuffer.deallocate()
        loopStorage.deinitialize(count: 1)
        loopStorage.deallocate()
    }

    /// The ring thread: sets up the ring, runs the loop, and between idle turns
    /// looks whether anyone but this thread still holds the executor. The
    /// thread's reference is the +1 passed in; the loop borrows it unretained, so
    /// between turns no frame of the thread holds another.
    private static func threadMain(_ executor: Unmanaged<RingExecutor>) {
        defer { executor.release() }
        guard let ring = executor._withUnsafeGuaranteedRef({ $0.startRing() }) else { return }
        while executor._withUnsafeGuaranteedRef({ $0.runLoop() }) == .idle {
            if isOnlyReference(executor) { executor._withUnsafeGuaranteedRef { $0.abandon() } }
        }
        executor._withUnsafeGuaranteedRef { $0.stopRing(ring) }
    }

    /// Whether `executor`'s +1 is the only strong reference left.
    private static func isOnlyReference(_ executor: Unmanaged<RingExecutor>) -> Bool {
        var owned = executor.takeRetainedValue()
        let unique = isKnownUniquelyReferenced(&owned)
        _ = Unmanaged.passRetained(owned)
        return unique
    }

    /// Sets up the ring on the ring thread; nil (with ``setupError`` set) when that fails.
    private func startRing() -> UnsafeMutablePointer<Ring>? {
        ringThread = pthread_self()
        let ring = UnsafeMutablePointer<Ring>.allocate(capacity: 1)
        do {
            ring.initialize(to: try Ring(entries: loop.entries, options: loop.options))
        } catch {
            ring.deallocate()
            setupError = error
            sem_post(started)
            return nil
        }
        loop.ring = ring
        if !ring.pointee.features.contains(.minimumTimeout) { loop.batching = .off }
        batching = loop.batching
        loop.idleSpin = IdleSpin(spinning)
        if loop.idleSpin == nil { spinning = .off }
        submissionEntries = ring.pointee.submissionCapacity
        sem_post(started)
        return ring
    }

    /// Nobody can reach the executor any more: shut it down from the ring thread,
    /// which then cleans up what ``shutdown(timeout:)`` would have.
    private func abandon() {
        inbox.withLock { inbox in
            inbox.abandoned = true
            inbox.shuttingDown = true
        }
    }

    /// Destroys the ring after the loop ended; after an abandonment also detaches
    /// the thread and closes the wake pipe, since nobody will call ``shutdown(timeout:)``.
    private func stopRing(_ ring: UnsafeMutablePointer<Ring>) {
        ring.deinitialize(count: 1)
        ring.deallocate()
        if inbox.withLock({ $0.abandoned }) {
            pthread_detach(pthread_self())
            Glibc.close(wakePipe.read)
            Glibc.close(wakePipe.write)
        }
    }

    /// Whether the caller runs on this executor's ring thread.
    public var isOnRingThread: Bool { pthread_equal(pthread_self(), ringThread) != 0 }

    /// Runs `job` on the ring thread: the `TaskExecutor` entry point, for tasks
    /// that prefer this executor. A job enqueued after ``shutdown(timeout:)`` runs
    /// on the caller's thread, since no ring thread is left to run it.
    public func enqueue(_ job: consuming ExecutorJob) {
        enqueue(RingJob(job: UnownedJob(job), isolated: false))
    }

    /// The executor actors run on: `nonisolated var unownedExecutor: UnownedSerialExecutor
    /// { ringExecutor.asUnownedSerialExecutor() }`. Its jobs run on the ring thread,
    /// isolated to this executor.
    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: actorExecutor)
    }

    /// Traps unless the caller runs on the ring thread (for `assumeIsolated`).
    public func checkIsolated() {
        precondition(isOnRingThread, "not on this RingExecutor's ring thread")
    }

    /// Stops the executor: cancels every operation in flight (`IORING_OP_ASYNC_CANCEL`
    /// with `IORING_ASYNC_CANCEL_ANY`), waits up to `timeout` for their completions,
    /// resumes every waiter exactly once (with `-ECANCELED` if its completion never
    /// came), and joins the ring thread. Idempotent; must not be called on the ring thread.
    public func shutdown(timeout: Duration = .seconds(5)) {
        precondition(!isOnRingThread, "shutdown() from the ring thread would wait for itself")
        var first = false
        post { inbox in
            guard !inbox.shuttingDown else { return }
            inbox.shuttingDown = true
            inbox.shutdownTimeout = timeout
            first = true
        }
        guard first else { return }
        pthread_join(thread, nil)
        Glibc.close(wakePipe.read)
        Glibc.close(wakePipe.write)
    }
}
