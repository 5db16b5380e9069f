import CUringTestSupport
import Glibc
import SystemPackage
import Testing
@testable import Uring
import UringTestSupport

/// openat2, direct opens, sync_file_range, fallocate, fadvise, madvise and ftruncate on real files.
@Suite("File operations")
struct FileOperationTests {
    @Test func openat2OpensAndEnforcesResolveRules() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        try TestSupport.createFile(directory + "/inside.txt", Array("inside".utf8))
        var ring = try Ring(entries: 8)
        let dirFD = try FileDescriptor.open(FilePath(directory), .readOnly, options: [.directory])
        defer { try? dirFD.close() }
        let how = TestSupport.pinned(OpenHow(flags: O_RDONLY, resolve: OpenHow.resolveBeneath))
        defer { how.deallocate() }
        let inside = TestSupport.cString("inside.txt")
        let escape = TestSupport.cString("../etc/passwd")
        defer {
            free(inside)
            free(escape)
        }

        let opened = try TestSupport.roundTrip(&ring, OpenAt2(inside, in: dirFD, how: how)).value(for: "openat2")
        let fd = FileDescriptor(rawValue: opened)
        defer { try? fd.close() }
        #expect(try TestSupport.readExactly(fd, 6) == Array("inside".utf8))
        let refused = try TestSupport.roundTrip(&ring, OpenAt2(escape, in: dirFD, how: how))
        #expect(refused.error == .improperLink)

        // openat2_direct: the same rules, the file lands in a fixed slot.
        try ring.registerSparseFiles(count: 2)
        #expect(try TestSupport.roundTrip(&ring, OpenAt2(inside, in: dirFD, how: how, slot: .at(1))).result == 0)
        var buffer = [UInt8](repeating: 0, count: 6)
        let read = try buffer.withUnsafeMutableBytes { try TestSupport.roundTrip(&ring, Read(.fixed(1), into: $0)).result }
        #expect(read == 6 && buffer == Array("inside".utf8))
        let refusedDirect = try TestSupport.roundTrip(&ring, OpenAt2(escape, in: dirFD, how: how, slot: .at(0)))
        #expect(refusedDirect.error == .improperLink)
    }

    @Test func openIntoFixedSlotsThenReadAndClose() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        try TestSupport.createFile(directory + "/a.txt", Array("slot data".utf8))
        var ring = try Ring(entries: 8)
        try ring.registerSparseFiles(count: 4)
        let path = TestSupport.cString(directory + "/a.txt")
        defer { free(path) }
        let placed = try TestSupport.roundTrip(&ring, OpenAt(path, flags: O_RDONLY, slot: .at(2)))
        #expect(placed.result == 0)
        let chosen = try TestSupport.roundTrip(&ring, OpenAt(path, flags: O_RDONLY, slot: .anyFree))
        #expect(chosen.result >= 0 && chosen.result != 2)

        var buffer = [UInt8](repeating: 0, count: 9)
        let read = try buffer.withUnsafeMutableBytes {
            try TestSupport.roundTrip(&ring, Read(.fixed(2), into: $0)).value(for: "read")
        }
        #expect(read == 9 && buffer == Array("slot data".utf8))
        #expect(try TestSupport.roundTrip(&ring, Close(.fixed(2))).result == 0)
        let afterClose = try buffer.withUnsafeMutableBytes {
            try TestSupport.roundTrip(&ring, Read(.fixed(2), into: $0))
        }
        #expect(afterClose.error == .badFileDescriptor)
    }

    @Test func fallocateFtruncateAndSyncFileRangeChangeTheFile() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let path = directory + "/space.bin"
        try TestSupport.createFile(path, TestSupport.pattern(100))
        var ring = try Ring(entries: 8)
        let fd = try FileDescriptor.open(FilePath(path), .readWrite)
        defer { try? fd.close() }

        #expect(try TestSupport.roundTrip(&ring, Fallocate(.descriptor(fd), offset: 0, length: 65536)).result == 0)
        var status = stat()
        fstat(fd.rawValue, &status)
        #expect(status.st_size == 65536)
        #expect(try TestSupport.contents(of: path).prefix(100) == TestSupport.pattern(100)[...])

        let kept = Fallocate(.descriptor(fd), mode: Fallocate.keepSize, offset: 65536, length: 65536)
        #expect(try TestSupport.roundTrip(&ring, kept).result == 0)
        fstat(fd.rawValue, &status)
        #expect(status.st_size == 65536 && status.st_blocks * 512 >= 131072)

        #expect(try TestSupport.roundTrip(&ring, Ftruncate(.descriptor(fd), length: 10)).result == 0)
        #expect(try TestSupport.contents(of: path) == Array(TestSupport.pattern(100)[..<10]))

        let sync = SyncFileRange(.descriptor(fd), flags: SyncFileRange.waitBefore | SyncFileRange.write | SyncFileRange.waitAfter)
        #expect(try TestSupport.roundTrip(&ring, sync).result == 0)
        #expect(try TestSupport.roundTrip(&ring, Fsync(.descriptor(fd), dataOnly: true)).result == 0)
    }

    @Test func ftruncateOnReadOnlyFileFailsInItsCompletion() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let path = directory + "/ro.bin"
        try TestSupport.createFile(path, [1, 2, 3])
        var ring = try Ring(entries: 8)
        let fd = try FileDescriptor.open(FilePath(path), .readOnly)
        defer { try? fd.close() }
        let result = try TestSupport.roundTrip(&ring, Ftruncate(.descriptor(fd), length: 0))
        #expect(result.error == .invalidArgument || result.error == .badFileDescriptor)
        #expect(try TestSupport.contents(of: path) == [1, 2, 3])
    }

    @Test func fadviseAndMadviseAreAccepted() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let path = directory + "/advice.bin"
        try TestSupport.createFile(path, TestSupport.pattern(8192))
        var ring = try Ring(entries: 8)
        let fd = try FileDescriptor.open(FilePath(path), .readOnly)
        defer { try? fd.close() }
        let advice = Fadvise(.descriptor(fd), offset: 0, length: 8192, advice: POSIX_FADV_SEQUENTIAL)
        #expect(try TestSupport.roundTrip(&ring, advice).result == 0)
        let wide = Fadvise(.descriptor(fd), offset: 0, length: 1 << 33, advice: POSIX_FADV_DONTNEED)
        #expect(try TestSupport.roundTrip(&ring, wide).result == 0)
        let invalid = Fadvise(.descriptor(fd), advice: 9999)
        #expect(try TestSupport.roundTrip(&ring, invalid).error == .invalidArgument)

        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let memory = mmap(nil, page * 4, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)!
        defer { munmap(memory, page * 4) }
        memory.storeBytes(of: 0xAB, as: UInt8.self)
        let region = UnsafeMutableRawBufferPointer(start: memory, count: page * 4)
        #expect(try TestSupport.roundTrip(&ring, Madvise(region, advice: MADV_DONTNEED)).result == 0)
        #expect(memory.load(as: UInt8.self) == 0, "MADV_DONTNEED drops private anonymous pages")
    }
}
