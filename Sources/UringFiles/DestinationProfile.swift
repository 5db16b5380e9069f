import SystemPackage
import Uring

/// How writes into a destination behave, and the pipeline setup that suits them.
///
/// On Linux 6.18 io_uring hands buffered writes to io-wq workers on ext4 as on
/// tmpfs, so both profiles use a plain ring, which takes the workers' completions
/// as ordinary task work: with the single-issuer ring and deferred task work,
/// 1 GiB writes and copies into ext4 ran 1.4× and 2.3× slower. They differ in
/// the reads: on disk file systems reads stay on the ring thread with at most
/// 4 MiB in flight, so each chunk is still in the CPU cache when its write copies
/// it; on tmpfs 16 MiB in flight keeps the workers fed, and reads sent to the
/// workers too (`IOSQE_ASYNC`) let one worker read and then write each chunk
/// while it is hot in its cache. Measured in docs/BENCHMARKS.md.
struct DestinationProfile {
    /// The ring setup.
    var ringOptions: RingOptions
    /// The most bytes of copied chunks in flight (at least two chunks are).
    var bytesInFlight: Int
    /// Whether reads go to io-wq workers with their writes (`IOSQE_ASYNC`).
    var readsOnWorkers: Bool
    /// The largest chunk ``UringFiles/Mode/auto`` grows a copy's chunks to: 1 MiB where
    /// reads run on the ring thread (bigger chunks leave the cache before their write
    /// copies them), 4 MiB where a worker reads and writes each chunk.
    var largestAdaptiveChunk: Int

    /// Disk file systems (reads inline): a plain ring, 4 MiB in flight.
    static let diskFileSystem = DestinationProfile(
        ringOptions: .plain, bytesInFlight: 4 << 20, readsOnWorkers: false, largestAdaptiveChunk: 1 << 20)
    /// tmpfs: a plain ring, 16 MiB in flight, reads on the workers too.
    static let tmpfs = DestinationProfile(
        ringOptions: .plain, bytesInFlight: 16 << 20, readsOnWorkers: true, largestAdaptiveChunk: 4 << 20)

    /// The profile of the file system that will hold `destination`.
    init(for destination: FilePath) {
        let directory = destination.removingLastComponent()
        let type = TransferFiles.fileSystemType(of: directory.isEmpty ? FilePath(".") : directory)
        self = type == "tmpfs" ? .tmpfs : .diskFileSystem
    }

    init(ringOptions: RingOptions, bytesInFlight: Int, readsOnWorkers: Bool, largestAdaptiveChunk: Int) {
        self.ringOptions = ringOptions
        self.bytesInFlight = bytesInFlight
        self.readsOnWorkers = readsOnWorkers
        self.largestAdaptiveChunk = largestAdaptiveChunk
    }
}
