import Glibc
import SystemPackage
import Testing
@testable import Uring
import UringTestSupport

/// Numbers a user passes in: each bad one is a thrown UringError, never a trap
/// or an allocator abort.
@Suite("Numbers from user input throw, never trap")
struct UserNumberTests {
    /// Expects `body` to throw a UringError with `errno` whose detail contains `hint`.
    static func expectError(
        _ errno: Errno, _ hint: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
    ) {
        do {
            try body()
            Issue.record("expected \(errno)", sourceLocation: sourceLocation)
        } catch let error as UringError {
            #expect(error.errno == errno, "\(error)", sourceLocation: sourceLocation)
            #expect(error.detail?.contains(hint) == true, "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
    }

    static func withFile(_ body: (RingContext, FileDescriptor) throws -> Void) throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        try TestSupport.createFile(directory + "/data", TestSupport.pattern(8192))
        let fd = try FileDescriptor.open(directory + "/data", .readOnly)
        defer { try? fd.close() }
        try body(try RingContext(entries: 8), fd)
    }

    @Test func readFixedNegativeLength() throws {
        try Self.withFile { context, fd in
            try context.registerFiles([fd])
            try context.registerBuffers(count: 1, size: 4096)
            Self.expectError(.invalidArgument, "the length must be") {
                _ = try context.readFixed(fileIndex: 0, bufferIndex: 0, length: -1)
            }
            let start = try context.readFixed(fileIndex: 0, bufferIndex: 0, length: 10)
            #expect(start == TestSupport.pattern(10))
        }
    }

    @Test func readBatchOffsetNearTheEndOfOffsets() throws {
        try Self.withFile { context, fd in
            Self.expectError(.invalidArgument, "passes the largest file offset") {
                _ = try context.readBatch(fd, blockSize: 4096, blocks: 2, offset: UInt64(Int.max) - 100)
            }
            Self.expectError(.invalidArgument, "passes the largest file offset") {
                _ = try context.readBatch(fd, blockSize: 4096, blocks: 2, offset: UInt64.max - 100)
            }
        }
    }

    @Test func readBatchNegativeBlockSizeAndCount() throws {
        try Self.withFile { context, fd in
            Self.expectError(.invalidArgument, "the length must be") {
                _ = try context.readBatch(fd, blockSize: -4096, blocks: 2)
            }
            Self.expectError(.invalidArgument, "at least one block") {
                _ = try context.readBatch(fd, blockSize: 4096, blocks: -2)
            }
        }
    }

    @Test func readBatchCountWhoseProductOverflows() throws {
        try Self.withFile { context, fd in
            Self.expectError(.noMemory, "blocks of 2147483647 bytes need more than") {
                _ = try context.readBatch(fd, blockSize: Int(Int32.max), blocks: Int.max / 2)
            }
            Self.expectError(.noMemory, "this machine has") {
                _ = try context.readBatch(fd, blockSize: Int(Int32.max), blocks: 1 << 30)
            }
            let whole = try context.readBatch(fd, blockSize: 4096, blocks: 3)
            #expect(whole == TestSupport.pattern(8192))
        }
    }

    @Test func readOffsetsBlockIndexWhoseOffsetOverflows() throws {
        try Self.withFile { context, fd in
            Self.expectError(.invalidArgument, "block index") {
                _ = try context.readOffsets(fd, blockSize: 4096, offsets: [0, UInt64.max / 2], offsetsAreBytes: false)
            }
            Self.expectError(.invalidArgument, "the length must be") {
                _ = try context.readOffsets(fd, blockSize: -1, offsets: [1], offsetsAreBytes: false)
            }
            let blocks = try context.readOffsets(fd, blockSize: 4096, offsets: [1, 0], offsetsAreBytes: false)
            #expect(blocks == Array(TestSupport.pattern(8192)[4096...]) + TestSupport.pattern(4096))
        }
    }

    @Test func bufferPoolOfAbsurdSizes() throws {
        Self.expectError(.noMemory, "1 slots of \(Int.max) bytes") { _ = try BufferPool(count: 1, size: Int.max) }
        Self.expectError(.noMemory, "need more than") { _ = try BufferPool(count: Int.max, size: 4096) }
        Self.expectError(.noMemory, "this machine has") { _ = try BufferPool(count: 1 << 20, size: 1 << 30) }
        let pool = try BufferPool(count: 2, size: 64)
        try pool.set(0, to: [1, 2, 3])
        Self.expectError(.noMemory, "bytes need") { try pool.resize(0, to: Int.max) }
        #expect(try pool.get(0) == [1, 2, 3], "a refused resize keeps the slot")
    }

    @Test("An error without an errno never reads as success")
    func errnoZero() {
        let error = UringError(errno: Errno(rawValue: 0), operation: "copy")
        #expect(!error.description.contains("Success"))
        #expect(error.description.contains("failed without an errno"))
    }

    @Test("A failed read names its offset and length; a failed open its path")
    func requestDetails() throws {
        let context = try RingContext(entries: 8)
        do {
            _ = try context.read(FileDescriptor(rawValue: 9999), length: 16, offset: 512)
            Issue.record("read of a closed descriptor succeeded")
        } catch {
            #expect(error.errno == .badFileDescriptor)
            #expect(error.offset == 512 && error.length == 16)
            #expect(error.description.contains("offset 512, length 16"))
        }
        do {
            _ = try context.openat("/nonexistent/swift-uring", flags: O_RDONLY)
            Issue.record("open of a missing path succeeded")
        } catch {
            #expect(error.errno == .noSuchFileOrDirectory)
            #expect(error.path == "/nonexistent/swift-uring")
        }
    }
}
