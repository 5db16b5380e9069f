import Glibc
import Synchronization
import Testing
import UringNet
import UringTestSupport

/// `TCPConnection.respond`: the handler on the ring thread and its queued sends.
///
/// Every task prefers the pair's executor: under the sanitizers the cooperative
/// pool has been seen to stall for a minute, and a handler waiting there would
/// leave the client's 10 s reads without their answer.
@Suite(.timeLimit(.minutes(1))) struct RespondTests {
    @Test func anEchoHandlerSendsEveryByteBackInOrder() async throws {
        try await Net.withPair { _, client, server in
            let responding = Task(executorPreference: server.executor) {
                try await server.respond(buffers: 4, bufferSize: 2048) { bytes, reply in try reply.send(bytes) }
            }
            let message = TestSupport.pattern(2_000_000, seed: 3)
            let reader = Task(executorPreference: server.executor) { try await Net.read(client, count: message.count) }
            try await client.write(IOBuffer(copying: message))
            #expect(try await reader.value == message, "every byte back, in order, through 4 buffers")
            try await client.shutdown(.writing)
            try await responding.value
            #expect(server.executor.bufferGroupsInUse == 0, "the receive gave its buffer group back")
        }
    }

    @Test func copiesAndLentBuffersLeaveInCallOrder() async throws {
        try await Net.withPair { _, client, server in
            // Each receive goes back framed: "<count>:" (a copy), the bytes (lent), "\n" (a copy).
            // Respond, then close (the end of file the reader waits for), in one task off the pool.
            let responding = Task(executorPreference: server.executor) {
                try await server.respond(buffers: 4, bufferSize: 1000) { bytes, reply in
                    try reply.send(copying: Array("\(bytes.count):".utf8))
                    try reply.send(bytes)
                    try reply.send(copying: "\n".utf8)
                }
                try await server.close()
            }
            let message = TestSupport.pattern(500_000, seed: 4)
            let writer = Task(executorPreference: server.executor) {
                try await client.write(IOBuffer(copying: message))
                try await client.shutdown(.writing)
            }
            let reader = Task(executorPreference: server.executor) { try await Net.read(client, count: .max) }
            try await writer.value
            try await responding.value
            let framed = try await reader.value
            var payload: [UInt8] = []
            var rest = framed[...]
            while let colon = rest.firstIndex(of: UInt8(ascii: ":")) {
                let count = try #require(Int(String(decoding: rest[..<colon], as: UTF8.self)))
                #expect(count >= 1 && count <= 1000)
                let body = rest[(colon + 1)...].prefix(count)
                payload += body
                #expect(rest.dropFirst(colon + 1 - rest.startIndex + count).first == UInt8(ascii: "\n"))
                rest = rest.dropFirst(colon + 2 - rest.startIndex + count)
            }
            #expect(rest.isEmpty && payload == message, "the frames hold the message in order")
        }
    }

    @Test func aPeerThatDoesNotReadPausesReceivingWithoutLosingBytes() async throws {
        try await Net.withPair { _, client, server in
            let total = 12 << 20
            let taken = Counter()
            // The handler copies (its buffer goes back at once), so only the send backlog can pause it.
            let responding = Task(executorPreference: server.executor) {
                try await server.respond(buffers: 4, bufferSize: 4096) { bytes, reply in
                    taken.add(bytes.count)
                    try bytes.withUnsafeBytes { try reply.send(copying: $0) }
                }
            }
            let message = TestSupport.pattern(total, seed: 8)
            let outgoing = try IOBuffer(copying: message)
            let writer = Task(executorPreference: server.executor) { try await client.write(outgoing) }
            try await Task.sleep(for: .milliseconds(300))
            // Unpaused, the handler would have taken all 12 MiB into its send backlog by now. Paused, it
            // holds 16 KiB, and the rest of what it took fills the sockets' buffers (a few MiB on loopback).
            #expect(taken.value < total - (4 << 20), "receiving paused while the peer did not read")
            let echoed = try await Net.read(client, count: total)
            _ = try await writer.value
            #expect(echoed == message)
            try await client.shutdown(.writing)
            try await responding.value
        }
    }

    @Test func finishStopsReceivingOnceTheAnswerIsSent() async throws {
        try await Net.withPair { _, client, server in
            let responding = Task(executorPreference: server.executor) {
                try await server.respond { bytes, reply in
                    try reply.send(copying: "bye".utf8)
                    try reply.finish()
                }
            }
            try await client.write(IOBuffer(copying: Array("hello".utf8)))
            try await responding.value
            try await server.close()
            #expect(try await Net.read(client, count: 100) == Array("bye".utf8), "the answer, then end of file")
        }
    }

    @Test func aThrowingHandlerEndsRespondWithItsError() async throws {
        struct Refused: Error {}
        try await Net.withPair { _, client, server in
            let responding = Task(executorPreference: server.executor) {
                try await server.respond { bytes, reply in
                    try reply.send(copying: "not sent".utf8)
                    throw Refused()
                }
            }
            try await client.write(IOBuffer(copying: [1, 2, 3]))
            await #expect(throws: Refused.self) { try await responding.value }
            try await server.close()
            #expect(try await Net.read(client, count: 100) == [], "what the failing call queued was dropped")
        }
    }

    @Test func aResetFailsRespondWithTheConnectionsError() async throws {
        try await Net.withPair { _, client, server in
            let responding = Task(executorPreference: server.executor) {
                try await server.respond { bytes, reply in try reply.send(bytes) }
            }
            try await client.write(IOBuffer(copying: [1, 2, 3]))
            #expect(try await Net.read(client, count: 3) == [1, 2, 3])
            try client.setOption(.linger, .zero)
            try await client.close()  // linger 0: an RST, not a FIN
            let error = await #expect(throws: UringError.self) { try await responding.value }
            #expect(error?.errno == .connectionReset && error?.operation == "recv")
            #expect(server.executor.bufferGroupsInUse == 0)
        }
    }

    @Test func closeEndsAWaitingRespondAndLaterOnesThrowBadDescriptor() async throws {
        try await Net.withPair { _, client, server in
            let responding = Task(executorPreference: server.executor) {
                try await server.respond { bytes, reply in try reply.send(bytes) }
            }
            try await client.write(IOBuffer(copying: [7]))
            #expect(try await Net.read(client, count: 1) == [7])
            try await server.close()
            try await responding.value
            #expect(try await Net.read(client, count: 1) == [], "the peer sees end of file")
            let after = await #expect(throws: UringError.self) { try await server.respond { _, _ in } }
            #expect(after?.errno == .badFileDescriptor)
        }
    }

    @Test func cancellingTheTaskEndsRespond() async throws {
        try await Net.withPair { _, _, server in
            let responding = Task(executorPreference: server.executor) {
                try await server.respond { bytes, reply in try reply.send(bytes) }
            }
            try await Task.sleep(for: .milliseconds(50))
            responding.cancel()
            await #expect(throws: CancellationError.self) { try await responding.value }
            #expect(server.executor.bufferGroupsInUse == 0)
        }
    }

    @Test func theBytesAndTheResponderAreValidOnlyInsideTheCall() async throws {
        /// What the handler let escape, read after `respond` returned.
        final class Kept: @unchecked Sendable { var value: (ReceivedBytes, Responder)? }
        let kept = Kept()
        try await Net.withPair { _, client, server in
            let responding = Task(executorPreference: server.executor) {
                try await server.respond { bytes, reply in
                    kept.value = (bytes, reply)
                    try reply.finish()
                }
            }
            try await client.write(IOBuffer(copying: [1]))
            try await responding.value
        }
        let (bytes, reply) = try #require(kept.value)
        #expect(throws: UringError.self) { try bytes.copyBytes() }
        let late = #expect(throws: UringError.self) { try reply.send(copying: [1]) }
        #expect(late?.errno == .invalidArgument)
    }
}

/// A count the ring thread adds to and the test reads.
final class Counter: Sendable {
    private let count = Atomic<Int>(0)
    func add(_ amount: Int) { count.add(amount, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}
