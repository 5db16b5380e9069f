import ArgumentParser
import UringAsync
import UringFiles

/// `uring bench`: measurements, each beside a baseline from the same run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the library against baselines run in the same process.",
        subcommands: [
            TourCommand.self, NopBenchCommand.self, CopyBenchCommand.self, WriteBenchCommand.self, WriteManyBenchCommand.self,
            TreeBenchCommand.self, AsyncBenchCommand.self, EchoBenchCommand.self, EchoLoadCommand.self, SendBenchCommand.self,
        ],
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
        let directory = BenchFiles.defaultDirectory
        print(
            try CopyBenchmark(
                directory: directory, megabytes: 256, rounds: 3, mode: .auto, queueDepth: 32, blockSize: 1 << 20
            ).run().table)
        print(
            try WriteBenchmark(
                directory: directory, files: 1, bytesPerFile: 256 << 20, rounds: 3, mode: .auto, queueDepth: 256,
                blockSize: 4096
            ).run().table)
        print(
            try WriteBenchmark(
                directory: directory, files: 16, bytesPerFile: 16 << 20, rounds: 3, mode: .auto, queueDepth: 256,
                blockSize: 4096
            ).run().table)
        print(try TreeBenchmark(directory: directory, files: 20_000, largeFiles: 20, rounds: 3, mode: .auto).run().table)
        print(
            try AsyncBenchmark(
                tasks: 32, batch: 32, nops: 1_000_000, reads: 500_000, fileMegabytes: 1024, directory: BenchFiles.cachedReadDirectory,
                rounds: 3,
                readExecutors: RingExecutorGroup.onlineProcessors, writeMegabytes: 512
            ).run().table)
        let echo = EchoBenchmark(
            servers: [.uring, .blocking], connections: [1, 64, 256], size: 64, warmup: 0.2, seconds: 0.6, rounds: 3,
            threads: RingExecutorGroup.onlineProcessors)
        print(echo.table(try echo.run()))
    }
}

/// `uring bench async`: awaited operations on a RingExecutor against synchronous baselines.
struct AsyncBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "async",
        abstract: "Awaited NOPs and random 4 KiB reads on a RingExecutor beside a sync ring and a pread loop.")

    @Option(help: "Concurrent tasks on the executor (and the sync ring's batch size).")
    var tasks: Int = 32

    @Option(help: "NOPs per RingBatch in the batched run (tasks / batch tasks, so as many NOPs in flight).")
    var batch: Int = 32

    @Option(help: "NOPs per measured round.")
    var nops: Int = 2_000_000

    @Option(help: "4 KiB reads per measured round.")
    var reads: Int = 1_000_000

    @Option(help: "Size of the cached file read at random offsets, in MiB.")
    var size: Int = 1024

    @Option(
        help:
            "Directory for the file; a disk file system whose cached reads complete inline (tmpfs reads go to io-wq workers on Linux 6.18)."
    )
    var dir: String = BenchFiles.cachedReadDirectory

    @Option(help: "Rounds; the median is reported.")
    var rounds: Int = 5

    @Option(help: "Executors the read tasks are spread over (default: one per online processor).")
    var executors: Int = RingExecutorGroup.onlineProcessors

    @Option(help: "Size in MiB of the new file written one awaited 1 MiB write at a time (0 skips it).")
    var writeSize: Int = 2048

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func validate() throws {
        guard executors >= 1 else { throw ValidationError("--executors must be at least 1") }
        guard batch >= 1, batch <= tasks else { throw ValidationError("--batch must be between 1 and --tasks") }
        guard tasks >= 1 && tasks <= 4096 else { throw ValidationError("--tasks must be 1...4096") }
        guard nops >= tasks && reads >= tasks else { throw ValidationError("--nops and --reads must be at least --tasks") }
        guard size >= 1 else { throw ValidationError("--size must be at least 1 MiB") }
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1") }
    }

    func run() throws {
        let result = try AsyncBenchmark(
            tasks: tasks, batch: batch, nops: nops, reads: reads, fileMegabytes: size, directory: dir, rounds: rounds,
            readExecutors: executors, writeMegabytes: max(writeSize, 0)
        ).run()
        print(json ? result.json : result.table)
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

/// `uring bench copy`: `UringFiles.copy` against a read/write loop and `copy_file_range`.
struct CopyBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a cached file with UringFiles.copy, a read/write loop and copy_file_range.")

    @Option(help: "Directory for the files (default: /dev/shm, else /tmp).")
    var dir: String = BenchFiles.defaultDirectory

    @Option(help: "File size in MiB.")
    var size: Int = 1024

    @Option(help: "Rounds; the median is reported.")
    var rounds: Int = 3

    @Option(help: "UringFiles mode: auto, safe or fast.")
    var mode: String = "auto"

    @Option(help: "Queue depth.")
    var qd: Int = 32

    @Option(help: "Block size in bytes.")
    var blockSize: Int = 1 << 20

    @Flag(inversion: .prefixedNo, help: "Also run the read/write and copy_file_range baselines.")
    var baselines = true

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func run() throws {
        guard let parsed = UringFiles.Mode(rawValue: mode) else { throw ValidationError("--mode must be auto, safe or fast") }
        let result = try CopyBenchmark(
            directory: dir, megabytes: size, rounds: max(rounds, 1), mode: parsed, queueDepth: qd,
            blockSize: blockSize, baselines: baselines
        ).run()
        print(json ? result.json : result.table)
    }
}

