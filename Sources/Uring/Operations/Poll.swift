/// Waits until a file is ready: `IORING_OP_POLL_ADD`, like poll(2) on one file
/// (Linux 5.1); with `multishot`, keeps reporting readiness (Linux 5.13).
///
/// Completes with the ready `POLL*` mask. A multishot poll posts completions with
/// ``Completion/hasMore`` until it is removed or fails.
public struct PollAdd: RingOperation {
    /// `IORING_OP_POLL_ADD`.
    public var opcode: Opcode { .pollAdd }
    /// `IORING_POLL_ADD_MULTI`.
    public static let multishotFlag: UInt32 = 1 << 0
    /// The file to watch.
    public var file: FileTarget
    /// `POLLIN`, `POLLOUT` and the other poll bits.
    public var events: UInt32
    /// Keep the poll armed after each event.
    public var multishot: Bool

    /// A poll of `file` for `events`.
    @inlinable
    public init(_ file: FileTarget, events: UInt32, multishot: Bool = false) {
        self.file = file
        self.events = events
        self.multishot = multishot
    }

    /// Writes the file, `poll32_events` and `IORING_POLL_ADD_MULTI` in `len`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        file.apply(to: &entry)
        entry.operationFlags = events
        entry.length = multishot ? PollAdd.multishotFlag : 0
    }
}

/// Removes a poll, or changes its events or user data: `IORING_OP_POLL_REMOVE`
/// (Linux 5.1; update Linux 5.13).
///
/// Completes with 0, or `-ENOENT` when no poll had that user data. A removed
/// poll completes with `-ECANCELED`.
public struct PollRemove: RingOperation {
    /// `IORING_OP_POLL_REMOVE`.
    public var opcode: Opcode { .pollRemove }
    /// `IORING_POLL_UPDATE_EVENTS`.
    public static let updateEvents: UInt32 = 1 << 1
    /// `IORING_POLL_UPDATE_USER_DATA`.
    public static let updateUserData: UInt32 = 1 << 2
    /// The user data of the poll to act on.
    public var target: UInt64
    /// New events, when updating them.
    public var newEvents: UInt32?
    /// New user data, when updating it.
    public var newUserData: UInt64?
    /// Make the updated poll multishot.
    public var multishot: Bool

    /// A removal of the poll whose user data is `target`.
    @inlinable
    public init(_ target: UInt64) {
        self.target = target
        self.newEvents = nil
        self.newUserData = nil
        self.multishot = false
    }

    /// An update of the poll whose user data is `target` (liburing's `io_uring_prep_poll_update`).
    @inlinable
    public init(updating target: UInt64, events: UInt32? = nil, userData: UInt64? = nil, multishot: Bool = false) {
        self.target = target
        self.newEvents = events
        self.newUserData = userData
        self.multishot = multishot
    }

    /// Writes the target in `addr`, and for an update the flags in `len`,
    /// new user data in `off` and new events.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        entry.fd = -1
        entry.address = target
        var flags: UInt32 = multishot ? PollAdd.multishotFlag : 0
        if let events = newEvents {
            flags |= PollRemove.updateEvents
            entry.operationFlags = events
        }
        if let data = newUserData {
            flags |= PollRemove.updateUserData
            entry.offset = data
        }
        entry.length = flags
    }
}

/// Adds, changes or removes a file in an epoll set: `IORING_OP_EPOLL_CTL`,
/// like epoll_ctl(2) (Linux 5.6).
///
/// **Ownership**: `event` stays valid until the completion is consumed.
public struct EpollControl: RingOperation {
    /// `IORING_OP_EPOLL_CTL`.
    public var opcode: Opcode { .epollCtl }
    /// `EPOLL_CTL_ADD`.
    public static let add: UInt32 = 1
    /// `EPOLL_CTL_DEL`.
    public static let delete: UInt32 = 2
    /// `EPOLL_CTL_MOD`.
    public static let modify: UInt32 = 3
    /// The epoll descriptor.
    public var epoll: FileTarget
    /// The file to add, change or remove.
    public var file: Int32
    /// ``add``, ``modify`` or ``delete``.
    public var operation: UInt32
    /// The event to register (nil for ``delete``).
    public var event: UnsafePointer<EpollEvent>?

    /// An epoll_ctl(2) on `epoll`.
    @unsafe @inlinable
    public init(_ epoll: FileTarget, operation: UInt32, file: Int32, event: UnsafePointer<EpollEvent>?) {
        self.epoll = epoll
        self.file = file
        self.operation = operation
        self.event = event
    }

    /// Writes the epoll fd, event in `addr`, operation in `len`, file in `off`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        epoll.apply(to: &entry)
        entry.address = .address(event)
        entry.length = operation
        entry.offset = UInt64(UInt32(bitPattern: file))
    }
}

/// Waits for events on an epoll set: `IORING_OP_EPOLL_WAIT`, like
/// epoll_wait(2) with no timeout (Linux 6.15).
///
/// Completes with the number of events written.
/// **Ownership**: `events` stays valid until the completion is consumed.
public struct EpollWait: RingOperation {
    /// `IORING_OP_EPOLL_WAIT`.
    public var opcode: Opcode { .epollWait }
    /// The epoll descriptor.
    public var epoll: FileTarget
    /// Where ready events are written.
    public var events: UnsafeMutableBufferPointer<EpollEvent>

    /// A wait on `epoll` for up to `events.count` events.
    @unsafe @inlinable
    public init(_ epoll: FileTarget, into events: UnsafeMutableBufferPointer<EpollEvent>) {
        self.epoll = epoll
        self.events = events
    }

    /// Writes the epoll fd, the array in `addr` and its count in `len`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        epoll.apply(to: &entry)
        entry.address = .address(events.baseAddress)
        entry.length = UInt32(clamping: events.count)
    }
}
