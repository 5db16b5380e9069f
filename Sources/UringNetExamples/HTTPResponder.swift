import UringNet

/// An HTTP/1.1 server in the shape of TechEmpower's "plaintext" test: every
/// request, whatever its path, gets `200 OK` and the body `Hello, World!`.
/// Connections stay open (keep-alive), and pipelined requests each get their
/// response, in order, in as few writes as they arrived in.
///
/// A request ends at its blank line (`CRLF CRLF`); bodies are not expected.
public enum HTTPResponder {
    /// The response to every request.
    public static let response = Array(
        ("HTTP/1.1 200 OK\r\nServer: uring\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!").utf8)

    /// The most responses one write carries; more pipelined requests take several writes.
    static let batch = 32

    /// Serves every connection `listener` accepts, as ``EchoServer/serve(_:spreadingOver:)`` does.
    /// - Throws: an accept error the listener cannot go on after.
    public static func serve(_ listener: TCPListener, spreadingOver group: RingExecutorGroup? = nil) async throws {
        let responses = Array(repeatElement(response, count: batch).joined())
        try await withThrowingDiscardingTaskGroup { tasks in
            for try await connection in listener.connections(spreadingOver: group) {
                tasks.addTask(executorPreference: connection.executor) {
                    await respond(on: connection, responses: responses)
                }
            }
            tasks.cancelAll()
        }
    }

    /// Answers the requests on one connection until the peer closes it.
    static func respond(on connection: TCPConnection, responses: [UInt8]) async {
        do {
            let buffer = try IOBuffer(copying: responses)
            var finder = RequestEnds()
            for try await bytes in connection.inbound {
                var due = try bytes.withUnsafeBytes { finder.count(in: $0) }
                while due > 0 {
                    let now = min(due, batch)
                    try await connection.write(buffer[0..<now * response.count])
                    due -= now
                }
            }
        } catch {
            // A reset or a closed peer ends this connection only.
        }
        try? await connection.close()
    }
}

/// Counts request ends (`\r\n\r\n`) in a byte stream, across reads.
struct RequestEnds {
    /// How many bytes of `\r\n\r\n` the stream ended with so far.
    private var matched = 0

    /// The request ends in `bytes`, carrying a partial match over to the next call.
    mutating func count(in bytes: UnsafeRawBufferPointer) -> Int {
        var ends = 0
        for byte in bytes {
            let expected: UInt8 = matched % 2 == 0 ? 13 : 10
            if byte == expected {
                matched += 1
                if matched == 4 {
                    ends += 1
                    matched = 0
                }
            } else {
                matched = byte == 13 ? 1 : 0
            }
        }
        return ends
    }
}
