import CUringBench
import Glibc
import SystemPackage
import UringFiles

/// `uring bench write` and `uring bench write-many`: `UringFiles.write` /
/// `writeMany` against a plain `write` loop of 1 MiB calls, in a random order each round.
struct WriteBenchmark {
    let directory: String
    /// How many files (1 for `write`).
    let files: Int
    let bytesPerFile: Int
    let rounds: Int
    let mode: UringFiles.Mode
    let queueDepth: Int
    let blockSize: Int

    struct Result {
        let name: String
        let files: Int
        let bytesPerFile: Int
        let mode: UringFiles.Mode
        let uring: Double
        let syscalls: Double
        let path: String

        var table: String {
            """
            \(name)  \(files) × \(Format.bytes(Double(bytesPerFile))) (median MiB/s of rounds) [\(path)]
              UringFiles (mode \(mode.rawValue))   \(Format.fixed(uring, 0)) MiB/s
              open/write/close loop     \(Format.fixed(syscalls, 0)) MiB/s   ratio \(Format.ratio(uring / syscalls))  [1 MiB writes]
            """
        }

        var json: String {
            JSONObject([
                ("benchmark", .string(name)), ("files", .int(files)), ("bytes_per_file", .int(bytesPerFile)),
                ("mode", .string(mode.rawValue)), ("uring_mib_per_sec", .double(uring)),
                ("syscalls_mib_per_sec", .double(syscalls)), ("path", .string(path)),
            ]).text
        }
    }

    func run() throws -> Result {
        let base = directory + "/uring-bench-write-\(getpid())"
        guard mkdir(base, 0o755) == 0 else { throw BenchError("cannot create \(base): errno \(errno)") }
        defer { BenchTree.remove(base) }
        // Many new files on ext4 right after many were deleted ran up to 8x slower (the
        // inode allocator skips recently deleted inodes), so those rounds each get a
        // directory of their own, kept to the end; elsewhere each round's files go at once.
        let keepRounds = files >= 1000 && cub_is_tmpfs(directory) == 0
        let width = max(4, String(files - 1).count)
        let names = (0..<files).map { index in
            let number = String(index)
            return "/file_" + String(repeating: "0", count: width - number.count) + number
        }
        var uring: [Double] = []
        var plain: [Double] = []
        let megabytes = Double(files * bytesPerFile) / 1_048_576
        for round in 0..<rounds {
            for usesRing in [true, false].shuffled() {
                let target = base + "/\(usesRing ? "uring" : "loop")-\(round)"
                guard mkdir(target, 0o755) == 0 else { throw BenchError("cannot create \(target): errno \(errno)") }
                let rate =
                    megabytes
                    / (try BenchFiles.timed(removing: target + "/none") {
                        if !usesRing {
                            for name in names { try BenchFiles.writeLoop(target + name, bytes: bytesPerFile) }
                        } else if files == 1 {
                            try UringFiles.write(
                                FilePath(target + names[0]), bytes: bytesPerFile, mode: mode, queueDepth: queueDepth,
                                blockSize: blockSize)
                        } else {
                            try UringFiles.writeMany(
                                in: FilePath(target), files: files, bytesPerFile: bytesPerFile, mode: mode,
                                queueDepth: queueDepth, blockSize: blockSize)
                        }
                    })
                if usesRing { uring.append(rate) } else { plain.append(rate) }
                if !keepRounds { BenchTree.remove(target) }
            }
        }
        return Result(
            name: files == 1 ? "write" : "write-many", files: files, bytesPerFile: bytesPerFile, mode: mode,
            uring: Statistics.median(uring), syscalls: Statistics.median(plain),
            path: UringFiles.transferPath.description)
    }
}

extension BenchFiles {
    /// The plain-syscall baseline: open, `write` of up to 1 MiB at a time, close.
    static func writeLoop(_ path: String, bytes: Int) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw BenchError("cannot create \(path): errno \(errno)") }
        defer { close(fd) }
        var done = 0
        while done < bytes {
            let count = min(1 << 20, bytes - done)
            guard write(fd, onePattern, count) == count else { throw BenchError("write failed: errno \(errno)") }
            done += count
        }
    }

    /// 1 MiB of the byte 0x5A, the baseline's source.
    nonisolated(unsafe) static let onePattern: UnsafeMutableRawPointer = {
        let chunk = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 4096)
        memset(chunk, 0x5A, 1 << 20)
        return chunk
    }()
}