/// The options of `uring bench write` and `write-many`.
struct WriteBenchOptions: ParsableArguments {
    @Option(help: "Directory for the files (default: /dev/shm, else /tmp).")
    var dir: String = BenchFiles.defaultDirectory

    @Option(help: "Rounds; the median is reported.")
    var rounds: Int = 3

    @Option(help: "UringFiles mode: auto, safe or fast.")
    var mode: UringFiles.Mode = .auto

    @Option(help: "Queue depth.")
    var qd: Int = 256

    @Option(help: "Block size in bytes.")
    var blockSize: Int = 4096

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false
}

/// `uring bench write`: `UringFiles.write` of one file against a plain write loop.
struct WriteBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write", abstract: "Write one new file with UringFiles.write and with a plain write loop.")

    @Option(help: "File size in MiB.")
    var size: Int = 1024

    @OptionGroup var options: WriteBenchOptions

    func run() throws {
        let result = try WriteBenchmark(
            directory: options.dir, files: 1, bytesPerFile: size << 20, rounds: max(options.rounds, 1),
            mode: options.mode, queueDepth: options.qd, blockSize: options.blockSize
        ).run()
        print(options.json ? result.json : result.table)
    }
}

/// `uring bench write-many`: `UringFiles.writeMany` against a plain write loop.
struct WriteManyBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write-many", abstract: "Write many new files with UringFiles.writeMany and with a plain write loop.")

    @Option(help: "How many files.")
    var files: Int = 64

    @Option(help: "Each file's size, e.g. 16MiB or 4KiB.")
    var sizePerFile: ByteSize = ByteSize(argument: "16MiB")!

    @OptionGroup var options: WriteBenchOptions

    func run() throws {
        let result = try WriteBenchmark(
            directory: options.dir, files: max(files, 2), bytesPerFile: sizePerFile.bytes,
            rounds: max(options.rounds, 1), mode: options.mode, queueDepth: options.qd, blockSize: options.blockSize
        ).run()
        print(options.json ? result.json : result.table)
    }
}

/// `uring bench tree`: `UringFiles.copyTree` against `cp -r` and a one-thread syscall copy.
struct TreeBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tree",
        abstract: "Copy a generated tree with UringFiles.copyTree, coreutils cp -r and a one-thread syscall copy.")

    @Option(help: "Directory for the tree and its copies (default: /dev/shm, else /tmp).")
    var dir: String = BenchFiles.defaultDirectory

    @Option(help: "Small files (1-16 KiB each, over 300 directories).")
    var files: Int = 20_000

    @Option(help: "Files of 8 MiB at the top of the tree.")
    var large: Int = 20

    @Option(help: "Rounds; the median is reported.")
    var rounds: Int = 5

    @Option(help: "UringFiles mode: auto, safe or fast.")
    var mode: UringFiles.Mode = .auto

    @Option(help: "Only write the generated tree at this path (for scripts/cp-r-vs-coreutils.sh), then stop.")
    var makeTree: String?

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func validate() throws {
        guard files >= 1, large >= 0 else { throw ValidationError("--files must be at least 1 and --large at least 0") }
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1") }
    }

    func run() throws {
        if let makeTree {
            let bytes = try BenchTree.generate(makeTree, files: files, largeFiles: large)
            print("\(files + large) files, \(bytes) bytes in \(makeTree)")
            return
        }
        let result = try TreeBenchmark(directory: dir, files: files, largeFiles: large, rounds: rounds, mode: mode).run()
        print(json ? result.json : result.table)
    }
}

