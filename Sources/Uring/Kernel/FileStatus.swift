/// A timestamp inside ``FileStatus``: the kernel's `struct statx_timestamp` (16 bytes).
@frozen
public struct FileStatusTimestamp: Sendable, Equatable {
    /// `tv_sec`: seconds since the epoch.
    public var seconds: Int64
    /// `tv_nsec`: nanoseconds.
    public var nanoseconds: UInt32
    /// `__reserved`.
    public var reserved: Int32

    /// A zero timestamp.
    public init() {
        seconds = 0
        nanoseconds = 0
        reserved = 0
    }
}

/// What statx(2) reports about a file: the kernel's `struct statx` (256 bytes).
///
/// Filled by ``Statx``. Only the fields named in ``mask`` are valid.
@frozen
public struct FileStatus: Sendable {
    /// `stx_mask`: the `STATX_*` bits of the fields filled in.
    public var mask: UInt32
    /// `stx_blksize`: the preferred I/O block size.
    public var blockSize: UInt32
    /// `stx_attributes`: `STATX_ATTR_*` bits.
    public var attributes: UInt64
    /// `stx_nlink`: the hard-link count.
    public var linkCount: UInt32
    /// `stx_uid`: the owner.
    public var userID: UInt32
    /// `stx_gid`: the group.
    public var groupID: UInt32
    /// `stx_mode`: file type and permission bits.
    public var mode: UInt16
    /// `__spare0`.
    public var spare0: UInt16
    /// `stx_ino`: the inode number.
    public var inode: UInt64
    /// `stx_size`: the size in bytes.
    public var size: UInt64
    /// `stx_blocks`: 512-byte blocks allocated.
    public var blocks: UInt64
    /// `stx_attributes_mask`: which attribute bits are supported.
    public var attributesMask: UInt64
    /// `stx_atime`: last access.
    public var accessTime: FileStatusTimestamp
    /// `stx_btime`: creation.
    public var birthTime: FileStatusTimestamp
    /// `stx_ctime`: last status change.
    public var changeTime: FileStatusTimestamp
    /// `stx_mtime`: last modification.
    public var modificationTime: FileStatusTimestamp
    /// `stx_rdev_major`.
    public var deviceMajor: UInt32
    /// `stx_rdev_minor`.
    public var deviceMinor: UInt32
    /// `stx_dev_major`: the device holding the file.
    public var containerMajor: UInt32
    /// `stx_dev_minor`.
    public var containerMinor: UInt32
    /// `stx_mnt_id`: the mount id.
    public var mountID: UInt64
    /// `stx_dio_mem_align`: O_DIRECT buffer alignment.
    public var directIOMemoryAlignment: UInt32
    /// `stx_dio_offset_align`: O_DIRECT offset alignment.
    public var directIOOffsetAlignment: UInt32
    /// The remaining fields (subvolume, atomic-write limits and space for more).
    public var spare: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    /// `STATX_TYPE | STATX_MODE | … | STATX_BLOCKS`: the fields of stat(2).
    public static let basicStats: UInt32 = 0x7ff
    /// `STATX_BTIME`: the creation time.
    public static let birthTimeField: UInt32 = 0x800

    /// A zeroed status, ready to be filled.
    public init() {
        mask = 0
        blockSize = 0
        attributes = 0
        linkCount = 0
        userID = 0
        groupID = 0
        mode = 0
        spare0 = 0
        inode = 0
        size = 0
        blocks = 0
        attributesMask = 0
        accessTime = FileStatusTimestamp()
        birthTime = FileStatusTimestamp()
        changeTime = FileStatusTimestamp()
        modificationTime = FileStatusTimestamp()
        deviceMajor = 0
        deviceMinor = 0
        containerMajor = 0
        containerMinor = 0
        mountID = 0
        directIOMemoryAlignment = 0
        directIOOffsetAlignment = 0
        spare = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    }
}
