import Glibc
import SystemPackage
import Testing
@testable import Uring
import UringTestSupport

/// read, write, readv, writev, openat, close and fsync on real temporary files.
@Suite("Read, write and files")
struct ReadWriteTests {
    /// Runs one operation and returns its result; the path string stays alive meanwhile.
    static func open(_ ring: inout Ring, _ path: String, flags: Int32, mode: mode_t = 0o600) throws -> FileDescriptor {
        let fd = try path.withCString { cPath in
            try TestSupport.roundTrip(&ring, OpenAt(cPath, flags: flags, mode: mode)).value(for: "openat")
        }
        return FileDescriptor(rawValue: fd)
    }

    @Test func openWriteReadCloseThroughTheRing() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let path = directory + "/data.bin"
        var ring = try Ring(entries: 8)
        let fd = try Self.open(&ring, path, flags: O_CREAT | O_RDWR | O_TRUNC, mode: 0o640)
        let message = Array("hello, io_uring".utf8)
        let written = try message.withUnsafeBytes {
            try TestSupport.roundTrip(&ring, Write(.descriptor(fd), from: $0, at: 0)).value(for: "write")
        }
        #expect(Int(written) == message.count)
        #expect(try TestSupport.contents(of: path) == message)

        var buffer = [UInt8](repeating: 0, count: 5)
        let read = try buffer.withUnsafeMutableBytes {
            try TestSupport.roundTrip(&ring, Read(.descriptor(fd), into: $0, at: 7)).value(for: "read")
        }
        #expect(read == 5)
        #expect(buffer == Array("io_ur".utf8))

