import Glibc
import SystemPackage
import Testing
@testable import Uring
import UringTestSupport

/// Async cancel by user data, file, opcode, any and all; synchronous cancel.
@Suite("Cancellation")
struct CancelTests {
    /// Pushes a read on an idle pipe for each user data and submits.
    static func parkReads(_ ring: inout Ring, _ pipe: FileDescriptor, _ buffer: UnsafeMutableRawBufferPointer, _ ids: [UInt64]) throws {
        for id in ids { ring.push(Read(.descriptor(pipe), into: buffer), userData: id) }
        try ring.submit()
    }

    @Test func cancelByUserDataResumesTheTargetWithECANCELED() throws {
        let pipe = try TestSupport.makePipe()
        defer {
            try? pipe.read.close()
            try? pipe.write.close()
        }
        var ring = try Ring(entries: 8)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 8, alignment: 8)
        defer { buffer.deallocate() }
        try Self.parkReads(&ring, pipe.read, buffer, [1])
        ring.push(AsyncCancel(.userData(1)), userData: 2)
        let results = try TestSupport.completions(&ring, count: 2)
        #expect(results.first { $0.userData == 1 }?.error == .canceled)
        #expect(results.first { $0.userData == 2 }?.result == 0)
        ring.push(AsyncCancel(.userData(1)), userData: 3)
        #expect(try TestSupport.completions(&ring, count: 1)[0].error == .noSuchFileOrDirectory)
    }

    @Test func cancelByFileOpcodeAnyAndAll() throws {
        let pipe = try TestSupport.makePipe()
        let other = try TestSupport.makePipe()
        defer { [pipe.read, pipe.write, other.read, other.write].forEach { try? $0.close() } }
        var ring = try Ring(entries: 16)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 8, alignment: 8)
        defer { buffer.deallocate() }

        try Self.parkReads(&ring, pipe.read, buffer, [1, 2, 3])
        try Self.parkReads(&ring, other.read, buffer, [4])
        ring.push(AsyncCancel(.file(.descriptor(pipe.read)), all: true), userData: 10)
        let byFile = try TestSupport.completions(&ring, count: 4)
        #expect(byFile.first { $0.userData == 10 }?.result == 3)
        #expect(Set(byFile.filter { $0.error == .canceled }.map(\.userData)) == [1, 2, 3])

        ring.push(PollAdd(.descriptor(other.read), events: UInt32(POLLPRI)), userData: 5)
        ring.push(AsyncCancel(.opcode(.pollAdd), all: true), userData: 11)
        let byOpcode = try TestSupport.completions(&ring, count: 2)
        #expect(byOpcode.first { $0.userData == 11 }?.result == 1)
        #expect(byOpcode.first { $0.userData == 5 }?.error == .canceled)

        ring.push(AsyncCancel(.any), userData: 12)
        let any = try TestSupport.completions(&ring, count: 2)
        #expect(any.first { $0.userData == 4 }?.error == .canceled)
        #expect(any.first { $0.userData == 12 }?.result == 1, "ANY cancels every request and counts them")
    }

    @Test(.enabled(if: TestSupport.accepts(.default), "needs the default ring"))
    func synchronousCancelWaitsForTheTarget() throws {
        let pipe = try TestSupport.makePipe()
        defer {
            try? pipe.read.close()
            try? pipe.write.close()
        }
        var ring = try Ring(entries: 8)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 8, alignment: 8)
        defer { buffer.deallocate() }
        try Self.parkReads(&ring, pipe.read, buffer, [1, 2])
        let first = try ring.cancelSynchronously(.userData(1), timeout: .seconds(5))
        let one = try TestSupport.completions(&ring, count: 1)
        let rest = try ring.cancelSynchronously(.file(.descriptor(pipe.read)), all: true, timeout: .seconds(5))
        #expect(first == 0, "one match cancelled reports 0, as ASYNC_CANCEL does")
        #expect(rest == 1)
        let results = try TestSupport.completions(&ring, count: 1)
        #expect((one + results).allSatisfy { $0.error == .canceled })
        #expect(throws: UringError.self) { try ring.cancelSynchronously(.userData(77)) }
    }
}
