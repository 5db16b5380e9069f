import Uring

/// The ring thread's polling before it sleeps, for ``IdleSpinning/adaptive``.
///
/// The runnable threads are read every ``samplingInterval`` sleeps, before the
/// thread submits (so a peer its submission wakes is not counted yet), into a
/// moving average; the thread polls while that average leaves half a CPU or more
/// idle. A single reading says little (the other threads come and go), the
/// average tells a thread alone on its CPU from one that shares the machine.
struct IdleSpin {
    /// Sleeps between two readings of the runnable threads.
    static let samplingInterval = 4
    /// The most operations in flight for which the thread polls.
    static let mostInFlight = WaitBatch.leastInFlight - 1
    /// Fixed-point scale of ``averageRunnable``.
    static let scale = 16

    /// The longest one poll lasts.
    let limit: Duration
    private let runnable: RunnableThreads
    /// Sleeps until the next reading.
    private var untilSample = 0
    /// The runnable threads on average (each reading weighs a quarter), times ``scale``.
    private var averageRunnable: Int

    /// A poller, or nil where spinning is off or `/proc/loadavg` cannot be read.
    init?(_ spinning: IdleSpinning) {
        guard let limit = spinning.limit, let runnable = RunnableThreads() else { return nil }
        self.limit = limit
        self.runnable = runnable
        averageRunnable = runnable.processors * Self.scale
    }

    /// When the load is light and a CPU is spare, submits what is queued and
    /// polls the ring for completions for at most ``limit``.
    /// - Returns: whether completions are ready.
    mutating func poll(_ ring: UnsafeMutablePointer<Ring>, inFlight: Int) -> Bool {
        guard inFlight <= Self.mostInFlight, isCPUSpare() else { return false }
        _ = try? ring.pointee.submit()
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        repeat {
            if ((try? ring.pointee.pollCompletions()) ?? 0) > 0 { return true }
        } while clock.now < deadline
        return false
    }

    /// Whether the runnable threads leave half a CPU or more idle, on average.
    private mutating func isCPUSpare() -> Bool {
        if untilSample == 0 {
            untilSample = Self.samplingInterval
            let reading = (runnable.count() ?? runnable.processors) * Self.scale
            averageRunnable += (reading - averageRunnable) / 4
        }
        untilSample -= 1
        return averageRunnable <= runnable.processors * Self.scale - Self.scale / 2
    }
}
