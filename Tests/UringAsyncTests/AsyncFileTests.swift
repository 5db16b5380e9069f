import Glibc
import SystemPackage
import Testing
import Uring
import UringAsync
import UringTestSupport

@Suite("Async files and directories")
struct AsyncFileTests {
    @Test(.enabled(if: TestSupport.supports(.ftruncate), "needs IORING_OP_FTRUNCATE (Linux 6.9)"))
    func aFileWrittenReadTruncatedAndSyncedThroughTheRing() async throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let contents = TestSupport.pattern(200_000, seed: 9)
        let path = FilePath(directory + "/data")
        try await executor.withFile(path, .readWrite, options: [.create, .truncate]) { file in
            try await file.write(contentsOf: contents)
            #expect(try await file.status().size == 200_000)
            #expect(try await file.readAll(chunk: 7_000) == contents)
            let (count, buffer) = try await file.read(into: IOBuffer(capacity: 10), at: 1_000)
            #expect(try buffer.bytes(count: count) == Array(contents[1_000..<1_010]))
            try await file.truncate(to: 1_000)
            try await file.sync()
        }
        #expect(try TestSupport.contents(of: directory + "/data") == Array(contents[..<1_000]))
    }

    @Test(
        .enabled(
            if: TestSupport.supports(.mkdirat) && TestSupport.supports(.linkat), "needs IORING_OP_MKDIRAT and IORING_OP_LINKAT (Linux 5.15)"
        ))
    func directoryOperationsChangeTheFileSystem() async throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let sub = FilePath(directory + "/sub")
        try await executor.makeDirectory(sub, permissions: .ownerReadWriteExecute)
        #expect(try await executor.status(of: sub).mode & UInt16(S_IFMT) == UInt16(S_IFDIR))
        try TestSupport.createFile(directory + "/sub/a", Array("alpha".utf8))
        try await executor.rename(FilePath(directory + "/sub/a"), to: FilePath(directory + "/sub/b"))
        try await executor.link(FilePath(directory + "/sub/b"), to: FilePath(directory + "/sub/hard"))
        try await executor.symlink(to: "b", at: FilePath(directory + "/sub/soft"))
        #expect(try TestSupport.contents(of: directory + "/sub/hard") == Array("alpha".utf8))
        #expect(try TestSupport.contents(of: directory + "/sub/soft") == Array("alpha".utf8))
        #expect(access(directory + "/sub/a", F_OK) != 0)
        #expect(try await executor.status(of: FilePath(directory + "/sub/b")).linkCount == 2)
        for name in ["b", "hard", "soft"] { try await executor.unlink(FilePath(directory + "/sub/" + name)) }
        try await executor.unlink(sub, removeDirectory: true)
        #expect(access(directory + "/sub", F_OK) != 0)
        let missing = await #expect(throws: UringError.self) { try await executor.unlink(sub) }
        #expect(missing?.errno == .noSuchFileOrDirectory && missing?.operation == "unlinkat")
    }

    @Test func badInputAndDoubleCloseThrowClearErrors() async throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let absent = await #expect(throws: UringError.self) {
            _ = try await AsyncFile.open(FilePath(directory + "/absent"), on: executor)
        }
        #expect(absent?.errno == .noSuchFileOrDirectory && absent?.operation == "openat")
        try TestSupport.createFile(directory + "/f", [1, 2, 3])
        let file = try await AsyncFile.open(FilePath(directory + "/f"), on: executor)
        let fd = try file.descriptor
        TestSupport.mark(fd.rawValue)
        try await file.close()
        #expect(!TestSupport.isStillOpen(fd.rawValue))
        let twice = await #expect(throws: UringError.self) { try await file.close() }
        #expect(twice?.errno == .badFileDescriptor && twice?.detail?.contains("already closed") == true)
        let afterClose = await #expect(throws: UringError.self) { _ = try await file.readAll() }
        #expect(afterClose?.errno == .badFileDescriptor && afterClose?.operation == "read")
        let zeroChunk = await #expect(throws: UringError.self) {
            try await executor.withFile(FilePath(directory + "/f")) { _ = try await $0.readAll(chunk: 0) }
        }
        #expect(zeroChunk?.errno == .invalidArgument)
    }

    @Test func withFileClosesWhenTheBodyThrows() async throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        try TestSupport.createFile(directory + "/f", [1])
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        struct Stop: Error {}
        var seen: FileDescriptor?
        await #expect(throws: Stop.self) {
            try await executor.withFile(FilePath(directory + "/f")) { file in
                seen = try file.descriptor
                TestSupport.mark(seen!.rawValue)
                throw Stop()
            }
        }
        let fd = try #require(seen)
        #expect(!TestSupport.isStillOpen(fd.rawValue))
    }
}
