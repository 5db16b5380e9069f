import Glibc
import Testing
import UringNet
import UringTestSupport

@Suite(.timeLimit(.minutes(1))) struct UDPSocketTests {
    /// Runs `body` with two sockets bound to free ports of `address`, then closes them.
    static func withPair(at address: SocketAddress, _ body: (UDPSocket, UDPSocket) async throws -> Void) async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let server = try UDPSocket.bind(to: address, on: executor)
        let client = try UDPSocket.bind(to: address, on: executor)
        try await body(server, client)
        try await client.close()
        try await server.close()
    }

    @Test func datagramsCarryTheirSender() async throws {
        try await Self.withPair(at: .ipv4Loopback(port: 0)) { server, client in
            let serverAddress = try server.localAddress
            let receiving = Task { try await server.receive(into: IOBuffer(capacity: 2048)) }
            try await client.send(IOBuffer(copying: TestSupport.pattern(1200)), to: serverAddress)
            let datagram = try await receiving.value
            #expect(datagram.count == 1200 && !datagram.truncated)
            #expect(datagram.sender == (try client.localAddress))
            #expect(try datagram.buffer.bytes(count: 1200) == TestSupport.pattern(1200))
            // Answer the sender it reported.
            try await server.send(datagram.buffer, count: 5, to: datagram.sender)
            let answer = try await client.receive(into: IOBuffer(capacity: 16))
            #expect(answer.count == 5 && answer.sender == serverAddress)
        }
    }

    @Test(.enabled(if: TestSupport.kernelAtLeast(6, 0), "needs multishot IORING_OP_RECVMSG (Linux 6.0)"))
    func aDatagramStreamDeliversEachDatagramWithItsSender() async throws {
        try await Self.withPair(at: .ipv4Loopback(port: 0)) { server, client in
            let other = try UDPSocket.bind(to: .ipv4Loopback(port: 0), on: client.executor)
            let serverAddress = try server.localAddress
            let senders = [try client.localAddress, try other.localAddress]
            var iterator = try server.datagrams(maximumSize: 1500, buffers: 8).makeAsyncIterator()
            // 200 datagrams through 8 buffers, taken in step so the socket never overflows; one empty.
            for index in 0..<200 {
                let payload = index == 7 ? [] : TestSupport.pattern(1 + index * 7 % 1400, seed: UInt8(index % 256))
                try await (index % 2 == 0 ? client : other).send(IOBuffer(copying: payload), count: payload.count, to: serverAddress)
                let datagram = try #require(try await iterator.next())
                #expect(
                    datagram.bytes == payload && !datagram.truncated,
                    "datagram \(index): \(datagram.bytes.count) bytes, \(payload.count) sent")
                #expect(datagram.sender == senders[index % 2])
            }
            try await other.close()
            #expect(server.executor.bufferGroupsInUse == 1, "the stream holds one buffer group")
        }
    }

    @Test(.enabled(if: TestSupport.kernelAtLeast(6, 0), "needs multishot IORING_OP_RECVMSG (Linux 6.0)"))
    func aDatagramStreamCutsLongDatagramsAndEndsAtClose() async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let server = try UDPSocket.bind(to: .ipv6Loopback(port: 0), on: executor)
        let client = try UDPSocket.bind(to: .ipv6Loopback(port: 0), on: executor)
        let stream = try server.datagrams(maximumSize: 8)
        try await client.send(IOBuffer(copying: TestSupport.pattern(20)), to: try server.localAddress)
        var iterator = stream.makeAsyncIterator()
        let cut = try #require(try await iterator.next())
        #expect(cut.truncated && cut.bytes == Array(TestSupport.pattern(20).prefix(8)), "cut to 8 bytes, and says so")
        try await server.close()
        #expect(try await iterator.next() == nil, "close ends the stream")
        #expect(executor.bufferGroupsInUse == 0, "and gives its buffer group back")
        let after = #expect(throws: UringError.self) { try server.datagrams() }
        #expect(after?.errno == .badFileDescriptor)
        try await client.close()
    }

    @Test func aConnectedSocketSendsWithoutAnAddressAndCutsLongDatagrams() async throws {
        try await Self.withPair(at: .ipv6Loopback(port: 0)) { server, client in
            try client.connect(to: try server.localAddress)
            #expect(try client.remoteAddress == (try server.localAddress))
            try await client.send(IOBuffer(copying: TestSupport.pattern(100)))
            let cut = try await server.receive(into: IOBuffer(capacity: 64))
            #expect(cut.count == 64 && cut.truncated, "a datagram longer than the buffer is cut, and says so")
            #expect(try cut.buffer.bytes(count: 64) == Array(TestSupport.pattern(100).prefix(64)))
            let unconnected = await #expect(throws: UringError.self) { try await server.send(IOBuffer(copying: [1])) }
            #expect(unconnected?.errno == Errno(rawValue: EDESTADDRREQ))
        }
    }

    @Test func broadcastAndMulticastOptionsApply() async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let socket = try UDPSocket.bind(to: .ipv4Any(port: 0), on: executor)
        try socket.setOption(.broadcast, true)
        #expect(try socket.option(.broadcast))
        try socket.setOption(.multicastTimeToLive, 4)
        #expect(try socket.option(.multicastTimeToLive) == 4)
        try socket.setOption(.multicastLoop, true)
        #expect(try socket.option(.multicastLoop))
        let notMulticast = #expect(throws: UringError.self) { try socket.joinMulticastGroup(.ipv4Loopback(port: 0)) }
        #expect(notMulticast?.errno == .invalidArgument)
        let ipv6 = #expect(throws: UringError.self) { try socket.joinMulticastGroup(.ipv6Loopback(port: 0)) }
        #expect(ipv6?.errno == .invalidArgument)
        try await socket.close()
    }

    @Test func closeCancelsAPendingReceive() async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let socket = try UDPSocket.bind(to: .ipv4Loopback(port: 0), on: executor)
        let pending = Task { try await socket.receive(into: IOBuffer(capacity: 16)) }
        try await Task.sleep(for: .milliseconds(50))
        try await socket.close()
        let error = await #expect(throws: UringError.self) { try await pending.value }
        #expect(error?.errno == .canceled)
        let after = await #expect(throws: UringError.self) { try await socket.send(IOBuffer(capacity: 1), to: .ipv4Loopback(port: 9)) }
        #expect(after?.errno == .badFileDescriptor)
    }
}
