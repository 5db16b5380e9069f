import Glibc
import Testing
import UringNet
import UringTestSupport

@Suite(.timeLimit(.minutes(1))) struct TCPConnectionTests {
    @Test func bytesCrossBothWaysAndTheAddressesMatch() async throws {
        try await Net.withPair { listener, client, server in
            #expect(client.remoteAddress == listener.address)
            #expect(try server.remoteAddress == client.localAddress)
            #expect(try server.localAddress == listener.address)
            let message = TestSupport.pattern(100_000)
            try await client.write(IOBuffer(copying: message))
            #expect(try await Net.read(server, count: message.count) == message)
            try await server.write(IOBuffer(copying: message.reversed()))
            #expect(try await Net.read(client, count: message.count) == message.reversed())
        }
    }

    @Test func inboundLendsEachBufferUntilTheNextElement() async throws {
        try await Net.withPair { _, client, server in
            let message = TestSupport.pattern(1_000_000)
            let sender = Task {
                try await client.write(IOBuffer(copying: message))
                try await client.shutdown(.writing)
            }
            var received: [UInt8] = []
            var previous: ReceivedBytes?
            for try await bytes in server.inbound(buffers: 4, bufferSize: 2048) {
                #expect(bytes.count >= 1 && bytes.count <= 2048)
                if let previous {
                    let stale = #expect(throws: UringError.self) { try previous.copyBytes() }
                    #expect(stale?.errno == .invalidArgument, "the previous element's buffer went back to the kernel")
                }
                received += try bytes.copyBytes()
                previous = bytes
            }
            try await sender.value
            #expect(received == message, "every byte, in order, through a ring of 4 buffers")
            #expect(server.executor.bufferGroupsInUse == 0, "the stream's group came back when it ended")
        }
    }

    @Test func aSlowConsumerHoldsBackTheSenderNotMemory() async throws {
        try await Net.withPair { _, client, server in
            // Default socket buffers: tiny ones on loopback can leave TCP in a zero-window
            // stall whose persist timer backs off for minutes, whoever reads.
            let total = 4 << 20
            let written = Task { try await client.write(IOBuffer(copying: TestSupport.pattern(total))) }
            var iterator = server.inbound(buffers: 2, bufferSize: 1024).makeAsyncIterator()
            var received: [UInt8] = []
            // Take one element and sit on it: the ring holds one more, then receiving pauses.
            received += try #require(try await iterator.next()).copyBytes()
            try await Task.sleep(for: .milliseconds(300))
            while received.count < total, let bytes = try await iterator.next() { received += try bytes.copyBytes() }
            _ = try await written.value
            #expect(received == TestSupport.pattern(total))
        }
    }

    @Test func aLargeWriteContinuesShortSendsUntilEveryByteIsOut() async throws {
        try await Net.withPair { _, client, server in
            try client.setOption(.sendBufferSize, 4096)
            let message = TestSupport.pattern(4 << 20, seed: 9)
            let buffer = try IOBuffer(copying: message)
            let reader = Task { try await Net.read(server, count: message.count) }
            let returned = try await client.write(buffer)
            #expect(returned === buffer)
            #expect(try await reader.value == message)
            #expect(try buffer.bytes(count: 4) == Array(message.prefix(4)), "the buffer is usable again")
        }
    }

    @Test func vectoredWritesSendTheSlicesInOrder() async throws {
        try await Net.withPair { _, client, server in
            try client.setOption(.sendBufferSize, 4096)
            let header = try IOBuffer(copying: Array("HEADER|".utf8))
            let body = try IOBuffer(copying: TestSupport.pattern(3 << 20))
            let reader = Task { try await Net.read(server, count: 7 + (3 << 20) - 10) }
            let buffers = try await client.write(vectored: [header[0..<7], body[10..<(3 << 20)], header[0..<0]])
            #expect(buffers.count == 3 && buffers[0] === header && buffers[1] === body)
            #expect(try await reader.value == Array("HEADER|".utf8) + TestSupport.pattern(3 << 20).dropFirst(10))
            let twice = await #expect(throws: UringError.self) { try await client.write(vectored: [header[0..<1], header[1..<2]]) }
            #expect(twice?.errno == .resourceBusy, "one buffer cannot be lent twice")
        }
    }

    @Test(.enabled(if: TestSupport.supports(.sendZeroCopy), "needs IORING_OP_SEND_ZC (Linux 6.0)"))
    func zeroCopyWritesArriveWhole() async throws {
        try await Net.withPair { _, client, server in
            let message = TestSupport.pattern(8 << 20, seed: 3)
            let reader = Task { try await Net.read(server, count: message.count) }
            let buffer = try await client.writeZeroCopy(IOBuffer(copying: message))
            #expect(try await reader.value == message)
            #expect(try buffer.bytes(count: 1) == [message[0]], "the buffer came back after the notification")
        }
    }

    @Test func anEchoAnswersFromTheReceivedBuffersWithoutACopy() async throws {
        try await Net.withPair { _, client, server in
            let echo = Task {
                for try await bytes in server.inbound { try await server.write(bytes) }
            }
            let message = TestSupport.pattern(300_000, seed: 5)
            let reader = Task { try await Net.read(client, count: message.count) }
            try await client.write(IOBuffer(copying: message))
            #expect(try await reader.value == message)
            try await client.shutdown(.writing)
            try await echo.value
        }
    }

    @Test func optionsRoundTripAsTypes() async throws {
        try await Net.withPair { listener, client, server in
            try client.setOption(.noDelay, true)
            #expect(try client.option(.noDelay))
            try client.setOption(.noDelay, false)
            #expect(try !client.option(.noDelay))
            try server.setOption(.keepAlive, true)
            #expect(try server.option(.keepAlive))
            try client.setOption(.receiveBufferSize, 65536)
            #expect(try client.option(.receiveBufferSize) >= 65536, "the kernel doubles it")
            try client.setOption(.linger, .seconds(3))
            #expect(try client.option(.linger) == .seconds(3))
            try client.setOption(.linger, nil)
            #expect(try client.option(.linger) == nil)
            #expect(try listener.option(.reuseAddress))
            let negative = #expect(throws: UringError.self) { try client.setOption(.linger, .seconds(-1)) }
            #expect(negative?.errno == .invalidArgument)
            let huge = #expect(throws: UringError.self) { try client.setOption(.sendBufferSize, Int(Int32.max) + 1) }
            #expect(huge?.errno == .invalidArgument && huge?.detail?.contains("SO_SNDBUF") == true)
            let misplaced = #expect(throws: UringError.self) { try listener.setOption(.multicastTimeToLive, 2) }
            #expect(misplaced?.operation == "setsockopt" && misplaced?.detail == "IP_MULTICAST_TTL")
        }
    }

    @Test func connectionsSpreadOverTheGroupRoundRobin() async throws {
        let group = try RingExecutorGroup(count: 2)
        defer { group.shutdown() }
        let listener = try TCPListener.bind(to: .ipv4Loopback(port: 0), on: group.executors[0])
        var accepted = listener.connections(spreadingOver: group).makeAsyncIterator()
        var served: [ObjectIdentifier] = []
        var clients: [TCPConnection] = []
        for _ in 0..<4 {
            clients.append(try await TCPConnection.connect(to: listener.address, on: group.executors[1]))
            let connection = try #require(try await accepted.next())
            served.append(ObjectIdentifier(connection.executor))
            try await connection.write(IOBuffer(copying: [7]))
            #expect(try await Net.read(clients.last!, count: 1) == [7], "served from its own executor")
            try await connection.close()
        }
        #expect(Set(served).count == 2 && served[0] != served[1] && served[0] == served[2])
        for client in clients { try await client.close() }
        try await listener.close()
    }

    @Test func reusePortListenersShareOnePort() async throws {
        let group = try RingExecutorGroup(count: 2)
        defer { group.shutdown() }
        let listeners = try TCPListener.bindEach(to: .ipv4Loopback(port: 0), on: group)
        #expect(listeners.count == 2 && listeners[0].address == listeners[1].address)
        #expect(try listeners.allSatisfy { try $0.option(.reusePort) })
        for listener in listeners { try await listener.close() }
    }
}
