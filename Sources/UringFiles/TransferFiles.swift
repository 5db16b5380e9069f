import Glibc
import SystemPackage
import Uring

/// Opening the two ends of a transfer with the checks the helpers promise.
enum TransferFiles {
    /// An open source: its descriptor, size and permission bits.
    struct Source {
        let fd: FileDescriptor
        let size: Int
        let permissions: mode_t
        let device: UInt
        let inode: UInt
    }

    /// Opens `path` for reading and reads its size and mode.
    /// - Throws: ``UringError`` for `open` or `fstat`, naming the path; `EISDIR` for a directory.
    static func openSource(_ path: FilePath, operation: String) throws -> Source {
        let fd = try open(path, O_RDONLY, mode: 0, operation: operation)
        var status = stat()
        guard fstat(fd.rawValue, &status) == 0 else {
            let error = Errno(rawValue: Glibc.errno)
            try? fd.close()
            throw UringError(errno: error, operation: operation, detail: "fstat of \(path) failed")
        }
        guard status.st_mode & S_IFMT != S_IFDIR else {
            try? fd.close()
            throw UringError(errno: .isDirectory, operation: operation, detail: "\(path) is a directory")
        }
        return Source(
            fd: fd, size: Int(status.st_size), permissions: status.st_mode & 0o7777,
            device: UInt(status.st_dev), inode: UInt(status.st_ino))
    }

    /// Creates or truncates `path` for writing with `permissions` (set exactly,
    /// whatever the umask), refusing the source itself.
    /// - Throws: ``UringError`` `EINVAL` when `path` is the source (or a link to it); for `open`.
    static func createDestination(
        _ path: FilePath, permissions: mode_t, notSameAs source: Source?, operation: String
    ) throws -> FileDescriptor {
        if let source {
            var status = stat()
            if stat(path.string, &status) == 0 && UInt(status.st_dev) == source.device
                && UInt(status.st_ino) == source.inode
            {
                throw UringError(
                    errno: .invalidArgument, operation: operation,
                    detail: "\(path) is the source file itself: copying a file onto itself would destroy it")
            }
        }
        let fd = try open(path, O_WRONLY | O_CREAT | O_TRUNC, mode: permissions, operation: operation)
        if fchmod(fd.rawValue, permissions) != 0 {
            let error = Errno(rawValue: Glibc.errno)
            try? fd.close()
            throw UringError(errno: error, operation: operation, detail: "setting the mode of \(path) failed")
        }
        return fd
    }

    private static func open(_ path: FilePath, _ flags: Int32, mode: mode_t, operation: String) throws -> FileDescriptor {
        let fd = path.withPlatformString { Glibc.open($0, flags | O_CLOEXEC, mode) }
        guard fd >= 0 else {
            throw UringError(
                errno: Errno(rawValue: Glibc.errno), operation: operation, detail: "opening \(path) failed")
        }
        return FileDescriptor(rawValue: fd)
    }

    /// The file system type of the mount holding `path` (`ext4`, `tmpfs`, …), from
    /// /proc/self/mountinfo matched by device number; nil when unknown.
    static func fileSystemType(of path: FilePath) -> String? {
        var status = stat()
        guard stat(path.string, &status) == 0 else { return nil }
        let device = UInt64(status.st_dev)
        let major = ((device >> 8) & 0xFFF) | ((device >> 32) & ~0xFFF)
        let minor = (device & 0xFF) | ((device >> 12) & ~0xFF)
        guard let table = readText("/proc/self/mountinfo") else { return nil }
        let wanted = "\(major):\(minor)"
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count > 2, fields[2] == wanted, let dash = fields.firstIndex(of: "-"), dash + 1 < fields.count
            else { continue }
            return String(fields[dash + 1])
        }
        return nil
    }

    /// The whole text of a small file such as one under /proc (whose size reads as 0).
    private static func readText(_ path: String) -> String? {
        guard let file = try? FileDescriptor.open(FilePath(path), .readOnly) else { return nil }
        defer { try? file.close() }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while let count = try? chunk.withUnsafeMutableBytes({ try file.read(into: $0) }), count > 0 {
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
