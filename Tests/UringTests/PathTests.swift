import Glibc
import SystemPackage
import Testing
@testable import Uring
import UringTestSupport

/// statx, renameat, unlinkat, mkdirat, symlinkat and linkat in a temporary directory.
@Suite("Path operations")
struct PathTests {
    @Test func statxReportsSizeModeAndTimes() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let path = directory + "/stat.bin"
        try TestSupport.createFile(path, TestSupport.pattern(1234))
        chmod(path, 0o640)
        var ring = try Ring(entries: 8)
        let cPath = TestSupport.cString(path)
        let status = TestSupport.pinned(FileStatus())
        defer {
            free(cPath)
            status.deallocate()
        }
        #expect(try TestSupport.roundTrip(&ring, Statx(cPath, into: status)).result == 0)
        var expected = stat()
        stat(path, &expected)
        #expect(status.pointee.size == 1234)
        #expect(status.pointee.mode & 0o777 == 0o640)
        #expect(status.pointee.inode == UInt64(expected.st_ino))
        #expect(status.pointee.modificationTime.seconds == Int64(expected.st_mtim.tv_sec))
        #expect(status.pointee.mask & FileStatus.basicStats == FileStatus.basicStats)

        let missing = TestSupport.cString(directory + "/missing")
        defer { free(missing) }
        #expect(try TestSupport.roundTrip(&ring, Statx(missing, into: status)).error == .noSuchFileOrDirectory)
    }

    @Test func mkdirSymlinkLinkRenameUnlink() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        try TestSupport.createFile(directory + "/original", Array("payload".utf8))
        var ring = try Ring(entries: 8)
        let dirFD = try FileDescriptor.open(FilePath(directory), .readOnly, options: [.directory])
        defer { try? dirFD.close() }
        let names = ["sub", "original", "link", "hard", "renamed"].map(TestSupport.cString)
        defer { names.forEach { free($0) } }
        let (sub, original, link, hard, renamed) = (names[0], names[1], names[2], names[3], names[4])

        #expect(try TestSupport.roundTrip(&ring, MkdirAt(sub, in: dirFD, mode: 0o700)).result == 0)
        var status = stat()
        #expect(stat(directory + "/sub", &status) == 0 && status.st_mode & S_IFMT == S_IFDIR)
        #expect(status.st_mode & 0o777 == 0o700)
        #expect(try TestSupport.roundTrip(&ring, MkdirAt(sub, in: dirFD)).error == .fileExists)

        #expect(try TestSupport.roundTrip(&ring, SymlinkAt(to: original, at: link, in: dirFD)).result == 0)
        var target = [CChar](repeating: 0, count: 64)
        let length = readlink(directory + "/link", &target, 63)
        #expect(String(decoding: target[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self) == "original")

        #expect(try TestSupport.roundTrip(&ring, LinkAt(original, in: dirFD, to: hard, in: dirFD)).result == 0)
        stat(directory + "/original", &status)
        #expect(status.st_nlink == 2)

        #expect(try TestSupport.roundTrip(&ring, RenameAt(hard, in: dirFD, to: renamed, in: dirFD)).result == 0)
        #expect(access(directory + "/hard", F_OK) != 0)
        #expect(try TestSupport.contents(of: directory + "/renamed") == Array("payload".utf8))
        let noReplace = RenameAt(renamed, in: dirFD, to: original, in: dirFD, flags: RenameAt.noReplace)
        #expect(try TestSupport.roundTrip(&ring, noReplace).error == .fileExists)

        #expect(try TestSupport.roundTrip(&ring, UnlinkAt(renamed, in: dirFD)).result == 0)
        #expect(access(directory + "/renamed", F_OK) != 0)
        #expect(try TestSupport.roundTrip(&ring, UnlinkAt(sub, in: dirFD)).error == .isDirectory)
        #expect(try TestSupport.roundTrip(&ring, UnlinkAt(sub, in: dirFD, removeDirectory: true)).result == 0)
        #expect(access(directory + "/sub", F_OK) != 0)
    }
}
