import Glibc
import SystemPackage
import Uring

/// A byte buffer with a stable address, for async operations that hand memory
/// to the kernel.
///
/// **Ownership**: an async operation takes the buffer, keeps it alive until its
/// final completion (also after a cancel), and hands it back with the result, so
/// the caller reuses it. While an operation holds it, nobody else touches its
/// bytes: the API moves it in and out rather than sharing it.
public final class IOBuffer: @unchecked Sendable {
    /// The memory: `capacity` bytes, aligned to 4096, zeroed at creation.
    public let memory: UnsafeMutableRawBufferPointer

    /// How many bytes the buffer holds.
    public var capacity: Int { memory.count }

    /// Allocates `capacity` zeroed bytes (at least one).
    /// - Parameter capacity: the size in bytes; values below 1 become 1.
    /// - Throws: ``Uring/UringError`` `ENOMEM` naming the size when it exceeds the
    ///   machine's memory or cannot be allocated.
    public init(capacity: Int) throws {
        let size = try SizeChecks.totalBytes(count: 1, size: max(1, capacity), operation: "IOBuffer", what: "buffer")
        var address: UnsafeMutableRawPointer?
        let result = posix_memalign(&address, 4096, size)
        guard result == 0, let address else {
            throw UringError(errno: Errno(rawValue: result), operation: "IOBuffer", detail: "allocating \(size) bytes failed")
        }
        memory = UnsafeMutableRawBufferPointer(start: address, count: size)
        memory.initializeMemory(as: UInt8.self, repeating: 0)
    }

    /// A buffer holding a copy of `bytes`.
    /// - Throws: as ``init(capacity:)``.
    public convenience init(copying bytes: some Collection<UInt8>) throws {
        try self.init(capacity: bytes.count)
        _ = UnsafeMutableRawBufferPointer(rebasing: memory[0..<bytes.count]).initializeMemory(
            as: UInt8.self, from: bytes)
    }

    /// A copy of the first `count` bytes.
    public func bytes(count: Int) -> [UInt8] {
        Array(memory[0..<min(max(0, count), capacity)])
    }

    deinit { free(memory.baseAddress) }
}
