import Glibc
import SystemPackage
import Uring

extension RingExecutor {
    /// `IORING_OP_READ`, like `pread(2)`: reads up to `count` bytes (default: the
    /// buffer's capacity) at `offset` (nil: the file position) into `buffer` (Linux 5.6).
    ///
    /// **Ownership**: the buffer belongs to the kernel until the read's final
    /// completion and comes back with the result.
    /// - Returns: the bytes read (0 at end of file) and the buffer.
    /// - Throws: `UringError` with the kernel's errno and operation `read`;
    ///   `CancellationError` when cancelled before the read finished.
    nonisolated(nonsending) public func read(
        _ file: FileDescriptor, into buffer: IOBuffer, count: Int? = nil, at offset: UInt64? = nil
    ) async throws -> (count: Int, buffer: IOBuffer) {
        let region = try Self.region(count: count, in: buffer, for: .read)
        return try await awaitTransfer(.read, buffer, region: region, at: offset) {
            // SAFETY: $0 lies in the buffer awaitTransfer holds and keeps alive until the final completion.
            Read(.descriptor(file), into: $0, at: offset ?? UInt64.max)
        }
    }

    /// `IORING_OP_WRITE`, like `pwrite(2)`: writes the first `count` bytes (default:
    /// all) of `buffer` at `offset` (nil: the file position) (Linux 5.6). One write:
    /// the count may be short, as with `pwrite(2)`.
    ///
    /// **Ownership**: as ``read(_:into:count:at:)``.
    /// - Returns: the bytes written and the buffer.
    /// - Throws: `UringError` with the kernel's errno and operation `write`.
    nonisolated(nonsending) public func write(
        _ file: FileDescriptor, from buffer: IOBuffer, count: Int? = nil, at offset: UInt64? = nil
    ) async throws -> (count: Int, buffer: IOBuffer) {
        try await write(file, from: buffer[try Self.region(count: count, in: buffer, for: .write)], at: offset)
    }

    /// `IORING_OP_WRITE` of the bytes `slice` names, at `offset` (nil: the file
    /// position) (Linux 5.6): how a short write continues from where it stopped,
    /// without copying the rest. The count may be short, as with `pwrite(2)`.
    ///
    /// **Ownership**: the slice's buffer belongs to the kernel until the final
    /// completion and comes back, whole, with the result.
    /// - Returns: the bytes written and the buffer.
    /// - Throws: `UringError` `EINVAL` for a slice outside its buffer; else with
    ///   the kernel's errno and operation `write`.
    nonisolated(nonsending) public func write(
        _ file: FileDescriptor, from slice: IOBuffer.Slice, at offset: UInt64? = nil
    ) async throws -> (count: Int, buffer: IOBuffer) {
        let region = try Self.region(of: slice, for: .write)
        return try await awaitTransfer(.write, slice.buffer, region: region, at: offset) {
            // SAFETY: as for read: the buffer is held and kept alive by awaitTransfer.
            Write(.descriptor(file), from: UnsafeRawBufferPointer($0), at: offset ?? UInt64.max)
        }
    }

    /// Chunks read from `file` (a pipe, a socket, a character device):
    /// `IORING_OP_READ_MULTISHOT` (Linux 6.7) into a provided-buffer ring, as
    /// ``receiveStream(_:buffers:bufferSize:limit:)``. The stream ends at end of file.
    public func readStream(
        _ file: FileDescriptor, buffers: UInt32 = 16, bufferSize: Int = 4096, limit: Int = 64
    ) -> RingStream<[UInt8]> {
        copyingBufferStream(buffers: buffers, bufferSize: bufferSize, limit: limit) { group in
            ReadMultishot(.descriptor(file), bufferGroup: group)
        }
    }
}
