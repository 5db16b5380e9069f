import Glibc
import SystemPackage
import Uring

/// The io_uring pipeline that copies one file: a few chunk slots, each a read
/// and then, when the read completes, the write of the same bytes.
///
/// Measured on Linux 6.18 (docs/BENCHMARKS.md, "Levers"), what makes it faster
/// than a read/write loop:
/// - The write is submitted when its read completes, not linked to it. A linked
///   write runs wherever its read ran, so writes to the one destination ran in
///   several io-wq workers at once and queued on the inode lock; submitted on
///   their own they are hashed to the destination and run one after another
///   (tmpfs: 1,981 against 1,668 MiB/s).
/// - Reads that the source's file system serves inline (`RWF_NOWAIT`: ext4, XFS)
///   run in the ring thread while a worker writes; on tmpfs, which punts every
///   read, reads carry `IOSQE_ASYNC` so a second worker reads while the first writes.
/// - At most two bounded io-wq workers: one reading, one writing.
/// - About 4 MiB in flight in 1 MiB chunks: each chunk is still in the CPU cache
///   when its write copies it (ext4: 4,532 against 3,719 MiB/s with 16 MiB in flight).
/// - A plain ring: workers post completions directly; with `DEFER_TASKRUN` they
///   waited for the ring thread (session 4).
/// - The destination's blocks reserved first where that pays
///   (``FileSystemFacts/preallocationPays(_:)``: ext4 writes ran 1.5–1.8× faster),
///   keeping its size, so a copy that stops early leaves only what was written.
///
/// The sizes a file reports are not trusted alone: after the bytes the source
/// had when the copy started, one read at a time continues until a read returns
/// 0, so a file that grew is copied to the end it has when read, and a pipe, a
/// device or a procfs file (whose size says nothing) is copied whole. A read
/// that returns 0 before the starting size means the source shrank: an error.
/// Short reads and writes are continued; a write of 0 bytes is `ENOSPC`.
///
/// One engine serves many copies (a tree copy reuses it); not thread-safe.
struct RingCopyEngine: ~Copyable {
    private var ring: Ring
    private let arena: UnsafeMutableRawPointer
    private var slots: [Slot]
    private var free: [Int]
    /// Bytes each slot holds.
    let capacity: Int
    /// Slots in flight at most.
    let window: Int

    /// The bytes of chunks in flight the engine aims at.
    static let bytesInFlight = 4 << 20
    /// io-wq workers for bounded work: one reading, one writing.
    static let workers: UInt32 = 2

    private struct Slot {
        var offset = 0
        var length = 0
        var readBytes = 0
        var writtenBytes = 0
        /// A read past the expected size: it ends the copy when it returns 0 and
        /// takes whatever it gets.
        var openEnded = false
    }

    private static let writeBit: UInt64 = 1 << 32
    private static let aloneTag: UInt64 = 1 << 33

    /// Sets up the ring and the chunk memory for `plan`.
    /// - Throws: `UringError` for the ring setup.
    init(plan: TransferPlan) throws {
        capacity = plan.chunks.capacity
        window = min(plan.queueDepth, max(2, Self.bytesInFlight / capacity))
        ring = try Ring(entries: UInt32(min(2 * window + 2, Int(Ring.maximumEntries))), options: .plain)
        _ = try? ring.setWorkerLimits(bounded: Self.workers, unbounded: nil)
        arena = UnsafeMutableRawPointer.allocate(byteCount: window * capacity, alignment: 4096)
        slots = Array(repeating: Slot(), count: window)
        free = Array((0..<window).reversed())
    }

    deinit { arena.deallocate() }

    /// The progress of one copy.
    private struct Run {
        let source: CopySource
        let destination: CopyDestination
        let readFlags: SubmissionFlags
        let slotsInUse: Int
        var next = 0
        var done = 0
        var active = 0
        var endOfFile = false
        var tailInFlight = false
        var failure: UringError?
    }

