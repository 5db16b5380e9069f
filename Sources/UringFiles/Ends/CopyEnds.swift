import Glibc
import SystemPackage
import Uring

/// An open source file and what a copy may believe about it.
struct CopySource {
    /// The descriptor, closed by the caller.
    let fd: FileDescriptor
    /// What `fstat` said when the copy started.
    let status: stat
    /// The bytes the copy expects before it checks for the end: `st_size` for a
    /// regular file on a file system that stores data, 0 for everything else
    /// (procfs, sysfs, pipes, devices), whose end only a read returning 0 tells.
    let expectedSize: Int
    /// Whether reads address offsets (regular files, block devices) rather than the
    /// current position (pipes, character devices), which allows one read at a time.
    let hasOffsets: Bool
    /// Whether io_uring reads it in the submitting thread (see ``FileSystemFacts/readsRunInline(_:)``).
    let readsInline: Bool

    /// The permission bits, set-id and sticky bits included.
    var permissions: mode_t { status.st_mode & 0o7777 }

    /// Opens `path` for reading.
    ///
    /// Opening a FIFO waits for a writer, as open(2) (and `cp`) does. With a
    /// progress callback the wait can be given up: the callback is called with
    /// (0, 0) every ``writerWaitSlice`` while the open waits (``FIFOOpening``).
    /// - Throws: `UringError` for `open` or `fstat`, naming the path; `EISDIR` for a
    ///   directory; `ECANCELED` when the callback gives up waiting for a writer.
    static func open(_ path: FilePath, plan: TransferPlan) throws -> CopySource {
        let fd =
            try isFIFO(path) && plan.progress != nil
            ? FIFOOpening.open(path, plan: plan) : FileCalls.open(path, O_RDONLY, plan: plan)
        var status = stat()
        guard fstat(fd.rawValue, &status) == 0 else {
            let failure = Errno(rawValue: errno)
            try? fd.close()
            throw plan.error(failure, "fstat of \(path) failed")
        }
        guard status.st_mode & S_IFMT != S_IFDIR else {
            try? fd.close()
            throw plan.error(.isDirectory, "\(path) is a directory")
        }
        let trusted = FileSystemFacts.sizeIsTrusted(fd, status: status)
        let offsets = FileSystemFacts.hasOffsets(status.st_mode)
        return CopySource(
            fd: fd, status: status, expectedSize: trusted ? Int(status.st_size) : 0, hasOffsets: offsets,
            readsInline: offsets && FileSystemFacts.readsRunInline(fd))
    }
}

/// An open destination file.
struct CopyDestination {
    /// The descriptor, closed by the caller.
    let fd: FileDescriptor
    /// Whether writes address offsets (a regular file) rather than the current
    /// position (a pipe, `/dev/null`), which allows one write at a time.
    let hasOffsets: Bool

    /// Creates or truncates `path` for writing. A new or truncated regular file gets
    /// `permissions` exactly, whatever the umask; an existing pipe or device is
    /// written as it is.
    /// - Parameters:
    ///   - source: the copy's source, which `path` must not be (nor a link to it).
    ///   - noClobber: leave an existing `path` alone; the result is then nil.
    /// - Throws: `UringError` `EINVAL` when `path` is the source; for `open` or `fchmod`.
    static func create(
        _ path: FilePath, permissions: mode_t, notSameAs source: CopySource?, noClobber: Bool, plan: TransferPlan
    ) throws -> CopyDestination? {
        var existing = stat()
        let exists = stat(path.string, &existing) == 0
        if exists, let source, existing.st_dev == source.status.st_dev, existing.st_ino == source.status.st_ino {
            throw plan.error(
                .invalidArgument, "\(path) is the source file itself: copying a file onto itself would destroy it")
        }
        if exists && noClobber { return nil }
        let flags = O_WRONLY | O_CREAT | (noClobber ? O_EXCL : O_TRUNC)
        let fd: FileDescriptor
        do {
            fd = try FileCalls.open(path, flags, mode: permissions, plan: plan)
        } catch let error as UringError where noClobber && error.errno == .fileExists {
            return nil
        }
        var status = stat()
        guard fstat(fd.rawValue, &status) == 0 else {
            let failure = Errno(rawValue: errno)
            try? fd.close()
            throw plan.error(failure, "fstat of \(path) failed")
        }
        let regular = status.st_mode & S_IFMT == S_IFREG
        if regular && status.st_mode & 0o7777 != permissions && fchmod(fd.rawValue, permissions) != 0 {
            let failure = Errno(rawValue: errno)
            try? fd.close()
            throw plan.error(failure, "setting the mode of \(path) failed")
        }
        return CopyDestination(fd: fd, hasOffsets: FileSystemFacts.hasOffsets(status.st_mode))
    }
}

extension CopySource {
    /// How often the progress callback is asked while a FIFO waits for a writer.
    static let writerWaitSlice = Duration.milliseconds(100)

    /// Whether `path` names a FIFO (following links, as open(2) does).
    static func isFIFO(_ path: FilePath) -> Bool {
        var status = stat()
        return path.withPlatformString { stat($0, &status) } == 0 && status.st_mode & S_IFMT == S_IFIFO
    }
}

/// The plain system calls the helpers make on the calling thread, with their errors.
enum FileCalls {
    /// open(2) with `O_CLOEXEC`, retried on `EINTR`.
    /// - Throws: `UringError` naming the path.
    static func open(_ path: FilePath, _ flags: Int32, mode: mode_t = 0, plan: TransferPlan) throws -> FileDescriptor {
        while true {
            let fd = path.withPlatformString { Glibc.open($0, flags | O_CLOEXEC, mode) }
            if fd >= 0 { return FileDescriptor(rawValue: fd) }
            if errno == EINTR { continue }
            throw plan.error(Errno(rawValue: errno), "opening \(path) failed")
        }
    }

    /// Gives `fd` the access and modification times of `status` and, where the
    /// process may, its owner and group (`cp -p`); ownership that may not be given
    /// is left as it is, as `cp -p` does.
    /// - Throws: `UringError` when the times cannot be set.
    static func preserveAttributes(of status: EntryStatus, on fd: FileDescriptor, path: FilePath, plan: TransferPlan)
        throws
    {
        if fchown(fd.rawValue, status.owner, status.group) == 0 && status.mode & 0o6000 != 0 {
            _ = fchmod(fd.rawValue, status.permissions)
        }
        var times = [status.accessed, status.modified]
        guard futimens(fd.rawValue, &times) == 0 else {
            throw plan.error(Errno(rawValue: errno), "setting the times of \(path) failed")
        }
    }
}
