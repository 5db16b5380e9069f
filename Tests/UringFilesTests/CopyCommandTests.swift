import Glibc
import SystemPackage
import Testing
@testable import uring
import UringTestSupport

/// `uring cp`: coreutils cp's command line, run in process against real files.
@Suite("uring cp")
struct CopyCommandTests {
    /// Runs `uring cp` with `arguments`; the exit code (0 on success).
    static func cp(_ arguments: [String]) -> Int32 {
        do {
            var command = try CopyCommand.parseAsRoot(arguments)
            try command.run()
            return 0
        } catch {
            return CopyCommand.exitCode(for: error).rawValue
        }
    }

    @Test func aDirectoryDestinationReceivesTheSources() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { _ = TestSupport.run("/bin/rm", ["-rf", directory]) }
        try TestSupport.createFile(directory + "/one", [1, 2, 3])
        try TestSupport.createFile(directory + "/two", [4, 5])
        #expect(mkdir(directory + "/into", 0o755) == 0)
        #expect(Self.cp([directory + "/one", directory + "/into"]) == 0)
        #expect(try TestSupport.contents(of: directory + "/into/one") == [1, 2, 3])
        #expect(Self.cp([directory + "/one", directory + "/two", directory + "/into/"]) == 0)
        #expect(try TestSupport.contents(of: directory + "/into/two") == [4, 5])
        #expect(Self.cp([directory + "/one", directory + "/plain"]) == 0, "a new name")
        #expect(try TestSupport.contents(of: directory + "/plain") == [1, 2, 3])
    }

    @Test func cpsRefusalsAreKept() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { _ = TestSupport.run("/bin/rm", ["-rf", directory]) }
        try TestSupport.createFile(directory + "/one", [1])
        try TestSupport.createFile(directory + "/two", [2])
        #expect(mkdir(directory + "/tree", 0o755) == 0)
        try TestSupport.createFile(directory + "/tree/inside", [3])
        #expect(Self.cp([directory + "/one", directory + "/two", directory + "/missing"]) == 1, "several sources need a directory")
        #expect(access(directory + "/missing", F_OK) != 0)
        #expect(Self.cp([directory + "/one", directory + "/nowhere/"]) == 1, "a trailing slash needs a directory")
        #expect(access(directory + "/nowhere", F_OK) != 0)
        #expect(Self.cp([directory + "/tree", directory + "/copy"]) == 1, "-r not specified; omitting directory")
        #expect(access(directory + "/copy", F_OK) != 0)
        #expect(Self.cp(["-r", directory + "/tree", directory + "/tree/sub"]) == 1, "into itself")
        #expect(access(directory + "/tree/sub", F_OK) != 0)
        #expect(Self.cp([directory + "/one", directory + "/one"]) == 1, "the same file")
        #expect(try TestSupport.contents(of: directory + "/one") == [1])
        #expect(Self.cp([directory + "/one"]) != 0, "a destination is needed")
    }

    @Test func recursiveCopiesFollowCpsTrailingSlashRules() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { _ = TestSupport.run("/bin/rm", ["-rf", directory]) }
        #expect(mkdir(directory + "/tree", 0o750) == 0 && mkdir(directory + "/tree/sub", 0o755) == 0)
        try TestSupport.createFile(directory + "/tree/sub/file", [7, 7])
        #expect(symlink("sub/file", directory + "/tree/link") == 0)
        #expect(Self.cp(["-R", directory + "/tree", directory + "/new/"]) == 0, "cp -r dir new/ makes new")
        #expect(try TestSupport.contents(of: directory + "/new/sub/file") == [7, 7])
        #expect(Self.cp(["-r", directory + "/tree/", directory + "/new"]) == 0, "an existing directory receives tree")
        #expect(try TestSupport.contents(of: directory + "/new/tree/sub/file") == [7, 7])
        var link = [CChar](repeating: 0, count: 64)
        #expect(readlink(directory + "/new/tree/link", &link, 63) == 8)
        #expect(symlink(directory + "/tree", directory + "/alias") == 0)
        #expect(Self.cp(["-r", directory + "/alias", directory + "/linkcopy"]) == 0, "-r copies a link operand as a link")
        var status = stat()
        #expect(lstat(directory + "/linkcopy", &status) == 0 && status.st_mode & S_IFMT == S_IFLNK)
        #expect(Self.cp([directory + "/alias/sub/file", directory + "/followed"]) == 0, "without -r a link is followed")
        #expect(try TestSupport.contents(of: directory + "/followed") == [7, 7])
    }

    @Test func noClobberAndPreserve() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { _ = TestSupport.run("/bin/rm", ["-rf", directory]) }
        try TestSupport.createFile(directory + "/one", [1, 1])
        try TestSupport.createFile(directory + "/kept", [9])
        #expect(Self.cp(["-n", directory + "/one", directory + "/kept"]) == 0, "cp -n leaves it silently")
        #expect(try TestSupport.contents(of: directory + "/kept") == [9])
        var times = [timespec(tv_sec: 1_500_000_000, tv_nsec: 0), timespec(tv_sec: 1_600_000_000, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, directory + "/one", &times, 0) == 0)
        #expect(Self.cp(["-p", directory + "/one", directory + "/timed"]) == 0)
        var status = stat()
        #expect(stat(directory + "/timed", &status) == 0 && status.st_mtim.tv_sec == 1_600_000_000)
    }
}
