import Glibc
import Testing
import UringNet
import UringTestSupport

@Suite(.timeLimit(.minutes(1))) struct TCPFaultTests {
    @Test func aPortInUseNamesTheAddress() async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let first = try TCPListener.bind(to: .ipv4Loopback(port: 0), on: executor)
        let error = #expect(throws: UringError.self) { try TCPListener.bind(to: first.address, on: executor) }
        #expect(error?.errno == .addressInUse && error?.operation == "bind")
        #expect(error?.detail == "\(first.address) is already in use")
        try await first.close()
    }

    @Test func aRefusedConnectionSaysWhere() async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let listener = try TCPListener.bind(to: .ipv4Loopback(port: 0), on: executor)
        let port = listener.address
        try await listener.close()
        let error = await #expect(throws: UringError.self) { try await TCPConnection.connect(to: port, on: executor) }
        #expect(error?.errno == .connectionRefused && error?.operation == "connect")
        #expect(error?.detail?.hasPrefix("\(port)") == true)
    }

    @Test func aResetStaysWithItsConnection() async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let listener = try TCPListener.bind(to: .ipv4Loopback(port: 0), on: executor)
        var accepted = listener.connections.makeAsyncIterator()
        let doomedClient = try await TCPConnection.connect(to: listener.address, on: executor)
        let doomed = try #require(try await accepted.next())
        let healthyClient = try await TCPConnection.connect(to: listener.address, on: executor)
        let healthy = try #require(try await accepted.next())
        let pendingRead = Task { try await Net.read(doomed, count: 10) }
        try doomedClient.setOption(.linger, .zero)
        try await doomedClient.close()  // linger 0: an RST, not a FIN
        let readError = await #expect(throws: UringError.self) { try await pendingRead.value }
        #expect(readError?.errno == .connectionReset && readError?.operation == "recv")
        let writeError = await #expect(throws: UringError.self) {
            for _ in 0..<3 { try await doomed.write(IOBuffer(copying: [1, 2, 3])) }
        }
        #expect([.brokenPipe, .connectionReset].contains(writeError?.errno), "EPIPE, and no SIGPIPE killed us")
        try await healthyClient.write(IOBuffer(copying: Array("still here".utf8)))
        #expect(try await Net.read(healthy, count: 10) == Array("still here".utf8))
        for connection in [doomed, healthy, healthyClient] { try await connection.close() }
        try await listener.close()
    }

    @Test func aResetEndsThatConnectionsInboundWithItsError() async throws {
        try await Net.withPair { _, client, server in
            let consumer = Task {
                var received = 0
                for try await bytes in server.inbound { received += bytes.count }
                return received
            }
            try await client.write(IOBuffer(copying: [1, 2, 3]))
            try await Task.sleep(for: .milliseconds(50))
            try client.setOption(.linger, .zero)
            try await client.close()  // linger 0: an RST, not a FIN
            let error = await #expect(throws: UringError.self) { try await consumer.value }
            #expect(error?.errno == .connectionReset)
            #expect(server.executor.bufferGroupsInUse == 0)
        }
    }

    @Test func operationsAfterCloseThrowBadDescriptor() async throws {
        try await Net.withPair { _, client, server in
            try await client.close()
            try await client.close()  // a second close returns
            let write = await #expect(throws: UringError.self) { try await client.write(IOBuffer(copying: [1])) }
            #expect(write?.errno == .badFileDescriptor && write?.operation == "send" && write?.detail == "the connection is closed")
            let read = await #expect(throws: UringError.self) { try await client.read(into: IOBuffer(capacity: 1)) }
            #expect(read?.errno == .badFileDescriptor)
            #expect(throws: UringError.self) { try client.descriptor }
            #expect(throws: UringError.self) { try client.setOption(.noDelay, true) }
            var afterClose = client.inbound.makeAsyncIterator()
            let inbound = await #expect(throws: UringError.self) { try await afterClose.next() }
            #expect(inbound?.errno == .badFileDescriptor, "an inbound made after close says why it is empty")
        }
    }

    @Test func aReadAfterShutdownSeesTheEnd() async throws {
        try await Net.withPair { _, client, server in
            try await client.write(IOBuffer(copying: [9, 9]))
            try await client.shutdown(.writing)
            #expect(try await Net.read(server, count: 100) == [9, 9], "the bytes, then the end")
            try await server.shutdown(.reading)
            let (count, _) = try await server.read(into: IOBuffer(capacity: 8))
            #expect(count == 0, "reading after shutdown(.reading) returns end of file")
            try await server.write(IOBuffer(copying: [4]))
            #expect(try await Net.read(client, count: 1) == [4], "the other half still works")
        }
    }

    @Test func closeCancelsPendingOperationsAndWaitsForThem() async throws {
        try await Net.withPair { _, client, server in
            let buffer = try IOBuffer(capacity: 16)
            let pending = Task { try await server.read(into: buffer) }
            let streaming = Task { for try await _ in server.inbound {} }
            try await Task.sleep(for: .milliseconds(50))
            try await server.close()
            let error = await #expect(throws: UringError.self) { try await pending.value }
            #expect(error?.errno == .canceled && error?.detail == "the connection was closed while this waited")
            try await streaming.value  // close ends inbound: no error
            #expect(try buffer.bytes(count: 1) == [0], "the buffer came back to its owner when close returned")
            #expect(try await Net.read(client, count: 1) == [], "the peer sees the end: the descriptor was closed")
            #expect(server.executor.bufferGroupsInUse == 0)
        }
    }

    @Test func closingTheListenerEndsItsConnections() async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let listener = try TCPListener.bind(to: .ipv4Loopback(port: 0), on: executor)
        let accepting = Task {
            var count = 0
            for try await connection in listener.connections {
                count += 1
                try await connection.close()
            }
            return count
        }
        let client = try await TCPConnection.connect(to: listener.address, on: executor)
        try await Task.sleep(for: .milliseconds(50))
        try await listener.close()
        #expect(try await accepting.value == 1)
        try await client.close()
    }
}
