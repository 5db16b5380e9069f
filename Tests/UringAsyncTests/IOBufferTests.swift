import Glibc
import SystemPackage
import Testing
import UringAsync
import UringTestSupport

/// An IOBuffer is reachable by one holder at a time: while an operation has it,
/// every other way in throws EBUSY; slices let a write or send go on from an
/// offset in the same memory.
@Suite("IOBuffer ownership")
struct IOBufferTests {
    /// A read of an empty pipe into a fresh 16-byte buffer, in flight while `body` runs.
    static func withPendingRead(
        _ body: (RingExecutor, (read: FileDescriptor, write: FileDescriptor), IOBuffer, Task<(count: Int, buffer: IOBuffer), any Error>)
            async throws -> Void
    ) async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let pipe = try TestSupport.makePipe()
        defer {
            try? pipe.read.close()
            try? pipe.write.close()
        }
        let buffer = try IOBuffer(capacity: 16)
        let reading = Task { try await executor.read(pipe.read, into: buffer) }
        try await body(executor, pipe, buffer, reading)
    }

    @Test func anOperationInFlightHoldsTheBufferAgainstEveryOtherUse() async throws {
        try await Self.withPendingRead { executor, pipe, buffer, reading in
            try await Task.sleep(for: .milliseconds(100))

            let copy = #expect(throws: UringError.self) { _ = try buffer.bytes(count: 4) }
            #expect(copy?.errno == .resourceBusy)
            let scoped = #expect(throws: UringError.self) { try buffer.withUnsafeMutableBytes { $0[0] = 1 } }
            #expect(scoped?.errno == .resourceBusy)
            #expect(throws: UringError.self) { try buffer.copyBytes(from: [1, 2]) }
            let second = await #expect(throws: UringError.self) { _ = try await executor.read(pipe.read, into: buffer) }
            #expect(second?.errno == .resourceBusy && second?.operation == "read")

            _ = try pipe.write.writeAll(Array("owned".utf8))
            let (count, back) = try await reading.value
            #expect(back === buffer)
            #expect(try back.bytes(count: count) == Array("owned".utf8))
            try back.copyBytes(from: Array("again".utf8))
            #expect(try back.withUnsafeBytes { Array($0.prefix(5)) } == Array("again".utf8))
        }
    }

    @Test func aCancelledReadGivesTheBufferBack() async throws {
        try await Self.withPendingRead { _, _, buffer, reading in
            try await Task.sleep(for: .milliseconds(50))
            reading.cancel()
            await #expect(throws: CancellationError.self) { _ = try await reading.value }
            try buffer.copyBytes(from: [9])
            #expect(try buffer.bytes(count: 1) == [9])
        }
    }

    @Test func slicesContinueWritesAndSendsFromAnOffsetInTheSameMemory() async throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let buffer = try IOBuffer(copying: Array("hello world".utf8))
        let fd = try await executor.open(FilePath(directory + "/f"), .writeOnly, options: .create)
        let (first, afterFirst) = try await executor.write(fd, from: buffer[0..<5], at: 0)
        let (rest, afterRest) = try await executor.write(fd, from: afterFirst[first..<afterFirst.capacity], at: UInt64(first))
        try await executor.close(fd)
        #expect(first == 5 && rest == 6 && afterRest === buffer)
        #expect(try TestSupport.contents(of: directory + "/f") == Array("hello world".utf8))

        let pair = try TestSupport.tcpPair()
        defer {
            try? pair.client.close()
            try? pair.server.close()
        }
        let (sent, _) = try await executor.send(pair.client, from: buffer[6..<11])
        #expect(sent == 5)
        #expect(try TestSupport.readExactly(pair.server, 5) == Array("world".utf8))

        let outside = await #expect(throws: UringError.self) { _ = try await executor.send(pair.client, from: buffer[4..<12]) }
        #expect(outside?.errno == .invalidArgument && outside?.operation == "send")
        try buffer.copyBytes(from: [1])
    }
}
