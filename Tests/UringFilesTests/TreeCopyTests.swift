import CUringTestSupport
import Glibc
import SystemPackage
import Testing
import Uring
@testable import UringFiles
import UringTestSupport

/// UringFiles.copyTree: whole trees, links never followed, modes kept, failures
/// reported while the rest is copied, a copy into itself refused, cancels.
@Suite("Tree copy")
struct TreeCopyTests {
    /// What a tree holds, read with plain syscalls: for each relative path its
    /// type, permission bits, and the bytes of a file or the target of a link.
    struct Snapshot: Equatable, CustomStringConvertible {
        var entries: [String: String] = [:]
        var description: String { entries.keys.sorted().map { "\($0): \(entries[$0]!)" }.joined(separator: "\n") }
    }

    static func snapshot(_ root: String, times: Bool = false) throws -> Snapshot {
        var result = Snapshot()
        func visit(_ relative: String) throws {
            let path = relative.isEmpty ? root : root + "/" + relative
            var status = stat()
            guard lstat(path, &status) == 0 else { throw Errno(rawValue: errno) }
            let mode = String(status.st_mode & 0o7777, radix: 8)
            let time = times ? " mtime \(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)" : ""
            switch status.st_mode & S_IFMT {
            case S_IFDIR:
                result.entries[relative] = "directory \(mode)" + time
                guard let directory = opendir(path) else { throw Errno(rawValue: errno) }
                var names: [String] = []
                while let item = readdir(directory) {
                    let name = withUnsafeBytes(of: item.pointee.d_name) {
                        String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
                    }
                    if name != "." && name != ".." { names.append(name) }
                }
                closedir(directory)
                for name in names { try visit(relative.isEmpty ? name : relative + "/" + name) }
            case S_IFLNK:
                var target = [CChar](repeating: 0, count: 4097)
                let count = readlink(path, &target, 4096)
                result.entries[relative] =
                    "link -> " + String(decoding: target[..<max(count, 0)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            case S_IFREG:
                result.entries[relative] = "file \(mode) \(status.st_size) bytes \(try digest(path, size: Int(status.st_size)))" + time
            case S_IFIFO:
                result.entries[relative] = "fifo \(mode)" + time
            default:
                result.entries[relative] = "special \(status.st_mode)"
            }
        }
        try visit("")
        return result
    }

    /// A digest of the file at `path`: every byte of a file up to 16 MiB; of a larger
    /// one, every 4 KiB block that is not all zeros, with its offset (so a sparse file
    /// of 4 GiB compares quickly, holes included).
    static func digest(_ path: String, size: Int) throws -> UInt64 {
        let fd = try FileDescriptor.open(FilePath(path), .readOnly)
        defer { try? fd.close() }
        var hash: UInt64 = 14_695_981_039_346_656_037
        let block = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 4096)
        let zeros = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 4096)
        defer {
            block.deallocate()
            zeros.deallocate()
        }
        zeros.initializeMemory(as: UInt8.self, repeating: 0)
        var offset = 0
        while true {
            let count = try fd.read(fromAbsoluteOffset: Int64(offset), into: block)
            if count == 0 { return hash }
            for start in stride(from: 0, to: count, by: 4096) {
                let length = min(4096, count - start)
                if size > 16 << 20 && memcmp(block.baseAddress! + start, zeros.baseAddress!, length) == 0 { continue }
                hash = (hash ^ UInt64(offset + start)) &* 1_099_511_628_211
                for byte in UnsafeRawBufferPointer(rebasing: block[start..<(start + length)]) {
                    hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211
                }
            }
            offset += count
        }
    }

