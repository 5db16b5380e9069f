import Glibc
import Synchronization
import Uring
import UringAsync

/// One socket's descriptor and the operations running on it, so that close can
/// cancel them and wait for them before the descriptor goes.
///
/// Each operation ``enter(_:)``s and ``leave()``s; after ``close()`` has begun,
/// entering throws `EBADF`. Close marks the socket closed, stops what keeps
/// running on its own (a receive or accept stream, which then ends), cancels every request on the
/// descriptor (`IORING_OP_ASYNC_CANCEL` with `IORING_ASYNC_CANCEL_FD`), waits
/// until the last operation has left, and only then closes the descriptor, so
/// no request ever reaches a reused descriptor number.
final class SocketLifetime: Sendable {
    let fd: FileDescriptor
    let executor: RingExecutor
    /// What the socket is, for errors: "connection", "listener", "UDP socket".
    let kind: String
    /// Operations in flight, and ``closedBit`` once close began.
    private let state = Atomic<Int>(0)
    private static let closedBit = 1 << 62
    private let closing = Locked(Closing())

    private struct Closing {
        var streams: [String: @Sendable () async -> Void] = [:]
        var closed = false
    }

    init(_ fd: FileDescriptor, executor: RingExecutor, kind: String) {
        self.fd = fd
        self.executor = executor
        self.kind = kind
    }

    /// Closes the descriptor if ``close()`` never ran. Nothing is in flight: every
    /// operation holds its socket, and so does every stream (which stops when dropped).
    deinit {
        if state.load(ordering: .acquiring) & Self.closedBit == 0 { _ = Glibc.close(fd.rawValue) }
    }

    /// Whether close has begun.
    var isClosed: Bool { state.load(ordering: .acquiring) & Self.closedBit != 0 }

    /// The descriptor while open.
    /// - Throws: `UringError` `EBADF` once close began.
    func descriptor(for operation: String) throws(UringError) -> FileDescriptor {
        guard !isClosed else { throw closedError(operation) }
        return fd
    }

    /// Runs one operation on the socket, counted so close can wait for it.
    /// An operation close cancelled throws `ECANCELED` saying so.
    /// - Throws: `UringError` `EBADF` when the socket is closed; what `body` throws.
    func run<Result>(_ operation: String, _ body: (FileDescriptor) async throws -> Result) async throws -> Result {
        try enter(operation)
        defer { leave() }
        do {
            return try await body(fd)
        } catch let error as UringError where error.errno == .canceled && isClosed {
            throw UringError(errno: .canceled, operation: error.operation, detail: "the \(kind) was closed while this waited")
        }
    }

    /// Counts an operation in.
    /// - Throws: `UringError` `EBADF` once close began.
    func enter(_ operation: String) throws(UringError) {
        let before = state.wrappingAdd(1, ordering: .acquiringAndReleasing).oldValue
        if before & Self.closedBit != 0 {
            leave()
            throw closedError(operation)
        }
    }

    /// Counts an operation out.
    func leave() {
        state.wrappingSubtract(1, ordering: .acquiringAndReleasing)
    }

    /// Registers how to stop the stream `key` names on this socket at close (a
    /// receive or accept stream); a later stream of the same key replaces it.
    /// - Returns: false when close has already taken the streams: nothing was
    ///   registered, and the caller stops its stream itself.
    func onClose(_ key: String, _ stop: @escaping @Sendable () async -> Void) -> Bool {
        closing.withLock { closing in
            guard !closing.closed else { return false }
            closing.streams[key] = stop
            return true
        }
    }

    /// Closes the socket: stops its streams, cancels its requests, waits for
    /// them, then closes the descriptor. A second close returns at once.
    /// - Throws: `UringError` (operation `close`) when close(2) fails.
    func close() async throws {
        let streams = closing.withLock { closing -> [@Sendable () async -> Void]? in
            guard !closing.closed else { return nil }
            closing.closed = true
            defer { closing.streams.removeAll() }
            return Array(closing.streams.values)
        }
        guard let streams else { return }
        let busy = state.fetchOr(Self.closedBit) != 0
        // Streams first: stopped, they end (nil) after what they took; cancelled by descriptor, they would fail.
        for stop in streams { await stop() }
        if busy { await cancelUntilIdle() }
        guard Glibc.close(fd.rawValue) == 0 else {
            throw UringError(errno: Errno(rawValue: errno), operation: "close", detail: "the \(kind)'s descriptor")
        }
    }

    /// Cancels every request on the descriptor until no operation is left.
    /// The cancel is sent again while some remain: an operation that entered
    /// just before close may reach the ring only after the first cancel ran.
    private func cancelUntilIdle() async {
        var pause = Duration.milliseconds(1)
        while state.load(ordering: .acquiring) != Self.closedBit {
            _ = try? await executor.submit(AsyncCancel(.file(.descriptor(fd)), all: true))
            if state.load(ordering: .acquiring) == Self.closedBit { return }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(50))
        }
    }

    private func closedError(_ operation: String) -> UringError {
        UringError(errno: .badFileDescriptor, operation: operation, detail: "the \(kind) is closed")
    }
}

extension Atomic where Value == Int {
    /// Sets `bit` and returns the value before.
    func fetchOr(_ bit: Int) -> Int {
        bitwiseOr(bit, ordering: .acquiringAndReleasing).oldValue
    }
}
