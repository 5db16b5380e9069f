import Uring
import UringAsync

/// What a ``TCPConnection/respond(buffers:bufferSize:_:)`` handler answers
/// with: sends queued on the connection in call order, started when the handler
/// returns. Valid only inside the handler call it was given to.
public struct Responder {
    let core: Responding
    let generation: UInt64

    /// Throws unless the handler call this responder belongs to is running.
    private func checkCurrent() throws(UringError) {
        guard core.executor.isOnRingThread, core.lease.current.load(ordering: .acquiring) == generation else {
            throw UringError(
                errno: .invalidArgument, operation: "send", detail: "a Responder is valid only inside the handler call it was given to")
        }
    }

    /// Sends `bytes` straight from the provided buffer they were received
    /// into, without a copy (how an echo answers); the buffer goes back to the
    /// kernel once every byte is sent.
    /// - Throws: `UringError` `EINVAL` when `bytes` or this responder are not
    ///   the current call's; the connection's send error (`EPIPE`, `ECONNRESET`)
    ///   once a send has failed.
    public func send(_ bytes: ReceivedBytes) throws(UringError) {
        try checkCurrent()
        guard bytes.lease === core.lease else {
            throw UringError(errno: .invalidArgument, operation: "send", detail: "these received bytes belong to another stream")
        }
        try bytes.checkCurrent()
        try core.send(bytes)
    }

    /// Sends a copy of `bytes`; copies queued behind each other go out in one send.
    /// - Throws: as ``send(_:)``.
    public func send(copying bytes: UnsafeRawBufferPointer) throws(UringError) {
        try checkCurrent()
        try core.send(copying: bytes)
    }

    /// Sends a copy of `bytes` (an array, a string's `utf8`, …); as ``send(copying:)-(UnsafeRawBufferPointer)``.
    /// - Throws: as ``send(_:)``.
    public func send<Bytes: Collection<UInt8>>(copying bytes: Bytes) throws(UringError) {
        let sent = bytes.withContiguousStorageIfAvailable { storage in
            Result { () throws(UringError) in try send(copying: UnsafeRawBufferPointer(storage)) }
        }
        try (sent ?? Array(bytes).withUnsafeBytes { storage in Result { () throws(UringError) in try send(copying: storage) } }).get()
    }

    /// Stops receiving after this call: `respond` returns once what was queued
    /// has been sent (how a server honours `Connection: close`).
    public func finish() throws(UringError) {
        try checkCurrent()
        core.finishReceiving()
    }
}

extension TCPConnection {
    /// Calls `handler` on the connection's ring thread for every receive, with
    /// the bytes in place and a ``Responder`` to answer with, until the peer
    /// shuts down its sending half, the handler calls ``Responder/finish()``, or
    /// ``close()`` stops it; then waits until what was queued is sent.
    ///
    /// The fast path for request-response servers: a multishot
    /// `IORING_OP_RECV` into provided buffers (Linux 6.0) and `IORING_OP_SEND`s
    /// started from the completion, with no task resumed per message (compare
    /// ``inbound`` and ``write(_:timeout:)->()``, which resume the caller for each).
    /// The handler runs serially on the ring thread: it must not block, and it
    /// may keep state in what it captures. Receiving pauses while the buffers
    /// are all held by sends or more than `buffers × bufferSize` bytes wait to
    /// be sent; the bytes then wait in the socket.
    /// - Parameters:
    ///   - buffers: the receive ring's size, a power of two from 2 to 32768.
    ///   - bufferSize: the most one receive holds.
    ///   - handler: called with each receive's bytes, valid during the call.
    /// - Throws: `UringError` (`recv` or `send`): `ECONNRESET`, `EPIPE`, `EBADF`
    ///   after close, `ECANCELED` when close cancelled a send; what `handler`
    ///   throws (receiving stops, queued sends are dropped); `CancellationError`.
    public func respond(
        buffers: Int = 16, bufferSize: Int = 4096, _ handler: sending @escaping (ReceivedBytes, Responder) throws -> Void
    ) async throws {
        let unchecked = UncheckedHandler(handler: handler)
        try await lifetime.run("recv") { fd in
            let core = Responding(
                socket: fd, executor: executor, buffers: UInt32(clamping: max(2, buffers)), bufferSize: bufferSize,
                handler: unchecked.handler)
            if !lifetime.onClose("inbound", { await core.stopReceiving() }) { await core.stopReceiving() }
            try await core.run()
        }
    }
}

/// A handler handed to the ring thread, which alone calls it from then on.
private struct UncheckedHandler: @unchecked Sendable {
    let handler: (ReceivedBytes, Responder) throws -> Void
}
