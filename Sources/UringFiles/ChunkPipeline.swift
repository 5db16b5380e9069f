import Glibc
import SystemPackage
import Uring

/// The io_uring engine behind every ``UringFiles`` helper: up to `queueDepth`
/// chunks in flight, each a read linked to the write of the same bytes (or a
/// write alone when the data is generated), in one ring.
///
/// Linking the write to its read keeps each chunk's bytes hot in the CPU cache
/// between the two copies the kernel makes. A short read breaks the link (the
/// write completes with `ECANCELED`); a chunk whose requests have all completed
/// and which is not fully written is resubmitted from where it stopped: the
/// write of what was read, or the read and write of the rest. A read of 0 bytes
/// before the expected end, a write of 0 bytes, or any error stops the pipeline:
/// the requests still in flight are waited for, then the error is thrown.
///
/// A copy keeps at most ``DestinationProfile/bytesInFlight`` bytes in flight
/// (and at least two chunks), below `queueDepth` when the chunks are large.
///
/// One pipeline serves many transfers (``UringFiles/writeManyFiles(in:files:megabytesPerFile:blockSize:queueDepth:fsyncEnd:)``
/// reuses it for each file). Not thread-safe; the memory is freed with it.
struct ChunkPipeline: TransferBackend, ~Copyable {
    private var ring: Ring
    private let arena: UnsafeMutableRawPointer
    /// Bytes each slot may use for one chunk.
    let slotCapacity: Int
    let queueDepth: Int
    /// For generated data: byte `i` of the file is `UInt8(i & 0xFF)`; chunk
    /// memory starts at `pattern + offset % 256`.
    private let pattern: UnsafeMutableRawPointer?
    private var slots: [Slot]
    /// The flags of each read: linked to its write, and with `IOSQE_ASYNC` where the
    /// write runs on an io-wq worker anyway (see ``DestinationProfile``).
    private let readFlags: SubmissionFlags

    private struct Slot {
        var offset = 0
        var length = 0
        var readBytes = 0
        var writtenBytes = 0
        var pending = 0
        var buffer: UnsafeMutableRawPointer
    }

    private static let writeBit: UInt64 = 1 << 32

