import CUringTestSupport
import Glibc
import SystemPackage
import Testing
@testable import Uring
import UringTestSupport

/// RingContext: synchronous wrappers, owned asynchronous buffers, registration, probing, threads, close.
@Suite("Ring context")
struct RingContextTests {
    @Test func fileWrappersChangeTheFileSystem() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer {
            TestSupport.removeDirectory(directory + "/sub")
            TestSupport.removeDirectory(directory)
        }
        let context = try RingContext()
        let fd = try context.openat(FilePath(directory + "/a"), flags: O_CREAT | O_RDWR, mode: 0o600)
        let bytes = TestSupport.pattern(10_000, seed: 3)
        #expect(try context.write(fd, bytes) == 10_000)
        #expect(try context.read(fd, length: 20_000) == bytes, "a read past the end returns what is there")
        #expect(try context.read(fd, length: 10, offset: 9_995) == Array(bytes[9_995...]))
        #expect(try context.readBatch(fd, blockSize: 4096, blocks: 3) == bytes, "the third block ends at the end")
        #expect(try context.readOffsets(fd, blockSize: 100, offsets: [200, 0]) == Array(bytes[200..<300] + bytes[0..<100]))
        #expect(try context.readOffsets(fd, blockSize: 1000, offsets: [3], offsetsAreBytes: false) == Array(bytes[3000..<4000]))
        try context.fsync(fd)
        try context.fallocate(fd, length: 65536)
        #expect(try context.statx(FilePath(directory + "/a")).size == 65536)
        try context.ftruncate(fd, length: 100)
        #expect(try context.statx(FilePath(directory + "/a")).size == 100)
        try context.fadvise(fd, advice: POSIX_FADV_SEQUENTIAL)
        try context.close(fd)

