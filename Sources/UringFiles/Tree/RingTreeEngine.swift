import Glibc
import SystemPackage
import Uring

/// A tree copy through one ring: statuses and directories in batches, then many
/// files in flight.
///
/// A regular file starts with one linked chain: open the source into a slot of a
/// registered file table (in the ring thread, without a path walk that blocks),
/// open the destination (linked behind the source, so an unreadable source never
/// truncates an existing destination), and read. The read asks for one byte more
/// than the file's size, so a file that did not grow shows its end in that read,
/// and a small file is then one write and two closes. A larger one reads and
/// writes a chunk at a time until a read shows the end, its blocks reserved first
/// where that pays. The destination is a plain descriptor: an io-wq worker
/// installs it without the ring's lock, which the ring thread holds while it
/// submits (with a direct descriptor, workers waited on that lock). Closes run in
/// the ring thread for the same reason. A link is one `symlinkat`; a special file is made
/// with mknod(2) on the calling thread. In ``UringFiles/Mode/auto``, where the
/// destination's file system can share blocks (checked once, on a probe file),
/// files are reflinked with `FICLONE` on the calling thread instead.
struct RingTreeEngine: TreeEngine, ~Copyable {
    var ring: Ring
    private let arena: UnsafeMutableRawPointer
    let statuses: UnsafeMutablePointer<FileStatus>
    private var slots: [Slot]
    var free: [Int]
    let chunk: Int
    let filesInFlight: Int
    /// Whether reads go to io-wq workers (`IOSQE_ASYNC`); probed on the first file.
    var readFlags: SubmissionFlags = []
    /// Whether destinations get their blocks reserved; probed on the destination.
    var reserves = false

    /// What a request in flight is for.
    enum Step: UInt64 {
        case openSource = 1
        case openDestination, reserve, read, write, sync, closeSource, closeDestination, link, unlink
    }

    /// One entry in flight.
    private struct Slot {
        var entry = -1
        /// The first chain (opens and the first read) has completed, and with it the
        /// decision to reserve the destination.
        var opened = false
        var pending = 0
        var sourceOpen = false
        /// The destination's descriptor (a plain one: a worker installs it without
        /// the ring's lock), or -1.
        var destination: Int32 = -1
        /// Whether this copy created or truncated the destination.
        var destinationTouched = false
        /// Bytes fully written.
        var offset = 0
        /// The current chunk: bytes asked, read and written.
        var asked = 0
        var got = 0
        var written = 0
        /// The last read showed the end of the file.
        var ended = false
        var skipped = false
        /// A link that existed was removed to be made again.
        var relinked = false
        /// The destination's fsync was submitted.
        var synced = false
        var failure: UringError?
    }

    /// Sets up a ring for `filesInFlight` entries in flight with chunks of `plan`'s block size.
    /// - Throws: `UringError` for the ring setup.
    init(plan: TransferPlan, filesInFlight: Int) throws {
        self.filesInFlight = filesInFlight
        chunk = plan.chunks.capacity
        let made = try Ring(entries: UInt32(4 * filesInFlight + 8), options: .plain)
        _ = try? made.setWorkerLimits(bounded: UInt32(2 * RingWriteEngine.processors), unbounded: nil)
        try made.registerSparseFiles(count: UInt32(filesInFlight))
        ring = made
        arena = UnsafeMutableRawPointer.allocate(byteCount: filesInFlight * chunk, alignment: 4096)
        statuses = .allocate(capacity: filesInFlight)
        statuses.initialize(repeating: FileStatus(), count: filesInFlight)
        slots = Array(repeating: Slot(), count: filesInFlight)
        free = Array((0..<filesInFlight).reversed())
    }

    deinit {
        arena.deallocate()
        statuses.deallocate()
    }

    // MARK: Files, links and special files in flight

    mutating func copy(_ entries: [Int], in tree: inout Tree, copier: TreeCopier) throws {
        let reflinks = probe(entries, in: tree, copier: copier)
        var large: [Int] = []
        var next = 0
        var active = 0
        while true {
            while !copier.cancelled, next < entries.count, let slot = free.popLast() {
                let index = entries[next]
                next += 1
                if reflinks && tree.entries[index].kind == .regular && reflink(index, in: &tree, copier: copier) {
                    free.append(slot)
                    continue
                }
                if tree.entries[index].kind == .regular && tree.entries[index].status.size >= Self.largeFile {
                    large.append(index)
                    free.append(slot)
                    continue
                }
                slots[slot] = Slot(entry: index)
                if start(slot, in: &tree, copier: copier) { active += 1 } else { free.append(slot) }
            }
            guard active > 0 else { break }
            try ring.submit(waitingFor: 1)
            while let completion = try ring.nextCompletion() {
                let slot = Int(truncatingIfNeeded: completion.userData & 0xFFFF_FFFF)
                let step = Step(rawValue: completion.userData >> 32) ?? .read
                slots[slot].pending -= 1
                if advance(slot, after: step, result: completion.result, in: &tree, copier: copier) {
                    free.append(slot)
                    active -= 1
                }
            }
        }
        try copyLarge(large, in: &tree, copier: copier)
    }

