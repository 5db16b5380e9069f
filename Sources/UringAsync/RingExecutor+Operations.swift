import Glibc
import SystemPackage
import Uring

extension RingExecutor {
    /// `IORING_OP_NOP`: a round trip through the ring (Linux 5.1).
    /// - Throws: as ``submit(_:keepAlive:timeout:)``.
    nonisolated(nonsending) public func nop() async throws {
        _ = try await submit(Nop()).value(for: "nop")
    }

    /// `IORING_OP_READ`, like `pread(2)`: reads up to `count` bytes (default: the
    /// buffer's capacity) at `offset` (nil: the file position) into `buffer` (Linux 5.6).
    ///
    /// **Ownership**: the buffer belongs to the kernel until the read's final
    /// completion and comes back with the result.
    /// - Returns: the bytes read (0 at end of file) and the buffer.
    /// - Throws: ``UringError`` with the kernel's errno and operation `read`;
    ///   `CancellationError` when cancelled before the read finished.
    nonisolated(nonsending) public func read(
        _ file: FileDescriptor, into buffer: IOBuffer, count: Int? = nil, at offset: UInt64? = nil
    ) async throws -> (count: Int, buffer: IOBuffer) {
        try await transfer("read", buffer, count: count, at: offset) { Read(.descriptor(file), into: $0, at: offset ?? UInt64.max) }
    }

    /// `IORING_OP_WRITE`, like `pwrite(2)`: writes the first `count` bytes (default:
    /// all) of `buffer` at `offset` (nil: the file position) (Linux 5.6). One write:
    /// the count may be short, as with `pwrite(2)`.
    ///
    /// **Ownership**: as ``read(_:into:count:at:)``.
    /// - Returns: the bytes written and the buffer.
    /// - Throws: ``UringError`` with the kernel's errno and operation `write`.
    nonisolated(nonsending) public func write(
        _ file: FileDescriptor, from buffer: IOBuffer, count: Int? = nil, at offset: UInt64? = nil
    ) async throws -> (count: Int, buffer: IOBuffer) {
        try await transfer("write", buffer, count: count, at: offset) {
            Write(.descriptor(file), from: UnsafeRawBufferPointer($0), at: offset ?? UInt64.max)
        }
    }

    /// Writes the bytes of `buffer` in `range` at `offset`: one `IORING_OP_WRITE`
    /// (used to resubmit the rest of a short write).
    /// - Returns: the bytes written.
    nonisolated(nonsending) func write(_ file: FileDescriptor, from buffer: IOBuffer, range: Range<Int>, at offset: UInt64) async throws -> Int {
        let region = UnsafeRawBufferPointer(rebasing: buffer.memory[range])
        let completion = try await submit(Write(.descriptor(file), from: region, at: offset), keepAlive: buffer)
        return Int(try completion.value(for: "write"))
    }

    /// Submits the operation `make` builds over the first `count` bytes (default:
    /// all) of `buffer`, keeping the buffer alive until the final completion.
    /// - Returns: the completion's byte count and the buffer.
    /// - Throws: ``UringError`` `EINVAL` for a count outside the buffer, else with
    ///   the kernel's errno and operation `name`.
    nonisolated(nonsending) func transfer<Operation: RingOperation>(
        _ name: String, _ buffer: IOBuffer, count: Int?, at offset: UInt64? = nil, timeout: Duration? = nil,
        _ make: (UnsafeMutableRawBufferPointer) -> Operation
    ) async throws -> (count: Int, buffer: IOBuffer) {
        let length = try Self.checkedLength(count, in: buffer, operation: name)
        let operation = make(UnsafeMutableRawBufferPointer(rebasing: buffer.memory[0..<length]))
        let done = try await value(of: operation, name, keepAlive: buffer, timeout: timeout, offset: offset, length: length)
        return (Int(done), buffer)
    }

    /// `count` when it fits the buffer, else the buffer's capacity.
    static func checkedLength(_ count: Int?, in buffer: IOBuffer, operation: String) throws -> Int {
        let length = count ?? buffer.capacity
        guard length >= 0, length <= buffer.capacity else {
            throw UringError(
                errno: .invalidArgument, operation: operation,
                detail: "count \(length) is outside the buffer's capacity 0...\(buffer.capacity)")
        }
        return length
    }
}
