import UringNet

/// An echo server: every byte a client sends comes back to it.
///
/// Each connection runs in a task of its own on its executor, so an error on
/// one connection (a reset, a closed peer) ends that connection and nothing else.
public enum EchoServer {
    /// Serves every connection `listener` accepts, spread over `group` (or on
    /// the listener's executor), until the listener is closed; then closes the
    /// connections still open and returns once they are closed.
    /// - Throws: an accept error the listener cannot go on after.
    public static func serve(_ listener: TCPListener, spreadingOver group: RingExecutorGroup? = nil) async throws {
        try await withThrowingDiscardingTaskGroup { tasks in
            for try await connection in listener.connections(spreadingOver: group) {
                tasks.addTask(executorPreference: connection.executor) {
                    await echo(connection)
                }
            }
            tasks.cancelAll()
        }
    }

    /// Sends back what `connection` receives until the peer shuts down or fails; then closes it.
    ///
    /// Answers on the ring thread (``TCPConnection/respond(buffers:bufferSize:_:)``):
    /// each receive is sent back from the buffer it arrived in, with no copy and
    /// no task resumed per message.
    public static func echo(_ connection: TCPConnection) async {
        do {
            try await connection.respond { bytes, reply in try reply.send(bytes) }
        } catch {
            // The peer reset or went away: this connection ends, the server goes on.
        }
        try? await connection.close()
    }
}