/// `uring bench echo`: UringNet's echo server against a blocking thread-per-connection server.
struct EchoBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "echo",
        abstract:
            "UringNet's echo server (round-robin and SO_REUSEPORT) beside a blocking thread-per-connection server, under an epoll load.")

    @Option(parsing: .upToNextOption, help: "Connection counts to measure.")
    var connections: [Int] = [1, 64, 256]

    @Option(help: "Message size in bytes.")
    var size: Int = 64

    @Option(help: "Seconds measured per run.")
    var seconds: Double = 2

    @Option(help: "Seconds of warm-up per run, not measured.")
    var warmup: Double = 0.5

    @Option(help: "Rounds; the median is reported.")
    var rounds: Int = 5

    @Option(help: "Ring threads serving connections.")
    var threads: Int = RingExecutorGroup.onlineProcessors

    @Flag(help: "Leave out the SO_REUSEPORT variant.")
    var noReusePort = false

    @Flag(help: "Print one JSON object per row instead of a table.")
    var json = false

    func validate() throws {
        guard connections.allSatisfy({ $0 >= 1 }), size >= 1, seconds > 0, rounds >= 1, threads >= 1 else {
            throw ValidationError("connections, size, seconds, rounds and threads must be positive")
        }
    }

    func run() throws {
        let benchmark = EchoBenchmark(
            servers: noReusePort ? [.uring, .blocking] : [.uring, .uringReusePort, .blocking], connections: connections,
            size: size, warmup: warmup, seconds: seconds, rounds: rounds, threads: threads)
        let rows = try benchmark.run()
        print(json ? benchmark.json(rows) : benchmark.table(rows))
    }
}

/// `uring bench send`: plain against zero-copy sends, per buffer size.
struct SendBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "TCPConnection.write against writeZeroCopy (IORING_OP_SEND_ZC) over loopback TCP, per buffer size.")

    @Option(parsing: .upToNextOption, help: "Buffer sizes in bytes.")
    var sizes: [Int] = [16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20]

    @Option(help: "Bytes sent per run.")
    var total: Int = 1 << 30

    @Option(help: "Rounds; the median is reported.")
    var rounds: Int = 5

    func validate() throws {
        guard sizes.allSatisfy({ $0 >= 1 }), total >= 1, rounds >= 1 else {
            throw ValidationError("sizes, total and rounds must be positive")
        }
    }

    func run() throws {
        let benchmark = SendBenchmark(sizes: sizes, total: total, rounds: rounds)
        print(benchmark.table(try benchmark.run()))
    }
}

/// `uring bench echo-load`: only the load generator, against any echo server (the Benchmarks package's peers).
struct EchoLoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "echo-load", abstract: "Run the epoll echo load against a server at an address; print one JSON object.")

    @Option(help: "The server's address, e.g. 127.0.0.1:7007.")
    var address: String

    @Option(help: "Connections, each with one message outstanding.")
    var connections: Int = 64

    @Option(help: "Message size in bytes.")
    var size: Int = 64

    @Option(help: "Seconds measured.")
    var seconds: Double = 2

    @Option(help: "Seconds of warm-up, not measured.")
    var warmup: Double = 0.5

    func run() throws {
        let result = try EchoLoadResult.measure(
            SocketAddress(parsing: address), connections: connections, size: size, warmup: warmup, seconds: seconds)
        print(
            JSONObject([
                ("benchmark", .string("echo-load")), ("address", .string(address)), ("connections", .int(connections)),
                ("size", .int(size)), ("seconds", .double(seconds)), ("messages_per_second", .double(result.messagesPerSecond)),
                ("p50_us", .double(result.p50)), ("p99_us", .double(result.p99)),
            ]).text)
    }
}
