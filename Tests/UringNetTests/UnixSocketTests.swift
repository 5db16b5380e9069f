import Glibc
import Testing
import UringNet
import UringTestSupport

@Suite(.timeLimit(.minutes(1))) struct UnixSocketTests {
    @Test func aPathSocketCarriesBytesAndIsRemovedAtClose() async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let address = try SocketAddress.unix(path: FilePath(directory + "/echo.sock"))
        let listener = try TCPListener.bind(to: address, on: executor)
        #expect(listener.address == address)
        var accepted = listener.connections.makeAsyncIterator()
        let client = try await TCPConnection.connect(to: address, on: executor)
        let server = try #require(try await accepted.next())
        try await client.write(IOBuffer(copying: TestSupport.pattern(50_000)))
        #expect(try await Net.read(server, count: 50_000) == TestSupport.pattern(50_000))
        let taken = #expect(throws: UringError.self) { try TCPListener.bind(to: address, on: executor) }
        #expect(taken?.errno == .addressInUse && taken?.detail?.contains(directory + "/echo.sock") == true)
        try await client.close()
        try await server.close()
        try await listener.close()
        #expect(access(directory + "/echo.sock", F_OK) != 0, "the socket file is gone")
    }

    @Test func anAbstractNameNeedsNoFile() async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let address = try SocketAddress.unixAbstract("swift-uring-test-\(getpid())")
        let listener = try TCPListener.bind(to: address, on: executor)
        var accepted = listener.connections.makeAsyncIterator()
        let client = try await TCPConnection.connect(to: address, on: executor)
        let server = try #require(try await accepted.next())
        try await server.write(IOBuffer(copying: [1, 2, 3]))
        #expect(try await Net.read(client, count: 3) == [1, 2, 3])
        try await client.close()
        try await server.close()
        try await listener.close()
    }

    @Test func aMissingSocketFileIsReported() async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let address = try SocketAddress.unix(path: "/nonexistent-dir/none.sock")
        let error = await #expect(throws: UringError.self) { try await TCPConnection.connect(to: address, on: executor) }
        #expect(error?.errno == .noSuchFileOrDirectory && error?.detail?.hasPrefix("unix:/nonexistent-dir/none.sock") == true)
    }
}
