import UringNet

/// An echo client: sends messages and checks that each comes back whole.
public enum EchoClient {
    /// Connects to `address`, sends `message` `count` times, one at a time, and
    /// reads each echo back in full.
    /// - Returns: how many bytes came back, all of them checked.
    /// - Throws: `UringError` when connecting, sending or receiving fails, or
    ///   `EPROTO` when an echo differs from what was sent.
    public static func run(to address: SocketAddress, message: [UInt8], count: Int, on executor: RingExecutor) async throws -> Int {
        let connection = try await TCPConnection.connect(to: address, on: executor, timeout: .seconds(5))
        let outgoing = try IOBuffer(copying: message)
        let incoming = try IOBuffer(capacity: message.count)
        var echoed = 0
        for _ in 0..<count {
            try await connection.write(outgoing)
            var got = 0
            while got < message.count {
                let (read, _) = try await connection.read(into: incoming, count: message.count - got, timeout: .seconds(5))
                guard read > 0 else {
                    throw UringError(errno: .protocolError, operation: "recv", detail: "the server closed after \(echoed + got) bytes")
                }
                let matches = try incoming.withUnsafeBytes { $0.prefix(read).elementsEqual(message[got..<got + read]) }
                guard matches else {
                    throw UringError(errno: .protocolError, operation: "recv", detail: "the echo differs at byte \(echoed + got)")
                }
                got += read
            }
            echoed += got
        }
        try await connection.shutdown(.writing)
        try await connection.close()
        return echoed
    }
}
