import Glibc
import SystemPackage
import Testing
@testable import Uring
import UringTestSupport

/// splice and tee between files and pipes.
@Suite("Splice and tee")
struct SpliceTests {
    @Test func spliceFileThroughAPipeIntoAnotherFile() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let payload = TestSupport.pattern(10_000, seed: 5)
        try TestSupport.createFile(directory + "/in", payload)
        try TestSupport.createFile(directory + "/out", [])
        let input = try FileDescriptor.open(FilePath(directory + "/in"), .readOnly)
        let output = try FileDescriptor.open(FilePath(directory + "/out"), .writeOnly)
        let pipe = try TestSupport.makePipe()
        defer { [input, output, pipe.read, pipe.write].forEach { try? $0.close() } }
        var ring = try Ring(entries: 8)
        var offset: UInt64 = 0
        while offset < UInt64(payload.count) {
            let toPipe = Splice(from: .descriptor(input), inputOffset: offset, to: .descriptor(pipe.write), length: 4096)
            let moved = try TestSupport.roundTrip(&ring, toPipe).value(for: "splice")
            let toFile = Splice(from: .descriptor(pipe.read), to: .descriptor(output), outputOffset: offset, length: UInt32(moved))
            #expect(try TestSupport.roundTrip(&ring, toFile).result == moved)
            offset += UInt64(moved)
        }
        #expect(try TestSupport.contents(of: directory + "/out") == payload)
        let atEnd = Splice(from: .descriptor(input), inputOffset: offset, to: .descriptor(pipe.write), length: 4096)
        #expect(try TestSupport.roundTrip(&ring, atEnd).result == 0)
        let noPipe = Splice(from: .descriptor(input), inputOffset: 0, to: .descriptor(output), outputOffset: 0, length: 10)
        #expect(try TestSupport.roundTrip(&ring, noPipe).error == .invalidArgument)
    }

    @Test func teeCopiesWithoutConsumingAndAFixedInputWorks() throws {
        let source = try TestSupport.makePipe()
        let copy = try TestSupport.makePipe()
        defer { [source.read, source.write, copy.read, copy.write].forEach { try? $0.close() } }
        var ring = try Ring(entries: 8)
        _ = try source.write.writeAll(Array("tee me".utf8))
        #expect(try TestSupport.roundTrip(&ring, Tee(from: .descriptor(source.read), to: .descriptor(copy.write), length: 64)).result == 6)
        #expect(try TestSupport.readExactly(copy.read, 6) == Array("tee me".utf8))
        #expect(try TestSupport.readExactly(source.read, 6) == Array("tee me".utf8), "tee leaves the source intact")

        try ring.registerFiles([source.read.rawValue])
        _ = try source.write.writeAll(Array("fixed".utf8))
        let fixed = Splice(from: .fixed(0), to: .descriptor(copy.write), length: 64)
        #expect(try TestSupport.roundTrip(&ring, fixed).result == 5)
        #expect(try TestSupport.readExactly(copy.read, 5) == Array("fixed".utf8))
    }
}
