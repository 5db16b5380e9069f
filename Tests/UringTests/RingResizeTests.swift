import Glibc
import SystemPackage
import Testing
@testable import Uring
import UringTestSupport

/// Resizing the queues of a live ring (`IORING_REGISTER_RESIZE_RINGS`, Linux 6.13).
@Suite("Ring resize")
struct RingResizeTests {
    static let deferred = RingOptions(flags: [.singleIssuer, .deferTaskRun])

    /// Fills the ring with NOPs numbered from `first`, submits them, and leaves their completions unconsumed.
    static func submitNops(_ ring: inout Ring, _ userData: ClosedRange<UInt64>) throws {
        for value in userData {
            let pushed = ring.push(Nop(), userData: value)
            #expect(pushed)
        }
        try ring.submit(waitingFor: userData.count)
    }

    /// Consumes every ready completion and checks their user data, in order.
    static func expectDrained(
        _ ring: inout Ring, _ expected: [UInt64], _ comment: Comment? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var seen: [UInt64] = []
        try ring.forEachCompletion { seen.append($0.userData) }
        #expect(seen == expected, comment, sourceLocation: sourceLocation)
    }

    @Test(arguments: [deferred, RingOptions(flags: [.singleIssuer, .deferTaskRun, .cqe32])])
    func growingKeepsWaitingCompletionsAndTakesLargerBatches(options: RingOptions) throws {
        var ring = try Ring(entries: 4, options: options)
        try Self.submitNops(&ring, 1...4)
        try ring.resize(entries: 16, completionEntries: 64)
        let capacities = (ring.submissionCapacity, ring.completionCapacity)
        #expect(capacities == (16, 64))
        let reported = ring.parameters.submissionEntries
        #expect(reported == 16)
        try Self.expectDrained(&ring, [1, 2, 3, 4], "completions waiting before the resize survive it in order")

        try Self.submitNops(&ring, 101...116)
        try Self.expectDrained(&ring, Array(101...116), "16 entries fit in one batch after growing from 4")

        let pipe = try TestSupport.makePipe()
        defer {
            try? pipe.read.close()
            try? pipe.write.close()
        }
        let bytes: [UInt8] = [9, 8, 7]
        let written = try bytes.withUnsafeBytes { try TestSupport.roundTrip(&ring, Write(.descriptor(pipe.write), from: $0)) }
        #expect(written.result == 3)
        #expect(try TestSupport.readExactly(pipe.read, 3) == bytes)
    }

    @Test func shrinkingBelowWaitingCompletionsFailsWithOverflowAndLosesNothing() throws {
        var ring = try Ring(entries: 8, options: Self.deferred)
        try Self.submitNops(&ring, 1...8)
        let error = #expect(throws: UringError.self) { try ring.resize(entries: 2, completionEntries: 4) }
        #expect(error?.errno == .init(rawValue: EOVERFLOW))
        #expect(error?.detail?.contains("consume them first") == true)
        try Self.expectDrained(&ring, Array(1...8))
        try ring.resize(entries: 2, completionEntries: 4)
        let shrunk = ring.completionCapacity
        #expect(shrunk == 4)
        try Self.submitNops(&ring, 20...21)
        try Self.expectDrained(&ring, [20, 21])
    }

    @Test func unsubmittedEntriesAndRingsWithoutDeferredTaskRunAreRefused() throws {
        var ring = try Ring(entries: 4, options: Self.deferred)
        let pushed = ring.push(Nop(), userData: 5)
        #expect(pushed)
        let busy = #expect(throws: UringError.self) { try ring.resize(entries: 8) }
        #expect(busy?.errno == .resourceBusy && busy?.detail?.contains("not submitted") == true)
        try Self.submitNops(&ring, 6...6)
        try Self.expectDrained(&ring, [5, 6], "the refused resize kept the prepared entry")

        var plain = try Ring(entries: 4, options: .plain)
        let refused = #expect(throws: UringError.self) { try plain.resize(entries: 8) }
        #expect(refused?.errno == .invalidArgument)
        #expect(refused?.detail?.contains("DEFER_TASKRUN") == true)
        #expect(refused?.operation == "register_resize_rings")
    }

    @Test func theComputedIndexArrayOffsetMatchesTheKernels() throws {
        for (entries, completions, flags) in [
            (1, 2, SetupFlags()), (4, 8, []), (8, 1024, []), (16, 64, [.cqe32]), (4, 8, [.cqe32]), (4, 256, [.cqe32]),
            (2, 4, [.mixedCompletionSize]),
        ] as [(UInt32, UInt32, SetupFlags)] {
            var options = RingOptions(flags: flags, completionQueueEntries: completions)
            options.registerRingFD = false
            let ring = try Ring(entries: entries, options: options)
            let computed = Ring.submissionArrayOffset(
                completionOffsets: ring.parameters.completionOffsets,
                completionEntries: ring.parameters.completionEntries, flags: ring.flags)
            let reported = ring.parameters.submissionOffsets.array
            #expect(computed == reported, "\(entries)/\(completions) entries, flags \(flags)")
        }
    }

    static let userMemory = RingOptions(flags: [.singleIssuer, .deferTaskRun, .noMmap])

    @Test(.enabled(if: TestSupport.accepts(userMemory), "needs IORING_SETUP_NO_MMAP (Linux 6.5)"))
    func resizingARingInApplicationMemorySuppliesNewMemory() throws {
        var ring = try Ring(entries: 2, options: Self.userMemory)
        try Self.submitNops(&ring, 1...2)
        try ring.resize(entries: 32, completionEntries: 128)
        let grown = ring.completionCapacity
        #expect(grown == 128)
        try Self.expectDrained(&ring, [1, 2])
        try Self.submitNops(&ring, 1...32)
        try Self.expectDrained(&ring, Array(1...32))
    }
}
