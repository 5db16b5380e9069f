import Glibc

/// The Swift runtime's own price of one awaited operation, without io_uring:
/// a task executor on one thread whose "operations" are continuations it
/// resumes itself. Tasks that prefer it await exactly as they await a
/// ``RingExecutor`` operation (a cancellation handler around an unsafe
/// continuation), so its rate bounds what one await per operation can reach.
final class SuspensionFloor: TaskExecutor, @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var wake = pthread_cond_t()
    private var incoming: [UnownedJob] = []
    private var stopping = false
    private var thread = pthread_t()
    /// Touched by the loop thread only.
    private var local: [UnownedJob] = []
    private var waiting: [UnsafeContinuation<Void, Never>] = []
    private var resuming: [UnsafeContinuation<Void, Never>] = []

    init() {
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&wake, nil)
        let context = Unmanaged.passRetained(self).toOpaque()
        pthread_create(
            &thread, nil,
            { context in
                Unmanaged<SuspensionFloor>.fromOpaque(context!).takeRetainedValue().run()
                return nil
            }, context)
    }

    deinit {
        pthread_cond_destroy(&wake)
        pthread_mutex_destroy(&mutex)
    }

    private var isOnLoop: Bool { pthread_equal(pthread_self(), thread) != 0 }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        if isOnLoop {
            local.append(job)
            return
        }
        pthread_mutex_lock(&mutex)
        incoming.append(job)
        pthread_cond_signal(&wake)
        pthread_mutex_unlock(&mutex)
    }

    /// One awaited no-op: suspends until the loop resumes it at its next turn.
    nonisolated(nonsending) func operation() async {
        await withTaskCancellationHandler {
            await withUnsafeContinuation { waiting.append($0) }
        } onCancel: {
        }
    }

    /// Stops the loop thread once it has run what it holds.
    func stop() {
        pthread_mutex_lock(&mutex)
        stopping = true
        pthread_cond_signal(&wake)
        pthread_mutex_unlock(&mutex)
        pthread_join(thread, nil)
    }

    private func run() {
        var taken: [UnownedJob] = []
        while true {
            pthread_mutex_lock(&mutex)
            while incoming.isEmpty && local.isEmpty && waiting.isEmpty && !stopping {
                pthread_cond_wait(&wake, &mutex)
            }
            swap(&incoming, &taken)
            let stop = stopping && taken.isEmpty && local.isEmpty && waiting.isEmpty
            pthread_mutex_unlock(&mutex)
            if stop { return }
            taken += local
            local.removeAll(keepingCapacity: true)
            for job in taken { job.runSynchronously(on: asUnownedTaskExecutor()) }
            taken.removeAll(keepingCapacity: true)
            swap(&waiting, &resuming)
            for continuation in resuming { continuation.resume() }
            resuming.removeAll(keepingCapacity: true)
        }
    }
}
