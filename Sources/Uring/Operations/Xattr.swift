import SystemPackage

/// Where an extended-attribute operation applies: an open file, or a path.
public enum XattrTarget {
    /// An open file (`IORING_OP_FGETXATTR` / `IORING_OP_FSETXATTR`).
    case file(FileDescriptor)
    /// A path, NUL-terminated (`IORING_OP_GETXATTR` / `IORING_OP_SETXATTR`).
    /// **Ownership**: valid until the completion is consumed.
    case path(UnsafePointer<CChar>)

    /// Writes `fd` or the path in `addr3`, the name in `addr`, the value in
    /// `addr2` and its size in `len`: the layout all four xattr opcodes share.
    @inlinable
    func apply(to entry: inout SubmissionQueueEntry, name: UnsafePointer<CChar>, value: UnsafeRawBufferPointer) {
        switch self {
        case .file(let fd): entry.fd = fd.rawValue
        case .path(let path): entry.address3 = .address(path)
        }
        entry.address = .address(name)
        entry.offset = .address(value.baseAddress)
        entry.length = UInt32(clamping: value.count)
    }
}

/// Reads an extended attribute: `IORING_OP_FGETXATTR` / `IORING_OP_GETXATTR`,
/// like fgetxattr(2) / getxattr(2) (Linux 5.19).
///
/// Completes with the value's length or a negated errno (`ENODATA` when absent,
/// `ERANGE` when `value` is too small).
/// **Ownership**: the name, value buffer and path stay valid until the completion is consumed.
public struct GetXattr: RingOperation {
    /// `IORING_OP_FGETXATTR` for a file, `IORING_OP_GETXATTR` for a path.
    public var opcode: Opcode {
        if case .file = target { return .fgetxattr }
        return .getxattr
    }
    /// The file or path.
    public var target: XattrTarget
    /// The attribute name, such as `user.note`, NUL-terminated.
    public var name: UnsafePointer<CChar>
    /// Where the value goes.
    public var value: UnsafeMutableRawBufferPointer

    /// A read of attribute `name` of `target` into `value`.
    @unsafe @inlinable
    public init(_ name: UnsafePointer<CChar>, of target: XattrTarget, into value: UnsafeMutableRawBufferPointer) {
        self.target = target
        self.name = name
        self.value = value
    }

    /// Writes the target, name in `addr`, value in `addr2`, its size in `len`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        target.apply(to: &entry, name: name, value: UnsafeRawBufferPointer(value))
    }
}

/// Writes an extended attribute: `IORING_OP_FSETXATTR` / `IORING_OP_SETXATTR`,
/// like fsetxattr(2) / setxattr(2) (Linux 5.19).
///
/// **Ownership**: the name, value and path stay valid until the completion is consumed.
public struct SetXattr: RingOperation {
    /// `XATTR_CREATE`: fail with `EEXIST` if the attribute exists.
    public static let create: UInt32 = 1
    /// `XATTR_REPLACE`: fail with `ENODATA` unless the attribute exists.
    public static let replace: UInt32 = 2
    /// `IORING_OP_FSETXATTR` for a file, `IORING_OP_SETXATTR` for a path.
    public var opcode: Opcode {
        if case .file = target { return .fsetxattr }
        return .setxattr
    }
    /// The file or path.
    public var target: XattrTarget
    /// The attribute name, NUL-terminated.
    public var name: UnsafePointer<CChar>
    /// The value.
    public var value: UnsafeRawBufferPointer
    /// 0, ``create`` or ``replace``.
    public var flags: UInt32

    /// A write of attribute `name` of `target`.
    @unsafe @inlinable
    public init(_ name: UnsafePointer<CChar>, of target: XattrTarget, value: UnsafeRawBufferPointer, flags: UInt32 = 0) {
        self.target = target
        self.name = name
        self.value = value
        self.flags = flags
    }

    /// Writes the target, name, value, its size and `xattr_flags`.
    @inlinable
    public func prepare(_ entry: inout SubmissionQueueEntry) {
        target.apply(to: &entry, name: name, value: value)
        entry.operationFlags = flags
    }
}
