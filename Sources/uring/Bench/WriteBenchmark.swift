import Glibc
import SystemPackage
import UringFiles

/// `uring bench write` and `uring bench write-many`: `UringFiles.write` /
/// `writeMany` against a plain `write` loop of 1 MiB calls, in a random order each round.
struct WriteBenchmark {
    let directory: String
    /// How many files (1 for `write`).
    let files: Int
    let megabytesPerFile: Int
    let rounds: Int
    let mode: UringFiles.Mode
    let queueDepth: Int
    let blockSize: Int

    struct Result {
        let name: String
        let files: Int
        let megabytesPerFile: Int
        let mode: UringFiles.Mode
        let uring: Double
        let syscalls: Double
        let path: String

        var table: String {
            """
            \(name)  \(files) × \(megabytesPerFile) MiB (median MiB/s of rounds) [\(path)]
              UringFiles (mode \(mode.rawValue))   \(Format.fixed(uring, 0)) MiB/s
              write loop (1 MiB)        \(Format.fixed(syscalls, 0)) MiB/s   ratio \(Format.ratio(uring / syscalls))
            """
        }

        var json: String {
            JSONObject([
                ("benchmark", .string(name)), ("files", .int(files)), ("megabytes_per_file", .int(megabytesPerFile)),
                ("mode", .string(mode.rawValue)), ("uring_mib_per_sec", .double(uring)),
                ("syscalls_mib_per_sec", .double(syscalls)), ("path", .string(path)),
            ]).text
        }
    }

    func run() throws -> Result {
        let target = directory + "/uring-bench-write-\(getpid())"
        mkdir(target, 0o755)
        let paths = (0..<files).map { target + "/file_" + String($0) }
        defer {
            removeAll(target)
            rmdir(target)
        }
        var uring: [Double] = [], plain: [Double] = []
        let megabytes = Double(files * megabytesPerFile)
        for _ in 0..<rounds {
            for usesRing in [true, false].shuffled() {
                removeAll(target)
                let rate = megabytes / (try BenchFiles.timed(removing: target + "/none") {
                    if !usesRing {
                        for path in paths { try BenchFiles.writeLoop(path, megabytes: megabytesPerFile) }
                    } else if files == 1 {
                        try UringFiles.write(
                            FilePath(paths[0]), megabytes: megabytesPerFile, mode: mode, queueDepth: queueDepth,
                            blockSize: blockSize)
                    } else {
                        try UringFiles.writeMany(
                            in: FilePath(target), files: files, megabytesPerFile: megabytesPerFile, mode: mode,
                            queueDepth: queueDepth, blockSize: blockSize)
                    }
                })
                if usesRing { uring.append(rate) } else { plain.append(rate) }
            }
        }
        return Result(
            name: files == 1 ? "write" : "write-many", files: files, megabytesPerFile: megabytesPerFile, mode: mode,
            uring: Statistics.median(uring), syscalls: Statistics.median(plain),
            path: UringFiles.transferPath.description)
    }

    private func removeAll(_ directory: String) {
        guard let handle = opendir(directory) else { return }
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { unlink(directory + "/" + name) }
        }
        closedir(handle)
    }
}

extension BenchFiles {
    /// The plain-syscall baseline: `write` of 1 MiB chunks into a new file.
    static func writeLoop(_ path: String, megabytes: Int) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw BenchError("cannot create \(path): errno \(errno)") }
        defer { close(fd) }
        let chunk = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 4096)
        defer { chunk.deallocate() }
        memset(chunk, 0x5A, 1 << 20)
        for _ in 0..<megabytes {
            guard write(fd, chunk, 1 << 20) == 1 << 20 else { throw BenchError("write failed: errno \(errno)") }
        }
    }
}
