import ArgumentParser
import Glibc

/// `net-bench`: UringNet beside SwiftNIO, the same load against each, in shuffled order.
struct NetBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "net-bench",
        abstract: "Echo (uring bench echo-load) and HTTP plaintext (wrk) against UringNet and SwiftNIO servers in this process.")

    @Option(parsing: .upToNextOption, help: "Connection counts to measure.")
    var connections: [Int] = [1, 64, 256]

    @Option(help: "Seconds measured per echo run.")
    var seconds: Double = 2

    @Option(help: "Seconds of warm-up per echo run.")
    var warmup: Double = 0.5

    @Option(help: "Seconds per wrk run.")
    var wrkSeconds: Int = 5

    @Option(help: "Connections for wrk.")
    var wrkConnections: Int = 64

    @Option(help: "Rounds; medians are reported.")
    var rounds: Int = 5

    @Option(help: "Server threads (ring threads, event loops).")
    var threads: Int = 2

    @Option(help: "The uring binary whose `bench echo-load` makes the load (default: the root package's release build).")
    var uring: String = NetBench.defaultUring

    @Flag(help: "Only the echo benchmark.")
    var echoOnly = false

    static var defaultUring: String {
        let file = #filePath
        guard let marker = file.firstRange(of: "/Benchmarks/Sources/") else { return ".build/release/uring" }
        return String(file[..<marker.lowerBound]) + "/.build/release/uring"
    }

    func run() throws {
        guard access(uring, X_OK) == 0 else {
            throw BenchFailure(description: "no load generator at \(uring): run `swift build -c release` in the root package first")
        }
        print("net-bench: \(threads) server threads; \(rounds) rounds, servers in shuffled order each round; medians\n")
        try echo()
        guard !echoOnly else { return }
        try http()
    }

    private func echo() throws {
        let servers: [Contender] = [.uringEcho, .nioHandlerEcho, .nioAsyncEcho]
        print(
            "echo: 64-byte messages, one outstanding per connection; load: uring bench echo-load (epoll, its own process, every byte checked)"
        )
        print("connections  server                            msgs/s      p50 µs   p99 µs   vs NIO handler")
        for count in connections {
            var samples: [Contender: [Measurement]] = [:]
            for _ in 0..<rounds {
                for server in servers.shuffled() {
                    let (port, stop) = try server.start(threads: threads)
                    defer { try? stop() }
                    samples[server, default: []].append(
                        try Load.echo(uring: uring, port: port, connections: count, seconds: seconds, warmup: warmup))
                }
            }
            print(rows(samples, order: servers, baseline: .nioHandlerEcho, connections: count), terminator: "")
        }
        print()
    }

    private func http() throws {
        guard (try? Load.output(of: ["sh", "-c", "command -v wrk"])) != nil else {
            print("http: skipped, wrk is not installed (apt-get install wrk)")
            return
        }
        let servers: [Contender] = [.uringHTTP, .nioHTTP]
        print("http plaintext: wrk -t 1 -c \(wrkConnections) -d \(wrkSeconds)s --latency (its own process)")
        print("connections  server                            req/s       p50 µs   p99 µs   vs NIOHTTP1")
        var samples: [Contender: [Measurement]] = [:]
        for _ in 0..<rounds {
            for server in servers.shuffled() {
                let (port, stop) = try server.start(threads: threads)
                defer { try? stop() }
                samples[server, default: []].append(try Load.wrk(port: port, connections: wrkConnections, seconds: wrkSeconds))
            }
        }
        print(rows(samples, order: servers, baseline: .nioHTTP, connections: wrkConnections))
    }

    private func rows(_ samples: [Contender: [Measurement]], order: [Contender], baseline: Contender, connections: Int) -> String {
        let base = median(samples[baseline, default: []].map(\.rate))
        var text = ""
        for server in order {
            let runs = samples[server, default: []]
            let rate = median(runs.map(\.rate))
            text +=
                pad(String(connections), 13) + pad(server.rawValue, 34) + pad(String(Int(rate.rounded())), 12)
                + pad(String(Int(median(runs.map(\.p50)).rounded())), 9) + pad(String(Int(median(runs.map(\.p99)).rounded())), 9)
                + String(Double(Int(rate / base * 100)) / 100) + "x\n"
        }
        return text
    }

    private func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(1, width - text.count))
    }
}

NetBench.main()
