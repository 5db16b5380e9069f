import Glibc

extension Ring {
    /// Registers a region of `slots` wait arguments (`IORING_REGISTER_MEM_REGION`
    /// with `IORING_MEM_REGION_REG_WAIT_ARG`, Linux 6.13; liburing's `io_uring_register_region`).
    ///
    /// The kernel takes the region only while the ring is still disabled: create
    /// the ring with ``SetupFlags/ringDisabled``, register, then ``enable()``.
    /// One region per ring; the ring keeps it for its whole life.
    /// - Returns: the region, whose slots start zeroed (an unbounded wait).
    /// - Throws: ``UringError`` for `IORING_REGISTER_MEM_REGION`: `EINVAL` on an enabled
    ///   ring or for zero slots, `EBUSY` when a region is already registered.
    @discardableResult
    public mutating func registerWaitRegion(slots: Int) throws(UringError) -> WaitRegion {
        let operation = RegisterOpcode.registerMemoryRegion.operationName
        guard waitRegion == nil else {
            throw UringError(
                errno: .resourceBusy, operation: operation,
                detail: "this ring already has a wait region; the kernel allows one and never removes it")
        }
        let region = try WaitRegion(slots: slots)
        var description = RegionDescription(userAddress: .address(region.memory), size: UInt64(region.size))
        let result = withUnsafePointer(to: &description) { descriptionPointer in
            var argument = MemoryRegionRegister(
                region: .address(descriptionPointer), flags: MemoryRegionRegister.waitArguments)
            return rawRegister(RegisterOpcode.registerMemoryRegion.rawValue, &argument, 1)
        }
        guard result >= 0 else {
            let detail =
                -result == EINVAL
                ? "the kernel takes a wait region only while the ring is disabled: create it with "
                    + "IORING_SETUP_R_DISABLED, register, then enable()"
                : nil
            throw UringError(negatedErrno: result, operation: operation, detail: detail)
        }
        waitRegion = region
        return region
    }

    /// Hands every queued entry to the kernel and waits until at least `count`
    /// completions are ready, bounded as slot `slot` of the wait region says
    /// (`IORING_ENTER_EXT_ARG_REG`; liburing's `io_uring_submit_and_wait_reg`).
    ///
    /// A timeout is not an error: compare ``readyCompletions`` with `count`.
    /// - Returns: the number of entries the kernel took.
    /// - Throws: ``UringError``: `EINVAL` when no wait region is registered or the
    ///   slot is out of range; for `io_uring_enter` otherwise.
    @discardableResult
    public mutating func submit(waitingFor count: Int, registeredWait slot: Int) throws(UringError) -> Int {
        guard let waitRegion else {
            throw UringError(
                errno: .invalidArgument, operation: "io_uring_enter",
                detail: "no wait region is registered: call registerWaitRegion(slots:) first")
        }
        let offset = try waitRegion.offset(of: slot)
        return try submitAndWait(UInt32(clamping: max(count, 0)), limit: .registered(offset: offset))
    }
}
