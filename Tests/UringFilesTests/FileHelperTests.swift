import CUringTestSupport
import Glibc
import SystemPackage
import Testing
import Uring
@testable import UringFiles
import UringTestSupport

/// UringFiles: copy, write and writeMany, the native pipelines, their options and their failures.
@Suite("File helpers")
struct FileHelperTests {
    /// Bytes with no short period, so a chunk written at the wrong offset shows:
    /// byte `i` is bits 13 to 20 of `(i + seed) × 2654435761`, which depend on
    /// `i` modulo 2^21 only: the bytes repeat every 2 MiB.
    static func varied(_ count: Int, seed: Int = 7) -> [UInt8] {
        TestSupport.periodic(count, period: 1 << 21) { UInt8(truncatingIfNeeded: (($0 &+ seed) &* 2_654_435_761) >> 13) }
    }

    /// Byte `i` of a generated file is `UInt8(i & 0xFF)`.
    static func generated(_ count: Int) -> [UInt8] { TestSupport.periodic(count, period: 256) { UInt8(truncatingIfNeeded: $0) } }

    static func mode(of path: String) -> mode_t {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_mode & 0o7777 : 0
    }

    @Test(arguments: UringFiles.Mode.allCases)
    func copyIsExactAndKeepsPermissions(mode: UringFiles.Mode) throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let bytes = Self.varied(3 << 20 + 12_345)
        try TestSupport.createFile(directory + "/src", bytes)
        chmod(directory + "/src", 0o640)
        let copied = try UringFiles.copy(
            FilePath(directory + "/src"), to: FilePath(directory + "/dst"), mode: mode, queueDepth: 4,
            blockSize: 64 << 10)
        #expect(copied == bytes.count)
        #expect(try TestSupport.contents(of: directory + "/dst") == bytes)
        #expect(Self.mode(of: directory + "/dst") == 0o640)
    }

    @Test func emptyFilesAndExistingDestinations() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        try TestSupport.createFile(directory + "/empty", [])
        try TestSupport.createFile(directory + "/dst", Self.varied(100_000))
        #expect(try UringFiles.copy(FilePath(directory + "/empty"), to: FilePath(directory + "/dst")) == 0)
        #expect(try TestSupport.contents(of: directory + "/dst").isEmpty, "an existing destination is truncated")
        #expect(try UringFiles.write(FilePath(directory + "/zero"), megabytes: 0) == 0)
        #expect(try TestSupport.contents(of: directory + "/zero").isEmpty)
    }

    @Test func copyingAFileOntoItselfIsRefused() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let bytes = Self.varied(10_000)
        try TestSupport.createFile(directory + "/a", bytes)
        #expect(link(directory + "/a", directory + "/b") == 0)
        for target in ["/a", "/b"] {
            let error = #expect(throws: UringError.self) {
                try UringFiles.copy(FilePath(directory + "/a"), to: FilePath(directory + target))
            }
            #expect(error?.errno == .invalidArgument && error?.detail?.contains("source file itself") == true)
        }
        #expect(try TestSupport.contents(of: directory + "/a") == bytes, "the source is untouched")
    }

    @Test func callbacksChooseSizesReportProgressAndCancel() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let bytes = Self.varied(1 << 20 + 777)
        try TestSupport.createFile(directory + "/src", bytes)
        var asked: [(Int, Int, Int)] = []
        var reported: [(Int, Int)] = []
        let copied = try UringFiles.copy(
            FilePath(directory + "/src"), to: FilePath(directory + "/dst"), queueDepth: 3, blockSize: 8192,
            bufferSize: { offset, total, size in
                asked.append((offset, total, size))
                return 1000 + offset % 7919
            },
            progress: { done, total in
                reported.append((done, total))
                return false
            })
        #expect(copied == bytes.count)
        #expect(try TestSupport.contents(of: directory + "/dst") == bytes)
        #expect(asked.first.map { $0 == (0, bytes.count, 8192) } == true)
        #expect(asked.allSatisfy { $0.1 == bytes.count && $0.2 == 8192 })
        #expect(zip(reported, reported.dropFirst()).allSatisfy { $0.0 < $1.0 }, "progress only grows")
        #expect(reported.last.map { $0 == (bytes.count, bytes.count) } == true)
        #expect(reported.count == asked.count, "one report per chunk")

        let cancelled = #expect(throws: UringError.self) {
            try UringFiles.copy(
                FilePath(directory + "/src"), to: FilePath(directory + "/dst2"), blockSize: 4096,
                progress: { done, _ in done >= 8192 })
        }
        #expect(cancelled?.errno == .canceled && cancelled?.operation == "copy")
        let zeroSize = #expect(throws: UringError.self) {
            try UringFiles.copy(
                FilePath(directory + "/src"), to: FilePath(directory + "/dst3"), bufferSize: { _, _, _ in 0 })
        }
        #expect(zeroSize?.errno == .invalidArgument && zeroSize?.detail?.contains("returned 0") == true)
    }

    @Test func sizesAreTrustedOnlyWhereTheFileSystemStoresData() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        try TestSupport.createFile(directory + "/file", Self.varied(5000))
        let plan = try TransferPlan(
            operation: "copy", tuning: Tuning(queueDepth: 4, blockSize: 4096, adaptive: false),
            sync: SyncChoice(atEnd: false, perWrite: false), generated: false, bufferSize: nil, progress: nil)
        let regular = try CopySource.open(FilePath(directory + "/file"), plan: plan)
        defer { try? regular.fd.close() }
        #expect(regular.expectedSize == 5000 && regular.hasOffsets)
        let procfs = try CopySource.open(FilePath("/proc/self/status"), plan: plan)
        defer { try? procfs.fd.close() }
        #expect(procfs.expectedSize == 0 && procfs.hasOffsets, "procfs reports size 0 and is read to its end")
        let pipe = try TestSupport.makePipe()
        defer {
            try? pipe.read.close()
            try? pipe.write.close()
        }
        let stream = try CopySource.open(FilePath("/proc/self/fd/\(pipe.read.rawValue)"), plan: plan)
        defer { try? stream.fd.close() }
        #expect(stream.expectedSize == 0 && !stream.hasOffsets && !stream.readsInline)
    }

    @Test func aSourceThatShrinksDuringTheCopyIsDetected() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        try TestSupport.createFile(directory + "/src", Self.varied(4 << 20))
        let shrunk = #expect(throws: UringError.self) {
            try UringFiles.copy(
                FilePath(directory + "/src"), to: FilePath(directory + "/dst"), mode: .safe, queueDepth: 2,
                blockSize: 64 << 10,
                progress: { done, _ in
                    if done == 64 << 10 { truncate(directory + "/src", 1 << 20) }
                    return false
                })
        }
        #expect(shrunk?.errno == .ioError && shrunk?.detail?.contains("shrank") == true, "\(String(describing: shrunk))")
    }

    @Test(arguments: UringFiles.SyncPolicy.allCases)
    func writeFillsTheFileUnderEverySyncPolicy(policy: UringFiles.SyncPolicy) throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let written = try UringFiles.write(
            FilePath(directory + "/out"), megabytes: 2, mode: .fast, queueDepth: 8, syncPolicy: policy)
        #expect(written == 2 << 20)
        #expect(try TestSupport.contents(of: directory + "/out") == Self.generated(2 << 20))
    }

    @Test func writeModesAndDynamicSizes() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        for mode in UringFiles.Mode.allCases {
            #expect(try UringFiles.write(FilePath(directory + "/\(mode)"), megabytes: 1, mode: mode) == 1 << 20)
            #expect(try TestSupport.contents(of: directory + "/\(mode)") == Self.generated(1 << 20))
        }
        var chunks = 0
        let dynamic = try UringFiles.writeNewFileDynamic(
            FilePath(directory + "/dynamic"), megabytes: 1, blockSize: 4096, queueDepth: 4,
            bufferSize: { offset, _, _ in 3000 + offset % 1013 },
            progress: { _, _ in
                chunks += 1
                return false
            })
        #expect(dynamic == 1 << 20 && chunks > 200)
        #expect(try TestSupport.contents(of: directory + "/dynamic") == Self.generated(1 << 20))
        let dataOnCopy = #expect(throws: UringError.self) {
            try UringFiles.copy(FilePath(directory + "/dynamic"), to: FilePath(directory + "/x"), syncPolicy: .data)
        }
        #expect(dataOnCopy?.errno == .invalidArgument)
    }

    @Test func writeManyAndThePipelines() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let total = try UringFiles.writeMany(in: FilePath(directory), files: 3, megabytesPerFile: 1, fsyncEnd: true)
        #expect(total == 3 << 20)
        for name in ["file_0000", "file_0001", "file_0002"] {
            #expect(try TestSupport.contents(of: directory + "/" + name) == Self.generated(1 << 20))
        }
        #expect(try UringFiles.writeManyFiles(in: FilePath(directory), files: 2, megabytesPerFile: 1) == 2 << 20)
        #expect(try UringFiles.writeNewFile(FilePath(directory + "/new"), megabytes: 1, fsync: true, dsync: true) == 1 << 20)
        #expect(
            try UringFiles.copyPath(FilePath(directory + "/new"), to: FilePath(directory + "/copy"), queueDepth: 2, blockSize: 100_000) == 1
                << 20)
        #expect(try TestSupport.contents(of: directory + "/copy") == Self.generated(1 << 20))
        #expect(try UringFiles.copyPathDynamic(FilePath(directory + "/copy"), to: FilePath(directory + "/copy2"), fsync: true) == 1 << 20)
        #expect(try TestSupport.contents(of: directory + "/copy2") == Self.generated(1 << 20))
    }

    @Test(arguments: [(9, 3 << 20 + 1), (300, 1000), (40, 0)])
    func writeManyOverlapsFilesAndEveryFileIsExact(files: Int, size: Int) throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { _ = TestSupport.run("/bin/rm", ["-rf", directory]) }
        var reports: [(Int, Int)] = []
        let total = try UringFiles.writeMany(
            in: FilePath(directory + "/many"), files: files, bytesPerFile: size, queueDepth: 64,
            progress: { done, all in
                reports.append((done, all))
                return false
            })
        #expect(total == files * size)
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.0 < $1.0 } && reports.allSatisfy { $0.1 == files * size })
        let expected = Self.generated(size)
        let width = max(4, String(files - 1).count)
        for index in 0..<files {
            let number = String(index)
            let name = directory + "/many/file_" + String(repeating: "0", count: width - number.count) + number
            #expect(try TestSupport.contents(of: name) == expected, "\(name)")
        }
    }

    @Test func badInputThrowsWithADetail() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        try TestSupport.createFile(directory + "/src", [1, 2, 3])
        let source = FilePath(directory + "/src")
        let missing = #expect(throws: UringError.self) { try UringFiles.copy(FilePath(directory + "/none"), to: source) }
        #expect(missing?.errno == .noSuchFileOrDirectory && missing?.detail?.contains("/none") == true)
        let noDirectory = #expect(throws: UringError.self) { try UringFiles.copy(source, to: FilePath(directory + "/no/dst")) }
        #expect(noDirectory?.errno == .noSuchFileOrDirectory)
        let depth = #expect(throws: UringError.self) { try UringFiles.copyPath(source, to: FilePath(directory + "/d"), queueDepth: 0) }
        #expect(depth?.errno == .invalidArgument && depth?.detail?.contains("queue depth") == true)
        let block = #expect(throws: UringError.self) {
            try UringFiles.write(FilePath(directory + "/w"), megabytes: 1, mode: .auto, blockSize: 0)
        }
        #expect(block?.errno == .invalidArgument && block?.detail?.contains("block size") == true)
        #expect(throws: UringError.self) { try UringFiles.write(FilePath(directory + "/w"), megabytes: -1) }
        #expect(throws: UringError.self) { try UringFiles.writeMany(in: FilePath(directory), files: 0, megabytesPerFile: 1) }
        let isDirectory = #expect(throws: UringError.self) { try UringFiles.copy(FilePath(directory), to: FilePath(directory + "/d")) }
        #expect(isDirectory?.errno == .isDirectory)
    }
}

