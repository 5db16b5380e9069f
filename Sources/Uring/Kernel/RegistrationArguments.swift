/// The argument of `IORING_REGISTER_FILES2` / `IORING_REGISTER_BUFFERS2`:
/// the kernel's `struct io_uring_rsrc_register` (32 bytes).
@frozen
public struct ResourceRegister: Sendable, Equatable {
    /// `nr`: the table size.
    public var count: UInt32
    /// `flags`: `IORING_RSRC_REGISTER_SPARSE` for an empty table.
    public var flags: UInt32
    /// `resv2`.
    public var reserved: UInt64
    /// `data`: the address of the descriptors or iovecs (0 when sparse).
    public var data: UInt64
    /// `tags`: the address of one tag per entry, or 0.
    public var tags: UInt64

    /// `IORING_RSRC_REGISTER_SPARSE`.
    public static let sparse: UInt32 = 1 << 0

    /// An argument from its parts.
    public init(count: UInt32, flags: UInt32 = 0, data: UInt64 = 0, tags: UInt64 = 0) {
        self.count = count
        self.flags = flags
        self.reserved = 0
        self.data = data
        self.tags = tags
    }
}

/// The argument of `IORING_REGISTER_FILES_UPDATE2` / `IORING_REGISTER_BUFFERS_UPDATE`:
/// the kernel's `struct io_uring_rsrc_update2` (32 bytes).
@frozen
public struct ResourceUpdate2: Sendable, Equatable {
    /// `offset`: the first slot.
    public var offset: UInt32
    /// `resv`.
    public var reserved: UInt32
    /// `data`: the address of the descriptors or iovecs.
    public var data: UInt64
    /// `tags`: the address of the tags, or 0.
    public var tags: UInt64
    /// `nr`: how many entries.
    public var count: UInt32
    /// `resv2`.
    public var reserved2: UInt32

    /// An update from its parts.
    public init(offset: UInt32, data: UInt64, tags: UInt64, count: UInt32) {
        self.offset = offset
        self.reserved = 0
        self.data = data
        self.tags = tags
        self.count = count
        self.reserved2 = 0
    }
}

/// The argument of `IORING_REGISTER_CLONE_BUFFERS`: `struct io_uring_clone_buffers` (32 bytes).
@frozen
public struct CloneBuffersArgument: Sendable {
    /// `src_fd`: the source ring's descriptor (or registered index).
    public var sourceFD: UInt32
    /// `flags`: `IORING_REGISTER_SRC_REGISTERED`, `IORING_REGISTER_DST_REPLACE`.
    public var flags: UInt32
    /// `src_off`: the first source buffer.
    public var sourceOffset: UInt32
    /// `dst_off`: the first destination slot.
    public var destinationOffset: UInt32
    /// `nr`: how many buffers (0: all).
    public var count: UInt32
    /// `pad[3]`.
    public var padding: (UInt32, UInt32, UInt32)

    /// `IORING_REGISTER_SRC_REGISTERED`: `sourceFD` is a registered ring index.
    public static let sourceRegistered: UInt32 = 1 << 0
    /// `IORING_REGISTER_DST_REPLACE`: replace the destination's existing buffers.
    public static let replaceDestination: UInt32 = 1 << 1

    /// An argument from its parts.
    public init(sourceFD: UInt32, flags: UInt32, sourceOffset: UInt32, destinationOffset: UInt32, count: UInt32) {
        self.sourceFD = sourceFD
        self.flags = flags
        self.sourceOffset = sourceOffset
        self.destinationOffset = destinationOffset
        self.count = count
        self.padding = (0, 0, 0)
    }
}

/// The argument of `IORING_REGISTER_PBUF_RING`: `struct io_uring_buf_reg` (40 bytes).
@frozen
public struct BufferRingRegister: Sendable {
    /// `ring_addr`: the page-aligned ring of ``ProvidedBuffer`` entries.
    public var ringAddress: UInt64
    /// `ring_entries`: a power of two up to 32768.
    public var entries: UInt32
    /// `bgid`: the group id.
    public var group: UInt16
    /// `flags`: `IOU_PBUF_RING_MMAP`, `IOU_PBUF_RING_INC`.
    public var flags: UInt16
    /// `resv[3]`.
    public var reserved: (UInt64, UInt64, UInt64)

