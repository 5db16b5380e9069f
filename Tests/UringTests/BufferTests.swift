import Glibc
import SystemPackage
import Testing
@testable import Uring
import UringTestSupport

/// Provided buffers (the opcode and the ring), registered buffers, multishot reads and receives.
@Suite("Buffers")
struct BufferTests {
    @Test func provideBuffersFeedsSelectedReadsThenRemoveTakesTheRest() throws {
        let pipe = try TestSupport.makePipe()
        defer {
            try? pipe.read.close()
            try? pipe.write.close()
        }
        var ring = try Ring(entries: 8)
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: 4 * 64, alignment: 64)
        defer { memory.deallocate() }
        let provided = ProvideBuffers(memory.baseAddress!, size: 64, count: 4, group: 7, firstID: 10)
        #expect(try TestSupport.roundTrip(&ring, provided).result == 0)
        _ = try pipe.write.writeAll(Array("selected".utf8))
        let read = try TestSupport.roundTrip(&ring, Read(.descriptor(pipe.read), into: .provided(group: 7, length: 64)))
        let id = try #require(read.bufferID)
        #expect((10..<14).contains(id) && read.result == 8)
        let start = memory.baseAddress! + Int(id - 10) * 64
        #expect(Array(UnsafeRawBufferPointer(start: start, count: 8)) == Array("selected".utf8))
        #expect(try TestSupport.roundTrip(&ring, RemoveBuffers(count: 10, group: 7)).result == 3)
        #expect(try TestSupport.roundTrip(&ring, RemoveBuffers(count: 1, group: 7)).result == 0, "nothing left to remove")
    }

    @Test(.enabled(if: TestSupport.supports(.readMultishot), "needs IORING_OP_READ_MULTISHOT (Linux 6.7)"))
    func multishotReadRunsDryWithENOBUFSAndResumesAfterRefill() throws {
        let pipe = try TestSupport.makePipe()
        defer {
            try? pipe.read.close()
            try? pipe.write.close()
        }
        var ring = try Ring(entries: 8)
        let buffers = try ring.registerBufferRing(group: 1, entries: 2, bufferSize: 16)
        ring.push(ReadMultishot(.descriptor(pipe.read), bufferGroup: 1), userData: 1)
        try ring.submit()
        var received: [UInt8] = []
        var ids: [UInt16] = []
        for chunk in ["first", "second"] {
            _ = try pipe.write.writeAll(Array(chunk.utf8))
            let completion = try TestSupport.completions(&ring, count: 1)[0]
            #expect(completion.hasMore)
            received += try #require(buffers.data(for: completion))
            ids.append(try #require(completion.bufferID))
        }
        #expect(try ring.bufferRingHead(group: 1) == 2)
        _ = try pipe.write.writeAll(Array("third".utf8))
        let dry = try TestSupport.completions(&ring, count: 1)[0]
        #expect(dry.error == .noBufferSpace && !dry.hasMore, "the stream ends visibly when the ring is empty")

        ids.forEach(buffers.recycle)
        ring.push(ReadMultishot(.descriptor(pipe.read), bufferGroup: 1), userData: 2)
        let resumed = try TestSupport.completions(&ring, count: 1)[0]
        #expect(resumed.userData == 2 && resumed.hasMore)
        received += try #require(buffers.data(for: resumed))
        #expect(received == Array("firstsecondthird".utf8))
        ring.push(AsyncCancel(.userData(2)), userData: 3)
        _ = try TestSupport.completions(&ring, count: 2)
    }

    /// Whether the kernel accepts `IOU_PBUF_RING_INC`.
    static let incrementalRingsSupported: Bool = {
        guard var ring = try? Ring(entries: 2) else { return false }
        return (try? ring.registerBufferRing(group: 0, entries: 1, bufferSize: 16, incremental: true)) != nil
    }()

    @Test(.enabled(if: incrementalRingsSupported, "needs IOU_PBUF_RING_INC (Linux 6.12)"))
    func incrementalBufferRingFillsOneBufferAcrossReceives() throws {
        let pair = try TestSupport.tcpPair()
        defer {
            try? pair.client.close()
            try? pair.server.close()
        }
        var ring = try Ring(entries: 8)
        let buffers = try ring.registerBufferRing(group: 2, entries: 1, bufferSize: 64, incremental: true)
        var parts: [[UInt8]] = []
        for chunk in ["abc", "defg"] {
            _ = try pair.server.writeAll(Array(chunk.utf8))
            let completion = try TestSupport.roundTrip(
                &ring, Receive(.descriptor(pair.client), into: .provided(group: 2, length: 0)))
            #expect(completion.bufferID == 0)
            #expect(completion.flags.contains(.bufferMore), "the kernel keeps the partly used buffer")
            parts.append(Array(try #require(buffers.data(for: completion))))
        }
        #expect(parts == [Array("abc".utf8), Array("defg".utf8)])
        #expect(Array(UnsafeRawBufferPointer(rebasing: buffers.buffer(0)[0..<7])) == Array("abcdefg".utf8))
    }

    @Test func bufferRingSizeIsValidated() throws {
        var ring = try Ring(entries: 4)
        for bad: UInt32 in [0, 3, 65536] {
            let error = #expect(throws: UringError.self) { try ring.registerBufferRing(group: 1, entries: bad, bufferSize: 64) }
            #expect(error?.errno == .invalidArgument)
            #expect(error?.detail?.contains("power-of-two") == true)
        }
        try ring.registerBufferRing(group: 1, entries: 4, bufferSize: 64)
        let duplicate = #expect(throws: UringError.self) { try ring.registerBufferRing(group: 1, entries: 4, bufferSize: 64) }
        #expect(duplicate?.errno == .fileExists)
        try ring.unregisterBufferRing(group: 1)
        #expect(ring.bufferRing(group: 1) == nil)
        #expect(throws: UringError.self) { try ring.unregisterBufferRing(group: 1) }
    }

    @Test func registeredBuffersServeFixedReadsAndWrites() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let path = directory + "/fixed.bin"
        try TestSupport.createFile(path, [])
        let fd = try FileDescriptor.open(FilePath(path), .readWrite)
        defer { try? fd.close() }
        var ring = try Ring(entries: 8)
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: 8192, alignment: 4096)
        defer { memory.deallocate() }
        memory.copyBytes(from: TestSupport.pattern(4096, seed: 9))
        try ring.registerBuffers([memory])
        let source = UnsafeRawBufferPointer(rebasing: memory[0..<4096])
        let write = Write(.descriptor(fd), from: .registered(source, index: 0))
        #expect(write.opcode == .writeFixed)
        #expect(try TestSupport.roundTrip(&ring, write).result == 4096)
        let target = UnsafeMutableRawBufferPointer(rebasing: memory[4096...])
        #expect(try TestSupport.roundTrip(&ring, Read(.descriptor(fd), into: .registered(target, index: 0))).result == 4096)
        #expect(Array(target) == TestSupport.pattern(4096, seed: 9))
        #expect(try TestSupport.contents(of: path) == TestSupport.pattern(4096, seed: 9))
        let outOfRange = try TestSupport.roundTrip(&ring, Read(.descriptor(fd), into: .registered(target, index: 5)))
        #expect(outOfRange.error == .badAddress || outOfRange.error == .invalidArgument)
    }

    @Test(.enabled(if: TestSupport.supports(.readvFixed), "needs IORING_OP_READV_FIXED (Linux 6.15)"))
    func vectoredFixedReadsAndWritesStayInsideTheRegisteredBuffer() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let path = directory + "/vectored.bin"
        try TestSupport.createFile(path, TestSupport.pattern(4096, seed: 9))
        let fd = try FileDescriptor.open(FilePath(path), .readWrite)
        defer { try? fd.close() }
        var ring = try Ring(entries: 8)
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: 8192, alignment: 4096)
        defer { memory.deallocate() }
        try ring.registerBuffers([memory])
        let vectors = [iovec(iov_base: memory.baseAddress! + 4096, iov_len: 100), iovec(iov_base: memory.baseAddress! + 6000, iov_len: 50)]
        let vectored = try vectors.withUnsafeBufferPointer {
            try TestSupport.roundTrip(&ring, ReadVector(.descriptor(fd), into: $0, at: 0, registeredBuffer: 0))
        }
        #expect(vectored.result == 150)
        #expect(
            Array(UnsafeRawBufferPointer(start: memory.baseAddress! + 6000, count: 50))
                == Array(TestSupport.pattern(4096, seed: 9)[100..<150]))
        let written = try vectors.withUnsafeBufferPointer {
            try TestSupport.roundTrip(&ring, WriteVector(.descriptor(fd), from: $0, at: 4096, registeredBuffer: 0))
        }
        #expect(written.result == 150)
        #expect(try TestSupport.contents(of: path)[4096...] == TestSupport.pattern(4096, seed: 9)[0..<150])
    }
}
