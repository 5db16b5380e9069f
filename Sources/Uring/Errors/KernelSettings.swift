import Glibc

/// Kernel settings that decide whether io_uring may be used, read from `/proc`.
public enum KernelSettings {
    /// `kernel.io_uring_disabled` (Linux 6.6): 0 allows every process, 1 only
    /// CAP_SYS_ADMIN and the `kernel.io_uring_group`, 2 nobody; nil when absent.
    public static var ioUringDisabled: Int? {
        readNumber("/proc/sys/kernel/io_uring_disabled")
    }

    /// The first decimal number in a small file, or nil.
    static func readNumber(_ path: String) -> Int? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 64)
        let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        let text = String(decoding: bytes[..<count], as: UTF8.self)
        return Int(text.trimmingPrefix(while: { $0 == " " }).prefix { $0 == "-" || $0.isNumber })
    }
}