    /// `IOU_PBUF_RING_INC`: buffers are consumed a part at a time (Linux 6.12).
    public static let incremental: UInt16 = 2

    /// An argument from its parts.
    public init(ringAddress: UInt64, entries: UInt32, group: UInt16, flags: UInt16) {
        self.ringAddress = ringAddress
        self.entries = entries
        self.group = group
        self.flags = flags
        self.reserved = (0, 0, 0)
    }
}

/// One slot of a provided-buffer ring: `struct io_uring_buf` (16 bytes). The
/// first slot's last two bytes double as the ring's tail.
@frozen
public struct ProvidedBuffer: Sendable, Equatable {
    /// `addr`.
    public var address: UInt64
    /// `len`.
    public var length: UInt32
    /// `bid`: the id completions report.
    public var id: UInt16
    /// `resv` (the ring tail, in slot 0).
    public var reserved: UInt16
}

/// The argument of `IORING_REGISTER_PBUF_STATUS`: `struct io_uring_buf_status` (40 bytes).
@frozen
public struct BufferRingStatus: Sendable {
    /// `buf_group`: the group asked about.
    public var group: UInt32
    /// `head`: the kernel's head.
    public var head: UInt32
    /// `resv[8]`.
    public var reserved: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

    /// A request for `group`.
    public init(group: UInt32) {
        self.group = group
        self.head = 0
        self.reserved = (0, 0, 0, 0, 0, 0, 0, 0)
    }
}

/// One rule of `IORING_REGISTER_RESTRICTIONS`: `struct io_uring_restriction` (16 bytes).
@frozen
public struct RestrictionEntry: Sendable, Equatable {
    /// `opcode`: `IORING_RESTRICTION_*`.
    public var kind: UInt16
    /// `register_op` / `sqe_op` / `sqe_flags`.
    public var value: UInt8
    /// `resv`.
    public var reserved: UInt8
    /// `resv2[3]`.
    public var reserved2: (UInt32, UInt32, UInt32)

    /// A rule from its parts.
    public init(kind: UInt16, value: UInt8) {
        self.kind = kind
        self.value = value
        self.reserved = 0
        self.reserved2 = (0, 0, 0)
    }

    /// Compares kind and value.
    public static func == (a: RestrictionEntry, b: RestrictionEntry) -> Bool {
        a.kind == b.kind && a.value == b.value
    }
}

/// The argument of `IORING_REGISTER_NAPI`: `struct io_uring_napi` (16 bytes).
@frozen
public struct NAPISettings: Sendable, Equatable {
    /// `busy_poll_to`: busy-poll timeout in microseconds.
    public var busyPollTimeout: UInt32
    /// `prefer_busy_poll`.
    public var preferBusyPoll: UInt8
    /// `opcode`: `IO_URING_NAPI_REGISTER_OP` (0) and friends (Linux 6.15).
    public var operation: UInt8
    /// `pad[2]`.
    public var padding: UInt16
    /// `op_param`: the tracking strategy for the static/dynamic operations.
    public var operationParameter: UInt32
    /// `resv`.
    public var reserved: UInt32

    /// Settings from their parts.
    public init(busyPollTimeout: UInt32 = 0, preferBusyPoll: Bool = false) {
        self.busyPollTimeout = busyPollTimeout
        self.preferBusyPoll = preferBusyPoll ? 1 : 0
        self.operation = 0
        self.padding = 0
        self.operationParameter = 0
        self.reserved = 0
    }
}

/// The argument of `IORING_REGISTER_SYNC_CANCEL`: `struct io_uring_sync_cancel_reg` (64 bytes).
@frozen
public struct SyncCancelArgument: Sendable {
    /// `addr`: the user data to match.
    public var userData: UInt64
    /// `fd`: the file to match.
    public var fd: Int32
    /// `flags`: `IORING_ASYNC_CANCEL_*`.
    public var flags: UInt32
    /// `timeout`: how long to wait; -1/-1 waits forever.
    public var timeout: KernelTimespec
    /// `opcode`: the opcode to match.
    public var opcode: UInt8
    /// `pad[7]`, `pad2[3]`.
    public var padding: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt64, UInt64, UInt64)

    /// An argument from its parts.
    public init(userData: UInt64, fd: Int32, flags: UInt32, timeout: KernelTimespec, opcode: UInt8) {
        self.userData = userData
        self.fd = fd
        self.flags = flags
        self.timeout = timeout
        self.opcode = opcode
        self.padding = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    }
}

