// The README's UringNet example, compiled and run by ExampleTests. The lines
// between the markers must stay identical to the README's code block.
// README-BEGIN
import UringNet

/// Echoes every connection `listener` accepts until the listener is closed.
/// Each connection runs in a task of its own on the listener's executor.
func echoServer(_ listener: TCPListener) async throws {
    try await withThrowingDiscardingTaskGroup { connections in
        for try await connection in listener.connections {
            connections.addTask(executorPreference: listener.executor) {
                do {
                    for try await bytes in connection.inbound { try await connection.write(bytes) }
                } catch {}  // a reset ends this connection only
                try? await connection.close()
            }
        }
    }
}
// README-END
