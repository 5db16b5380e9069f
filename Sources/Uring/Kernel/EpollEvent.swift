/// One epoll event: the kernel's `struct epoll_event`, packed to 12 bytes on
/// x86_64 and 16 bytes (data 8-aligned) elsewhere.
///
/// Used by ``EpollControl`` and ``EpollWait``.
@frozen
public struct EpollEvent: Sendable, Equatable {
    /// `events`: `EPOLLIN`, `EPOLLOUT` and the other `EPOLL*` bits.
    public var events: UInt32
    #if arch(x86_64)
        /// The low half of `data`.
        @usableFromInline var dataLow: UInt32
        /// The high half of `data`.
        @usableFromInline var dataHigh: UInt32
    #else
        /// `data`.
        @usableFromInline var dataWord: UInt64
    #endif

    /// `EPOLLIN`.
    public static let input: UInt32 = 0x001
    /// `EPOLLOUT`.
    public static let output: UInt32 = 0x004
    /// `EPOLLERR`.
    public static let error: UInt32 = 0x008
    /// `EPOLLHUP`.
    public static let hangUp: UInt32 = 0x010
    /// `EPOLLET`: edge triggered.
    public static let edgeTriggered: UInt32 = 1 << 31
    /// `EPOLLONESHOT`.
    public static let oneShot: UInt32 = 1 << 30

    /// An event for `events` carrying `data` back.
    @inlinable
    public init(events: UInt32 = 0, data: UInt64 = 0) {
        self.events = events
        #if arch(x86_64)
            dataLow = UInt32(truncatingIfNeeded: data)
            dataHigh = UInt32(truncatingIfNeeded: data >> 32)
        #else
            dataWord = data
        #endif
    }

    /// `data`: returned unchanged with each event.
    @inlinable
    public var data: UInt64 {
        get {
            #if arch(x86_64)
                UInt64(dataHigh) << 32 | UInt64(dataLow)
            #else
                dataWord
            #endif
        }
        set { self = EpollEvent(events: events, data: newValue) }
    }
}
