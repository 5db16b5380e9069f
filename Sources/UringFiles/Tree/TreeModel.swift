import Glibc
import SystemPackage
import Uring

/// What a tree copy learned about one entry's source: the fields of `statx` it uses.
struct EntryStatus {
    var mode: mode_t = 0
    var size = 0
    var owner: uid_t = 0
    var group: gid_t = 0
    var accessed = timespec()
    var modified = timespec()
    /// The device a special file stands for (`st_rdev`).
    var device: dev_t = 0
    /// The device holding the entry (`st_dev`).
    var fileSystem: dev_t = 0

    /// The fields of a statx(2) result.
    init(_ status: FileStatus) {
        mode = mode_t(status.mode)
        size = Int(status.size)
        owner = status.userID
        group = status.groupID
        accessed = timespec(tv_sec: Int(status.accessTime.seconds), tv_nsec: Int(status.accessTime.nanoseconds))
        modified = timespec(
            tv_sec: Int(status.modificationTime.seconds), tv_nsec: Int(status.modificationTime.nanoseconds))
        device = Self.device(major: status.deviceMajor, minor: status.deviceMinor)
        fileSystem = Self.device(major: status.containerMajor, minor: status.containerMinor)
    }

    /// The fields of a stat(2) result.
    init(_ status: stat) {
        mode = status.st_mode
        size = Int(status.st_size)
        owner = status.st_uid
        group = status.st_gid
        accessed = status.st_atim
        modified = status.st_mtim
        device = status.st_rdev
        fileSystem = status.st_dev
    }

    /// glibc's `makedev`.
    static func device(major: UInt32, minor: UInt32) -> dev_t {
        let high = UInt64(major)
        let low = UInt64(minor)
        let majorBits: UInt64 = ((high & 0xFFFF_F000) << 32) | ((high & 0xFFF) << 8)
        let minorBits: UInt64 = ((low & 0xFFFF_FF00) << 12) | (low & 0xFF)
        return dev_t(majorBits | minorBits)
    }

    /// The permission bits, set-id and sticky bits included.
    var permissions: mode_t { mode & 0o7777 }
    /// The type bits.
    var type: mode_t { mode & S_IFMT }
}

/// One entry of a tree being copied.
struct TreeEntry {
    /// What the entry is, once its status is known.
    enum Kind: Equatable {
        case directory, regular, symlink, special
        /// `DT_UNKNOWN` from the listing; statx decides.
        case unknown
    }

    var kind: Kind
    /// The parent directory's index; -1 for the root.
    var parent: Int
    /// The source path.
    var source: UnsafePointer<CChar>
    /// The destination path.
    var destination: UnsafePointer<CChar>
    var status = EntryStatus(stat())
    /// What a symbolic link points to.
    var linkTarget: UnsafePointer<CChar>?
    /// Whether the entry, or a directory above it, could not be copied.
    var failed = false
}

/// A tree being copied: every entry found so far, their paths, and what failed.
struct Tree {
    var entries: [TreeEntry] = []
    var failures: [UringFiles.TreeCopyFailure] = []
    /// Owns every path and link target the entries point to.
    let paths = PathArena()
    /// Directories found and not yet listed, in the order found (breadth first).
    var unlisted: [Int] = []
    private var nextUnlisted = 0

    /// A tree whose root is `source`, to be copied to `destination`.
    init(source: FilePath, destination: FilePath) {
        entries.append(
            TreeEntry(kind: .unknown, parent: -1, source: paths.append(source), destination: paths.append(destination)))
    }

    /// The source path of entry `index`, for messages.
    func sourcePath(_ index: Int) -> FilePath { FilePath(platformString: entries[index].source) }

    /// The destination path of entry `index`, for messages.
    func destinationPath(_ index: Int) -> FilePath { FilePath(platformString: entries[index].destination) }

    /// Records that entry `index` could not be copied.
    mutating func fail(_ index: Int, _ error: UringError) {
        guard !entries[index].failed else { return }
        entries[index].failed = true
        failures.append(UringFiles.TreeCopyFailure(path: sourcePath(index), error: error))
    }

    /// Sets entry `index`'s status and kind; queues a directory the listing did not
    /// already name as one.
    mutating func record(_ status: EntryStatus, for index: Int) {
        entries[index].status = status
        switch status.type {
        case S_IFDIR:
            if entries[index].kind != .directory { unlisted.append(index) }
            entries[index].kind = .directory
        case S_IFREG: entries[index].kind = .regular
        case S_IFLNK: entries[index].kind = .symlink
        default: entries[index].kind = .special
        }
    }

    /// The next directory to list, if any.
    mutating func nextDirectory() -> Int? {
        guard nextUnlisted < unlisted.count else { return nil }
        defer { nextUnlisted += 1 }
        return unlisted[nextUnlisted]
    }

    /// Lists directory `index` on the calling thread (getdents64 through readdir)
    /// and appends its entries; their indices. Subdirectories the listing names as
    /// such are queued for listing at once. A directory that cannot be listed is
    /// recorded as a failure and lists as empty.
    mutating func list(_ index: Int, operation: String) -> Range<Int> {
        let first = entries.count
        let fd = open(entries[index].source, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0, let directory = fdopendir(fd) else {
            let error = Errno(rawValue: errno)
            if fd >= 0 { close(fd) }
            fail(index, UringError(errno: error, operation: operation, detail: "listing \(sourcePath(index)) failed"))
            return first..<first
        }
        defer { closedir(directory) }
        while let item = readdir(directory) {
            let kind = withUnsafeBytes(of: item.pointee.d_name) { name -> TreeEntry.Kind? in
                let bytes = name.bindMemory(to: CChar.self)
                let base = bytes.baseAddress!
                if base[0] == 0x2E && (base[1] == 0 || (base[1] == 0x2E && base[2] == 0)) { return nil }
                entries.append(
                    TreeEntry(
                        kind: .unknown, parent: index, source: paths.append(entries[index].source, base),
                        destination: paths.append(entries[index].destination, base)))
                return .unknown
            }
            guard kind != nil else { continue }
            switch Int32(item.pointee.d_type) {
            case Int32(DT_DIR):
                entries[entries.count - 1].kind = .directory
                unlisted.append(entries.count - 1)
            case Int32(DT_REG): entries[entries.count - 1].kind = .regular
            case Int32(DT_LNK): entries[entries.count - 1].kind = .symlink
            case Int32(DT_UNKNOWN): break
            default: entries[entries.count - 1].kind = .special
            }
        }
        return first..<entries.count
    }

    /// Reads the target of symbolic link `index` on the calling thread.
    mutating func readLink(_ index: Int, operation: String) {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(entries[index].source, &buffer, buffer.count - 1)
        guard count >= 0 else {
            fail(
                index,
                UringError(
                    errno: Errno(rawValue: errno), operation: operation,
                    detail: "reading the link \(sourcePath(index)) failed"))
            return
        }
        entries[index].linkTarget = buffer.withUnsafeBufferPointer { paths.append($0.baseAddress!, count: count) }
    }

    /// Whether entry `index` sits below a directory that failed.
    func parentFailed(_ index: Int) -> Bool {
        let parent = entries[index].parent
        return parent >= 0 && entries[parent].failed
    }
}
