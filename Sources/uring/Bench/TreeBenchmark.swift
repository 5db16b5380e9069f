import CUringBench
import Glibc
import SystemPackage
import UringFiles

/// `uring bench tree`: a generated tree copied by `UringFiles.copyTree`, by
/// coreutils `cp -r` (a child process, when /bin/cp exists) and by a one-thread
/// system-call copy, in a new random order each round of one run.
///
/// Every copy goes to a destination of its own. On tmpfs it is removed once timed,
/// so the next copy reuses memory the machine already backs. Elsewhere it is kept
/// until the run ends: on ext4, creating files right after deleting many ran up to
/// 8× slower (the inode allocator skips recently deleted inodes), which would
/// punish whichever tool ran after a removal.
struct TreeBenchmark {
    let directory: String
    let files: Int
    let largeFiles: Int
    let rounds: Int
    let mode: UringFiles.Mode

    struct Result {
        let directory: String
        let files: Int
        let megabytes: Double
        let uring: Double
        let cp: Double?
        let syscalls: Double
        let path: String

        var table: String {
            let cpLine =
                cp.map {
                    "  cp -r (coreutils)           \(Format.fixed($0, 0)) MiB/s   ratio \(Format.ratio(uring / $0))"
                } ?? "  cp -r (coreutils)           skipped: /bin/cp not found"
            return """
                tree  \(files) files, \(Format.fixed(megabytes, 0)) MiB in \(directory), cached (median MiB/s of rounds) [\(path)]
                  UringFiles.copyTree          \(Format.fixed(uring, 0)) MiB/s
                \(cpLine)
                  one-thread syscall copy     \(Format.fixed(syscalls, 0)) MiB/s   ratio \(Format.ratio(uring / syscalls))
                """
        }

        var json: String {
            JSONObject([
                ("benchmark", .string("tree")), ("files", .int(files)), ("megabytes", .double(megabytes)),
                ("directory", .string(directory)), ("uring_mib_per_sec", .double(uring)),
                ("cp_mib_per_sec", cp.map { .double($0) } ?? .string("skipped")),
                ("syscalls_mib_per_sec", .double(syscalls)), ("path", .string(path)),
            ]).text
        }
    }

    func run() throws -> Result {
        let base = directory + "/uring-bench-tree-\(getpid())"
        let source = base + "/src"
        guard mkdir(base, 0o755) == 0 else { throw BenchError("cannot create \(base): errno \(errno)") }
        defer { BenchTree.remove(base) }
        let bytes = try BenchTree.generate(source, files: files, largeFiles: largeFiles)
        let megabytes = Double(bytes) / 1_048_576
        let hasCp = access("/bin/cp", X_OK) == 0
        let removeEachCopy = cub_is_tmpfs(directory) != 0
        var times: [String: [Double]] = [:]
        var path = ""
        for round in 0..<rounds {
            var tools = ["uring", "syscalls"] + (hasCp ? ["cp"] : [])
            tools.shuffle()
            for tool in tools {
                let target = base + "/\(tool)-\(round)"
                let clock = ContinuousClock()
                let start = clock.now
                switch tool {
                case "uring":
                    let report = try UringFiles.copyTree(FilePath(source), to: FilePath(target), options: .init(mode: mode))
                    guard report.succeeded else { throw BenchError("copyTree failed: \(report.failures.prefix(3))") }
                    path = report.path.description
                case "cp":
                    guard BenchTree.spawn("/bin/cp", ["-r", source, target]) == 0 else { throw BenchError("cp -r failed") }
                default:
                    try BenchTree.syscallCopy(source, target)
                }
                times[tool, default: []].append(megabytes / (clock.now - start).seconds)
                if round == 0 { try BenchTree.expectSame(source, target) }
                if removeEachCopy { BenchTree.remove(target) }
            }
        }
        return Result(
            directory: directory, files: files + largeFiles, megabytes: megabytes,
            uring: Statistics.median(times["uring"] ?? []), cp: hasCp ? Statistics.median(times["cp"] ?? []) : nil,
            syscalls: Statistics.median(times["syscalls"] ?? []), path: path)
    }
}

