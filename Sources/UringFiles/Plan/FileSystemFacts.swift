import CUringFiles
import Glibc
import SystemPackage

/// What a copy may believe about an open file, from `fstat`, `fstatfs` and one probe.
enum FileSystemFacts {
    /// File systems whose `st_size` does not tell how many bytes a read returns:
    /// procfs (size 0), sysfs (4096 for a few bytes), debugfs, tracefs, cgroup,
    /// securityfs, configfs, bpffs, efivarfs, pstore. Values are the kernel's `*_MAGIC`.
    static let sizeLessFileSystems: Set<Int> = [
        0x9FA0,  // PROC_SUPER_MAGIC
        0x6265_6572,  // SYSFS_MAGIC
        0x6462_6720,  // DEBUGFS_MAGIC
        0x7472_6163,  // TRACEFS_MAGIC
        0x0027_E0EB,  // CGROUP_SUPER_MAGIC
        0x6367_7270,  // CGROUP2_SUPER_MAGIC
        0x7363_6673,  // SECURITYFS_MAGIC
        0x6265_6570,  // CONFIGFS_MAGIC
        0xCAFE_4A11,  // BPF_FS_MAGIC
        0xDE5E_81E4,  // EFIVARFS_MAGIC
        0x6165_676C,  // PSTOREFS_MAGIC
    ]

    /// Whether the size `fstat` reports for `fd` is the number of bytes it holds:
    /// true for regular files on file systems that store data, false for procfs,
    /// sysfs and the like, and for pipes and devices.
    static func sizeIsTrusted(_ fd: FileDescriptor, status: stat) -> Bool {
        guard status.st_mode & S_IFMT == S_IFREG else { return false }
        var type = 0
        guard cuf_file_system_type(fd.rawValue, &type) == 0 else { return true }
        return !sizeLessFileSystems.contains(type)
    }

    /// Whether io_uring can read `fd` inline, in the submitting thread, rather than
    /// in an io-wq worker: the file supports `RWF_NOWAIT` (ext4, XFS, btrfs do;
    /// tmpfs and procfs do not on Linux 6.18). Probed with a 1-byte `preadv2` at
    /// offset 0, which reads nothing a copy depends on; only for files with offsets.
    static func readsRunInline(_ fd: FileDescriptor) -> Bool {
        var byte: UInt8 = 0
        let result = cuf_pread2(fd.rawValue, &byte, 1, 0, Self.noWaitFlag)
        return result >= 0 || (result != -Int(EOPNOTSUPP) && result != -Int(EINVAL))
    }

    /// `TMPFS_MAGIC`.
    static let tmpfs = 0x0102_1994

    /// Whether reserving a destination's blocks before writing it
    /// (`fallocate(FALLOC_FL_KEEP_SIZE)`) makes the writes faster: on ext4 buffered
    /// writes into reserved blocks skip delayed allocation and ran 1.5–1.8× faster
    /// (docs/BENCHMARKS.md, "Levers"); on tmpfs reserving means zeroing pages the
    /// writes then overwrite, so it does not pay there.
    static func preallocationPays(_ fd: FileDescriptor) -> Bool {
        var type = 0
        return cuf_file_system_type(fd.rawValue, &type) == 0 && type != tmpfs
    }

    /// Files smaller than this are not preallocated: one more request costs more
    /// than it saves.
    static let smallestPreallocation = 1 << 20

    /// `RWF_NOWAIT`.
    static let noWaitFlag: Int32 = 0x8

    /// Whether `mode` names a file with offsets, which reads and writes may address
    /// directly (regular files and block devices); pipes, sockets and character
    /// devices are read and written at their current position, in order.
    static func hasOffsets(_ mode: mode_t) -> Bool {
        let type = mode & S_IFMT
        return type == S_IFREG || type == S_IFBLK
    }
}
