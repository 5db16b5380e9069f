import Glibc
import UringNet
import UringNetExamples

/// Runs `body` as a task and blocks this thread (not one of the pool's) until it is done.
func blockOn<Value: Sendable>(_ body: @escaping @Sendable () async throws -> Value) throws -> Value {
    let box = ResultBox<Value>()
    let done = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)
    sem_init(done, 0, 0)
    defer {
        sem_destroy(done)
        done.deallocate()
    }
    let signal = SemaphoreHandle(pointer: done)
    Task {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        sem_post(signal.pointer)
    }
    while sem_wait(done) != 0 {}
    return try box.result!.get()
}

/// The result a task hands to the thread waiting for it (written before the semaphore is posted).
final class ResultBox<Value>: @unchecked Sendable {
    var result: Result<Value, any Error>?
}

/// A semaphore handed to the task that posts it.
struct SemaphoreHandle: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<sem_t>
}

/// A failure of the benchmark itself.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
}

/// One server under test.
enum Contender: String, CaseIterable {
    case uringEcho = "UringNet echo"
    case nioHandlerEcho = "NIO ChannelInboundHandler echo"
    case nioAsyncEcho = "NIO NIOAsyncChannel echo"
    case uringHTTP = "UringNet HTTP"
    case nioHTTP = "NIOHTTP1"

    /// Starts the server on a free loopback port; its port and how to stop it.
    func start(threads: Int) throws -> (port: Int, stop: () throws -> Void) {
        switch self {
        case .nioHandlerEcho:
            let server = try NIOServer.handlerEcho(threads: threads)
            return (server.port, server.stop)
        case .nioAsyncEcho:
            let server = try NIOServer.asyncEcho(threads: threads)
            return (server.port, server.stop)
        case .nioHTTP:
            let server = try NIOServer.http(threads: threads)
            return (server.port, server.stop)
        case .uringEcho, .uringHTTP:
            let group = try RingExecutorGroup(count: threads)
            let listener = try TCPListener.bind(to: .ipv4Loopback(port: 0), on: group.executors[0])
            let http = self == .uringHTTP
            let serving = Task {
                if http {
                    try await HTTPResponder.serve(listener, spreadingOver: group)
                } else {
                    try await EchoServer.serve(listener, spreadingOver: group)
                }
            }
            return (
                Int(listener.address.port!),
                {
                    try blockOn {
                        try await listener.close()
                        try await serving.value
                    }
                    group.shutdown()
                }
            )
        }
    }
}

/// What one load run measured.
struct Measurement {
    let rate: Double
    let p50: Double
    let p99: Double
}

enum Load {
    /// Runs `command` and returns its standard output; throws when it fails.
    static func output(of command: [String]) throws -> String {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw BenchFailure(description: "pipe failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        let argv = command.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawnp(&pid, command[0], &actions, nil, argv, environ)
        close(fds[1])
        guard spawned == 0 else {
            close(fds[0])
            throw BenchFailure(description: "could not start \(command[0]): \(String(cString: strerror(spawned)))")
        }
        var text: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let got = read(fds[0], &chunk, chunk.count)
            if got > 0 { text += chunk[..<got] } else if got == 0 || errno != EINTR { break }
        }
        close(fds[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else { throw BenchFailure(description: "\(command.joined(separator: " ")) failed (status \(status))") }
        return String(decoding: text, as: UTF8.self)
    }

    /// The echo load (`uring bench echo-load`, its own process) against `port`.
    static func echo(uring: String, port: Int, connections: Int, seconds: Double, warmup: Double) throws -> Measurement {
        let json = try output(of: [
            uring, "bench", "echo-load", "--address", "127.0.0.1:\(port)", "--connections", "\(connections)",
            "--seconds", "\(seconds)", "--warmup", "\(warmup)",
        ])
        return Measurement(
            rate: try number("messages_per_second", in: json), p50: try number("p50_us", in: json), p99: try number("p99_us", in: json))
    }

    /// `wrk --latency` with one thread against `port`.
    static func wrk(port: Int, connections: Int, seconds: Int) throws -> Measurement {
        let report = try output(of: [
            "wrk", "-t", "1", "-c", "\(connections)", "-d", "\(seconds)s", "--latency", "http://127.0.0.1:\(port)/plaintext",
        ])
        guard report.contains("Requests/sec:"), !report.contains("Non-2xx") else {
            throw BenchFailure(description: "wrk reported errors:\n" + report)
        }
        return Measurement(
            rate: try wrkField("Requests/sec:", in: report), p50: try wrkLatency("50%", in: report),
            p99: try wrkLatency("99%", in: report))
    }

    private static func number(_ key: String, in json: String) throws -> Double {
        guard let range = json.firstRange(of: "\"\(key)\": ") else { throw BenchFailure(description: "no \(key) in \(json)") }
        let digits = json[range.upperBound...].prefix { "0123456789.-".contains($0) }
        guard let value = Double(digits) else { throw BenchFailure(description: "bad \(key) in \(json)") }
        return value
    }

    private static func wrkField(_ label: String, in report: String) throws -> Double {
        guard let line = report.split(separator: "\n").first(where: { $0.contains(label) }),
            let value = line.split(separator: " ").last.flatMap({ Double($0) })
        else { throw BenchFailure(description: "no \(label) in wrk's report") }
        return value
    }

    /// A latency percentile line (`50%  123.00us`) in microseconds.
    private static func wrkLatency(_ label: String, in report: String) throws -> Double {
        guard let line = report.split(separator: "\n").first(where: { $0.drop(while: { $0 == " " }).hasPrefix(label) }),
            let text = line.split(separator: " ").last
        else { throw BenchFailure(description: "no \(label) latency in wrk's report") }
        let units: [(String, Double)] = [("us", 1), ("ms", 1000), ("s", 1_000_000)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            if let value = Double(text.dropLast(suffix.count)) { return value * scale }
        }
        throw BenchFailure(description: "unreadable latency \(text)")
    }
}
