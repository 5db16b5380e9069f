/// How a ``RingExecutor``'s thread waits for completions when it has nothing to run.
///
/// Each wakeup of a sleeping thread costs a context switch. Under load, waking
/// once for a batch of completions instead of once per completion leaves that
/// time to the work itself: on this project's 2-core test machine, an echo
/// server with two ring threads served about a fifth more messages at 64
/// connections (docs/BENCHMARKS.md). The price is latency: a completion may
/// wait for others to join it, at most ``maximumDelay``.
///
/// ``adaptive`` batches only while at least 16 operations are in flight, and
/// then waits for at most half of them. It asks the kernel for a batch with a
/// minimum wait (`min_wait_usec` of `io_uring_getevents_arg`,
/// `IORING_FEAT_MIN_TIMEOUT`, Linux 6.12): the thread wakes when the batch is
/// complete, or once ``maximumDelay`` has passed and at least one completion is
/// ready. A wait that ends with a partial batch lowers the batch size to what came,
/// so a load that cannot fill batches soon stops paying for them. With fewer
/// operations in flight, or on a kernel without the feature, the thread wakes
/// for every completion, as with ``off``.
///
/// Work handed over from other threads wakes the ring thread through a
/// completion too, so it can also wait up to ``maximumDelay`` while a batch is
/// gathered. Choose ``off`` where every completion must be seen at once.
public struct CompletionBatching: Sendable, Hashable, CustomStringConvertible {
    /// The longest a ready completion waits for a batch to fill; nil when batching is off.
    public let maximumDelay: Duration?

    /// Wake for every completion.
    public static let off = CompletionBatching(maximumDelay: nil)

    /// Batch under load, holding a completion at most 500 µs.
    public static let adaptive = CompletionBatching(maximumDelay: .microseconds(500))

    /// Batch under load, holding a completion at most `maximumDelay`
    /// (whole microseconds, from 1 µs to 1 s).
    public static func adaptive(maximumDelay: Duration) -> CompletionBatching {
        CompletionBatching(maximumDelay: min(max(maximumDelay, .microseconds(1)), .seconds(1)))
    }

    private init(maximumDelay: Duration?) {
        self.maximumDelay = maximumDelay
    }

    /// `off`, or `adaptive(maximumDelay: …)`.
    public var description: String {
        maximumDelay.map { "adaptive(maximumDelay: \($0))" } ?? "off"
    }
}
