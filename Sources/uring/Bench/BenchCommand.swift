import ArgumentParser

/// `uring bench`: measurements, each beside a baseline from the same run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the library against baselines run in the same process.",
        subcommands: [TourCommand.self, NopBenchCommand.self],
        defaultSubcommand: TourCommand.self
    )
}

/// `uring bench` with no subcommand: every benchmark, short runs, well under a minute.
struct TourCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tour", abstract: "Run every benchmark briefly (the default).")

    func run() throws {
        print("swift-uring benchmark tour (release build recommended: swift run -c release uring bench)\n")
        for batch in [1, 32] {
            let result = try NopBenchmark(batch: batch, operations: 2_000_000, rounds: 5).run()
            print(result.table)
        }
    }
}

/// `uring bench nop`: NOP throughput, default ring against a plain ring.
struct NopBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nop",
        abstract: "NOPs per second through the default ring and through a plain ring.")

    @Option(help: "NOPs submitted per io_uring_enter.")
    var batch: Int = 32

    @Option(help: "NOPs per measured round.")
    var ops: Int = 5_000_000

    @Option(help: "Rounds per ring; the median is reported.")
    var rounds: Int = 5

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func validate() throws {
        guard batch >= 1 && batch <= 4096 else { throw ValidationError("--batch must be 1...4096") }
        guard ops >= batch else { throw ValidationError("--ops must be at least --batch") }
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1") }
    }

    func run() throws {
        let result = try NopBenchmark(batch: batch, operations: ops, rounds: rounds).run()
        print(json ? result.json : result.table)
    }
}
