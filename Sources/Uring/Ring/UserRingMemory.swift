import Glibc

/// Ring memory the application supplies for `IORING_SETUP_NO_MMAP` (Linux 6.5).
///
/// The kernel pins these pages at setup and lays the rings out inside them;
/// the sizes are upper bounds computed from the entry counts the kernel will
/// choose (powers of two, clamped, the completion ring twice the submission
/// ring unless `CQSIZE` says otherwise).
struct UserRingMemory {
    /// The rings: headers, completion entries and the index array.
    let rings: UnsafeMutableRawPointer
    /// The submission entries.
    let entries: UnsafeMutableRawPointer
    let ringsSize: Int
    let entriesSize: Int

    /// Room for the ring headers (`struct io_rings` with its cache-line-aligned fields).
    static let headerAllowance = 4096

    /// Allocates page-aligned anonymous memory large enough for these options.
    /// - Throws: ``UringError`` for `mmap`.
    init(entries requested: UInt32, flags: SetupFlags, completionEntries: UInt32?) throws(UringError) {
        let clamp = flags.contains(.clamp)
        let submissionCount = Self.roundedCount(requested, limit: Ring.maximumEntries, clamp: clamp)
        let completionCount =
            flags.contains(.completionQueueSize)
            ? Self.roundedCount(completionEntries ?? 0, limit: Ring.maximumCompletionEntries, clamp: clamp)
            : 2 * submissionCount
        let completionSize = flags.contains(.cqe32) ? 32 : 16
        let submissionSize = flags.contains(.sqe128) ? 128 : 64
        let arraySize = flags.contains(.noSubmissionArray) ? 0 : submissionCount * 4 + 64
        ringsSize = Self.pageAligned(Self.headerAllowance + completionCount * completionSize + arraySize)
        entriesSize = Self.pageAligned(submissionCount * submissionSize)
        rings = try Self.allocate(ringsSize)
        do {
            entries = try Self.allocate(entriesSize)
        } catch {
            munmap(rings, ringsSize)
            throw error
        }
    }

    /// Frees both regions; the kernel keeps its own page references while it needs them.
    func release() {
        munmap(rings, ringsSize)
        munmap(entries, entriesSize)
    }

    private static func roundedCount(_ value: UInt32, limit: UInt32, clamp: Bool) -> Int {
        let bounded = clamp ? min(value, limit) : value
        var count = 1
        while count < Int(bounded) { count <<= 1 }
        return count
    }

    private static func pageAligned(_ size: Int) -> Int {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        return (size + page - 1) / page * page
    }

    private static func allocate(_ size: Int) throws(UringError) -> UnsafeMutableRawPointer {
        let memory = try AnonymousMemory.map(size, populate: true, purpose: "ring memory for IORING_SETUP_NO_MMAP")
        madvise(memory, size, MADV_DONTFORK)
        return memory
    }
}