    /// Sets up the ring and the chunk memory.
    /// - Parameters:
    ///   - queueDepth: chunks in flight, 1 through 4096.
    ///   - slotCapacity: the largest chunk.
    ///   - generated: whether the data is generated (one shared pattern) rather than read.
    ///   - destination: how writes into the destination behave: the ring setup and the bytes in flight.
    /// - Throws: ``UringError`` for invalid sizes or the ring setup.
    init(queueDepth: Int, slotCapacity: Int, generated: Bool, destination: DestinationProfile, operation: String) throws {
        try TransferLimits.validate(queueDepth: queueDepth, slotCapacity: slotCapacity, operation: operation)
        let window = generated ? queueDepth : min(queueDepth, max(2, destination.bytesInFlight / slotCapacity))
        let bytes = generated ? slotCapacity + 256 : window * slotCapacity
        let memory = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 4096)
        let madeRing: Ring
        do {
            madeRing = try Ring(entries: UInt32(min(2 * queueDepth, Int(Ring.maximumEntries))), options: destination.ringOptions)
        } catch {
            memory.deallocate()
            throw error
        }
        if generated { TransferLimits.fillPattern(memory, count: slotCapacity + 256) }
        ring = madeRing
        arena = memory
        pattern = generated ? memory : nil
        self.queueDepth = window
        self.slotCapacity = slotCapacity
        readFlags = destination.readsOnWorkers ? [.link, .async] : .link
        slots = (0..<window).map { Slot(buffer: generated ? memory : memory + $0 * slotCapacity) }
    }

    deinit { arena.deallocate() }

    /// Moves `total` bytes from `source` to `destination` at the same offsets.
    /// - Parameters:
    ///   - chunkSize: the size of the chunk at an offset (already clamped by the caller
    ///     to `1...slotCapacity`).
    ///   - writeFlags: `RWF_*` flags for every write (`RWF_DSYNC`).
    ///   - progress: called after each chunk is fully written; `true` cancels.
    /// - Returns: the bytes written (`total`).
    /// - Throws: ``UringError``: the first failure, after every request in flight has completed.
    mutating func run(
        from source: TransferSource, to destination: FileDescriptor, total: Int, writeFlags: Int32,
        operation: String, chunkSize: (Int) throws -> Int, progress: (Int) -> Bool
    ) throws -> Int {
        var nextOffset = 0
        var done = 0
        var inFlight = 0
        var failure: UringError?

        func start(_ index: Int) throws {
            let length = try chunkSize(nextOffset)
            slots[index].offset = nextOffset
            slots[index].length = min(length, total - nextOffset)
            slots[index].writtenBytes = 0
            if let pattern {
                slots[index].buffer = pattern + nextOffset % 256
                slots[index].readBytes = slots[index].length
            } else {
                slots[index].readBytes = 0
            }
            nextOffset += slots[index].length
            try resubmit(index, source: source, destination: destination, writeFlags: writeFlags)
            inFlight += 1
        }

        do {
            for index in 0..<queueDepth where nextOffset < total { try start(index) }
        } catch let error as UringError {
            failure = error
        }
        while inFlight > 0 {
            try ring.submit(waitingFor: 1)
            while let completion = try ring.nextCompletion() {
                let index = Int(truncatingIfNeeded: completion.userData & 0xFFFF_FFFF)
                let isWrite = completion.userData & Self.writeBit != 0
                slots[index].pending -= 1
                if failure == nil {
                    failure = account(completion, slot: index, isWrite: isWrite, operation: operation, done: done)
                }
                guard slots[index].pending == 0 else { continue }
                if failure != nil || slots[index].writtenBytes == slots[index].length {
                    inFlight -= 1
                    if failure == nil {
                        done += slots[index].length
                        if progress(done) {
                            failure = TransferLimits.cancelled(done: done, total: total, operation: operation)
                        } else if nextOffset < total {
                            do { try start(index) } catch let error as UringError { failure = error }
                        }
                    }
                } else {
                    do {
                        try resubmit(index, source: source, destination: destination, writeFlags: writeFlags)
                    } catch let error as UringError {
                        failure = error
                        inFlight -= 1
                    }
                }
            }
        }
        if let failure { throw failure }
        return done
    }

    /// Records one completion in its slot; the error that stops the pipeline, if any.
    private mutating func account(
        _ completion: Completion, slot index: Int, isWrite: Bool, operation: String, done: Int
    ) -> UringError? {
        let result = Int(completion.result)
        let slot = slots[index]
        if isWrite {
            if result == -Int(ECANCELED) && slot.readBytes < slot.length { return nil }
            if result < 0 {
                return UringError(
                    negatedErrno: completion.result, operation: operation,
                    detail: "the write at offset \(slot.offset + slot.writtenBytes) failed; "
                        + "\(done) bytes were fully written before it")
            }
            if result == 0 {
                return UringError(
                    errno: .noSpace, operation: operation,
                    detail: "a write at offset \(slot.offset + slot.writtenBytes) made no progress; "
                        + "\(done) bytes were fully written before it")
            }
            slots[index].writtenBytes += result
        } else {
            if result < 0 {
                return UringError(
                    negatedErrno: completion.result, operation: operation,
                    detail: "the read at offset \(slot.offset + slot.readBytes) failed")
            }
            if result == 0 {
                return TransferLimits.sourceShrank(at: slot.offset + slot.readBytes, operation: operation)
            }
            slots[index].readBytes += result
        }
        return nil
    }

    /// Submits what the slot still needs: the write of read bytes, or the linked
    /// read and write of the unread rest.
    private mutating func resubmit(_ index: Int, source: TransferSource, destination: FileDescriptor, writeFlags: Int32) throws {
        let slot = slots[index]
        let base = UInt64(slot.offset)
        let tag = UInt64(index)
        if slot.writtenBytes < slot.readBytes {
            try push(
                Write(
                    .descriptor(destination), from: target(slot, slot.writtenBytes..<slot.readBytes),
                    at: base + UInt64(slot.writtenBytes), flags: writeFlags),
                userData: tag | Self.writeBit, flags: [])
            slots[index].pending = 1
        } else if case .file(let input) = source {
            let rest = target(slot, slot.readBytes..<slot.length)
            try push(Read(.descriptor(input), into: rest, at: base + UInt64(slot.readBytes)), userData: tag, flags: readFlags)
            try push(
                Write(.descriptor(destination), from: rest, at: base + UInt64(slot.readBytes), flags: writeFlags),
                userData: tag | Self.writeBit, flags: [])
            slots[index].pending = 2
        }
    }

    private func target(_ slot: Slot, _ range: Range<Int>) -> BufferTarget {
        .plain(UnsafeMutableRawBufferPointer(start: slot.buffer + range.lowerBound, count: range.count))
    }

    /// Pushes, submitting what is queued first when the ring is full.
    /// - Throws: ``UringError`` for `io_uring_enter`.
    private mutating func push<Operation: RingOperation>(
        _ operation: Operation, userData: UInt64, flags: SubmissionFlags
    ) throws {
        while !ring.push(operation, userData: userData, flags: flags) {
            try ring.submit()
        }
    }

    /// `fsync(2)` through the ring.
    /// - Throws: ``UringError`` with the completion's errno.
    mutating func sync(_ file: FileDescriptor, operation: String) throws {
        try push(Fsync(.descriptor(file)), userData: UInt64.max, flags: [])
        try ring.submit(waitingFor: 1)
        guard let completion = try ring.nextCompletion() else { return }
        if completion.result < 0 {
            throw UringError(
                negatedErrno: completion.result, operation: operation, detail: "fsync of the destination failed")
        }
    }
}

