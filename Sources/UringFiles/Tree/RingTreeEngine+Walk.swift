import Glibc
import SystemPackage
import Uring

/// The batches of a tree copy: reading every entry's status while directories are
/// listed, and making directories, one request per entry.
extension RingTreeEngine {
    /// Lists directories on the calling thread while the workers read the statuses
    /// of what was listed before: a statx per entry, up to one per slot in flight,
    /// waiting only when every slot is busy or nothing is left to list.
    mutating func walk(_ tree: inout Tree, plan: TransferPlan) throws {
        var owner = [Int](repeating: -1, count: filesInFlight)
        var active = 0
        func reap(_ engine: inout RingTreeEngine, _ tree: inout Tree, waiting: Bool) throws {
            try engine.ring.submit(waitingFor: waiting ? 1 : 0)
            while let completion = try engine.ring.nextCompletion() {
                let slot = Int(truncatingIfNeeded: completion.userData & 0xFFFF_FFFF)
                let index = owner[slot]
                if completion.result < 0 {
                    tree.fail(index, plan.error(negated: completion.result, "reading \(tree.sourcePath(index)) failed"))
                } else {
                    tree.record(EntryStatus(engine.statuses[slot]), for: index)
                }
                engine.free.append(slot)
                active -= 1
            }
        }
        while true {
            if let directory = tree.nextDirectory() {
                for index in tree.list(directory, operation: plan.operation) {
                    while free.isEmpty { try reap(&self, &tree, waiting: true) }
                    let slot = free.removeLast()
                    owner[slot] = index
                    active += 1
                    // SAFETY: the path is in the tree's arena and the status slot in `statuses`, both alive until the walk has reaped this request.
                    let request = Statx(tree.entries[index].source, flags: AT_SYMLINK_NOFOLLOW, into: statuses + slot)
                    push(request, slot: slot, .read)
                }
                try reap(&self, &tree, waiting: false)
            } else if active > 0 {
                try reap(&self, &tree, waiting: true)
            } else {
                return
            }
        }
    }

    mutating func makeDirectories(_ entries: [Int], in tree: inout Tree, plan: TransferPlan) throws -> [Int] {
        var created: [Int] = []
        try batch(entries, in: &tree) { engine, index, slot, tree in
            // SAFETY: the path lives in the tree's arena.
            engine.push(MkdirAt(tree.entries[index].destination, mode: 0o700), slot: slot, .write)
        } completed: { _, index, _, result, tree in
            if result == 0 {
                created.append(index)
            } else if result != -EEXIST || !TreeDirectories.isDirectory(tree.entries[index].destination) {
                tree.fail(index, TreeDirectories.creationError(-result, index, in: tree, plan: plan))
            }
        }
        return created
    }

    /// Runs one request per entry, up to one per slot in flight.
    private mutating func batch(
        _ entries: [Int], in tree: inout Tree,
        start: (inout RingTreeEngine, Int, Int, inout Tree) -> Void,
        completed: (inout RingTreeEngine, Int, Int, Int32, inout Tree) -> Void
    ) throws {
        var next = 0
        var owner = [Int](repeating: -1, count: filesInFlight)
        var active = 0
        while next < entries.count || active > 0 {
            while next < entries.count, let slot = free.popLast() {
                owner[slot] = entries[next]
                start(&self, entries[next], slot, &tree)
                next += 1
                active += 1
            }
            try ring.submit(waitingFor: 1)
            while let completion = try ring.nextCompletion() {
                let slot = Int(truncatingIfNeeded: completion.userData & 0xFFFF_FFFF)
                completed(&self, owner[slot], slot, completion.result, &tree)
                free.append(slot)
                active -= 1
            }
        }
    }
}
