import Glibc
import Uring
import UringAsync

/// The connections a ``TCPListener`` accepts, as an `AsyncSequence` of
/// ``TCPConnection``s: `IORING_OP_ACCEPT` with `IORING_ACCEPT_MULTISHOT`
/// (Linux 5.19), re-armed whenever the kernel ends it.
///
/// It never ends silently. At the descriptor limit (`EMFILE`, `ENFILE`) or out
/// of memory (`ENOBUFS`, `ENOMEM`) it reports the error to `onPause`, waits
/// `pause` (pending connections wait in the listen backlog), and accepts again.
/// (The kernel reads the descriptor limit when an accept is submitted, so a
/// lowered `RLIMIT_NOFILE` applies from the next re-arm on.)
/// A connection that failed before it was taken (`ECONNABORTED`) is skipped.
/// It ends (nil) when the listener is closed, and throws other errors.
public struct Connections: AsyncSequence, Sendable {
    let listener: TCPListener
    let group: RingExecutorGroup?
    let pause: Duration
    let onPause: (@Sendable (UringError) -> Void)?

    /// The iterator: each ``next()`` returns one accepted connection.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let connections: Connections
        var accepted: RingStream<FileDescriptor>.AsyncIterator?

        /// The next connection, served by the next executor of the group (or
        /// the listener's); nil once the listener is closed.
        /// - Throws: an accept error other than those above; `CancellationError`.
        public mutating func next() async throws -> TCPConnection? {
            let listener = connections.listener
            while !listener.lifetime.isClosed {
                if accepted == nil {
                    let stream = listener.executor.acceptConnections(listener.lifetime.fd)
                    if !listener.lifetime.onClose("accept", stream.stopper) { stream.cancel() }
                    accepted = stream.makeAsyncIterator()
                }
                do {
                    guard let socket = try await accepted?.next() else { return nil }
                    let executor = connections.group?.next() ?? listener.executor
                    do {
                        return try TCPConnection(adopting: socket, on: executor)
                    } catch {
                        _ = try? socket.close()  // the peer left before we looked: skip it
                    }
                } catch let error as UringError where Self.exhausted.contains(error.errno) {
                    accepted = nil
                    connections.onPause?(error)
                    try await Task.sleep(for: connections.pause)
                } catch let error as UringError where Self.transient.contains(error.errno) {
                    accepted = nil
                } catch let error as UringError where error.errno == .canceled && listener.lifetime.isClosed {
                    return nil
                }
            }
            return nil
        }

        /// Errors that pause accepting: out of descriptors or memory.
        static let exhausted: Set<Errno> = [.tooManyOpenFiles, .tooManyOpenFilesInSystem, .noBufferSpace, .noMemory]
        /// Errors of one connection that do not stop accepting.
        static let transient: Set<Errno> = [.connectionAbort, .protocolError, .interrupted]
    }

    /// The iterator over the accepted connections.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(connections: self) }
}

extension TCPListener {
    /// The connections accepted, each served by this listener's executor.
    public var connections: Connections { connections() }

    /// The connections accepted, each served by the next executor of `group`
    /// in turn (round-robin), or by the listener's when `group` is nil.
    /// - Parameters:
    ///   - group: the executors that serve the connections.
    ///   - pause: how long to wait before accepting again after `EMFILE` and kin.
    ///   - onPause: told each such error, to log it; runs on the accepting task.
    public func connections(
        spreadingOver group: RingExecutorGroup? = nil, pause: Duration = .milliseconds(100),
        onPause: (@Sendable (UringError) -> Void)? = nil
    ) -> Connections {
        Connections(listener: self, group: group, pause: pause, onPause: onPause)
    }
}
