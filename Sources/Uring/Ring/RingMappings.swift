import Glibc

/// The shared memory of one ring: the ring header(s) and the entry array,
/// mapped from the ring descriptor with mmap(2) and unmapped exactly once.
struct RingMappings {
    /// The submission ring (and with `IORING_FEAT_SINGLE_MMAP` the completion ring).
    let submissionRing: UnsafeMutableRawPointer
    /// The completion ring; equal to ``submissionRing`` when they share one mapping.
    let completionRing: UnsafeMutableRawPointer
    /// The submission entries.
    let submissionEntries: UnsafeMutableRawPointer
    private let submissionRingSize: Int
    private let completionRingSize: Int
    private let submissionEntriesSize: Int
    private let userMemory: UserRingMemory?

    /// Uses the memory supplied for `IORING_SETUP_NO_MMAP`, where the kernel laid out the rings.
    init(userMemory memory: UserRingMemory) {
        submissionRing = memory.rings
        completionRing = memory.rings
        submissionEntries = memory.entries
        submissionRingSize = 0
        completionRingSize = 0
        submissionEntriesSize = 0
        userMemory = memory
    }

    /// Maps the rings that io_uring_setup(2) described in `parameters`.
    /// - Throws: ``UringError`` for `mmap` when the kernel refuses a mapping.
    init(fd: Int32, parameters p: RingParameters) throws(UringError) {
        let flags = SetupFlags(rawValue: p.flags)
        let completionEntrySize = flags.contains(.cqe32) ? 32 : 16
        let submissionEntrySize = flags.contains(.sqe128) ? 128 : 64
        let completionSize = Int(p.completionOffsets.entries) + Int(p.completionEntries) * completionEntrySize
        let submissionSize =
            flags.contains(.noSubmissionArray)
            ? 0 : Int(p.submissionOffsets.array) + Int(p.submissionEntries) * 4
        let shared = RingFeatures(rawValue: p.features).contains(.singleMmap)

        var mapped: [(UnsafeMutableRawPointer, Int)] = []
        func map(_ size: Int, _ offset: Int) throws(UringError) -> UnsafeMutableRawPointer {
            let address = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, off_t(offset))
            guard let address, address != UnsafeMutableRawPointer(bitPattern: -1) else {
                let error = Glibc.errno
                for (base, length) in mapped { munmap(base, length) }
                throw UringError(
                    errno: .init(rawValue: error), operation: "mmap",
                    detail: "mapping \(size) bytes of the ring at offset 0x\(String(offset, radix: 16)) failed")
            }
            // A forked child must not see the ring: without this it would share the
            // parent's queues and could reap or submit on its behalf.
            madvise(address, size, MADV_DONTFORK)
            mapped.append((address, size))
            return address
        }

        if shared {
            submissionRingSize = max(submissionSize, completionSize)
            completionRingSize = 0
            submissionRing = try map(submissionRingSize, RingMapOffset.submissionRing)
            completionRing = submissionRing
        } else {
            submissionRingSize = max(submissionSize, Int(p.submissionOffsets.flags) + 4)
            completionRingSize = completionSize
            submissionRing = try map(submissionRingSize, RingMapOffset.submissionRing)
            completionRing = try map(completionRingSize, RingMapOffset.completionRing)
        }
        submissionEntriesSize = Int(p.submissionEntries) * submissionEntrySize
        submissionEntries = try map(submissionEntriesSize, RingMapOffset.submissionEntries)
        userMemory = nil
    }

    /// Unmaps everything. Call once, after the last access.
    func unmap() {
        if let userMemory { return userMemory.release() }
        munmap(submissionEntries, submissionEntriesSize)
        if completionRingSize > 0 { munmap(completionRing, completionRingSize) }
        munmap(submissionRing, submissionRingSize)
    }
}
