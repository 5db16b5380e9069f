import Glibc
import Synchronization
import SystemPackage
import Uring

/// A byte buffer with a stable address, for async operations that hand memory
/// to the kernel.
///
/// **Ownership**: an async operation takes the buffer, keeps it alive until its
/// final completion (also after a cancel), and hands it back with the result, so
/// the caller reuses it. While an operation holds it, nobody else can touch its
/// bytes: every way in (``withUnsafeBytes(_:)``, ``withUnsafeMutableBytes(_:)``,
/// ``copyBytes(from:at:)``, ``bytes(count:)``) and a second operation throw
/// `EBUSY` until the operation's final completion. Access is lent only for the
/// length of a closure, so no pointer to the memory outlives it.
///
/// A ``Slice`` (``subscript(_:)``) names part of the buffer, so a short write or
/// send continues from where it stopped without copying the rest.
public final class IOBuffer: @unchecked Sendable {
    /// The memory: `capacity` bytes, aligned to 4096, zeroed at creation.
    let memory: UnsafeMutableRawBufferPointer
    /// Who holds the buffer: 0 nobody, 1 an operation in flight, -n n scoped accesses.
    private let holders = Atomic<Int>(0)

    /// How many bytes the buffer holds.
    public var capacity: Int { memory.count }

    /// Allocates `capacity` zeroed bytes (at least one).
    /// - Parameter capacity: the size in bytes; values below 1 become 1.
    /// - Throws: `UringError` `ENOMEM` naming the size when it exceeds the
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
        try copyBytes(from: bytes)
    }

    deinit { free(memory.baseAddress) }

    /// A copy of the first `count` bytes (fewer when the buffer is smaller).
    /// - Throws: `UringError` `EBUSY` while an operation holds the buffer.
    public func bytes(count: Int) throws -> [UInt8] {
        try withUnsafeBytes { Array($0[0..<min(max(0, count), capacity)]) }
    }

    /// Copies `bytes` into the buffer at `offset`.
    /// - Throws: `UringError` `EINVAL` when they do not fit; `EBUSY` while
    ///   an operation holds the buffer.
    public func copyBytes(from bytes: some Collection<UInt8>, at offset: Int = 0) throws {
        guard offset >= 0, bytes.count <= capacity - offset else {
            throw UringError(
                errno: .invalidArgument, operation: "IOBuffer",
                detail: "\(bytes.count) bytes at offset \(offset) do not fit a buffer of \(capacity)")
        }
        try withUnsafeMutableBytes { memory in
            _ = UnsafeMutableRawBufferPointer(rebasing: memory[offset..<offset + bytes.count])
                .initializeMemory(as: UInt8.self, from: bytes)
        }
    }

    /// Runs `body` with the buffer's bytes; the pointer must not escape `body`.
    /// - Throws: `UringError` `EBUSY` while an operation holds the buffer;
    ///   what `body` throws.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) throws -> Result {
        try enterScope()
        defer { holders.wrappingAdd(1, ordering: .releasing) }
        return try body(UnsafeRawBufferPointer(memory))
    }

    /// Runs `body` with the buffer's bytes to change; the pointer must not escape `body`.
    /// - Throws: `UringError` `EBUSY` while an operation holds the buffer;
    ///   what `body` throws.
    public func withUnsafeMutableBytes<Result>(_ body: (UnsafeMutableRawBufferPointer) throws -> Result) throws -> Result {
        try enterScope()
        defer { holders.wrappingAdd(1, ordering: .releasing) }
        return try body(memory)
    }

    /// The raw memory, for building a core operation to pass to
    /// ``RingExecutor/submit(_:keepAlive:timeout:)`` or a ``RingBatch`` with this
    /// buffer as `keepAlive`.
    ///
    /// **Unsafe**: nothing stops another reference from touching these bytes
    /// while the kernel uses them; the buffer's own operations do that for you.
    @unsafe public var unsafeMemory: UnsafeMutableRawBufferPointer { memory }

    /// Part of the buffer, for an operation that should use only those bytes.
    /// - Parameter range: positions within `0..<capacity`; checked when the
    ///   slice is used.
    public subscript(_ range: Range<Int>) -> Slice { Slice(buffer: self, range: range) }

    /// Part of an ``IOBuffer``: an operation given a slice uses only its bytes
    /// and hands the whole buffer back.
    public struct Slice: Sendable {
        /// The buffer the bytes belong to.
        public let buffer: IOBuffer
        /// The positions of the bytes in the buffer.
        public let range: Range<Int>
    }

    /// Marks the buffer held by an operation in flight.
    /// - Throws: `UringError` `EBUSY`, naming `opcode`, when an operation
    ///   or a scoped access already holds it.
    func lend(to opcode: Opcode) throws {
        let (exchanged, holder) = holders.compareExchange(expected: 0, desired: 1, ordering: .acquiringAndReleasing)
        guard exchanged else {
            throw UringError(
                errno: .resourceBusy, operation: opcode.operationName,
                detail: holder > 0
                    ? "the IOBuffer is held by another operation until its completion"
                    : "the IOBuffer is being read or written in a withUnsafe…Bytes closure")
        }
    }

    /// Ends an operation's hold, after its final completion.
    func giveBack() { holders.store(0, ordering: .releasing) }

    /// Starts a scoped access, unless an operation holds the buffer.
    private func enterScope() throws {
        var current = holders.load(ordering: .acquiring)
        while true {
            guard current <= 0 else {
                throw UringError(
                    errno: .resourceBusy, operation: "IOBuffer",
                    detail: "an operation holds the buffer until its completion; use the buffer it hands back")
            }
            let (exchanged, seen) = holders.compareExchange(
                expected: current, desired: current - 1, ordering: .acquiringAndReleasing)
            if exchanged { return }
            current = seen
        }
    }
}
