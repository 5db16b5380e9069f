import Glibc
import SystemPackage
import Testing
import UringAsync
import UringTestSupport

/// The executor's option types reach the kernel as the flags they name: each
/// test checks the effect with plain system calls.
@Suite("Typed options of awaited operations")
struct TypedOptionsTests {
    @Test(
        .enabled(
            if: TestSupport.supports(.socket) && TestSupport.supports(.shutdown),
            "needs IORING_OP_SOCKET (Linux 5.19) and IORING_OP_SHUTDOWN"))
    func socketKindsMessageFlagsAndShutdownDirections() async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let (listener, port) = try TestSupport.listeningSocket()
        defer { try? listener.close() }
        let client = try await executor.socket(.ipv4, .stream, protocol: .tcp)
        defer { try? client.close() }
        var type: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        #expect(getsockopt(client.rawValue, SOL_SOCKET, SO_TYPE, &type, &length) == 0 && type == Int32(SOCK_STREAM.rawValue))
        #expect(fcntl(client.rawValue, F_GETFD) & FD_CLOEXEC != 0)
        try await executor.connect(client, to: TestSupport.loopback(port: port))
        let server = try await executor.accept(listener)
        defer { try? server.close() }

        let outgoing = try IOBuffer(capacity: 5)
        try outgoing.copyBytes(from: Array("hello".utf8))
        _ = try await executor.send(client, from: outgoing, flags: .noSignal)
        let (peeked, peekBuffer) = try await executor.receive(server, into: IOBuffer(capacity: 5), flags: [.peek, .waitAll])
        #expect(try peekBuffer.bytes(count: peeked) == Array("hello".utf8))
        let (count, buffer) = try await executor.receive(server, into: IOBuffer(capacity: 5), flags: .waitAll)
        #expect(try buffer.bytes(count: count) == Array("hello".utf8))

        try await executor.shutdownSocket(client, .writing)
        let (ended, _) = try await executor.receive(server, into: IOBuffer(capacity: 5))
        #expect(ended == 0)
        let ready = try await executor.poll(server, events: [.readable, .readHangUp], timeout: .seconds(5))
        #expect(ready.contains(.readable) && ready.contains(.readHangUp))
        #expect(PollEvents([.readable, .writable]).description == "POLLIN|POLLOUT")
    }

    @Test(.enabled(if: TestSupport.supports(.linkat) && TestSupport.supports(.renameat), "needs IORING_OP_LINKAT (Linux 5.15)"))
    func openOptionsPermissionsRenameAndLinkOptions() async throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let previous = umask(0)
        defer { umask(previous) }
        let path = FilePath(directory + "/created")
        let fd = try await executor.open(path, .writeOnly, options: [.create, .exclusiveCreate], permissions: .ownerReadWrite)
        #expect(fcntl(fd.rawValue, F_GETFL) & O_ACCMODE == O_WRONLY)
        try await executor.close(fd)
        #expect(try await executor.status(of: path).mode & 0o7777 == 0o600)
        let again = await #expect(throws: UringError.self) {
            _ = try await executor.open(path, .writeOnly, options: [.create, .exclusiveCreate])
        }
        #expect(again?.errno == .fileExists && again?.path == path)

        try await executor.makeDirectory(FilePath(directory + "/d"))
        #expect(try await executor.status(of: FilePath(directory + "/d")).mode & 0o7777 == 0o755)

        try TestSupport.createFile(directory + "/other", [7])
        let refused = await #expect(throws: UringError.self) {
            try await executor.rename(FilePath(directory + "/other"), to: path, options: .noReplace)
        }
        #expect(refused?.errno == .fileExists)
        try await executor.rename(FilePath(directory + "/other"), to: path, options: .exchange)
        #expect(try TestSupport.contents(of: directory + "/created") == [7])
        #expect(try TestSupport.contents(of: directory + "/other") == [])

        try await executor.symlink(to: "created", at: FilePath(directory + "/soft"))
        try await executor.link(FilePath(directory + "/soft"), to: FilePath(directory + "/followed"), followingSymlink: true)
        try await executor.link(FilePath(directory + "/soft"), to: FilePath(directory + "/unfollowed"))
        let followed = try await executor.status(of: FilePath(directory + "/followed"), options: .noFollow)
        let unfollowed = try await executor.status(of: FilePath(directory + "/unfollowed"), options: .noFollow)
        #expect(followed.mode & UInt16(S_IFMT) == UInt16(S_IFREG) && followed.linkCount == 2)
        #expect(unfollowed.mode & UInt16(S_IFMT) == UInt16(S_IFLNK))
    }

    @Test(.enabled(if: TestSupport.supports(.fallocate), "needs IORING_OP_FALLOCATE (Linux 5.6)"))
    func allocationModesReserveAndPunch() async throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        try await executor.withFile(FilePath(directory + "/f"), .readWrite, options: .create) { file in
            let fd = try file.descriptor
            try await executor.allocate(fd, mode: .keepSize, length: 1 << 20)
            #expect(try await file.status().size == 0)
            try await file.write(contentsOf: [UInt8](repeating: 0xAB, count: 8192))
            try await executor.allocate(fd, mode: [.punchHole, .keepSize], offset: 0, length: 4096)
            #expect(try await file.status().size == 8192)
            #expect(try await file.readAll() == [UInt8](repeating: 0, count: 4096) + [UInt8](repeating: 0xAB, count: 4096))
        }
    }
}
