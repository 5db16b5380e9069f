import Glibc
import SystemPackage
import Uring

extension RingExecutor {
    /// `IORING_OP_SEND`, like send(2) (Linux 5.6): one send of up to `count` bytes
    /// (default: all) of `buffer`; the count may be short.
    ///
    /// **Ownership**: the buffer belongs to the kernel until the final completion
    /// and comes back with the result.
    /// - Throws: `UringError` with the kernel's errno (`EPIPE`, …) and operation `send`.
    nonisolated(nonsending) public func send(
        _ socket: FileDescriptor, from buffer: IOBuffer, count: Int? = nil, flags: MessageFlags = [], timeout: Duration? = nil
    ) async throws -> (count: Int, buffer: IOBuffer) {
        let region = try Self.region(count: count, in: buffer, for: .send)
        return try await send(socket, from: buffer[region], flags: flags, timeout: timeout)
    }

    /// `IORING_OP_SEND` of the bytes `slice` names (Linux 5.6): how a short send
    /// continues from where it stopped, without copying the rest.
    ///
    /// **Ownership**: the slice's buffer belongs to the kernel until the final
    /// completion and comes back, whole, with the result.
    /// - Throws: `UringError` `EINVAL` for a slice outside its buffer; else with
    ///   the kernel's errno and operation `send`.
    nonisolated(nonsending) public func send(
        _ socket: FileDescriptor, from slice: IOBuffer.Slice, flags: MessageFlags = [], timeout: Duration? = nil
    ) async throws -> (count: Int, buffer: IOBuffer) {
        let region = try Self.region(of: slice, for: .send)
        return try await awaitTransfer(.send, slice.buffer, region: region, timeout: timeout) {
            // SAFETY: the slice lies in the buffer awaitTransfer holds and keeps alive.
            Send(.descriptor(socket), .plain(UnsafeRawBufferPointer($0)), flags: flags.rawValue)
        }
    }

    /// `IORING_OP_SEND_ZC` of the bytes `slice` names (Linux 6.0): the kernel
    /// sends straight from the buffer instead of copying it into the socket.
    /// Pays for large buffers; for small ones the notification costs more than the copy.
    ///
    /// **Ownership**: the buffer belongs to the kernel until the notification that
    /// it no longer reads it (the operation's final completion), and comes back then.
    /// - Throws: `UringError` `EINVAL` for a slice outside its buffer; else with
    ///   the kernel's errno and operation `send_zc`.
    nonisolated(nonsending) public func sendZeroCopy(
        _ socket: FileDescriptor, from slice: IOBuffer.Slice, flags: MessageFlags = [], timeout: Duration? = nil
    ) async throws -> (count: Int, buffer: IOBuffer) {
        let region = try Self.region(of: slice, for: .sendZeroCopy)
        return try await awaitTransfer(.sendZeroCopy, slice.buffer, region: region, timeout: timeout) {
            // SAFETY: the slice lies in the buffer awaitTransfer holds until the notification.
            Send(.descriptor(socket), .plain(UnsafeRawBufferPointer($0)), flags: flags.rawValue, zeroCopy: true)
        }
    }

    /// `IORING_OP_RECV`, like recv(2) (Linux 5.6): up to `count` bytes (default:
    /// the buffer's capacity); 0 when the peer has shut down.
    /// For a stream of messages see ``receiveStream(_:buffers:bufferSize:limit:)``.
    ///
    /// **Ownership**: as ``send(_:from:count:flags:timeout:)``.
    /// - Throws: `UringError` with the kernel's errno and operation `recv`.
    nonisolated(nonsending) public func receive(
        _ socket: FileDescriptor, into buffer: IOBuffer, count: Int? = nil, flags: MessageFlags = [], timeout: Duration? = nil
    ) async throws -> (count: Int, buffer: IOBuffer) {
        let region = try Self.region(count: count, in: buffer, for: .recv)
        return try await awaitTransfer(.recv, buffer, region: region, timeout: timeout) {
            // SAFETY: $0 lies in the buffer awaitTransfer holds and keeps alive.
            Receive(.descriptor(socket), into: .plain($0), flags: flags.rawValue)
        }
    }

    /// Messages received on `socket`: `IORING_OP_RECV` with `IORING_RECV_MULTISHOT`
    /// (Linux 6.0) into a provided-buffer ring of `buffers` buffers of `bufferSize`
    /// bytes registered for this stream (Linux 5.19).
    ///
    /// Each element is a copy of one completion's bytes; its buffer goes back to
    /// the ring at once. When the ring runs dry (`ENOBUFS`) the receive is re-armed;
    /// the data waits in the socket, so nothing is lost or reordered. The stream
    /// ends when the peer shuts down (a receive of 0 bytes).
    /// - Parameters:
    ///   - socket: a connected stream socket.
    ///   - buffers: the ring's size, a power of two up to 32768.
    ///   - bufferSize: each buffer's size.
    ///   - limit: messages buffered before receiving pauses.
    public func receiveStream(
        _ socket: FileDescriptor, buffers: UInt32 = 16, bufferSize: Int = 4096, limit: Int = 64
    ) -> RingStream<[UInt8]> {
        copyingBufferStream(buffers: buffers, bufferSize: bufferSize, limit: limit) { group in
            Receive(.descriptor(socket), into: .provided(group: group), multishot: true)
        }
    }
}
