import Glibc
import SystemPackage
import Testing
@testable import Uring
import UringTestSupport

/// BufferPool: slots used for real reads, resized, bounded, closed.
@Suite("Buffer pool")
struct BufferPoolTests {
    @Test func aSlotReceivesARealReadAndGivesACopyBack() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let bytes = TestSupport.pattern(3000, seed: 5)
        try TestSupport.createFile(directory + "/f", bytes)
        let file = try FileDescriptor.open(FilePath(directory + "/f"), .readOnly)
        defer { try? file.close() }
        let pool = try BufferPool(count: 4, size: 4096)
        #expect(pool.count == 4)
        let slot = try pool.pointer(at: 2)
        #expect(slot.count == 4096 && Int(bitPattern: slot.baseAddress) % BufferPool.alignment == 0)
        var ring = try Ring(entries: 4)
        let read = try TestSupport.roundTrip(&ring, Read(.descriptor(file), into: slot)).result
        #expect(read == 3000)
        try pool.setSize(2, Int(read))
        #expect(try pool.get(2) == bytes)
        #expect(try pool.get(1) == [UInt8](repeating: 0, count: 4096), "other slots are untouched zeros")
    }

    @Test func resizeKeepsWhatFitsAndSetSizeIsBoundedByCapacity() throws {
        let pool = try BufferPool(count: 2, size: 8)
        try pool.set(0, to: [1, 2, 3, 4, 5, 6, 7, 8])
        try pool.resize(0, to: 16)
        #expect(try pool.capacity(of: 0) == 16)
        #expect(try Array(pool.get(0)[..<8]) == [1, 2, 3, 4, 5, 6, 7, 8])
        try pool.resize(0, to: 3)
        #expect(try pool.get(0) == [1, 2, 3])
        try pool.setSize(0, 0)
        #expect(try pool.get(0).isEmpty)
        let tooBig = #expect(throws: UringError.self) { try pool.setSize(0, 4) }
        #expect(tooBig?.errno == .invalidArgument && tooBig?.detail?.contains("capacity") == true)
        #expect(throws: UringError.self) { try pool.set(1, to: [UInt8](repeating: 9, count: 9)) }
        #expect(throws: UringError.self) { try pool.resize(1, to: 0) }
        let outside = #expect(throws: UringError.self) { try pool.get(2) }
        #expect(outside?.detail?.contains("0..<2") == true)
        #expect(throws: UringError.self) { try pool.pointer(at: -1) }
        #expect(throws: UringError.self) { try BufferPool(count: 0) }
        #expect(throws: UringError.self) { try BufferPool(count: 1, size: 0) }
    }

    @Test func everyMethodThrowsClosedAfterClose() throws {
        let pool = try BufferPool(count: 1, size: 16)
        pool.close()
        pool.close()
        let calls: [() throws -> Void] = [
            { _ = try pool.get(0) }, { _ = try pool.pointer(at: 0) }, { try pool.resize(0, to: 4) },
            { try pool.setSize(0, 1) }, { _ = try pool.capacity(of: 0) }, { try pool.set(0, to: [1]) },
        ]
        for call in calls {
            let error = #expect(throws: UringError.self) { try call() }
            #expect(error?.detail == "closed")
        }
    }
}
