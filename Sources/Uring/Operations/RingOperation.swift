import SystemPackage

/// A request the kernel can run: a value that knows its opcode and how to
/// fill a submission entry.
///
/// Required values go in the initializer, optional ones have defaults. An
/// operation that points to memory (a buffer, an iovec array, a path, a
/// timespec) does not own it: see ``Ring/push(_:userData:flags:)``.
///
/// Adding an operation touches three places: its type (conforming here), its
/// test, and its ``Opcode`` case.
public protocol RingOperation {
    /// The `IORING_OP_*` this operation submits; ``Ring/push(_:userData:flags:)`` writes it.
    /// A type whose variants use different opcodes (a read into a registered
    /// buffer is `IORING_OP_READ_FIXED`) answers per value.
    var opcode: Opcode { get }

    /// Writes the operation's fields into a zeroed entry whose opcode is already set.
    /// `user_data` and the `IOSQE_*` flags are the caller's; only
    /// ``SubmissionFlags/fixedFile`` (by ``FileTarget``) and
    /// ``SubmissionFlags/bufferSelect`` (by ``BufferTarget``) may be set here.
    func prepare(_ entry: inout SubmissionQueueEntry)
}

/// The file an operation acts on: a plain descriptor or a slot in the ring's
/// registered file table.
///
/// A fixed slot sets `IOSQE_FIXED_FILE` itself; callers never set that flag.
public enum FileTarget: Sendable, Equatable {
    /// A descriptor of the process.
    case descriptor(FileDescriptor)
    /// Slot `index` of the table registered with `IORING_REGISTER_FILES`.
    case fixed(UInt32)

    /// Writes `fd` and, for a fixed slot, `IOSQE_FIXED_FILE`.
    @inlinable
    public func apply(to entry: inout SubmissionQueueEntry) {
        switch self {
        case .descriptor(let fd):
            entry.fd = fd.rawValue
        case .fixed(let index):
            entry.fd = Int32(bitPattern: index)
            entry.flags |= SubmissionFlags.fixedFile.rawValue
        }
    }

    /// Whether this is a registered-file slot.
    @inlinable
    public var isFixed: Bool {
        if case .fixed = self { return true }
        return false
    }

    /// The raw number the kernel sees: the descriptor or the slot.
    @inlinable
    public var rawValue: Int32 {
        switch self {
        case .descriptor(let fd): return fd.rawValue
        case .fixed(let index): return Int32(bitPattern: index)
        }
    }
}

/// Where an operation that creates a descriptor (open, accept, socket, pipe,
/// a descriptor sent by `MSG_RING`) installs it in the ring's registered file
/// table instead of the process's descriptor table — a "direct descriptor".
///
/// The kernel's `file_index` field: the slot plus one, or
/// `IORING_FILE_INDEX_ALLOC` to let the kernel pick a free slot (from the
/// range set with ``Ring/setFileAllocationRange(_:)``); the completion's
/// result is then the slot it chose. Needs a registered (possibly sparse) table.
public enum FixedSlot: Sendable, Equatable {
    /// This slot; replaces whatever it held.
    case at(UInt32)
    /// Any free slot (`IORING_FILE_INDEX_ALLOC`, Linux 5.19).
    case anyFree

    /// `IORING_FILE_INDEX_ALLOC`.
    public static let allocateIndex: UInt32 = .max

    /// The value of `file_index`.
    @inlinable
    public var fileIndexValue: UInt32 {
        switch self {
        case .at(let slot): return slot &+ 1
        case .anyFree: return FixedSlot.allocateIndex
        }
    }
}

/// Who may write a ``BufferTarget``'s memory: the direction of the transfer, as a type.
///
/// A read or receive takes a `BufferTarget<KernelWrites>`, which only mutable
/// memory can make; a write or send takes a `BufferTarget<KernelReads>`, which
/// read-only memory can make too. Reading into an `UnsafeRawBufferPointer`
/// therefore does not compile.
public protocol BufferAccess {}

/// The kernel fills the memory: reads and receives.
public enum KernelWrites: BufferAccess {}

/// The kernel only reads the memory: writes and sends.
public enum KernelReads: BufferAccess {}

/// How the kernel finds an operation's memory.
public enum BufferKind: Sendable, Equatable {
    /// An ordinary buffer at ``BufferTarget/address``.
    case plain
    /// A slice of registered buffer `index`.
    case registered(index: UInt16)
    /// A buffer chosen by the kernel from provided-buffer group `group`.
    case provided(group: UInt16)
}

/// The memory an operation reads into or writes from: a plain buffer, a slice
/// of a buffer registered with `IORING_REGISTER_BUFFERS`, or a buffer the kernel
/// picks from a provided-buffer group at run time. `Access` says which way the
/// bytes go (``KernelWrites`` or ``KernelReads``).
///
/// A registered buffer turns reads and writes into their `_FIXED` opcodes and
/// sets `buf_index`; a provided buffer sets `IOSQE_BUFFER_SELECT` and
/// `buf_group`, and the completion's ``Completion/bufferID`` says which buffer
/// was used.
/// **Ownership**: a plain or registered buffer stays valid until the request's
/// completion is consumed. The pointer-taking makers are `@unsafe`: nothing
/// checks that lifetime.
public struct BufferTarget<Access: BufferAccess> {
    /// The first byte, nil for a provided buffer.
    public var address: UnsafeMutableRawPointer?
    /// The length in bytes (for a provided buffer, the most to use; 0 means the buffer's size).
    public var count: Int
    /// How the kernel finds the memory.
    public var kind: BufferKind

