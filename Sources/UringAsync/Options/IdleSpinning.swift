/// Whether a ``RingExecutor``'s thread polls the completion ring for a while
/// before it sleeps, when it has nothing to run.
///
/// A sleeping thread pays a wakeup for its next completion: on a virtual
/// machine that is tens of microseconds, most of a loopback round trip. A
/// thread that polls instead sees the completion as soon as it is posted: on
/// this project's 2-core test machine an echo server answered one connection
/// about three times as fast (docs/BENCHMARKS.md). The price is CPU time, so
/// ``adaptive`` polls only when it cannot take a CPU another thread needs:
///
/// - only while fewer than 16 operations are in flight (more is load, which
///   ``CompletionBatching`` serves better);
/// - only while the system's runnable threads (`/proc/loadavg`, read every
///   fourth sleep before the thread submits, averaged over the last readings)
///   leave half a CPU or more idle; a single-CPU machine never polls;
/// - at most ``limit`` each time, then it sleeps as usual.
///
/// The average can be wrong: with two ring threads and a load generator on two
/// CPUs, 4 connections ran 7 % slower than with ``off``, while 1 connection ran
/// three times as fast. Choose ``off`` where CPU time matters more than latency.
///
/// While it polls, work handed over from other threads reaches it as it would
/// reach a sleeping thread (a completion on its wake pipe).
public struct IdleSpinning: Sendable, Hashable, CustomStringConvertible {
    /// The longest one poll lasts before the thread sleeps; nil when polling is off.
    public let limit: Duration?

    /// Sleep at once.
    public static let off = IdleSpinning(limit: nil)

    /// Poll for at most 50 µs where a CPU is spare and the load is light.
    public static let adaptive = IdleSpinning(limit: .microseconds(50))

    /// Poll for at most `limit` (from 1 µs to 10 ms) where a CPU is spare and the load is light.
    public static func adaptive(limit: Duration) -> IdleSpinning {
        IdleSpinning(limit: min(max(limit, .microseconds(1)), .milliseconds(10)))
    }

    private init(limit: Duration?) {
        self.limit = limit
    }

    /// `off`, or `adaptive(limit: …)`.
    public var description: String {
        limit.map { "adaptive(limit: \($0))" } ?? "off"
    }
}