    /// Copies `source` to `destination` from offset 0 to the source's end.
    /// - Returns: the bytes copied.
    /// - Throws: `UringError`: the first failure, after every request in flight has completed.
    mutating func copy(from source: CopySource, to destination: CopyDestination, plan: TransferPlan) throws -> Int {
        var run = Run(
            source: source, destination: destination, readFlags: source.readsInline ? [] : .async,
            slotsInUse: destination.hasOffsets ? window : 1)
        let reserved = try reserve(source.expectedSize, in: destination)
        start(&run, plan: plan)
        while run.active > 0 {
            try ring.submit(waitingFor: 1)
            while let completion = try ring.nextCompletion() {
                let index = Int(truncatingIfNeeded: completion.userData & 0xFFFF_FFFF)
                if completion.userData & Self.writeBit != 0 {
                    wrote(completion.result, slot: index, &run, plan: plan)
                } else {
                    read(completion.result, slot: index, &run, plan: plan)
                }
            }
            start(&run, plan: plan)
        }
        if let failure = run.failure {
            if reserved { Self.releaseReservation(destination.fd) }
            throw failure
        }
        if plan.sync.atEnd { try sync(destination.fd, plan: plan) }
        return run.done
    }

    /// Reserves `bytes` in a regular destination where that pays (see
    /// ``FileSystemFacts/preallocationPays(_:)``); whether it did. A refusal
    /// (`EOPNOTSUPP`, or `ENOSPC`, which the writes will then report) is not an error.
    /// - Throws: `UringError` only for `io_uring_enter`.
    mutating func reserve(_ bytes: Int, in destination: CopyDestination) throws -> Bool {
        guard destination.hasOffsets, bytes >= FileSystemFacts.smallestPreallocation,
            FileSystemFacts.preallocationPays(destination.fd)
        else { return false }
        let operation = Fallocate(.descriptor(destination.fd), mode: Fallocate.keepSize, length: UInt64(bytes))
        return try runAlone(operation) == 0
    }

    /// Frees blocks reserved past the end of what a failed copy wrote.
    static func releaseReservation(_ fd: FileDescriptor) {
        var status = stat()
        if fstat(fd.rawValue, &status) == 0 { _ = ftruncate(fd.rawValue, status.st_size) }
    }

    /// Starts reads into free slots: chunks of the expected size first, then one
    /// open-ended read at a time until the end of the file.
    private mutating func start(_ run: inout Run, plan: TransferPlan) {
        while run.failure == nil, !run.endOfFile, run.active < run.slotsInUse, let index = free.last {
            let expected = run.source.expectedSize
            var slot = Slot(offset: run.next)
            if run.next < expected {
                do {
                    slot.length = min(try plan.chunks.size(at: run.next, of: expected), expected - run.next)
                } catch {
                    run.failure = error as? UringError
                    return
                }
                run.next += slot.length
            } else if !run.tailInFlight {
                slot.length = capacity
                slot.openEnded = true
                run.tailInFlight = true
            } else {
                return
            }
            free.removeLast()
            slots[index] = slot
            run.active += 1
            pushRead(index, run)
        }
    }

    /// Records a read's result and submits what follows: the write, the rest of
    /// a short read, or the end.
    private mutating func read(_ result: Int32, slot index: Int, _ run: inout Run, plan: TransferPlan) {
        let slot = slots[index]
        if slot.openEnded { run.tailInFlight = false }
        if result < 0 {
            fail(&run, plan.error(negated: result, "the read at offset \(slot.offset + slot.readBytes) failed"))
            return release(index, &run)
        }
        if result == 0 {
            if slot.openEnded {
                run.endOfFile = true
            } else {
                fail(&run, plan.sourceShrank(at: slot.offset + slot.readBytes, expected: run.source.expectedSize))
            }
            return release(index, &run)
        }
        slots[index].readBytes += Int(result)
        if slot.openEnded {
            slots[index].length = slots[index].readBytes
            run.next += Int(result)
        }
        pushWrite(index, run)
    }

