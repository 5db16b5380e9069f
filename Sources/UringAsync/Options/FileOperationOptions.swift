import SystemPackage

/// How ``RingExecutor/status(of:in:options:)`` looks a path up (the `AT_*` flags of statx(2)).
public struct StatusOptions: OptionSet, Hashable, Sendable {
    /// The kernel's `AT_*` bit mask.
    public let rawValue: Int32

    /// Options from the kernel's bit mask.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// `AT_SYMLINK_NOFOLLOW`: the status of a symbolic link itself, not of its target.
    public static let noFollow = StatusOptions(rawValue: 0x100)
    /// `AT_NO_AUTOMOUNT`: do not trigger an automount at the last component.
    public static let noAutomount = StatusOptions(rawValue: 0x800)
    /// `AT_EMPTY_PATH`: an empty path names the directory descriptor itself.
    static let emptyPath = StatusOptions(rawValue: 0x1000)
}

/// What ``RingExecutor/allocate(_:mode:offset:length:)`` does to the range (the `FALLOC_FL_*` flags of fallocate(2)).
public struct AllocationMode: OptionSet, Hashable, Sendable {
    /// The kernel's `FALLOC_FL_*` bit mask.
    public let rawValue: Int32

    /// A mode from the kernel's bit mask.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// `FALLOC_FL_KEEP_SIZE`: reserve blocks past the end without changing the file's size.
    public static let keepSize = AllocationMode(rawValue: 0x01)
    /// `FALLOC_FL_PUNCH_HOLE` (with ``keepSize``): free the range's blocks; it reads as zeros.
    public static let punchHole = AllocationMode(rawValue: 0x02)
    /// `FALLOC_FL_COLLAPSE_RANGE`: remove the range and close the gap.
    public static let collapseRange = AllocationMode(rawValue: 0x08)
    /// `FALLOC_FL_ZERO_RANGE`: make the range read as zeros, blocks kept.
    public static let zeroRange = AllocationMode(rawValue: 0x10)
    /// `FALLOC_FL_INSERT_RANGE`: insert a hole of the range's length at its offset.
    public static let insertRange = AllocationMode(rawValue: 0x20)
    /// `FALLOC_FL_UNSHARE_RANGE`: give the range blocks of its own (after a reflink).
    public static let unshareRange = AllocationMode(rawValue: 0x40)
}

/// How ``RingExecutor/rename(_:to:options:)`` treats the new name (the `RENAME_*` flags of renameat2(2)).
public struct RenameOptions: OptionSet, Hashable, Sendable {
    /// The kernel's `RENAME_*` bit mask.
    public let rawValue: UInt32

    /// Options from the kernel's bit mask.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `RENAME_NOREPLACE`: fail with `EEXIST` rather than replace the new name.
    public static let noReplace = RenameOptions(rawValue: 0x1)
    /// `RENAME_EXCHANGE`: swap the two names atomically; both must exist.
    public static let exchange = RenameOptions(rawValue: 0x2)
    /// `RENAME_WHITEOUT`: leave a whiteout at the old name (overlay file systems).
    public static let whiteout = RenameOptions(rawValue: 0x4)
}

extension FilePermissions {
    /// `0o644` (`rw-r--r--`): what ``RingExecutor/open(_:_:options:permissions:in:)`` gives a file it creates.
    public static let defaultFile: FilePermissions = [.ownerReadWrite, .groupRead, .otherRead]
    /// `0o755` (`rwxr-xr-x`): what ``RingExecutor/makeDirectory(_:permissions:in:)`` gives a directory.
    public static let defaultDirectory: FilePermissions = [.ownerReadWriteExecute, .groupReadExecute, .otherReadExecute]
}

extension RingExecutor {
    /// `AT_SYMLINK_FOLLOW`: linkat(2) links the target of a symbolic link, not the link.
    static let symlinkFollowFlag: Int32 = 0x400
}