    /// A tree with nested and empty directories, empty and odd-named files, every kind of link, a FIFO.
    static func makeTree(_ root: String, sparse: Bool = false) throws {
        #expect(mkdir(root, 0o755) == 0)
        for directory in ["a", "a/b", "a/b/c", "empty", "a/b/c/deep", "odd dir", "read-only"] {
            #expect(mkdir(root + "/" + directory, 0o755) == 0)
        }
        let files: [(String, Int, mode_t)] = [
            ("top.bin", 300_000, 0o644), ("a/one", 1, 0o600), ("a/b/two", 70_000, 0o640), ("a/b/c/empty", 0, 0o444),
            ("a/b/c/deep/three", 1 << 20 + 3, 0o755), ("odd dir/name with spaces", 4096, 0o664),
            ("odd dir/ünïcødé-名前", 5000, 0o600), ("odd dir/new\nline", 17, 0o644), ("read-only/kept", 333, 0o400),
            ("a/setid", 10, 0o2750),
        ]
        for (name, size, mode) in files {
            try TestSupport.createFile(root + "/" + name, FileHelperTests.varied(size, seed: size % 251))
            #expect(chmod(root + "/" + name, mode) == 0)
        }
        #expect(symlink("b/two", root + "/a/relative") == 0)
        #expect(symlink(root + "/top.bin", root + "/absolute") == 0)
        #expect(symlink("nowhere/at/all", root + "/dangling") == 0)
        #expect(symlink("a/b", root + "/to-directory") == 0)
        #expect(mkfifo(root + "/a/fifo", 0o620) == 0)
        #expect(chmod(root + "/read-only", 0o555) == 0)
        #expect(chmod(root + "/a/b/c", 0o1777) == 0)
        if sparse {
            let fd = open(root + "/a/sparse", O_WRONLY | O_CREAT, 0o644)
            let tail = FileHelperTests.varied(4000, seed: 9)
            _ = tail.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t((4 << 30) + 100)) }
            _ = "head".withCString { pwrite(fd, $0, 4, 0) }
            close(fd)
        }
    }

    @Test func aTreeIsCopiedEntryForEntryWithLinksModesAndEmptyDirectories() throws {
        let directory = "/dev/shm/swift-uring-tree-\(getpid())"
        mkdir(directory, 0o700)
        defer { _ = TestSupport.run("/bin/rm", ["-rf", directory]) }
        try Self.makeTree(directory + "/src", sparse: true)
        let report = try UringFiles.copyTree(FilePath(directory + "/src"), to: FilePath(directory + "/dst"))
        #expect(report.succeeded, "\(report.failures)")
        #expect(report.files == 11 && report.symlinks == 4 && report.specialFiles == 1 && report.directories == 8)
        #expect(report.bytes == 300_000 + 1 + 70_000 + (1 << 20 + 3) + 4096 + 5000 + 17 + 333 + 10 + (4 << 30) + 4100)
        let source = try Self.snapshot(directory + "/src")
        let copy = try Self.snapshot(directory + "/dst")
        #expect(source == copy)
        #expect(copy.entries["absolute"] == "link -> \(directory)/src/top.bin", "links are copied, never followed")
        #expect(copy.entries["to-directory"] == "link -> a/b")
    }

    @Test func everyModeCopiesTheTreeAndPreserveKeepsTimes() throws {
        for mode in UringFiles.Mode.allCases {
            let directory = TestSupport.makeTemporaryDirectory()
            defer { _ = TestSupport.run("/bin/rm", ["-rf", directory]) }
            try Self.makeTree(directory + "/src")
            var old = [timespec(tv_sec: 1_000_000_000, tv_nsec: 7), timespec(tv_sec: 1_100_000_000, tv_nsec: 9)]
            for path in ["/src/a/b/two", "/src/a", "/src/empty"] {
                #expect(utimensat(AT_FDCWD, directory + path, &old, 0) == 0)
            }
            #expect(utimensat(AT_FDCWD, directory + "/src/dangling", &old, AT_SYMLINK_NOFOLLOW) == 0)
            let report = try UringFiles.copyTree(
                FilePath(directory + "/src"), to: FilePath(directory + "/dst"),
                options: .init(mode: mode, queueDepth: 2, preserveAttributes: true))
            #expect(report.succeeded && report.files == 10, "\(mode): \(report.failures)")
            #expect(try Self.snapshot(directory + "/src", times: true) == Self.snapshot(directory + "/dst", times: true))
            var link = stat()
            #expect(lstat(directory + "/dst/dangling", &link) == 0 && link.st_mtim.tv_sec == 1_100_000_000)
        }
    }

    @Test func mergingIntoAnExistingTreeAndNoClobber() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { _ = TestSupport.run("/bin/rm", ["-rf", directory]) }
        try Self.makeTree(directory + "/src")
        #expect(mkdir(directory + "/dst", 0o700) == 0 && mkdir(directory + "/dst/a", 0o700) == 0)
        try TestSupport.createFile(directory + "/dst/a/one", [9, 9, 9])
        try TestSupport.createFile(directory + "/dst/mine", [1])
        #expect(symlink("old", directory + "/dst/dangling") == 0)
        let kept = try UringFiles.copyTree(
            FilePath(directory + "/src"), to: FilePath(directory + "/dst"), options: .init(noClobber: true))
        #expect(kept.succeeded && kept.skipped == 2 && kept.files == 9)
        #expect(try TestSupport.contents(of: directory + "/dst/a/one") == [9, 9, 9])
        #expect(try TestSupport.contents(of: directory + "/dst/mine") == [1], "entries the source lacks stay")
        let replaced = try UringFiles.copyTree(FilePath(directory + "/src"), to: FilePath(directory + "/dst"))
        #expect(replaced.succeeded && replaced.skipped == 0, "\(replaced.failures)")
        var copy = try Self.snapshot(directory + "/dst")
        var source = try Self.snapshot(directory + "/src")
        for existing in ["", "a", "mine"] {
            copy.entries[existing] = nil
            source.entries[existing] = nil
        }
        #expect(source == copy, "files and links replaced; an existing directory keeps its mode")
    }

    @Test func aRootThatIsAFileOrALinkIsCopiedAsOne() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { _ = TestSupport.run("/bin/rm", ["-rf", directory]) }
        try TestSupport.createFile(directory + "/file", FileHelperTests.varied(70_001))
        #expect(chmod(directory + "/file", 0o751) == 0)
        #expect(symlink("file", directory + "/link") == 0)
        let file = try UringFiles.copyTree(FilePath(directory + "/file"), to: FilePath(directory + "/file-copy"))
        #expect(file.succeeded && file.files == 1 && file.bytes == 70_001 && file.directories == 0)
        #expect(try TestSupport.contents(of: directory + "/file-copy") == FileHelperTests.varied(70_001))
        #expect(FileHelperTests.mode(of: directory + "/file-copy") == 0o751)
        let link = try UringFiles.copyTree(FilePath(directory + "/link"), to: FilePath(directory + "/link-copy"))
        #expect(link.succeeded && link.symlinks == 1 && link.files == 0)
        var target = [CChar](repeating: 0, count: 16)
        #expect(readlink(directory + "/link-copy", &target, 15) == 4)
        let missing = #expect(throws: UringError.self) {
            try UringFiles.copyTree(FilePath(directory + "/none"), to: FilePath(directory + "/x"))
        }
        #expect(missing?.errno == .noSuchFileOrDirectory && missing?.detail?.contains("/none") == true)
    }

    @Test func copyingATreeIntoItselfIsRefused() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { _ = TestSupport.run("/bin/rm", ["-rf", directory]) }
        try Self.makeTree(directory + "/src")
        #expect(symlink(directory + "/src/a", directory + "/alias") == 0)
        let before = try Self.snapshot(directory + "/src")
        for target in ["/src/a/inside", "/src", "/alias/b/new", "/src/a/b/c/deep/x/y"] {
            let refused = #expect(throws: UringError.self) {
                try UringFiles.copyTree(FilePath(directory + "/src"), to: FilePath(directory + target))
            }
            #expect(refused?.errno == .invalidArgument && refused?.detail?.contains("into itself") == true, "\(target)")
        }
        #expect(try Self.snapshot(directory + "/src") == before, "nothing was created")
        let beside = try UringFiles.copyTree(FilePath(directory + "/src/a"), to: FilePath(directory + "/src/a2"))
        #expect(beside.succeeded, "a sibling whose name starts the same is not inside")
    }

    @Test func aCancelFromTheProgressCallbackStopsAndLeavesOnlyCompleteFiles() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { _ = TestSupport.run("/bin/rm", ["-rf", directory]) }
        #expect(mkdir(directory + "/src", 0o755) == 0)
        for index in 0..<200 {
            try TestSupport.createFile(directory + "/src/f\(index)", FileHelperTests.varied(20_000 + index * 97, seed: index))
        }
        var calls: [UringFiles.TreeProgress] = []
        let cancelled = #expect(throws: UringError.self) {
            try UringFiles.copyTree(
                FilePath(directory + "/src"), to: FilePath(directory + "/dst"), options: .init(queueDepth: 4),
                progress: { progress in
                    calls.append(progress)
                    return progress.filesDone >= 20
                })
        }
        #expect(cancelled?.errno == .canceled && cancelled?.operation == "copy_tree")
        #expect(calls.allSatisfy { $0.filesTotal == 200 && $0.bytesTotal == (0..<200).reduce(0) { $0 + 20_000 + $1 * 97 } })
        let copied = try Self.snapshot(directory + "/dst").entries.filter { $0.key.hasPrefix("f") }
        let source = try Self.snapshot(directory + "/src").entries
        #expect(copied.count >= 20 && copied.count < 200, "\(copied.count) files")
        #expect(copied.allSatisfy { source[$0.key] == $0.value }, "every file left is complete")
    }

    static let canMount = geteuid() == 0

    @Test(.enabled(if: canMount, "needs root to mount a 1 MiB tmpfs"))
    func aFullFileSystemFailsSomeFilesAndClaimsNothingIncomplete() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { _ = TestSupport.run("/bin/rm", ["-rf", directory]) }
        #expect(mkdir(directory + "/src", 0o755) == 0 && mkdir(directory + "/full", 0o755) == 0)
        for index in 0..<12 {
            try TestSupport.createFile(directory + "/src/f\(index)", FileHelperTests.varied(300_000 + index, seed: index))
        }
        try #require(mount("tmpfs", directory + "/full", "tmpfs", 0, "size=1m") == 0, "mount failed: errno \(errno)")
        defer { umount2(directory + "/full", Int32(MNT_DETACH)) }
        let report = try UringFiles.copyTree(FilePath(directory + "/src"), to: FilePath(directory + "/full/dst"))
        #expect(!report.succeeded && report.files + report.failures.count == 12, "\(report)")
        #expect(report.failures.contains { $0.error.errno == .noSpace }, "\(report.failures)")
        let copied = try Self.snapshot(directory + "/full/dst").entries.filter { !$0.key.isEmpty }
        let source = try Self.snapshot(directory + "/src").entries
        #expect(copied.count == report.files)
        #expect(copied.allSatisfy { source[$0.key] == $0.value }, "only complete files are left")
    }

    static let unprivilegedMarker = "SWIFT_URING_TREE_CHILD"
    static let inUnprivilegedChild = getenv(unprivilegedMarker) != nil

    @Test(
        .enabled(if: geteuid() == 0 && !inUnprivilegedChild, "needs root to run a child as nobody (permission bits bind only without root)")
    )
    func anUnreadableSubtreeIsReportedWhileTheRestIsCopied() async {
        #expect(
            await TestSupport.childPassesOffPool(
                "TreeCopyTests/insideTheUnprivilegedChild", marker: Self.unprivilegedMarker, user: 65534),
            "the child's checks failed or did not run; run it alone to see why")
    }

    @Test(.enabled(if: inUnprivilegedChild, "runs only inside the child that runs as nobody"))
    func insideTheUnprivilegedChild() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer {
            for path in ["/src/closed", "/src/read-only", "/dst/read-only"] { chmod(directory + path, 0o755) }
            chmod(directory + "/src/a/secret", 0o644)
            _ = TestSupport.run("/bin/rm", ["-rf", directory])
        }
        try Self.makeTree(directory + "/src")
        #expect(mkdir(directory + "/src/closed", 0o755) == 0)
        try TestSupport.createFile(directory + "/src/closed/hidden", [1, 2, 3])
        try TestSupport.createFile(directory + "/src/a/secret", [4, 5, 6])
        #expect(chmod(directory + "/src/closed", 0o000) == 0 && chmod(directory + "/src/a/secret", 0o000) == 0)
        let report = try UringFiles.copyTree(FilePath(directory + "/src"), to: FilePath(directory + "/dst"))
        let failed = Set(report.failures.map { $0.path.string })
        #expect(failed == [directory + "/src/closed", directory + "/src/a/secret"], "\(report.failures)")
        #expect(report.failures.allSatisfy { $0.error.errno == .permissionDenied })
        #expect(report.files == 10 && report.symlinks == 4, "the rest is copied")
        #expect(access(directory + "/dst/a/secret", F_OK) != 0, "no partial file")
        #expect(chmod(directory + "/src/closed", 0o755) == 0 && chmod(directory + "/src/a/secret", 0o644) == 0)
        var source = try Self.snapshot(directory + "/src")
        source.entries = source.entries.filter { !$0.key.hasPrefix("closed") && $0.key != "a/secret" }
        #expect(try source == Self.snapshot(directory + "/dst"))
        try TestSupport.reportChildFinished(Self.unprivilegedMarker)
    }
}
