import Glibc
import Uring
import UringAsync

/// Writes that send every byte: a short send continues from where it stopped,
/// in the same memory, until all is sent or the connection fails.
extension TCPConnection {
    /// Sends the first `count` bytes of `buffer` (default: all), in as many
    /// `IORING_OP_SEND`s as the socket takes. `MSG_NOSIGNAL`: a reset peer gives
    /// `EPIPE`, never `SIGPIPE`.
    ///
    /// **Ownership**: the buffer belongs to the kernel until every byte is sent,
    /// and comes back then.
    /// - Throws: `UringError` (operation `send`) `EPIPE` or `ECONNRESET` when the
    ///   peer is gone, `EBADF` after close, `ETIME` when one send waited longer than
    ///   `timeout`, `EINVAL` for a count outside the buffer; `CancellationError`.
    ///   Bytes sent before a failure are not reported: the connection is then unusable.
    @discardableResult
    public func write(_ buffer: IOBuffer, count: Int? = nil, timeout: Duration? = nil) async throws -> IOBuffer {
        try await write(buffer.prefix(count, for: "send"), timeout: timeout)
    }

    /// Sends every byte `slice` names; as ``write(_:count:timeout:)``.
    @discardableResult
    public func write(_ slice: IOBuffer.Slice, timeout: Duration? = nil) async throws -> IOBuffer {
        try await lifetime.run("send") { fd in
            var rest = slice.range
            repeat {
                let (sent, _) = try await executor.send(fd, from: slice.buffer[rest], flags: .noSignal, timeout: timeout)
                rest = rest.lowerBound + sent..<rest.upperBound
                try Self.checkProgress(sent, left: rest.count)
            } while !rest.isEmpty
            return slice.buffer
        }
    }

    /// Sends every byte of `received` straight from the provided buffer it lies
    /// in, without a copy: how an echo answers. `received` must still be current
    /// (taken from ``inbound`` and not followed by another `next()`).
    /// - Throws: `UringError` `EINVAL` when `received` is no longer current;
    ///   else as ``write(_:count:timeout:)``.
    public func write(_ received: ReceivedBytes, timeout: Duration? = nil) async throws {
        try received.checkCurrent()
        try await lifetime.run("send") { fd in
            let bytes = received.memory
            var offset = 0
            repeat {
                // SAFETY: the provided buffer stays lent to the consumer (not recycled) until its next
                // `next()`, and its memory lives as long as `received.buffers`, kept alive here.
                let send = Send(.descriptor(fd), .plain(UnsafeRawBufferPointer(rebasing: bytes[offset...])), flags: Int32(MSG_NOSIGNAL))
                let sent = Int(try await executor.submit(send, keepAlive: received.buffers, timeout: timeout).value(for: "send"))
                offset += sent
                try Self.checkProgress(sent, left: bytes.count - offset)
            } while offset < bytes.count
        }
    }

    /// Sends every byte `slices` name, in order, with vectored sends
    /// (`IORING_OP_SENDMSG`): one system call's worth for a header and a body
    /// that live apart. A short send continues with the rest of the slices.
    ///
    /// **Ownership**: every buffer belongs to the kernel until all is sent; they come back in order.
    /// - Throws: as ``write(_:count:timeout:)`` (operation `sendmsg`); `EBUSY`
    ///   when one buffer appears twice.
    @discardableResult
    public func write(vectored slices: [IOBuffer.Slice], timeout: Duration? = nil) async throws -> [IOBuffer] {
        try await lifetime.run("sendmsg") { fd in
            var rest = slices.filter { !$0.range.isEmpty }
            while !rest.isEmpty {
                let (sent, _) = try await executor.send(fd, from: rest, flags: .noSignal, timeout: timeout)
                var skip = sent
                while let first = rest.first, skip >= first.range.count {
                    skip -= first.range.count
                    rest.removeFirst()
                }
                if let first = rest.first { rest[0] = first.buffer[first.range.lowerBound + skip..<first.range.upperBound] }
                try Self.checkProgress(sent, left: rest.reduce(0) { $0 + $1.range.count })
            }
            return slices.map(\.buffer)
        }
    }

    /// Sends the first `count` bytes of `buffer` (default: all) without copying
    /// them into the socket (`IORING_OP_SEND_ZC`, Linux 6.0), continuing short
    /// sends as ``write(_:count:timeout:)`` does. It can pay only for large
    /// buffers sent through a real network card: over loopback the kernel copies
    /// the bytes at delivery anyway, and `uring bench send` measured it at 0.1×
    /// to 0.7× of ``write(_:count:timeout:)`` from 16 KiB to 4 MiB (docs/BENCHMARKS.md),
    /// so `write` never switches to it by itself.
    ///
    /// **Ownership**: the buffer comes back once the kernel no longer reads it.
    /// - Throws: as ``write(_:count:timeout:)`` (operation `send_zc`).
    @discardableResult
    public func writeZeroCopy(_ buffer: IOBuffer, count: Int? = nil, timeout: Duration? = nil) async throws -> IOBuffer {
        let slice = try buffer.prefix(count, for: "send_zc")
        return try await lifetime.run("send_zc") { fd in
            var rest = slice.range
            repeat {
                let (sent, _) = try await executor.sendZeroCopy(fd, from: buffer[rest], flags: .noSignal, timeout: timeout)
                rest = rest.lowerBound + sent..<rest.upperBound
                try Self.checkProgress(sent, left: rest.count)
            } while !rest.isEmpty
            return buffer
        }
    }

    /// A send that took nothing while bytes were left would loop for ever.
    static func checkProgress(_ sent: Int, left: Int) throws(UringError) {
        if sent == 0 && left > 0 {
            throw UringError(errno: .brokenPipe, operation: "send", detail: "the socket took no bytes; \(left) left unsent")
        }
    }
}