    /// A target from its parts.
    @unsafe @inlinable
    public init(address: UnsafeMutableRawPointer?, count: Int, kind: BufferKind) {
        self.address = address
        self.count = count
        self.kind = kind
    }

    /// A buffer of up to `length` bytes (0: the whole buffer) taken from provided-buffer `group`.
    @inlinable
    public static func provided(group: UInt16, length: Int = 0) -> BufferTarget {
        BufferTarget(address: nil, count: length, kind: .provided(group: group))
    }

    /// Whether this is a registered-buffer slice.
    @inlinable
    public var isRegistered: Bool {
        if case .registered = kind { return true }
        return false
    }

    /// Writes `addr`, `len`, and `buf_index` with `IOSQE_BUFFER_SELECT` where needed.
    @inlinable
    public func apply(to entry: inout SubmissionQueueEntry) {
        entry.address = .address(address)
        entry.length = UInt32(clamping: count)
        switch kind {
        case .plain: break
        case .registered(let index): entry.bufferIndex = index
        case .provided(let group): entry.selectBuffer(from: group)
        }
    }
}

extension BufferTarget where Access == KernelWrites {
    /// An ordinary buffer for the kernel to fill.
    @unsafe @inlinable
    public static func plain(_ buffer: UnsafeMutableRawBufferPointer) -> BufferTarget {
        BufferTarget(address: buffer.baseAddress, count: buffer.count, kind: .plain)
    }

    /// `buffer`, which lies inside registered buffer `index`, for the kernel to fill.
    @unsafe @inlinable
    public static func registered(_ buffer: UnsafeMutableRawBufferPointer, index: UInt16) -> BufferTarget {
        BufferTarget(address: buffer.baseAddress, count: buffer.count, kind: .registered(index: index))
    }
}

extension BufferTarget where Access == KernelReads {
    /// An ordinary buffer to send or write; the kernel only reads it.
    @unsafe @inlinable
    public static func plain(_ buffer: UnsafeRawBufferPointer) -> BufferTarget {
        // SAFETY: the kernel only reads through this address (the type says so),
        // so handing it a read-only region as a mutable pointer writes nothing.
        BufferTarget(address: UnsafeMutableRawPointer(mutating: buffer.baseAddress), count: buffer.count, kind: .plain)
    }

    /// An ordinary mutable buffer to send or write; the kernel only reads it.
    @unsafe @inlinable
    public static func plain(_ buffer: UnsafeMutableRawBufferPointer) -> BufferTarget {
        BufferTarget(address: buffer.baseAddress, count: buffer.count, kind: .plain)
    }

    /// `buffer`, which lies inside registered buffer `index`; the kernel only reads it.
    @unsafe @inlinable
    public static func registered(_ buffer: UnsafeRawBufferPointer, index: UInt16) -> BufferTarget {
        // SAFETY: as for plain(_:), the kernel only reads.
        BufferTarget(
            address: UnsafeMutableRawPointer(mutating: buffer.baseAddress), count: buffer.count,
            kind: .registered(index: index))
    }

    /// A mutable `buffer` inside registered buffer `index`; the kernel only reads it.
    @unsafe @inlinable
    public static func registered(_ buffer: UnsafeMutableRawBufferPointer, index: UInt16) -> BufferTarget {
        BufferTarget(address: buffer.baseAddress, count: buffer.count, kind: .registered(index: index))
    }
}

/// The per-request settings every operation accepts besides its own fields:
/// `IOSQE_*` flags, a provided-buffer group, credentials and I/O priority.
public struct SubmissionOptions: Sendable, Equatable {
    /// `IOSQE_*` flags: link, hard link, drain, async, skip completion on success.
    public var flags: SubmissionFlags
    /// `buf_group` with `IOSQE_BUFFER_SELECT`: the kernel picks the buffer from this group.
    public var bufferGroup: UInt16?
    /// `personality`: credentials registered with ``Ring/registerPersonality()``; 0 for the ring's own.
    public var personality: UInt16
    /// `ioprio`: the I/O priority of a read or write (`IOPRIO_PRIO_VALUE(class, level)`).
    /// Network operations use this field for their own flags; leave it nil for them.
    public var ioPriority: UInt16?

    /// Options from their parts; the defaults change nothing.
    @inlinable
    public init(
        flags: SubmissionFlags = [], bufferGroup: UInt16? = nil, personality: UInt16 = 0, ioPriority: UInt16? = nil
    ) {
        self.flags = flags
        self.bufferGroup = bufferGroup
        self.personality = personality
        self.ioPriority = ioPriority
    }

    /// Adds the options to a prepared entry.
    @inlinable
    public func apply(to entry: inout SubmissionQueueEntry) {
        entry.flags |= flags.rawValue
        if let group = bufferGroup { entry.selectBuffer(from: group) }
        if personality != 0 { entry.personality = personality }
        if let priority = ioPriority { entry.ioPriority = priority }
    }
}

extension SubmissionQueueEntry {
    /// Lets the kernel pick this request's buffer from provided-buffer `group`:
    /// `IOSQE_BUFFER_SELECT` with `buf_group`.
    @inlinable
    public mutating func selectBuffer(from group: UInt16) {
        flags |= SubmissionFlags.bufferSelect.rawValue
        bufferIndex = group
    }
}

extension UInt64 {
    /// The address of `pointer` as the kernel stores it in an entry, 0 for nil.
    @inlinable
    static func address(_ pointer: UnsafeRawPointer?) -> UInt64 {
        UInt64(UInt(bitPattern: pointer))
    }
}
