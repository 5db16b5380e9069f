/// The provided-buffer group ids one executor's streams hold. A stream takes a
/// free id and gives it back once its ring is unregistered, so a long-running
/// server never hands out an id that is still registered.
struct BufferGroupIDs {
    /// The lowest id never handed out (up to 65,536: every id is in use).
    private var fresh: UInt32 = 0
    /// Ids given back, reused first.
    private var free: [UInt16] = []

    /// A free id, nil when all 65,536 are held.
    mutating func take() -> UInt16? {
        if let id = free.popLast() { return id }
        guard fresh <= UInt32(UInt16.max) else { return nil }
        defer { fresh += 1 }
        return UInt16(fresh)
    }

    /// Returns `id`, whose ring is no longer registered.
    mutating func giveBack(_ id: UInt16) {
        free.append(id)
    }

    /// How many ids streams hold now.
    var inUse: Int { Int(fresh) - free.count }
}

extension RingExecutor {
    /// How many provided-buffer groups this executor's streams hold now: each
    /// running receive stream holds one until its ring is unregistered.
    package var bufferGroupsInUse: Int { bufferGroups.withLock { $0.inUse } }
}
