import CUringTestSupport
import Glibc
import SystemPackage
import Testing
import Uring
@testable import UringFiles
import UringTestSupport

/// Copies whose source does not tell its size: procfs and sysfs files, FIFOs,
/// devices, files that grow; destinations that are devices; reflinks.
@Suite("Copy sources and destinations")
struct CopySourceTests {
    /// The bytes of `path` read with plain syscalls until a read returns 0.
    static func plainRead(_ path: String) throws -> [UInt8] { try TestSupport.contents(of: path) }

    static let hasKernelSymbols = ((try? plainRead("/proc/kallsyms"))?.count ?? 0) > 100_000

    @Test(.enabled(if: hasKernelSymbols, "needs a readable /proc/kallsyms above 100 KB"))
    func procfsFilesWhoseSizeIsZeroAreCopiedWhole() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        var status = stat()
        #expect(stat("/proc/kallsyms", &status) == 0 && status.st_size == 0, "procfs reports size 0")
        for mode in UringFiles.Mode.allCases {
            let report = try UringFiles.copyFile(
                FilePath("/proc/kallsyms"), to: FilePath(directory + "/symbols"), options: .init(mode: mode))
            let expected = try Self.plainRead("/proc/kallsyms")
            #expect(report.bytes == expected.count && report.path == .ioUring)
            #expect(try TestSupport.contents(of: directory + "/symbols") == expected, "mode \(mode)")
        }
        #expect(try UringFiles.copy(FilePath("/proc/version"), to: FilePath(directory + "/version")) > 0)
        #expect(try TestSupport.contents(of: directory + "/version") == Self.plainRead("/proc/version"))
    }

    static let sysfsFile = "/sys/kernel/mm/transparent_hugepage/enabled"

    @Test(.enabled(if: access(sysfsFile, R_OK) == 0, "needs \(sysfsFile)"))
    func sysfsFilesWhoseSizeOverstatesAreCopiedAsRead() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        var status = stat()
        #expect(stat(Self.sysfsFile, &status) == 0 && status.st_size == 4096, "sysfs reports a page")
        let copied = try UringFiles.copy(FilePath(Self.sysfsFile), to: FilePath(directory + "/thp"))
        let expected = try Self.plainRead(Self.sysfsFile)
        #expect(copied == expected.count && copied < 4096, "not an error for ending before the reported size")
        #expect(try TestSupport.contents(of: directory + "/thp") == expected)
    }

    @Test func aFIFOIsCopiedUntilItsWriterCloses() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let fifo = directory + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let bytes = FileHelperTests.varied(3 << 20 + 17)
        let writer = Thread {
            let fd = open(fifo, O_WRONLY)
            var offset = 0
            while offset < bytes.count {
                let piece = min(100_000, bytes.count - offset)
                let put = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, piece) }
                if put <= 0 { break }
                offset += put
                if offset % 7 == 0 { usleep(2000) }
            }
            close(fd)
        }
        let report = try UringFiles.copyFile(FilePath(fifo), to: FilePath(directory + "/out"))
        writer.join()
        #expect(report.bytes == bytes.count)
        #expect(try TestSupport.contents(of: directory + "/out") == bytes)
    }

    @Test("A FIFO without a writer waits, and the progress callback can give up")
    func aFIFOWithoutAWriterCanBeCancelled() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let fifo = directory + "/lonely"
        #expect(mkfifo(fifo, 0o600) == 0)
        let clock = ContinuousClock()
        let start = clock.now
        var asked = 0
        let error = #expect(throws: UringError.self) {
            try UringFiles.copy(
                FilePath(fifo), to: FilePath(directory + "/out"),
                progress: { done, total in
                    asked += 1
                    #expect(done == 0 && total == 0)
                    return clock.now - start > .milliseconds(300)
                })
        }
        #expect(error?.errno == .canceled && error?.detail?.contains("waited for a writer") == true, "\(String(describing: error))")
        #expect(asked >= 2, "asked between waits")
        #expect(clock.now - start < .seconds(3), "gave up soon after the callback said so")

        let writer = Thread {
            usleep(200_000)
            let fd = open(fifo, O_WRONLY)
            _ = Array("late writer".utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        let copied = try UringFiles.copy(FilePath(fifo), to: FilePath(directory + "/late"), progress: { _, _ in false })
        writer.join()
        #expect(copied == 11)
        #expect(try TestSupport.contents(of: directory + "/late") == Array("late writer".utf8))
    }

    @Test func devicesAsSourceAndDestination() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        try TestSupport.createFile(directory + "/old", FileHelperTests.varied(1000))
        #expect(try UringFiles.copy(FilePath("/dev/null"), to: FilePath(directory + "/old")) == 0)
        #expect(try TestSupport.contents(of: directory + "/old").isEmpty, "/dev/null copies as an empty file")

        var before = stat()
        #expect(stat("/dev/null", &before) == 0)
        try TestSupport.createFile(directory + "/src", FileHelperTests.varied(3 << 20))
        chmod(directory + "/src", 0o600)
        #expect(try UringFiles.copy(FilePath(directory + "/src"), to: FilePath("/dev/null")) == 3 << 20)
        var after = stat()
        #expect(stat("/dev/null", &after) == 0)
        #expect(after.st_mode == before.st_mode, "a device destination keeps its type and mode")
    }

    @Test(arguments: [1, 4])
    func aSourceThatGrowsIsCopiedToTheEndItHasWhenRead(queueDepth: Int) throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let first = FileHelperTests.varied(2 << 20, seed: 3)
        let more = FileHelperTests.varied(1 << 20 + 5, seed: 4)
        try TestSupport.createFile(directory + "/src", first)
        var grown = false
        let copied = try UringFiles.copy(
            FilePath(directory + "/src"), to: FilePath(directory + "/dst"), mode: .safe, queueDepth: queueDepth,
            blockSize: 256 << 10,
            progress: { _, _ in
                if !grown {
                    grown = true
                    let fd = open(directory + "/src", O_WRONLY | O_APPEND)
                    _ = more.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                    close(fd)
                }
                return false
            })
        let copy = try TestSupport.contents(of: directory + "/dst")
        if queueDepth == 1 {
            #expect(copied == first.count + more.count, "one chunk at a time: the growth is seen")
        }
        #expect(copied == copy.count && Array(copy.prefix(first.count)) == first)
        #expect(copy.count == first.count || copy == first + more, "all of the growth or none of it")
    }

    @Test func noClobberLeavesAnExistingDestinationAndPreserveKeepsTimes() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        try TestSupport.createFile(directory + "/src", FileHelperTests.varied(70_000))
        try TestSupport.createFile(directory + "/dst", [1, 2, 3])
        let skipped = try UringFiles.copyFile(
            FilePath(directory + "/src"), to: FilePath(directory + "/dst"), options: .init(noClobber: true))
        #expect(skipped.skipped && skipped.bytes == 0)
        #expect(try TestSupport.contents(of: directory + "/dst") == [1, 2, 3])

        var times = [timespec(tv_sec: 1_000_000_000, tv_nsec: 123_456_789), timespec(tv_sec: 1_200_000_000, tv_nsec: 5)]
        #expect(utimensat(AT_FDCWD, directory + "/src", &times, 0) == 0)
        let kept = try UringFiles.copyFile(
            FilePath(directory + "/src"), to: FilePath(directory + "/kept"), options: .init(preserveAttributes: true))
        #expect(kept.bytes == 70_000 && !kept.skipped)
        var status = stat()
        #expect(stat(directory + "/kept", &status) == 0)
        #expect(status.st_mtim.tv_sec == 1_200_000_000 && status.st_mtim.tv_nsec == 5)
        #expect(status.st_atim.tv_sec == 1_000_000_000 && status.st_atim.tv_nsec == 123_456_789)
        #expect(try TestSupport.contents(of: directory + "/kept") == FileHelperTests.varied(70_000))
    }

    static let canMountXFS = geteuid() == 0 && access("/sbin/mkfs.xfs", X_OK) == 0

    @Test(.enabled(if: canMountXFS, "needs root and mkfs.xfs (xfsprogs) for a reflink-capable loop file system"))
    func autoModeReflinksWithinAFileSystemThatSharesBlocks() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let image = directory + ".img"
        defer { unlink(image) }
        let imageFD = open(image, O_WRONLY | O_CREAT, 0o600)
        #expect(ftruncate(imageFD, 320 << 20) == 0)
        close(imageFD)
        try #require(TestSupport.run("/sbin/mkfs.xfs", ["-q", "-f", image]) == 0, "mkfs.xfs failed")
        try #require(TestSupport.run("/bin/mount", ["-o", "loop", image, directory]) == 0, "mount failed")
        defer { umount2(directory, Int32(MNT_DETACH)) }
        let bytes = FileHelperTests.varied(5 << 20 + 3)
        try TestSupport.createFile(directory + "/src", bytes)
        let auto = try UringFiles.copyFile(FilePath(directory + "/src"), to: FilePath(directory + "/auto"))
        #expect(auto.path == .reflink && auto.bytes == bytes.count)
        let safe = try UringFiles.copyFile(
            FilePath(directory + "/src"), to: FilePath(directory + "/safe"), options: .init(mode: .safe))
        #expect(safe.path == .ioUring && safe.bytes == bytes.count, "safe always runs the io_uring pipeline")
        #expect(try TestSupport.contents(of: directory + "/auto") == bytes)
        #expect(try TestSupport.contents(of: directory + "/safe") == bytes)
    }
}
