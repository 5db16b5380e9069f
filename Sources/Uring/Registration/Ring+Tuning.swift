import Glibc

extension Ring {
    /// Caps the kernel's io-wq worker threads for this ring and returns the
    /// previous caps: `IORING_REGISTER_IOWQ_MAX_WORKERS` (Linux 5.15).
    ///
    /// liburing's `io_uring_register_iowq_max_workers`. A nil limit leaves that kind unchanged.
    /// - Parameters:
    ///   - bounded: workers for bounded work (regular files, block devices).
    ///   - unbounded: workers for unbounded work (sockets, pipes).
    public func setWorkerLimits(bounded: UInt32?, unbounded: UInt32?) throws(UringError) -> (bounded: UInt32, unbounded: UInt32) {
        var values: (UInt32, UInt32) = (bounded ?? 0, unbounded ?? 0)
        try register(.registerIOWorkQueueMaxWorkers, argument: &values, count: 2)
        return (values.0, values.1)
    }

    /// Pins this ring's io-wq workers to `cpus`: `IORING_REGISTER_IOWQ_AFF` (Linux 5.14).
    ///
    /// liburing's `io_uring_register_iowq_aff`.
    /// - Throws: ``UringError``: `EINVAL` for an empty set or CPUs that do not exist.
    public func setWorkerAffinity(cpus: [Int]) throws(UringError) {
        var mask = [UInt8](repeating: 0, count: 128)
        for cpu in cpus {
            guard cpu >= 0, cpu < mask.count * 8 else {
                throw UringError(
                    errno: .invalidArgument, operation: RegisterOpcode.registerIOWorkQueueAffinity.operationName,
                    detail: "CPU \(cpu) is outside 0..<\(mask.count * 8)")
            }
            mask[cpu / 8] |= 1 << (cpu % 8)
        }
        try mask.withUnsafeBufferPointer { mask throws(UringError) in
            _ = try register(.registerIOWorkQueueAffinity, argument: mask.baseAddress, count: UInt32(mask.count))
        }
    }

    /// Lets io-wq workers run on any CPU again: `IORING_UNREGISTER_IOWQ_AFF` (Linux 5.14).
    ///
    /// liburing's `io_uring_unregister_iowq_aff`.
    public func clearWorkerAffinity() throws(UringError) {
        try register(.unregisterIOWorkQueueAffinity, argument: nil, count: 0)
    }

    /// Turns on NAPI busy polling for this ring's sockets: `IORING_REGISTER_NAPI` (Linux 6.9).
    ///
    /// liburing's `io_uring_register_napi`.
    /// - Returns: the settings in force before.
    @discardableResult
    public func registerNAPI(busyPollTimeout: UInt32, preferBusyPoll: Bool = false) throws(UringError) -> NAPISettings {
        var settings = NAPISettings(busyPollTimeout: busyPollTimeout, preferBusyPoll: preferBusyPoll)
        try register(.registerNAPI, argument: &settings, count: 1)
        return settings
    }

    /// Turns NAPI busy polling off: `IORING_UNREGISTER_NAPI` (Linux 6.9).
    ///
    /// liburing's `io_uring_unregister_napi`.
    /// - Returns: the settings that were in force.
    @discardableResult
    public func unregisterNAPI() throws(UringError) -> NAPISettings {
        var settings = NAPISettings()
        try register(.unregisterNAPI, argument: &settings, count: 1)
        return settings
    }

    /// Chooses the clock for timed waits on this ring: `IORING_REGISTER_CLOCK` (Linux 6.12).
    ///
    /// liburing's `io_uring_register_clock`.
    /// - Parameter clock: `CLOCK_MONOTONIC` or `CLOCK_BOOTTIME`.
    /// - Throws: ``UringError``: `EINVAL` for any other clock.
    public func setWaitClock(_ clock: clockid_t) throws(UringError) {
        var argument: (UInt32, UInt32, UInt32, UInt32) = (UInt32(bitPattern: clock), 0, 0, 0)
        try register(.registerClock, argument: &argument, count: 0)
    }
}
