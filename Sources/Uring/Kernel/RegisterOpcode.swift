/// What io_uring_register(2) is asked to do: the kernel's `IORING_REGISTER_*` /
/// `IORING_UNREGISTER_*` values, through Linux 6.18.
public enum RegisterOpcode: UInt32, CaseIterable, Sendable, CustomStringConvertible {
    /// `IORING_REGISTER_BUFFERS` (Linux 5.1).
    case registerBuffers = 0
    /// `IORING_UNREGISTER_BUFFERS` (Linux 5.1).
    case unregisterBuffers = 1
    /// `IORING_REGISTER_FILES` (Linux 5.1).
    case registerFiles = 2
    /// `IORING_UNREGISTER_FILES` (Linux 5.1).
    case unregisterFiles = 3
    /// `IORING_REGISTER_EVENTFD` (Linux 5.2).
    case registerEventFD = 4
    /// `IORING_UNREGISTER_EVENTFD` (Linux 5.2).
    case unregisterEventFD = 5
    /// `IORING_REGISTER_FILES_UPDATE` (Linux 5.5).
    case registerFilesUpdate = 6
    /// `IORING_REGISTER_EVENTFD_ASYNC` (Linux 5.6).
    case registerEventFDAsync = 7
    /// `IORING_REGISTER_PROBE` (Linux 5.6).
    case registerProbe = 8
    /// `IORING_REGISTER_PERSONALITY` (Linux 5.6).
    case registerPersonality = 9
    /// `IORING_UNREGISTER_PERSONALITY` (Linux 5.6).
    case unregisterPersonality = 10
    /// `IORING_REGISTER_RESTRICTIONS` (Linux 5.10).
    case registerRestrictions = 11
    /// `IORING_REGISTER_ENABLE_RINGS` (Linux 5.10).
    case registerEnableRings = 12
    /// `IORING_REGISTER_FILES2` (Linux 5.13).
    case registerFiles2 = 13
    /// `IORING_REGISTER_FILES_UPDATE2` (Linux 5.13).
    case registerFilesUpdate2 = 14
    /// `IORING_REGISTER_BUFFERS2` (Linux 5.13).
    case registerBuffers2 = 15
    /// `IORING_REGISTER_BUFFERS_UPDATE` (Linux 5.13).
    case registerBuffersUpdate = 16
    /// `IORING_REGISTER_IOWQ_AFF` (Linux 5.14).
    case registerIOWorkQueueAffinity = 17
    /// `IORING_UNREGISTER_IOWQ_AFF` (Linux 5.14).
    case unregisterIOWorkQueueAffinity = 18
    /// `IORING_REGISTER_IOWQ_MAX_WORKERS` (Linux 5.15).
    case registerIOWorkQueueMaxWorkers = 19
    /// `IORING_REGISTER_RING_FDS` (Linux 5.18).
    case registerRingFDs = 20
    /// `IORING_UNREGISTER_RING_FDS` (Linux 5.18).
    case unregisterRingFDs = 21
    /// `IORING_REGISTER_PBUF_RING` (Linux 5.19).
    case registerProvidedBufferRing = 22
    /// `IORING_UNREGISTER_PBUF_RING` (Linux 5.19).
    case unregisterProvidedBufferRing = 23
    /// `IORING_REGISTER_SYNC_CANCEL` (Linux 6.0).
    case registerSyncCancel = 24
    /// `IORING_REGISTER_FILE_ALLOC_RANGE` (Linux 6.0).
    case registerFileAllocRange = 25
    /// `IORING_REGISTER_PBUF_STATUS` (Linux 6.8).
    case registerProvidedBufferStatus = 26
    /// `IORING_REGISTER_NAPI` (Linux 6.9).
    case registerNAPI = 27
    /// `IORING_UNREGISTER_NAPI` (Linux 6.9).
    case unregisterNAPI = 28
    /// `IORING_REGISTER_CLOCK` (Linux 6.12).
    case registerClock = 29
    /// `IORING_REGISTER_CLONE_BUFFERS` (Linux 6.12).
    case registerCloneBuffers = 30
    /// `IORING_REGISTER_SEND_MSG_RING` (Linux 6.13).
    case registerSendMessageRing = 31
    /// `IORING_REGISTER_ZCRX_IFQ` (Linux 6.15).
    case registerZeroCopyReceiveQueue = 32
    /// `IORING_REGISTER_RESIZE_RINGS` (Linux 6.13).
    case registerResizeRings = 33
    /// `IORING_REGISTER_MEM_REGION` (Linux 6.13).
    case registerMemoryRegion = 34
    /// `IORING_REGISTER_QUERY` (Linux 6.18).
    case registerQuery = 35

    /// `IORING_REGISTER_USE_REGISTERED_RING`: or-ed into the opcode when `fd` is a
    /// registered ring index (Linux 6.3).
    public static let useRegisteredRing: UInt32 = 1 << 31

    /// The kernel's name, for example `IORING_REGISTER_PROBE`.
    public var kernelName: String { "IORING_" + Self.kernelSuffixes[Int(rawValue)] }

    /// The registration's name as ``UringError/operation`` gives it: the kernel
    /// name without `IORING_`, in lower case (`register_buffers`, `register_probe`).
    public var operationName: String { Self.operationNames[Int(rawValue)] }

    /// ``operationName`` of every registration, computed once.
    private static let operationNames: [String] = kernelSuffixes.map { $0.lowercased() }

    /// The kernel name, as in ``kernelName``.
    public var description: String { kernelName }

    private static let kernelSuffixes: [String] = [
        "REGISTER_BUFFERS", "UNREGISTER_BUFFERS", "REGISTER_FILES",
        "UNREGISTER_FILES", "REGISTER_EVENTFD", "UNREGISTER_EVENTFD",
        "REGISTER_FILES_UPDATE", "REGISTER_EVENTFD_ASYNC", "REGISTER_PROBE",
        "REGISTER_PERSONALITY", "UNREGISTER_PERSONALITY", "REGISTER_RESTRICTIONS",
        "REGISTER_ENABLE_RINGS", "REGISTER_FILES2", "REGISTER_FILES_UPDATE2",
        "REGISTER_BUFFERS2", "REGISTER_BUFFERS_UPDATE", "REGISTER_IOWQ_AFF",
        "UNREGISTER_IOWQ_AFF", "REGISTER_IOWQ_MAX_WORKERS", "REGISTER_RING_FDS",
        "UNREGISTER_RING_FDS", "REGISTER_PBUF_RING", "UNREGISTER_PBUF_RING",
        "REGISTER_SYNC_CANCEL", "REGISTER_FILE_ALLOC_RANGE", "REGISTER_PBUF_STATUS",
        "REGISTER_NAPI", "UNREGISTER_NAPI", "REGISTER_CLOCK",
        "REGISTER_CLONE_BUFFERS", "REGISTER_SEND_MSG_RING", "REGISTER_ZCRX_IFQ",
        "REGISTER_RESIZE_RINGS", "REGISTER_MEM_REGION", "REGISTER_QUERY",
    ]
}