/// The generated tree, the baselines and the checks of `uring bench tree`.
enum BenchTree {
    /// Writes a tree of `files` files of 1–16 KiB over 300 directories (the first 50
    /// at the top, the rest below them) and `largeFiles` files of 8 MiB at the top;
    /// the same tree every time. Returns the bytes written.
    static func generate(_ root: String, files: Int, largeFiles: Int) throws -> Int {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        guard mkdir(root, 0o755) == 0 else { throw BenchError("cannot create \(root): errno \(errno)") }
        var directories = [root]
        for index in 0..<300 {
            let parent = index < 50 ? root : directories[1 + next(50)]
            let path = parent + "/d\(index)"
            guard mkdir(path, 0o755) == 0 else { throw BenchError("cannot create \(path): errno \(errno)") }
            directories.append(path)
        }
        let blob = UnsafeMutableRawPointer.allocate(byteCount: 8 << 20, alignment: 4096)
        defer { blob.deallocate() }
        for word in 0..<((8 << 20) / 8) {
            blob.storeBytes(of: UInt64(word) &* 0x9E37_79B9_7F4A_7C15, toByteOffset: word * 8, as: UInt64.self)
        }
        var total = 0
        for index in 0..<files {
            let size = 1024 + next(15 * 1024 + 1)
            try write(directories[next(directories.count)] + "/f\(index).dat", blob + index % 4096, size)
            total += size
        }
        for index in 0..<largeFiles {
            try write(root + "/large\(index).bin", blob, 8 << 20)
            total += 8 << 20
        }
        return total
    }

    private static func write(_ path: String, _ bytes: UnsafeRawPointer, _ count: Int) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw BenchError("cannot create \(path): errno \(errno)") }
        defer { close(fd) }
        guard Glibc.write(fd, bytes, count) == count else { throw BenchError("writing \(path) failed: errno \(errno)") }
    }

    /// The one-thread baseline: readdir, lstat, mkdir, and open/read/write/close with
    /// a 1 MiB buffer per file; modes set with fchmod.
    static func syscallCopy(_ source: String, _ target: String) throws {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 4096)
        defer { buffer.deallocate() }
        func copyDirectory(_ from: String, _ to: String, mode: mode_t) throws {
            guard mkdir(to, 0o700) == 0 else { throw BenchError("mkdir \(to): errno \(errno)") }
            for name in try names(in: from) {
                let child = from + "/" + name
                var status = stat()
                guard lstat(child, &status) == 0 else { throw BenchError("lstat \(child): errno \(errno)") }
                switch status.st_mode & S_IFMT {
                case S_IFDIR: try copyDirectory(child, to + "/" + name, mode: status.st_mode & 0o7777)
                case S_IFREG: try copyFile(child, to + "/" + name, mode: status.st_mode & 0o7777)
                default: break
                }
            }
            chmod(to, mode)
        }
        func copyFile(_ from: String, _ to: String, mode: mode_t) throws {
            let input = open(from, O_RDONLY | O_CLOEXEC)
            let output = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
            defer {
                close(input)
                close(output)
            }
            guard input >= 0, output >= 0 else { throw BenchError("cannot open \(from) or \(to): errno \(errno)") }
            while true {
                let got = read(input, buffer, 1 << 20)
                guard got > 0 else {
                    if got < 0 { throw BenchError("read \(from): errno \(errno)") }
                    break
                }
                guard Glibc.write(output, buffer, got) == got else { throw BenchError("write \(to): errno \(errno)") }
            }
            fchmod(output, mode)
        }
        var status = stat()
        guard stat(source, &status) == 0 else { throw BenchError("stat \(source): errno \(errno)") }
        try copyDirectory(source, target, mode: status.st_mode & 0o7777)
    }

    /// The names in `directory`, without `.` and `..`.
    static func names(in directory: String) throws -> [String] {
        guard let handle = opendir(directory) else { throw BenchError("opendir \(directory): errno \(errno)") }
        defer { closedir(handle) }
        var result: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { result.append(name) }
        }
        return result
    }

    /// Throws unless `copy` holds the same names, types, modes and bytes as `source`.
    static func expectSame(_ source: String, _ copy: String) throws {
        var status = stat()
        var other = stat()
        guard lstat(source, &status) == 0, lstat(copy, &other) == 0, status.st_mode == other.st_mode else {
            throw BenchError("\(copy) differs from \(source) in type or mode")
        }
        switch status.st_mode & S_IFMT {
        case S_IFDIR:
            let names = try names(in: source).sorted()
            guard try Self.names(in: copy).sorted() == names else { throw BenchError("\(copy) lists other names") }
            for name in names { try expectSame(source + "/" + name, copy + "/" + name) }
        case S_IFREG:
            guard status.st_size == other.st_size, try contents(source) == contents(copy) else {
                throw BenchError("\(copy) differs from \(source)")
            }
        default: break
        }
    }

    private static func contents(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw BenchError("open \(path): errno \(errno)") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let got = read(fd, &chunk, chunk.count)
            guard got > 0 else { return bytes }
            bytes += chunk[..<got]
        }
    }

    /// Runs `program` with `arguments`; its exit status.
    static func spawn(_ program: String, _ arguments: [String]) -> Int32 {
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        guard posix_spawn(&pid, program, nil, nil, argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : -1
    }

    /// Removes `path` and everything below it.
    static func remove(_ path: String) {
        _ = spawn("/bin/rm", ["-rf", path])
    }
}
