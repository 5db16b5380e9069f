import Glibc

/// Wait arguments the kernel reads from registered memory instead of copying
/// them in on every wait: the region of `IORING_REGISTER_MEM_REGION` with
/// `IORING_MEM_REGION_REG_WAIT_ARG` (Linux 6.13).
///
/// Created by ``Ring/registerWaitRegion(slots:)``. Each slot holds one
/// ``RegisteredWait`` (timeout, minimum wait); ``Ring/submit(waitingFor:registeredWait:)``
/// names a slot by index and the kernel reads it where it lies.
///
/// **Ownership**: this object owns the page-aligned memory; the ring keeps it
/// alive for the ring's whole life, because the kernel offers no way to
/// unregister a region. Not thread-safe: use it from the ring's thread.
public final class WaitRegion {
    /// The number of slots.
    public let slots: Int
    let memory: UnsafeMutableRawPointer
    let size: Int

    init(slots: Int) throws(UringError) {
        let operation = RegisterOpcode.registerMemoryRegion.operationName
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let slotSize = MemoryLayout<RegisteredWait>.stride
        guard slots > 0, slots <= Int(UInt32.max) / slotSize else {
            throw UringError(
                errno: .invalidArgument, operation: operation,
                detail: "a wait region needs at least one slot, not \(slots)")
        }
        size = (slots * slotSize + page - 1) / page * page
        self.slots = slots
        memory = try AnonymousMemory.map(size, populate: true, purpose: "the registered wait region")
    }

    deinit { munmap(memory, size) }

    /// The wait argument in slot `index`.
    /// - Throws: ``UringError`` (`EINVAL`) for an index outside `0..<slots`.
    public func wait(at index: Int) throws(UringError) -> RegisteredWait {
        try slot(index).load(as: RegisteredWait.self)
    }

    /// Stores `wait` in slot `index`; the kernel reads it at the next wait that names it.
    /// - Throws: ``UringError`` (`EINVAL`) for an index outside `0..<slots`.
    public func set(_ wait: RegisteredWait, at index: Int) throws(UringError) {
        try slot(index).storeBytes(of: wait, as: RegisteredWait.self)
    }

    /// The byte offset of slot `index`, which io_uring_enter(2) takes in place of a pointer.
    func offset(of index: Int) throws(UringError) -> Int {
        _ = try slot(index)
        return index * MemoryLayout<RegisteredWait>.stride
    }

    private func slot(_ index: Int) throws(UringError) -> UnsafeMutableRawPointer {
        guard index >= 0, index < slots else {
            throw UringError(
                errno: .invalidArgument, operation: "io_uring_enter",
                detail: "wait slot \(index) is outside the registered region's 0..<\(slots)")
        }
        return memory + index * MemoryLayout<RegisteredWait>.stride
    }
}
