import CUringBench
import Glibc
import UringNet
import UringNetExamples

/// One echo server under test: started, measured, stopped.
enum EchoServerKind: String, CaseIterable, Sendable {
    /// `UringNet`'s echo server, one listener spreading connections round-robin over the group.
    case uring
    /// `UringNet`'s echo server, one `SO_REUSEPORT` listener per executor.
    case uringReusePort = "uring-reuseport"
    /// Plain blocking calls, one thread per connection (the baseline).
    case blocking

    var label: String {
        switch self {
        case .uring: "UringNet (round-robin)"
        case .uringReusePort: "UringNet (SO_REUSEPORT)"
        case .blocking: "blocking, thread per connection"
        }
    }
}

/// A running echo server and how to stop it.
struct RunningEchoServer {
    let address: SocketAddress
    let stop: () throws -> Void

    /// Starts `kind` on a free loopback port, served by `threads` ring threads.
    static func start(_ kind: EchoServerKind, threads: Int) throws -> RunningEchoServer {
        switch kind {
        case .blocking:
            var port: UInt16 = 0
            guard let server = cub_blocking_server_start(&port, 0) else {
                throw UringError(errno: Errno(rawValue: errno), operation: "blocking echo server")
            }
            let handle = UncheckedServer(pointer: server)
            return RunningEchoServer(address: .ipv4Loopback(port: port)) { cub_blocking_server_stop(handle.pointer) }
        case .uring, .uringReusePort:
            let group = try RingExecutorGroup(count: threads)
            let listeners =
                kind == .uring
                ? [try TCPListener.bind(to: .ipv4Loopback(port: 0), on: group.executors[0])]
                : try TCPListener.bindEach(to: .ipv4Loopback(port: 0), on: group)
            let spread = kind == .uring ? group : nil
            let serving = Task {
                try await withThrowingTaskGroup { servers in
                    for listener in listeners { servers.addTask { try await EchoServer.serve(listener, spreadingOver: spread) } }
                    try await servers.waitForAll()
                }
            }
            return RunningEchoServer(address: listeners[0].address) {
                try blockOn {
                    for listener in listeners { try await listener.close() }
                    try await serving.value
                }
                group.shutdown()
            }
        }
    }
}

/// The blocking server's handle, handed to the closure that stops it.
struct UncheckedServer: @unchecked Sendable {
    let pointer: OpaquePointer
}

/// What one load run measured.
struct EchoLoadResult: Sendable {
    let messagesPerSecond: Double
    let p50: Double
    let p99: Double

    /// Runs the plain-syscall load generator (epoll, every echoed byte checked) on this thread.
    /// - Throws: `BenchError` when a connection failed or an echo differed.
    static func measure(_ address: SocketAddress, connections: Int, size: Int, warmup: Double, seconds: Double) throws -> EchoLoadResult {
        var result = cub_echo_result()
        address.withSockaddr { cub_echo_load($0, $1, Int32(connections), Int32(size), warmup, seconds, &result) }
        guard result.failed == 0 else {
            let reason = withUnsafeBytes(of: result.error) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw BenchError("echo load against \(address): \(reason)")
        }
        return EchoLoadResult(messagesPerSecond: Double(result.messages) / result.seconds, p50: result.p50_us, p99: result.p99_us)
    }
}

/// `uring bench echo`: echo servers under the same load, in shuffled order each round.
struct EchoBenchmark {
    let servers: [EchoServerKind]
    let connections: [Int]
    let size: Int
    let warmup: Double
    let seconds: Double
    let rounds: Int
    let threads: Int

    struct Row {
        let server: EchoServerKind
        let connections: Int
        let rate: Double
        let p50: Double
        let p99: Double
        let baseline: Double
    }

    func run() throws -> [Row] {
        var rows: [Row] = []
        for count in connections {
            var samples: [EchoServerKind: [EchoLoadResult]] = [:]
            for _ in 0..<rounds {
                for kind in servers.shuffled() {
                    let server = try RunningEchoServer.start(kind, threads: threads)
                    defer { try? server.stop() }
                    let result = try EchoLoadResult.measure(
                        server.address, connections: count, size: size, warmup: warmup, seconds: seconds)
                    samples[kind, default: []].append(result)
                }
            }
            let baseline = Statistics.median(samples[.blocking, default: []].map(\.messagesPerSecond))
            for kind in servers {
                let runs = samples[kind, default: []]
                rows.append(
                    Row(
                        server: kind, connections: count, rate: Statistics.median(runs.map(\.messagesPerSecond)),
                        p50: Statistics.median(runs.map(\.p50)), p99: Statistics.median(runs.map(\.p99)), baseline: baseline))
            }
        }
        return rows
    }

    func table(_ rows: [Row]) -> String {
        Format.table(
            [
                "echo: \(size)-byte messages, one outstanding per connection, \(threads) ring threads; load: epoll client on its own thread, every byte checked",
                "medians of \(rounds) rounds of \(Format.fixed(seconds, 1)) s (after \(Format.fixed(warmup, 1)) s warm-up), servers in shuffled order each round",
                "connections  server                              msgs/s      p50 µs   p99 µs   vs blocking",
            ],
            rows.map { row in
                [
                    (String(row.connections), 13), (row.server.label, 36), (Format.rate(row.rate), 12),
                    (Format.fixed(row.p50, 0), 9), (Format.fixed(row.p99, 0), 9),
                    (row.baseline > 0 ? Format.ratio(row.rate / row.baseline) : "-", 0),
                ]
            })
    }

    func json(_ rows: [Row]) -> String {
        rows.map { row in
            JSONObject([
                ("benchmark", .string("echo")), ("server", .string(row.server.rawValue)), ("connections", .int(row.connections)),
                ("size", .int(size)), ("threads", .int(threads)), ("rounds", .int(rounds)), ("seconds", .double(seconds)),
                ("messages_per_second", .double(row.rate)), ("p50_us", .double(row.p50)), ("p99_us", .double(row.p99)),
                ("blocking_messages_per_second", .double(row.baseline)),
            ]).text
        }.joined(separator: "\n")
    }
}