        TestSupport.mark(fd.rawValue)
        #expect(TestSupport.isStillOpen(fd.rawValue))
        let closed = try TestSupport.roundTrip(&ring, Close(.descriptor(fd)))
        #expect(closed.result == 0)
        #expect(!TestSupport.isStillOpen(fd.rawValue))
        var status = stat()
        #expect(stat(path, &status) == 0)
        #expect(status.st_mode & 0o777 == 0o640)
    }

    @Test func endOfFileAndZeroLength() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let path = directory + "/short.txt"
        try TestSupport.createFile(path, Array("abc".utf8))
        var ring = try Ring(entries: 8)
        let fd = try Self.open(&ring, path, flags: O_RDONLY)
        defer { try? fd.close() }
        var buffer = [UInt8](repeating: 0xAA, count: 16)
        try buffer.withUnsafeMutableBytes { bytes in
            let short = try TestSupport.roundTrip(&ring, Read(.descriptor(fd), into: bytes, at: 0))
            #expect(short.result == 3)
            let atEnd = try TestSupport.roundTrip(&ring, Read(.descriptor(fd), into: bytes, at: 3))
            #expect(atEnd.result == 0)
            let empty = try TestSupport.roundTrip(
                &ring, Read(.descriptor(fd), into: UnsafeMutableRawBufferPointer(rebasing: bytes[0..<0]), at: 0))
            #expect(empty.result == 0)
        }
        #expect(Array(buffer.prefix(4)) == [0x61, 0x62, 0x63, 0xAA])
    }

    @Test func vectoredWriteThenRead() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let path = directory + "/vectors.bin"
        var ring = try Ring(entries: 8)
        let fd = try Self.open(&ring, path, flags: O_CREAT | O_RDWR)
        defer { try? fd.close() }
        let first = [UInt8](repeating: 1, count: 3000)
        let second = (0..<5000).map { UInt8(truncatingIfNeeded: $0) }
        let written = try first.withUnsafeBytes { a in
            try second.withUnsafeBytes { b in
                let vectors = [
                    iovec(iov_base: UnsafeMutableRawPointer(mutating: a.baseAddress), iov_len: a.count),
                    iovec(iov_base: UnsafeMutableRawPointer(mutating: b.baseAddress), iov_len: b.count),
                ]
                return try vectors.withUnsafeBufferPointer {
                    try TestSupport.roundTrip(&ring, WriteVector(.descriptor(fd), from: $0, at: 100)).value(for: "writev")
                }
            }
        }
        #expect(written == 8000)
        let onDisk = try TestSupport.contents(of: path)
        #expect(onDisk.count == 8100)
        #expect(onDisk[..<100].allSatisfy { $0 == 0 })
        #expect(Array(onDisk[100...]) == first + second)

        var left = [UInt8](repeating: 0, count: 4000)
        var right = [UInt8](repeating: 0, count: 4100)
        let read = try left.withUnsafeMutableBytes { a in
            try right.withUnsafeMutableBytes { b in
                let vectors = [iovec(iov_base: a.baseAddress, iov_len: a.count), iovec(iov_base: b.baseAddress, iov_len: b.count)]
                return try vectors.withUnsafeBufferPointer {
                    try TestSupport.roundTrip(&ring, ReadVector(.descriptor(fd), into: $0, at: 0)).value(for: "readv")
                }
            }
        }
        #expect(read == 8100)
        #expect(left + right == onDisk)
    }

    @Test func fsyncAndDataSync() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let path = directory + "/synced.bin"
        var ring = try Ring(entries: 8)
        let fd = try Self.open(&ring, path, flags: O_CREAT | O_WRONLY)
        defer { try? fd.close() }
        let payload = [UInt8](repeating: 7, count: 4096)
        try payload.withUnsafeBytes { bytes in
            ring.push(Write(.descriptor(fd), from: bytes), userData: 1, flags: .link)
            ring.push(Fsync(.descriptor(fd)), userData: 2, flags: .link)
            ring.push(Fsync(.descriptor(fd), dataOnly: true), userData: 3)
            try ring.submit(waitingFor: 3)
        }
        var results: [UInt64: Int32] = [:]
        while results.count < 3 {
            try ring.forEachCompletion { results[$0.userData] = $0.result }
        }
        #expect(results == [1: 4096, 2: 0, 3: 0])
        #expect(try TestSupport.contents(of: path) == payload)
    }

    @Test("An invalid fd fails in its own completion; the rest of the batch completes")
    func invalidDescriptorInBatch() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let path = directory + "/batch.bin"
        try TestSupport.createFile(path, Array("0123456789".utf8))
        var ring = try Ring(entries: 8)
        let fd = try Self.open(&ring, path, flags: O_RDONLY)
        defer { try? fd.close() }
        var good = [UInt8](repeating: 0, count: 4)
        var bad = [UInt8](repeating: 0, count: 4)
        var results: [UInt64: Int32] = [:]
        try good.withUnsafeMutableBytes { goodBytes in
            try bad.withUnsafeMutableBytes { badBytes in
                ring.push(Read(.descriptor(fd), into: goodBytes, at: 2), userData: 1)
                ring.push(Read(.descriptor(FileDescriptor(rawValue: 9999)), into: badBytes), userData: 2)
                ring.push(Nop(), userData: 3)
                try ring.submit(waitingFor: 3)
                while results.count < 3 {
                    try ring.forEachCompletion { results[$0.userData] = $0.result }
                }
            }
        }
        #expect(results == [1: 4, 2: -EBADF, 3: 0])
        #expect(good == Array("2345".utf8))
        #expect(bad == [0, 0, 0, 0])
        #expect {
            try Completion(CompletionQueueEntry(userData: 2, result: -EBADF, flags: 0)).value(for: Opcode.read.operationName)
        } throws: { error in
            let error = error as? UringError
            return error?.errno == .badFileDescriptor && error?.operation == "read"
        }
    }

    @Test func openMissingFileFailsWithENOENT() throws {
        var ring = try Ring(entries: 4)
        #expect {
            _ = try Self.open(&ring, "/nonexistent/swift-uring/file", flags: O_RDONLY)
        } throws: { error in
            (error as? UringError)?.errno == .noSuchFileOrDirectory
        }
    }

    @Test func currentPositionReadsSequentially() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let path = directory + "/sequential.txt"
        try TestSupport.createFile(path, Array("abcdef".utf8))
        var ring = try Ring(entries: 4)
        let fd = try Self.open(&ring, path, flags: O_RDONLY)
        defer { try? fd.close() }
        var chunks: [[UInt8]] = []
        for _ in 0..<3 {
            var chunk = [UInt8](repeating: 0, count: 2)
            _ = try chunk.withUnsafeMutableBytes {
                try TestSupport.roundTrip(&ring, Read(.descriptor(fd), into: $0, at: currentFilePosition)).value(for: "read")
            }
            chunks.append(chunk)
        }
        #expect(chunks == [Array("ab".utf8), Array("cd".utf8), Array("ef".utf8)])
    }
}
