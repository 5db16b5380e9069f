import SystemPackage
import Synchronization

extension Ring {
    /// `IORING_CQ_EVENTFD_DISABLED`: the completion-ring flag that pauses eventfd signals.
    static let eventFDDisabledFlag: UInt32 = 1 << 0

    /// Signals `eventFD` whenever a completion is posted: `IORING_REGISTER_EVENTFD`
    /// (Linux 5.2), or with `onlyAsync` only for completions that did not finish
    /// inline (`IORING_REGISTER_EVENTFD_ASYNC`, Linux 5.6).
    ///
    /// liburing's `io_uring_register_eventfd` and `io_uring_register_eventfd_async`.
    /// - Throws: ``UringError``: `EBUSY` when an eventfd is already registered.
    public func registerEventFD(_ eventFD: FileDescriptor, onlyAsync: Bool = false) throws(UringError) {
        var fd = eventFD.rawValue
        try register(onlyAsync ? .registerEventFDAsync : .registerEventFD, argument: &fd, count: 1)
    }

    /// Stops signalling the registered eventfd: `IORING_UNREGISTER_EVENTFD` (Linux 5.2).
    ///
    /// liburing's `io_uring_unregister_eventfd`.
    /// - Throws: ``UringError``: `ENXIO` when none is registered.
    public func unregisterEventFD() throws(UringError) {
        try register(.unregisterEventFD, argument: nil, count: 0)
    }

    /// Whether the registered eventfd is signalled: the inverse of the
    /// completion ring's `IORING_CQ_EVENTFD_DISABLED` flag (Linux 5.8).
    ///
    /// liburing's `io_uring_cq_eventfd_enabled` and `io_uring_cq_eventfd_toggle`.
    public var eventFDNotificationsEnabled: Bool {
        get { completionQueue.kernelFlags.pointee.load(ordering: .relaxed) & Ring.eventFDDisabledFlag == 0 }
        nonmutating set {
            let flags = completionQueue.kernelFlags.pointee.load(ordering: .relaxed)
            let updated = newValue ? flags & ~Ring.eventFDDisabledFlag : flags | Ring.eventFDDisabledFlag
            completionQueue.kernelFlags.pointee.store(updated, ordering: .relaxed)
        }
    }
}