    /// Starts the entry `slot` holds; false when it finished at once (a special file).
    private mutating func start(_ slot: Int, in tree: inout Tree, copier: TreeCopier) -> Bool {
        let index = slots[slot].entry
        let entry = tree.entries[index]
        switch entry.kind {
        case .regular:
            let mode = copier.creationMode(index, in: tree).mode
            let replace = copier.options.noClobber ? O_EXCL : O_TRUNC
            // SAFETY: tree paths live in the tree's arena until the copy ends, after every request was reaped.
            push(OpenAt(entry.source, flags: O_RDONLY, slot: .at(sourceSlot(slot))), slot: slot, .openSource, flags: .link)
            push(
                OpenAt(entry.destination, flags: O_WRONLY | O_CREAT | replace | O_CLOEXEC, mode: mode),
                slot: slot, .openDestination, flags: .link)
            pushRead(slot, in: tree)
            return true
        case .symlink:
            push(SymlinkAt(to: entry.linkTarget!, at: entry.destination), slot: slot, .link)
            return true
        case .special:
            copier.makeSpecial(index, in: &tree)
            return false
        case .directory, .unknown:
            return false
        }
    }

    /// Records a completion of `step` for the entry `slot` holds and, when nothing of
    /// it is in flight any more, submits what follows; true when the entry is done.
    private mutating func advance(
        _ slot: Int, after step: Step, result: Int32, in tree: inout Tree, copier: TreeCopier
    ) -> Bool {
        let index = slots[slot].entry
        let plan = copier.plan
        switch step {
        case .openSource:
            if result >= 0 {
                slots[slot].sourceOpen = true
            } else {
                fail(slot, plan.error(negated: result, "opening \(tree.sourcePath(index)) failed"))
            }
        case .openDestination:
            if result >= 0 {
                slots[slot].destination = result
                slots[slot].destinationTouched = true
            } else if result == -EEXIST && copier.options.noClobber {
                slots[slot].skipped = true
            } else if result != -ECANCELED {
                fail(slot, plan.error(negated: result, "creating \(tree.destinationPath(index)) failed"))
            }
        case .reserve:
            break
        case .sync:
            if result < 0 { fail(slot, plan.error(negated: result, "fsync of \(tree.destinationPath(index)) failed")) }
        case .read:
            read(slot, result: result, in: tree, plan: plan)
        case .write:
            wrote(slot, result: result, in: tree, copier: copier)
        case .closeSource:
            slots[slot].sourceOpen = false
        case .closeDestination:
            slots[slot].destination = -1
            if result < 0 { fail(slot, plan.error(negated: result, "closing \(tree.destinationPath(index)) failed")) }
        case .link, .unlink:
            return linked(slot, step, result: result, in: &tree, copier: copier)
        }
        guard slots[slot].pending == 0 else { return false }
        return proceed(slot, in: &tree, copier: copier)
    }

    /// Records a read: the bytes got, whether they end the file, or why the file failed.
    private mutating func read(_ slot: Int, result: Int32, in tree: Tree, plan: TransferPlan) {
        let state = slots[slot]
        let index = state.entry
        let expected = tree.entries[index].status.size
        if result == -ECANCELED && state.failure != nil || state.skipped { return }
        if result < 0 {
            fail(slot, plan.error(negated: result, "the read at offset \(state.offset) of \(tree.sourcePath(index)) failed"))
        } else if result == 0 {
            if state.offset < expected {
                fail(slot, plan.sourceShrank(at: state.offset, expected: expected))
            } else {
                slots[slot].ended = true
            }
        } else {
            slots[slot].got = Int(result)
            slots[slot].written = 0
            slots[slot].ended = Int(result) < state.asked && state.offset + Int(result) >= expected
        }
    }

    /// Records a write; the rest of a short one follows.
    private mutating func wrote(_ slot: Int, result: Int32, in tree: Tree, copier: TreeCopier) {
        let state = slots[slot]
        let index = state.entry
        let at = state.offset + state.written
        if result <= 0 {
            let detail = "the write at offset \(at) of \(tree.destinationPath(index)) failed"
            fail(slot, result < 0 ? copier.plan.error(negated: result, detail) : copier.plan.error(.noSpace, detail + " (0 bytes written)"))
            return
        }
        slots[slot].written += Int(result)
        guard slots[slot].written == state.got else { return }
        slots[slot].offset += state.got
        slots[slot].got = 0
        slots[slot].written = 0
        copier.wrote(state.got)
    }

    /// With nothing of the entry `slot` holds in flight: the next chain, or the end.
    private mutating func proceed(_ slot: Int, in tree: inout Tree, copier: TreeCopier) -> Bool {
        let state = slots[slot]
        if state.failure == nil && !state.skipped && state.ended && state.got == 0 && copier.plan.sync.atEnd
            && !state.synced && state.destination >= 0
        {
            slots[slot].synced = true
            push(Fsync(.descriptor(destinationFD(slot))), slot: slot, .sync)
            return false
        }
        if state.failure != nil || state.skipped || state.ended && state.got == 0 {
            return closeOpenEnds(slot, in: &tree, copier: copier)
        }
        slots[slot].opened = true
        if !state.opened && reserves && tree.entries[state.entry].status.size >= FileSystemFacts.smallestPreallocation {
            let size = UInt64(tree.entries[state.entry].status.size)
            push(Fallocate(.descriptor(destinationFD(slot)), mode: Fallocate.keepSize, length: size), slot: slot, .reserve)
        } else if state.got > state.written {
            pushWrite(slot)
        } else {
            pushRead(slot, in: tree)
        }
        return false
    }

