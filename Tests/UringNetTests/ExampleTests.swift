import Glibc
import Testing
import UringNet
import UringNetExamples
import UringTestSupport

@Suite(.timeLimit(.minutes(1))) struct ExampleTests {
    @Test func theReadmeEchoServerEchoes() async throws {
        let executor = try RingExecutor()
        let listener = try TCPListener.bind(to: .ipv4Loopback(port: 0), on: executor)
        // The accept loop prefers the ring thread: it goes on while other tests hold the cooperative pool.
        let server = Task(executorPreference: executor) { try await echoServer(listener) }
        let echoed = try await EchoClient.run(to: listener.address, message: Array("hello".utf8), count: 3, on: executor)
        #expect(echoed == 15)
        try await listener.close()
        try await server.value
        executor.shutdown()
        #expect(try TestSupport.readmeShowsExample(in: "ReadmeNetExample.swift"))
    }

    @Test func theEchoServerServesManyClientsOverAGroup() async throws {
        let group = try RingExecutorGroup(count: 2)
        defer { group.shutdown() }
        let listener = try TCPListener.bind(to: .ipv6Loopback(port: 0), on: group.executors[0])
        // Server and clients prefer the ring threads: they go on while other tests hold the cooperative pool.
        let server = Task(executorPreference: group.executors[0]) { try await EchoServer.serve(listener, spreadingOver: group) }
        let totals = try await withThrowingTaskGroup(of: Int.self) { clients in
            for index in 0..<16 {
                let executor = group.next()
                clients.addTask(executorPreference: executor) {
                    let message = TestSupport.pattern(100 + index * 37, seed: UInt8(index))
                    return try await EchoClient.run(to: listener.address, message: message, count: 20, on: executor)
                }
            }
            return try await clients.reduce(0, +)
        }
        #expect(totals == (0..<16).reduce(0) { $0 + (100 + $1 * 37) * 20 })
        try await listener.close()
        try await server.value
    }

    @Test func theHTTPResponderAnswersPipelinedRequestsInOrder() async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let listener = try TCPListener.bind(to: .ipv4Loopback(port: 0), on: executor)
        let server = Task(executorPreference: executor) { try await HTTPResponder.serve(listener) }
        let client = try await TCPConnection.connect(to: listener.address, on: executor)
        let request = Array("GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        // Three pipelined requests, split mid-terminator across writes.
        let pipelined = Array(repeatElement(request, count: 3).joined())
        try await client.write(IOBuffer(copying: pipelined[..<35]))
        try await Task.sleep(for: .milliseconds(20))
        try await client.write(IOBuffer(copying: pipelined[35...]))
        let response = HTTPResponder.response
        #expect(try await Net.read(client, count: response.count * 3) == Array(repeatElement(response, count: 3).joined()))
        // Keep-alive: the same connection serves 40 more at once (more than one batch).
        try await client.write(IOBuffer(copying: Array(repeatElement(request, count: 40).joined())))
        #expect(try await Net.read(client, count: response.count * 40) == Array(repeatElement(response, count: 40).joined()))
        #expect(String(decoding: response, as: UTF8.self).hasSuffix("Content-Length: 13\r\n\r\nHello, World!"))
        try await client.close()
        try await listener.close()
        try await server.value
    }

    @Test func uringEchoServesUntilSIGTERMThenClosesCleanly() async throws {
        let program = TestProgram.path("uring-echo")
        let run = try TestProgram.start(program, ["--port", "0", "--threads", "2", "--host", "127.0.0.1"])
        let banner = try await run.nextLine()
        #expect(banner.hasPrefix("listening on 127.0.0.1:"))
        let address = try SocketAddress(parsing: String(banner.dropFirst("listening on ".count)))
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        #expect(try await EchoClient.run(to: address, message: TestSupport.pattern(5000), count: 4, on: executor) == 20000)
        let open = try await TCPConnection.connect(to: address, on: executor)
        try await open.write(IOBuffer(copying: [42]))
        #expect(try await Net.read(open, count: 1) == [42])
        kill(run.pid, SIGTERM)
        #expect(try await Net.read(open, count: 1) == [], "the server closed the open connection")
        #expect(try await run.nextLine() == "signal 15: closing")
        #expect(try await run.nextLine() == "closed")
        #expect(try await run.finish() == 0)
        try await open.close()
    }
}

/// A program of this package, started with its standard output on a pipe.
struct TestProgram {
    let pid: pid_t
    let output: Int32

    /// The built product `name`, beside the test bundle.
    static func path(_ name: String) -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let executable = String(decoding: buffer.prefix(max(0, length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return String(executable[..<executable.lastIndex(of: "/")!]) + "/" + name
    }

    static func start(_ path: String, _ arguments: [String]) throws -> TestProgram {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
        close(fds[1])
        try #require(spawned == 0, "could not start \(path)")
        return TestProgram(pid: pid, output: fds[0])
    }

    /// The next line of the program's output, read on a thread of its own (the
    /// program may be slow, and the cooperative pool must not wait for it).
    func nextLine() async throws -> String {
        try await BlockingWork.run("read") { _ in readLine() }
    }

    /// Waits for the program to exit, on a thread of its own; its exit status.
    func finish() async throws -> Int32 {
        try await BlockingWork.run("waitpid") { _ in wait() }
    }

    /// One line of the program's output, without its newline.
    func readLine() -> String {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(output, &byte, 1) == 1 && byte != 10 { line.append(byte) }
        return String(decoding: line, as: UTF8.self)
    }

    /// Waits for the program; its exit status, or -1 when a signal ended it.
    func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        close(output)
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : -1
    }
}