        try context.renameat(FilePath(directory + "/a"), to: FilePath(directory + "/b"))
        try context.linkat(FilePath(directory + "/b"), to: FilePath(directory + "/c"))
        try context.symlinkat(FilePath("b"), at: FilePath(directory + "/d"))
        try context.mkdirat(FilePath(directory + "/sub"))
        #expect(try context.statx(FilePath(directory + "/c")).linkCount == 2)
        #expect(try TestSupport.contents(of: directory + "/d") == Array(bytes[..<100]), "the symlink leads to b")
        try context.unlinkat(FilePath(directory + "/c"))
        try context.unlinkat(FilePath(directory + "/sub"), removeDirectory: true)
        #expect(access(directory + "/c", F_OK) != 0 && access(directory + "/sub", F_OK) != 0)
        let missing = #expect(throws: UringError.self) { try context.openat(FilePath(directory + "/none"), flags: O_RDONLY) }
        #expect(missing?.errno == .noSuchFileOrDirectory && missing?.operation == "openat")
        #expect(throws: UringError.self) { try context.read(FileDescriptor(rawValue: 9999), length: 1) }
        #expect(throws: UringError.self) { try context.read(FileDescriptor(rawValue: 0), length: 0) }
    }

    @Test func ownedAsyncBuffersComeBackWithTheirCompletions() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let bytes = TestSupport.pattern(8192, seed: 9)
        try TestSupport.createFile(directory + "/f", bytes)
        let context = try RingContext()
        let file = try context.openat(FilePath(directory + "/f"), flags: O_RDWR)
        #expect(try context.peekCompletion() == nil)
        try context.readAsync(file, length: 100, offset: 0, userData: 1)
        try context.readAsync(file, length: 50, offset: 8000, userData: 2)
        let duplicate = #expect(throws: UringError.self) { try context.readAsync(file, length: 1, userData: 2) }
        #expect(duplicate?.errno == .fileExists)
        #expect(throws: UringError.self) { try context.readAsync(file, length: 1, userData: RingContext.reservedUserData) }
        try context.writeAsync(file, [7, 7, 7], offset: 8192, userData: 3)
        #expect(try context.submit() == 3)
        let size = try context.statx(FilePath(directory + "/f")).size
        #expect(size == 8195, "the synchronous statx ran while the async completions waited")
        var seen: [UInt64: RingContextCompletion] = [:]
        for _ in 0..<3 {
            let completion = try context.waitCompletion()
            seen[completion.userData] = completion
        }
        #expect(seen[1]?.bytes == Array(bytes[..<100]) && seen[1]?.result == 100)
        #expect(seen[2]?.bytes == Array(bytes[8000..<8050]))
        #expect(seen[3]?.result == 3 && seen[3]?.bytes == nil)
        #expect(try context.peekCompletion() == nil)
        try context.readAsync(file, length: 10, userData: 2)
        try context.submitAndWait(1)
        #expect(try context.peekCompletion()?.bytes == Array(bytes[..<10]), "user data 2 is free again")

        let pool = try BufferPool(count: 1, size: 16)
        try context.readAsync(file, into: try pool.pointer(at: 0), offset: 16, userData: 4)
        try context.submit()
        #expect(try context.waitCompletion() == RingContextCompletion(userData: 4, result: 16, bytes: nil))
        #expect(try pool.get(0) == Array(bytes[16..<32]))
        try context.close(file)
    }

    @Test func registeredFilesAndBuffers() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let context = try RingContext()
        let file = try context.openat(FilePath(directory + "/f"), flags: O_CREAT | O_RDWR)
        defer { try? context.close(file) }
        try context.registerFiles([file])
        try context.registerBuffers(count: 2, size: 4096)
        #expect(try context.writeFixed(fileIndex: 0, bufferIndex: 1, data: [1, 2, 3, 4], offset: 10) == 4)
        #expect(try TestSupport.contents(of: directory + "/f") == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4])
        #expect(try context.readFixed(fileIndex: 0, bufferIndex: 0, length: 5, offset: 9) == [0, 1, 2, 3, 4])
        #expect(try Array(context.registeredBuffer(0).prefix(5)) == [0, 1, 2, 3, 4])
        #expect(throws: UringError.self) { try context.writeFixed(fileIndex: 0, bufferIndex: 0, data: [UInt8](repeating: 1, count: 5000)) }
        #expect(throws: UringError.self) { try context.readFixed(fileIndex: 0, bufferIndex: 2) }
        try context.unregisterBuffers()
        try context.unregisterFiles()
        #expect(throws: UringError.self) { try context.readFixed(fileIndex: 0, bufferIndex: 0) }
    }

    @Test func socketsPipesPollAndEpoll() throws {
        let context = try RingContext()
        let listener = try context.socket(domain: AF_INET, type: Int32(SOCK_STREAM.rawValue))
        defer { try? listener.close() }
        var address = TestSupport.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                try context.bind(listener, to: generic, length: length)
                try context.listen(listener)
                getsockname(listener.rawValue, generic, &length)
            }
        }
        let client = try context.socket(domain: AF_INET, type: Int32(SOCK_STREAM.rawValue))
        defer { try? client.close() }
        try withUnsafePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { try context.connect(client, to: $0, length: length) }
        }
        let server = try context.accept(listener)
        defer { try? server.close() }
        #expect(try context.send(client, Array("ping".utf8)) == 4)
        #expect(try context.pollAdd(server, events: UInt32(POLLIN)) & UInt32(POLLIN) != 0)
        #expect(try context.recv(server, maxLength: 64) == Array("ping".utf8))

        let first = try context.pipe()
        let second = try context.pipe()
        defer { [first.read, first.write, second.read, second.write].forEach { try? $0.close() } }
        _ = try first.write.writeAll(Array("spliced".utf8))
        #expect(try context.tee(from: first.read, to: second.write, length: 7) == 7)
        #expect(try TestSupport.readExactly(second.read, 7) == Array("spliced".utf8))
        #expect(try context.splice(from: first.read, to: second.write, length: 7) == 7)
        #expect(try TestSupport.readExactly(second.read, 7) == Array("spliced".utf8))

        let epoll = FileDescriptor(rawValue: cts_epoll_create())
        defer { try? epoll.close() }
        try context.epollCtl(epoll, operation: 1, fd: first.read, events: 0x001 /* EPOLLIN */, data: 42)
        _ = try first.write.writeAll([1])
        var events: UInt32 = 0
        var data: UInt64 = 0
        #expect(cts_epoll_wait_one(epoll.rawValue, 1000, &events, &data) == 1 && data == 42)
        var word: UInt32 = 0
        #expect(try context.futexWake(&word) == 0, "no waiter to wake")
    }

    @Test func probeRingDescriptorPresetsAndClose() throws {
        let context = try RingContext.singleIssuer()
        #expect(try context.probeOpcodeSupported(.nop))
        #expect(try context.probeLastOpcode() >= 62)
        #expect(try context.probeSupportedMask().first == 1)
        #expect(try context.ringFD >= 0)
        let polled = try RingContext.submissionPolling()
        var word: UInt32 = 0
        #expect(try polled.futexWake(&word) == 0)
        context.close()
        context.close()
        #expect(context.isClosed)
        let calls: [() throws -> Void] = [
            { _ = try context.ringFD }, { try context.submit() }, { _ = try context.waitCompletion() },
            { _ = try context.read(FileDescriptor(rawValue: 0), length: 1) }, { try context.registerBuffers(count: 1, size: 1) },
            { try context.readAsync(FileDescriptor(rawValue: 0), length: 1, userData: 1) }, { _ = try context.probeLastOpcode() },
        ]
        for call in calls {
            let error = #expect(throws: UringError.self) { try call() }
            #expect(error?.detail == "closed")
        }
    }

    @Test func anotherThreadIsRefusedUnlessTheCheckIsOff() throws {
        final class Box: @unchecked Sendable {
            let context: RingContext
            var error: UringError?
            var wakeResult = -1
            init(_ context: RingContext) { self.context = context }
        }
        let checked = Box(try RingContext())
        let unchecked = Box(try RingContext(singleThreadCheck: false))
        let thread = Thread {
            var word: UInt32 = 0
            do { _ = try checked.context.futexWake(&word) } catch let error as UringError { checked.error = error } catch {}
            unchecked.wakeResult = (try? unchecked.context.futexWake(&word)) ?? -2
        }
        thread.join()
        #expect(checked.error?.errno == .notPermitted && checked.error?.detail?.contains("singleThreadCheck") == true)
        #expect(unchecked.wakeResult == 0)
    }
}