    /// Closes whichever ends of the entry `slot` holds are open, or, with both
    /// closed, finishes it; true when it is done.
    private mutating func closeOpenEnds(_ slot: Int, in tree: inout Tree, copier: TreeCopier) -> Bool {
        let source = slots[slot].sourceOpen
        let destination = slots[slot].destination
        guard source || destination >= 0 else { return finish(slot, in: &tree, copier: copier) }
        if source { push(Close(.fixed(sourceSlot(slot))), slot: slot, .closeSource) }
        if destination >= 0 { push(Close(.descriptor(FileDescriptor(rawValue: destination))), slot: slot, .closeDestination) }
        return false
    }

    /// Ends the entry `slot` holds: counted as copied or skipped, or its failure
    /// recorded and a destination it touched removed.
    private mutating func finish(_ slot: Int, in tree: inout Tree, copier: TreeCopier) -> Bool {
        let state = slots[slot]
        let index = state.entry
        var failure = state.failure
        if failure == nil && !state.skipped { failure = copier.finishFile(index, in: tree) }
        if let failure {
            tree.fail(index, failure)
            if state.destinationTouched { unlink(tree.entries[index].destination) }
        } else if state.skipped {
            copier.skipped(index)
        } else {
            copier.fileCopied(index, bytes: state.offset, reflinked: false)
        }
        return true
    }

    /// Records a link request; true when the link is done.
    private mutating func linked(_ slot: Int, _ step: Step, result: Int32, in tree: inout Tree, copier: TreeCopier)
        -> Bool
    {
        let index = slots[slot].entry
        let entry = tree.entries[index]
        if step == .link && result == 0 {
            copier.linkCreated(index, in: &tree)
        } else if step == .link && result == -EEXIST && copier.options.noClobber {
            copier.skipped(index)
        } else if step == .link && result == -EEXIST && !slots[slot].relinked {
            slots[slot].relinked = true
            // SAFETY: the path lives in the tree's arena until the copy ends.
            push(UnlinkAt(entry.destination), slot: slot, .unlink)
            return false
        } else if step == .unlink && result == 0 {
            push(SymlinkAt(to: entry.linkTarget!, at: entry.destination), slot: slot, .link)
            return false
        } else {
            let failure = result == 0 ? -EEXIST : result
            tree.fail(index, copier.plan.error(negated: failure, "creating the link \(tree.destinationPath(index)) failed"))
        }
        return true
    }

    private mutating func fail(_ slot: Int, _ error: UringError) {
        if slots[slot].failure == nil { slots[slot].failure = error }
    }

    private func sourceSlot(_ slot: Int) -> UInt32 { UInt32(slot) }
    private func destinationFD(_ slot: Int) -> FileDescriptor { FileDescriptor(rawValue: slots[slot].destination) }

    /// Reads the file's next chunk: up to one byte past its expected end, so a file
    /// that did not grow shows its end in the same read.
    private mutating func pushRead(_ slot: Int, in tree: Tree) {
        let state = slots[slot]
        let left = tree.entries[state.entry].status.size - state.offset
        let asked = left <= 0 ? chunk : left < chunk ? left + 1 : chunk
        slots[slot].asked = asked
        let buffer = UnsafeMutableRawBufferPointer(start: arena + slot * chunk, count: asked)
        // SAFETY: `buffer` is the slot's part of the engine's arena, freed after the last request.
        push(Read(.fixed(sourceSlot(slot)), into: buffer, at: UInt64(state.offset)), slot: slot, .read, flags: readFlags)
    }

    /// Writes what the chunk read and has not written.
    private mutating func pushWrite(_ slot: Int) {
        let state = slots[slot]
        let bytes = UnsafeRawBufferPointer(start: arena + slot * chunk + state.written, count: state.got - state.written)
        // SAFETY: as for the read: the bytes are in the engine's arena.
        let write = Write(.descriptor(destinationFD(slot)), from: bytes, at: UInt64(state.offset + state.written))
        push(write, slot: slot, .write)
    }

    /// Pushes a request of `slot`; the ring holds four per slot, so it never fills
    /// unless a submit was refused, and then the next submit makes room.
    mutating func push<Operation: RingOperation>(
        _ operation: Operation, slot: Int, _ step: Step, flags: SubmissionFlags = []
    ) {
        slots[slot].pending += 1
        // SAFETY: paths live in the tree's arena and buffers in the engine's, both
        // until the engine ends; the engine drains every pending request first.
        while !ring.push(operation, userData: UInt64(slot) | step.rawValue << 32, flags: flags) {
            _ = try? ring.submit()
        }
    }
}
