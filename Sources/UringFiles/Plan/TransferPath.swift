import Uring

extension UringFiles {
    /// What moved the bytes: the io_uring pipeline, a reflink, or plain system calls.
    public enum TransferPath: Sendable, Equatable, CustomStringConvertible {
        /// io_uring: chunks pipelined through one ring.
        case ioUring
        /// The file system shared the source's blocks with the destination
        /// (`ioctl(FICLONE)`, a reflink: btrfs, XFS, bcachefs); no bytes were copied.
        case reflink
        /// Plain `pread`/`pwrite`, because setting up a ring failed with the error given
        /// (`EPERM` or `ENOSYS`: seccomp, `kernel.io_uring_disabled`).
        case syscalls(UringError)

        /// `io_uring`, `reflink (FICLONE)`, or `plain syscalls (…why…)`.
        public var description: String {
            switch self {
            case .ioUring: "io_uring"
            case .reflink: "reflink (FICLONE)"
            case .syscalls(let error): "plain syscalls (io_uring unavailable: \(error))"
            }
        }
    }

    /// The engine the helpers use in this process, decided once by setting up a
    /// small ring: ``TransferPath/ioUring`` unless the kernel refuses io_uring
    /// with `EPERM`, `ENOSYS` or `EACCES` (then ``TransferPath/syscalls(_:)``);
    /// other setup failures are thrown by the helpers themselves. A single copy
    /// may still be a ``TransferPath/reflink``: ``CopyReport/path`` says what ran.
    public static var transferPath: TransferPath { decidedPath }

    private static let decidedPath: TransferPath = {
        do {
            _ = try Ring(entries: 2, options: .plain)
            return .ioUring
        } catch let error as UringError where [.notPermitted, .noFunction, .permissionDenied].contains(error.errno) {
            return .syscalls(error)
        } catch {
            return .ioUring
        }
    }()
}