    /// Records a write's result and submits what follows: the rest of a short
    /// write, the rest of a short read, or the next chunk.
    private mutating func wrote(_ result: Int32, slot index: Int, _ run: inout Run, plan: TransferPlan) {
        let slot = slots[index]
        let at = slot.offset + slot.writtenBytes
        if result <= 0 {
            let detail = "the write at offset \(at) failed; \(run.done) bytes were fully written before it"
            fail(&run, result < 0 ? plan.error(negated: result, detail) : plan.error(.noSpace, detail + " (0 bytes written)"))
            return release(index, &run)
        }
        slots[index].writtenBytes += Int(result)
        let now = slots[index]
        if now.writtenBytes < now.readBytes { return pushWrite(index, run) }
        if now.readBytes < now.length && run.failure == nil { return pushRead(index, run) }
        run.done += now.length
        if run.failure == nil, let cancel = plan.report(done: run.done, total: run.source.expectedSize) {
            fail(&run, cancel)
        }
        release(index, &run)
    }

    private mutating func fail(_ run: inout Run, _ error: UringError) {
        if run.failure == nil { run.failure = error }
    }

    private mutating func release(_ index: Int, _ run: inout Run) {
        free.append(index)
        run.active -= 1
    }

    /// Reads the unread rest of the slot.
    private mutating func pushRead(_ index: Int, _ run: Run) {
        let slot = slots[index]
        let memory = arena + index * capacity + slot.readBytes
        let offset = run.source.hasOffsets ? UInt64(slot.offset + slot.readBytes) : currentFilePosition
        let target = BufferTarget<KernelWrites>.plain(UnsafeMutableRawBufferPointer(start: memory, count: slot.length - slot.readBytes))
        // SAFETY: `target` is the slot's part of the engine's arena.
        push(Read(.descriptor(run.source.fd), into: target, at: offset), userData: UInt64(index), flags: run.readFlags)
    }

    /// Writes what the slot read and has not written.
    private mutating func pushWrite(_ index: Int, _ run: Run) {
        let slot = slots[index]
        let memory = arena + index * capacity + slot.writtenBytes
        let offset = run.destination.hasOffsets ? UInt64(slot.offset + slot.writtenBytes) : currentFilePosition
        let bytes = UnsafeRawBufferPointer(start: memory, count: slot.readBytes - slot.writtenBytes)
        // SAFETY: `bytes` is the slot's part of the engine's arena.
        push(Write(.descriptor(run.destination.fd), from: bytes, at: offset), userData: UInt64(index) | Self.writeBit, flags: [])
    }

    /// Pushes, submitting what is queued when the ring is full (it holds two
    /// entries per slot, so that happens only if a submit was refused).
    private mutating func push<Operation: RingOperation>(_ operation: Operation, userData: UInt64, flags: SubmissionFlags) {
        // SAFETY: every read and write points into the engine's arena, which the
        // engine frees only after it has reaped every request it pushed.
        while !ring.push(operation, userData: userData, flags: flags) {
            _ = try? ring.submit()
        }
    }

    /// `fsync(2)` of `file` through the ring.
    /// - Throws: `UringError` with the completion's errno.
    mutating func sync(_ file: FileDescriptor, plan: TransferPlan) throws {
        let result = try runAlone(Fsync(.descriptor(file)))
        if result < 0 { throw plan.error(negated: result, "fsync of the destination failed") }
    }

    /// Submits `operation` while nothing else is in flight and waits for its result.
    /// - Throws: `UringError` for `io_uring_enter`.
    private mutating func runAlone<Operation: RingOperation>(_ operation: Operation) throws -> Int32 {
        push(operation, userData: Self.aloneTag, flags: [])
        while true {
            try ring.submit(waitingFor: 1)
            if let completion = try ring.nextCompletion() { return completion.result }
        }
    }
}
