import UringNet

/// An HTTP/1.1 server in the shape of TechEmpower's "plaintext" test: every
/// request, whatever its path, gets `200 OK` and the body `Hello, World!`.
/// Connections stay open (keep-alive), and pipelined requests each get their
/// response, in order: the responses to one receive's requests leave in one send.
///
/// A request ends at its blank line (`CRLF CRLF`); bodies are not expected.
public enum HTTPResponder {
    /// The response to every request.
    public static let response = Array(
        ("HTTP/1.1 200 OK\r\nServer: uring\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!").utf8)

    /// Serves every connection `listener` accepts, as ``EchoServer/serve(_:spreadingOver:)`` does.
    /// - Throws: an accept error the listener cannot go on after.
    public static func serve(_ listener: TCPListener, spreadingOver group: RingExecutorGroup? = nil) async throws {
        try await withThrowingDiscardingTaskGroup { tasks in
            for try await connection in listener.connections(spreadingOver: group) {
                tasks.addTask(executorPreference: connection.executor) {
                    await respond(on: connection)
                }
            }
            tasks.cancelAll()
        }
    }

    /// Answers the requests on one connection until the peer closes it, on the
    /// ring thread (``TCPConnection/respond(buffers:bufferSize:_:)``): the
    /// handler keeps the request parser's state between receives.
    static func respond(on connection: TCPConnection) async {
        var finder = RequestEnds()
        do {
            try await connection.respond { bytes, reply in
                let due = try bytes.withUnsafeBytes { finder.count(in: $0) }
                for _ in 0..<due { try reply.send(copying: response) }
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
