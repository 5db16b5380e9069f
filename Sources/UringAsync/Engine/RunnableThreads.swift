import Glibc

/// How many threads the system runs or could run right now: the number
/// before the slash in `/proc/loadavg` ("0.52 0.58 0.59 3/612 4021").
///
/// Opened once, closed with the last reference; each ``count()`` is one
/// `pread(2)` of a few dozen bytes.
final class RunnableThreads {
    private let descriptor: Int32
    /// The online CPUs, at least one.
    let processors = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    /// Opens `/proc/loadavg`; nil where it cannot be read.
    init?() {
        descriptor = open("/proc/loadavg", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
    }

    deinit { Glibc.close(descriptor) }

    /// The runnable threads now, this one included; nil when the file cannot be read or parsed.
    func count() -> Int? {
        var text: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &text) { bytes -> Int? in
            let length = pread(descriptor, bytes.baseAddress, bytes.count, 0)
            guard length > 0 else { return nil }
            return Self.parse(UnsafeRawBufferPointer(rebasing: bytes[..<length]))
        }
    }

    /// The number after the third space and before the slash.
    static func parse(_ text: UnsafeRawBufferPointer) -> Int? {
        var spaces = 0
        var value: Int?
        for byte in text {
            if byte == UInt8(ascii: " ") {
                spaces += 1
                if spaces > 3 { return nil }
            } else if spaces == 3 {
                if byte == UInt8(ascii: "/") { return value }
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = (value ?? 0) * 10 + Int(byte - UInt8(ascii: "0"))
            }
        }
        return nil
    }
}
