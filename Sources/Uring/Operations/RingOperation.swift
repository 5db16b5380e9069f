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
    static var opcode: Opcode { get }

    /// Writes the operation's fields into a zeroed entry whose opcode is already set.
    /// `user_data` and the `IOSQE_*` flags are the caller's; only
    /// ``SubmissionFlags/fixedFile`` may be set here (by ``FileTarget``).
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
}

extension UInt64 {
    /// The address of `pointer` as the kernel stores it in an entry, 0 for nil.
    @inlinable
    static func address(_ pointer: UnsafeRawPointer?) -> UInt64 {
        UInt64(UInt(bitPattern: pointer))
    }
}