/// Transfers that cannot finish, and files past 4 GiB.
@Suite("File helper limits")
struct FileHelperLimitTests {
    static let canMount = geteuid() == 0

    @Test(.enabled(if: canMount, "needs root to mount a 1 MiB tmpfs"))
    func aFullFileSystemStopsTheWriteWithENOSPCAndTheBytesDone() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        try #require(mount("tmpfs", directory, "tmpfs", 0, "size=1m") == 0, "mount failed: errno \(errno)")
        defer { umount2(directory, Int32(MNT_DETACH)) }
        for mode in UringFiles.Mode.allCases {
            let full = #expect(throws: UringError.self) {
                try UringFiles.write(FilePath(directory + "/big"), megabytes: 4, mode: mode)
            }
            #expect(full?.errno == .noSpace && full?.operation == "write")
            #expect(full?.detail?.contains("bytes were fully written") == true, "\(full?.detail ?? "")")
            unlink(directory + "/big")
        }
        let source = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(source) }
        try TestSupport.createFile(source + "/src", FileHelperTests.varied(3 << 20))
        let copy = #expect(throws: UringError.self) {
            try UringFiles.copy(FilePath(source + "/src"), to: FilePath(directory + "/dst"), blockSize: 256 << 10)
        }
        #expect(copy?.errno == .noSpace)
    }

    static let fileSizeMarker = "SWIFT_URING_FSIZE_CHILD"
    static let inFileSizeChild = getenv(fileSizeMarker) != nil

    @Test(.enabled(if: !inFileSizeChild, "the parent side"))
    func aFileSizeLimitStopsTheWriteWithEFBIGInAChild() async {
        #expect(
            await TestSupport.childPassesOffPool(
                "FileHelperLimitTests/insideTheFileSizeLimitedChild", marker: Self.fileSizeMarker, fileSizeLimit: 1 << 20),
            "the child's checks failed or did not run; run it alone to see why")
    }

    @Test(.enabled(if: inFileSizeChild, "runs only inside the child whose RLIMIT_FSIZE is 1 MiB"))
    func insideTheFileSizeLimitedChild() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        for mode in UringFiles.Mode.allCases {
            let limited = #expect(throws: UringError.self) {
                try UringFiles.write(FilePath(directory + "/big"), megabytes: 3, mode: mode)
            }
            #expect(limited?.errno == .fileTooLarge && limited?.detail?.contains("bytes were fully written") == true)
        }
        try TestSupport.createFile(directory + "/small", FileHelperTests.varied(1 << 20))
        #expect(
            try UringFiles.copy(FilePath(directory + "/small"), to: FilePath(directory + "/copy")) == 1 << 20,
            "exactly at the limit is fine")
        try TestSupport.reportChildFinished(Self.fileSizeMarker)
    }

    @Test func aSparseFileAbove4GiBCopiesExactly() throws {
        let directory = "/dev/shm/swift-uring-sparse-\(getpid())"
        mkdir(directory, 0o700)
        defer { TestSupport.removeDirectory(directory) }
        let size = (4 << 30) + 12_345
        let head = FileHelperTests.varied(70_000, seed: 1)
        let tail = FileHelperTests.varied(9_000, seed: 2)
        let fd = try FileDescriptor.open(FilePath(directory + "/src"), .writeOnly, options: [.create], permissions: .ownerReadWrite)
        _ = try head.withUnsafeBytes { try fd.writeAll(toAbsoluteOffset: 0, $0) }
        _ = try tail.withUnsafeBytes { try fd.writeAll(toAbsoluteOffset: Int64(size - tail.count), $0) }
        try fd.close()

        let copied = try UringFiles.copy(FilePath(directory + "/src"), to: FilePath(directory + "/dst"), mode: .fast)
        #expect(copied == size)
        let copy = try FileDescriptor.open(FilePath(directory + "/dst"), .readOnly)
        defer { try? copy.close() }
        func read(_ count: Int, at offset: Int) throws -> [UInt8] {
            var bytes = [UInt8](repeating: 0xEE, count: count)
            let got = try bytes.withUnsafeMutableBytes { try copy.read(fromAbsoluteOffset: Int64(offset), into: $0) }
            return Array(bytes[..<got])
        }
        #expect(try read(head.count, at: 0) == head)
        #expect(try read(tail.count + 10, at: size - tail.count) == tail, "the data past 4 GiB, and nothing after it")
        for offset in [1 << 20, (4 << 30) - 4096, (4 << 30) - 8192 + 100] {
            #expect(try read(4096, at: offset).allSatisfy { $0 == 0 }, "the hole at \(offset) stays zero")
        }
    }
}