/// A memory region for `IORING_REGISTER_MEM_REGION`: `struct io_uring_region_desc` (64 bytes).
@frozen
public struct RegionDescription: Sendable {
    /// `user_addr`: the region's memory, with ``RegionDescription/userMemory``.
    public var userAddress: UInt64
    /// `size`: its length in bytes, a multiple of the page size.
    public var size: UInt64
    /// `flags`: `IORING_MEM_REGION_TYPE_USER` when the application supplies the memory.
    public var flags: UInt32
    /// `id`: reserved for future region kinds.
    public var id: UInt32
    /// `mmap_offset`: where to map a kernel-allocated region (set by the kernel).
    public var mmapOffset: UInt64
    /// `__resv[4]`.
    public var reserved: (UInt64, UInt64, UInt64, UInt64)

    /// `IORING_MEM_REGION_TYPE_USER`: the application supplies the memory.
    public static let userMemory: UInt32 = 1

    /// A region of application memory.
    public init(userAddress: UInt64, size: UInt64) {
        self.userAddress = userAddress
        self.size = size
        self.flags = Self.userMemory
        self.id = 0
        self.mmapOffset = 0
        self.reserved = (0, 0, 0, 0)
    }
}

/// The argument of `IORING_REGISTER_MEM_REGION`: `struct io_uring_mem_region_reg` (32 bytes).
@frozen
public struct MemoryRegionRegister: Sendable {
    /// `region_uptr`: the address of a ``RegionDescription``.
    public var region: UInt64
    /// `flags`: ``MemoryRegionRegister/waitArguments`` to use the region for registered waits.
    public var flags: UInt64
    /// `__resv[2]`.
    public var reserved: (UInt64, UInt64)

    /// `IORING_MEM_REGION_REG_WAIT_ARG`: the region holds ``RegisteredWait`` slots.
    public static let waitArguments: UInt64 = 1

    /// A registration of the description at `region`.
    public init(region: UInt64, flags: UInt64) {
        self.region = region
        self.flags = flags
        self.reserved = (0, 0)
    }
}

/// One registered wait argument: `struct io_uring_reg_wait` (64 bytes), read by
/// io_uring_enter(2) with `IORING_ENTER_EXT_ARG_REG` from the ring's wait region.
@frozen
public struct RegisteredWait: Sendable {
    /// `ts`: the timeout, used when ``flags`` has ``RegisteredWait/hasTimeout``.
    public var timeout: KernelTimespec
    /// `min_wait_usec`: with `IORING_FEAT_MIN_TIMEOUT`, how long to wait for a full batch.
    public var minimumWaitMicroseconds: UInt32
    /// `flags`: `IORING_REG_WAIT_TS`.
    public var flags: UInt32
    /// `sigmask`: the address of a signal mask to apply while waiting, or 0.
    public var signalMask: UInt64
    /// `sigmask_sz`: that mask's size.
    public var signalMaskSize: UInt32
    /// `pad[3]`.
    public var padding: (UInt32, UInt32, UInt32)
    /// `pad2[2]`.
    public var padding2: (UInt64, UInt64)

    /// `IORING_REG_WAIT_TS`: ``timeout`` is valid.
    public static let hasTimeout: UInt32 = 1

    /// A wait bounded by `timeout` (unbounded when nil).
    public init(timeout: Duration?, minimumWait: Duration? = nil) {
        self.timeout = KernelTimespec(timeout ?? .zero)
        self.flags = timeout == nil ? 0 : Self.hasTimeout
        self.minimumWaitMicroseconds = minimumWait.map { KernelTimespec($0).clampedMicroseconds } ?? 0
        self.signalMask = 0
        self.signalMaskSize = 0
        self.padding = (0, 0, 0)
        self.padding2 = (0, 0)
    }
}
