import Glibc

/// Sharing a source's blocks with a destination (`ioctl(FICLONE)`), where the file system can.
enum Reflink {
    /// `FICLONE`: `_IOW(0x94, 9, int)`.
    static let request: UInt = 0x4004_9409

    /// Makes `destination` share all of `source`'s blocks; the bytes it now holds, or
    /// nil when the file system cannot (`EOPNOTSUPP` on ext4 and tmpfs, `EXDEV`
    /// across file systems), which costs one failed system call.
    static func clone(_ source: CopySource, to destination: CopyDestination) -> Int? {
        guard source.expectedSize > 0, destination.hasOffsets else { return nil }
        var status = stat()
        guard fstat(destination.fd.rawValue, &status) == 0, status.st_dev == source.status.st_dev,
            ioctl(destination.fd.rawValue, request, source.fd.rawValue) == 0,
            fstat(destination.fd.rawValue, &status) == 0
        else { return nil }
        return Int(status.st_size)
    }
}
