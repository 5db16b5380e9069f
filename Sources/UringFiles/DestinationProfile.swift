import SystemPackage
import Uring

/// How writes into a destination behave, and the pipeline setup that suits them.
///
/// Where buffered writes run inline (ext4, xfs, btrfs), both copies of a
/// chunk run on the ring thread at memory speed only while the chunks stay in
/// the CPU cache: the default single-issuer ring with deferred task work and at
/// most 4 MiB in flight. On tmpfs io_uring hands every buffered write to an
/// io-wq worker: a plain ring takes those completions as ordinary task work,
/// 16 MiB in flight keeps the workers fed, and reads sent to the workers too
/// (`IOSQE_ASYNC`) let one worker read and then write each chunk while it is
/// hot in its cache. Measured in docs/BENCHMARKS.md.
struct DestinationProfile {
    /// The ring setup.
    var ringOptions: RingOptions
    /// The most bytes of copied chunks in flight (at least two chunks are).
    var bytesInFlight: Int
    /// Whether reads go to io-wq workers with their writes (`IOSQE_ASYNC`).
    var readsOnWorkers: Bool
    /// The largest chunk ``UringFiles/Mode/auto`` grows a copy's chunks to: 1 MiB where
    /// both copies run on the ring thread (bigger chunks leave the cache), 4 MiB on workers.
    var largestAdaptiveChunk: Int

    /// Inline writes: the default ring, 4 MiB in flight.
    static let inline = DestinationProfile(
        ringOptions: .default, bytesInFlight: 4 << 20, readsOnWorkers: false, largestAdaptiveChunk: 1 << 20)
    /// Writes on io-wq workers: a plain ring, 16 MiB in flight, reads on the workers too.
    static let workerWrites = DestinationProfile(
        ringOptions: .plain, bytesInFlight: 16 << 20, readsOnWorkers: true, largestAdaptiveChunk: 4 << 20)

    /// The profile of the file system that will hold `destination`.
    init(for destination: FilePath) {
        let directory = destination.removingLastComponent()
        let type = TransferFiles.fileSystemType(of: directory.isEmpty ? FilePath(".") : directory)
        self = type == "tmpfs" ? .workerWrites : .inline
    }

    init(ringOptions: RingOptions, bytesInFlight: Int, readsOnWorkers: Bool, largestAdaptiveChunk: Int) {
        self.ringOptions = ringOptions
        self.bytesInFlight = bytesInFlight
        self.readsOnWorkers = readsOnWorkers
        self.largestAdaptiveChunk = largestAdaptiveChunk
    }
}
