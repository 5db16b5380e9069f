import CUringBench
import Glibc
import SystemPackage
import Uring
import UringFiles

/// `uring bench copy`: one cached source copied by `UringFiles.copy`, by a plain
/// `read`/`write` loop and by `copy_file_range(2)`, in a new random order each round of one run.
struct CopyBenchmark {
    let directory: String
    let megabytes: Int
    let rounds: Int
    let mode: UringFiles.Mode
    let queueDepth: Int
    let blockSize: Int
    /// Whether to run the read/write and copy_file_range baselines too.
    var baselines = true

    struct Result {
        let megabytes: Int
        let directory: String
        let mode: UringFiles.Mode
        let uring: Double
        let syscalls: Double
        let copyFileRange: Double
        let path: String

        var table: String {
            """
            copy  \(megabytes) MiB in \(directory), cached source (median MiB/s of rounds) [\(path)]
              UringFiles.copy (mode \(mode.rawValue))  \(Format.fixed(uring, 0)) MiB/s
              read/write loop (1 MiB)     \(Format.fixed(syscalls, 0)) MiB/s   ratio \(Format.ratio(uring / syscalls))
              copy_file_range             \(Format.fixed(copyFileRange, 0)) MiB/s   ratio \(Format.ratio(uring / copyFileRange))
            """
        }

        var json: String {
            JSONObject([
                ("benchmark", .string("copy")), ("megabytes", .int(megabytes)), ("directory", .string(directory)),
                ("mode", .string(mode.rawValue)), ("uring_mib_per_sec", .double(uring)),
                ("syscalls_mib_per_sec", .double(syscalls)), ("copy_file_range_mib_per_sec", .double(copyFileRange)),
                ("path", .string(path)),
            ]).text
        }
    }

    func run() throws -> Result {
        let source = directory + "/uring-bench-copy.src"
        let destination = directory + "/uring-bench-copy.dst"
        defer {
            unlink(source)
            unlink(destination)
        }
        try BenchFiles.create(source, megabytes: megabytes)
        var uring: [Double] = []
        var plain: [Double] = []
        var kernel: [Double] = []
        let bytes = Double(megabytes)
        for _ in 0..<rounds {
            for tool in (baselines ? [0, 1, 2] : [0]).shuffled() {
                switch tool {
                case 0:
                    uring.append(
                        bytes
                            / (try BenchFiles.timed(removing: destination) {
                                try UringFiles.copy(
                                    FilePath(source), to: FilePath(destination), mode: mode, queueDepth: queueDepth,
                                    blockSize: blockSize)
                            }))
                case 1:
                    plain.append(
                        bytes
                            / (try BenchFiles.timed(removing: destination) {
                                try BenchFiles.readWriteCopy(source, destination)
                            }))
                default:
                    kernel.append(
                        bytes
                            / (try BenchFiles.timed(removing: destination) {
                                try BenchFiles.copyFileRange(source, destination)
                            }))
                }
            }
        }
        return Result(
            megabytes: megabytes, directory: directory, mode: mode, uring: Statistics.median(uring),
            syscalls: Statistics.median(plain), copyFileRange: Statistics.median(kernel),
            path: UringFiles.transferPath.description)
    }
}

/// Files and baselines for the file benchmarks.
enum BenchFiles {
    /// A directory on tmpfs when there is one, else the temporary directory.
    static var defaultDirectory: String { access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp" }

    /// Where cached reads complete inline: a disk file system (tmpfs reads go to
    /// io-wq workers on Linux 6.18).
    static let cachedReadDirectory = "/tmp"

    /// Writes `megabytes` MiB of varied bytes to `path` (and so into the page cache).
    static func create(_ path: String, megabytes: Int) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw BenchError("cannot create \(path): errno \(errno)") }
        defer { close(fd) }
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 4096)
        defer { chunk.deallocate() }
        for index in 0..<megabytes {
            for word in 0..<(chunk.count / 8) {
                chunk.storeBytes(of: UInt64(index &* 131 &+ word) &* 0x9E37_79B9_7F4A_7C15, toByteOffset: word * 8, as: UInt64.self)
            }
            guard write(fd, chunk.baseAddress, chunk.count) == chunk.count else {
                throw BenchError("writing \(path) failed: errno \(errno)")
            }
        }
    }

    /// Seconds `body` takes, after removing `path` (not timed).
    static func timed<Ignored>(removing path: String, _ body: () throws -> Ignored) throws -> Double {
        unlink(path)
        let clock = ContinuousClock()
        let start = clock.now
        _ = try body()
        return (clock.now - start).seconds
    }

    /// The plain-syscall baseline: `read` then `write` of 1 MiB chunks.
    static func readWriteCopy(_ source: String, _ destination: String) throws {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        let output = open(destination, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        defer {
            close(input)
            close(output)
        }
        guard input >= 0, output >= 0 else { throw BenchError("cannot open the copy files: errno \(errno)") }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 4096)
        defer { buffer.deallocate() }
        while true {
            let got = read(input, buffer, 1 << 20)
            guard got > 0 else {
                if got < 0 { throw BenchError("read failed: errno \(errno)") }
                return
            }
            var put = 0
            while put < got {
                let wrote = write(output, buffer + put, got - put)
                guard wrote > 0 else { throw BenchError("write failed: errno \(errno)") }
                put += wrote
            }
        }
    }

    /// The in-kernel baseline: `copy_file_range(2)` until done (what coreutils `cp` uses).
    static func copyFileRange(_ source: String, _ destination: String) throws {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        let output = open(destination, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        defer {
            close(input)
            close(output)
        }
        guard input >= 0, output >= 0 else { throw BenchError("cannot open the copy files: errno \(errno)") }
        while true {
            let moved = cub_copy_file_range(input, output, 1 << 30)
            if moved == 0 { return }
            guard moved > 0 else { throw BenchError("copy_file_range failed: errno \(-moved)") }
        }
    }
}
