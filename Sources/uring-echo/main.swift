import ArgumentParser
import Glibc
import UringNet
import UringNetExamples

/// `uring-echo`: the echo server of UringNetExamples as a program.
struct EchoOptions: ParsableArguments {
    @Option(help: "The TCP port to listen on (0: any free port).")
    var port: UInt16 = 7007

    @Option(help: "How many ring threads serve connections.")
    var threads: Int = RingExecutorGroup.onlineProcessors

    @Option(help: "The address to listen on.")
    var host: String = "0.0.0.0"

    @Flag(help: "Answer HTTP/1.1 requests with 'Hello, World!' instead of echoing.")
    var http = false

    @Flag(help: "One SO_REUSEPORT listener per thread instead of one listener spreading connections round-robin.")
    var reusePort = false

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }
}

let options = EchoOptions.parseOrExit()
do {
    try await EchoProgram.run(options)
} catch {
    Output.line(2, "uring-echo: \(error)")
    exit(1)
}

/// The program's work, in a function so that nothing it allocates outlives it.
enum EchoProgram {
    /// Listens, serves until SIGINT or SIGTERM, then closes every listener and connection.
    static func run(_ options: EchoOptions) async throws {
        try StopSignals.catchThem()
        let group = try RingExecutorGroup(count: options.threads)
        let address = try SocketAddress(
            parsing: options.host.contains(":") ? "[\(options.host)]:\(options.port)" : "\(options.host):\(options.port)")
        let listeners =
            options.reusePort
            ? try TCPListener.bindEach(to: address, on: group)
            : [try TCPListener.bind(to: address, on: group.executors[0])]
        Output.line(1, "listening on \(listeners[0].address)")
        let stopper = Task {
            let signal = try await StopSignals.next(on: group.executors[0])
            Output.line(1, "signal \(signal): closing")
            for listener in listeners { try await listener.close() }
        }
        try await withThrowingTaskGroup { servers in
            for listener in listeners {
                let spread = options.reusePort ? nil : group
                servers.addTask {
                    if options.http {
                        try await HTTPResponder.serve(listener, spreadingOver: spread)
                    } else {
                        try await EchoServer.serve(listener, spreadingOver: spread)
                    }
                }
            }
            try await servers.waitForAll()
        }
        try await stopper.value
        group.shutdown()
        Output.line(1, "closed")
    }
}

/// Unbuffered lines on standard output and error, so a supervisor sees them at once.
enum Output {
    static func line(_ fd: Int32, _ text: String) {
        _ = (text + "\n").withCString { write(fd, $0, strlen($0)) }
    }
}
