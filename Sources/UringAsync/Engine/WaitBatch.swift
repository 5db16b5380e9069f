/// How many completions the ring thread waits for when it sleeps, for
/// ``CompletionBatching/adaptive``.
///
/// With fewer than ``leastInFlight`` operations in flight the answer is one. Above
/// that, it is ``target``, bounded by half of what is in flight. ``target`` starts
/// at one and grows by a quarter after ``spacing`` full batches; a sleep that ends
/// with fewer than it asked for (the kernel's minimum wait ran out) sets it to what
/// did arrive and doubles the spacing, so a load that keeps failing to fill batches
/// tries again only every ``longestSpacing`` sleeps. A growth that held halves the
/// spacing again.
struct WaitBatch {
    /// The fewest operations in flight for which the thread waits for more than one.
    static let leastInFlight = 16
    /// The largest batch waited for.
    static let largestTarget = 32
    /// Full batches between attempts to grow, at first and after growths that held.
    static let shortestSpacing = 4
    /// Full batches between attempts to grow after repeated failures.
    static let longestSpacing = 1024

    /// The batch size reached so far.
    private(set) var target = 1
    /// Full batches since ``target`` last changed.
    private var fullBatches = 0
    /// Full batches needed before ``target`` grows.
    private var spacing = Self.shortestSpacing
    /// Whether ``target`` last changed by growing: when the next growth comes, that one held.
    private var lastChangeGrew = false

    /// The completions to wait for with `inFlight` operations in flight.
    func wanted(inFlight: Int) -> Int {
        inFlight < Self.leastInFlight ? 1 : min(target, inFlight / 2)
    }

    /// Records that a sleep which asked for `asked` completions ended with `ready` ready.
    mutating func record(ready: Int, asked: Int) {
        guard ready >= asked else {
            // A sleep for one that ended empty timed out: it says nothing about batches.
            guard asked > 1 else { return }
            target = max(1, ready)
            spacing = min(spacing * 2, Self.longestSpacing)
            fullBatches = 0
            lastChangeGrew = false
            return
        }
        // A batch capped below the target says nothing about the target.
        guard asked == target else { return }
        fullBatches += 1
        guard fullBatches >= spacing else { return }
        if lastChangeGrew { spacing = max(Self.shortestSpacing, spacing / 2) }
        lastChangeGrew = true
        target = min(Self.largestTarget, target + max(1, target / 4))
        fullBatches = 0
    }
}
