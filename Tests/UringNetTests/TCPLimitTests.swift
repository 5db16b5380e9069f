import Glibc
import Testing
import UringNet
import UringTestSupport

/// Tests that need a process of their own: a lowered descriptor limit, and exact counts.
@Suite struct TCPLimitTests {
    static let marker = "SWIFT_URING_NET_LIMIT_CHILD"
    static let inChild = getenv(marker) != nil

    @Test(.enabled(if: !inChild, "the parent side"))
    func acceptingAtTheDescriptorLimitPausesAndGoesOn() async throws {
        #expect(try await Self.childPasses("atTheLimitInsideTheChild"), "the child's checks failed or did not run; run it alone to see why")
    }

    @Test(.enabled(if: !inChild, "the parent side"))
    func tenThousandConnectionsLeaveNothingBehind() async throws {
        #expect(
            try await Self.childPasses("tenThousandInsideTheChild"), "the child's checks failed or did not run; run it alone to see why")
    }

    /// Runs the child-side test `name` (``TestSupport/childPassesOffPool(_:marker:blockIOUring:fileSizeLimit:user:)``).
    static func childPasses(_ name: String) async throws -> Bool {
        await TestSupport.childPassesOffPool("TCPLimitTests/" + name, marker: marker)
    }

    @Test(.enabled(if: inChild, "runs only inside the child with a lowered descriptor limit"), .timeLimit(.minutes(1)))
    func atTheLimitInsideTheChild() async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let listener = try TCPListener.bind(to: .ipv4Loopback(port: 0), on: executor)
        let pauses = Locked<[UringError]>([])
        let connections = listener.connections(pause: .milliseconds(20)) { error in pauses.withLock { $0.append(error) } }
        // The accepting task waits at a gate, so nothing starts a task while the
        // process sits at its limit: libdispatch traps when its pool monitor finds
        // no descriptor for /proc. io_uring takes the limit when the accept is
        // submitted, so the window at the limit lasts only until then.
        let (gate, opening) = AsyncStream<Void>.makeStream()
        let accepting = Task { () -> TCPConnection? in
            for await _ in gate { break }
            var iterator = connections.makeAsyncIterator()
            return try await iterator.next()
        }
        try await Task.sleep(for: .milliseconds(20))
        let clientSocket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(clientSocket >= 0)
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        let original = limit
        limit.rlim_cur = rlim_t(Net.openDescriptors + 8)
        #expect(setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0)
        var fillers: [Int32] = []
        while case let fd = dup(0), fd >= 0 { fillers.append(fd) }
        let filled = errno == EMFILE
        let connected = listener.address.withSockaddr { Glibc.connect(clientSocket, $0, $1) }
        opening.yield()
        let deadline = ContinuousClock.now + .seconds(5)
        while pauses.withLock({ $0.isEmpty }) && ContinuousClock.now < deadline { usleep(200) }
        var restored = original
        setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &restored)
        for fd in fillers { close(fd) }
        #expect(filled, "every descriptor up to the limit was taken")
        #expect(connected == 0, "the kernel completes the handshake into the backlog")
        let reported = try #require(pauses.withLock { $0.first })
        #expect(reported.errno == .tooManyOpenFiles && reported.operation == "accept")
        let connection = try #require(try await accepting.value, "accepting went on once descriptors were free")
        try await connection.write(IOBuffer(copying: Array("ok".utf8)))
        var reply = [UInt8](repeating: 0, count: 2)
        #expect(recv(clientSocket, &reply, 2, Int32(MSG_WAITALL)) == 2 && reply == Array("ok".utf8))
        close(clientSocket)
        try await connection.close()
        try await listener.close()
        try TestSupport.reportChildFinished(Self.marker)
    }

    @Test(.enabled(if: inChild, "runs only inside the child that counts descriptors and memory"), .timeLimit(.minutes(3)))
    func tenThousandInsideTheChild() async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let listener = try TCPListener.bind(to: .ipv4Loopback(port: 0), on: executor)
        var accepted = listener.connections.makeAsyncIterator()
        let message = try IOBuffer(copying: Array("ping".utf8))
        func cycle() async throws {
            let client = try await TCPConnection.connect(to: listener.address, on: executor)
            let server = try #require(try await accepted.next())
            try await client.write(message)
            var inbound = server.inbound(buffers: 4, bufferSize: 1024).makeAsyncIterator()
            let bytes = try #require(try await inbound.next())
            #expect(try bytes.copyBytes() == Array("ping".utf8))
            try await client.close()
            try await server.close()
        }
        for _ in 0..<1000 { try await cycle() }  // warm up: caches, the slot table
        let descriptors = Net.openDescriptors
        let resident = Net.residentKiB
        for _ in 0..<10_000 { try await cycle() }
        let grownKiB = Net.residentKiB - resident
        #expect(Net.openDescriptors <= descriptors, "no descriptor left behind")
        #expect(executor.bufferGroupsInUse == 0, "every buffer group came back")
        if !TestSupport.underAddressSanitizer && !TestSupport.underThreadSanitizer {
            #expect(grownKiB < 4096, "RSS grew \(grownKiB) KiB over 10,000 connections")
        }
        print("10,000 connections: descriptors \(descriptors) → \(Net.openDescriptors), RSS \(resident) → \(Net.residentKiB) KiB")
        let refusing = listener.address
        try await listener.close()
        for _ in 0..<100 {
            await #expect(throws: UringError.self) { try await TCPConnection.connect(to: refusing, on: executor) }
        }
        #expect(Net.openDescriptors < descriptors, "refused connects leave no socket behind (and the listener is gone)")
        try TestSupport.reportChildFinished(Self.marker)
    }
}
