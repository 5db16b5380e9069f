import Testing
@testable import Uring

/// Pins every size and field offset of the kernel ABI declared in `Kernel/`.
@Suite("Kernel ABI layout")
struct LayoutTests {
    @Test func submissionEntryLayout() {
        typealias E = SubmissionQueueEntry
        #expect(MemoryLayout<E>.size == 64)
        #expect(MemoryLayout<E>.stride == 64)
        let offsets: [(PartialKeyPath<E>, Int)] = [
            (\E.opcode, 0), (\E.flags, 1), (\E.ioPriority, 2), (\E.fd, 4), (\E.offset, 8),
            (\E.address, 16), (\E.length, 24), (\E.operationFlags, 28), (\E.userData, 32),
            (\E.bufferIndex, 40), (\E.personality, 42), (\E.fileIndex, 44), (\E.address3, 48),
            (\E.extra, 56),
        ]
        for (path, offset) in offsets { #expect(MemoryLayout<E>.offset(of: path) == offset) }
    }

    @Test func completionEntryLayout() {
        typealias E = CompletionQueueEntry
        #expect(MemoryLayout<E>.size == 16)
        #expect(MemoryLayout<E>.offset(of: \E.userData) == 0)
        #expect(MemoryLayout<E>.offset(of: \E.result) == 8)
        #expect(MemoryLayout<E>.offset(of: \E.flags) == 12)
    }

    @Test func bigEntryForms() {
        #expect(MemoryLayout<SubmissionQueueEntry128>.size == 128)
        #expect(MemoryLayout<SubmissionQueueEntry128>.offset(of: \.command) == 64)
        #expect(MemoryLayout<CompletionQueueEntry32>.size == 32)
        #expect(MemoryLayout<CompletionQueueEntry32>.offset(of: \.extra) == 16)
    }

    @Test func parametersLayout() {
        typealias P = RingParameters
        #expect(MemoryLayout<P>.size == 120)
        let offsets: [(PartialKeyPath<P>, Int)] = [
            (\P.submissionEntries, 0), (\P.completionEntries, 4), (\P.flags, 8),
            (\P.submissionThreadCPU, 12), (\P.submissionThreadIdle, 16), (\P.features, 20),
            (\P.workQueueFD, 24), (\P.reserved, 28), (\P.submissionOffsets, 40), (\P.completionOffsets, 80),
        ]
        for (path, offset) in offsets { #expect(MemoryLayout<P>.offset(of: path) == offset) }
    }

    @Test func ringOffsetsLayout() {
        typealias S = SubmissionRingOffsets
        typealias C = CompletionRingOffsets
        #expect(MemoryLayout<S>.size == 40)
        #expect(MemoryLayout<C>.size == 40)
        let submission: [(PartialKeyPath<S>, Int)] = [
            (\S.head, 0), (\S.tail, 4), (\S.ringMask, 8), (\S.ringEntries, 12), (\S.flags, 16),
            (\S.dropped, 20), (\S.array, 24), (\S.reserved, 28), (\S.userAddress, 32),
        ]
        for (path, offset) in submission { #expect(MemoryLayout<S>.offset(of: path) == offset) }
        let completion: [(PartialKeyPath<C>, Int)] = [
            (\C.head, 0), (\C.tail, 4), (\C.ringMask, 8), (\C.ringEntries, 12), (\C.overflow, 16),
            (\C.entries, 20), (\C.flags, 24), (\C.reserved, 28), (\C.userAddress, 32),
        ]
        for (path, offset) in completion { #expect(MemoryLayout<C>.offset(of: path) == offset) }
    }

    @Test func argumentLayouts() {
        #expect(MemoryLayout<KernelTimespec>.size == 16)
        #expect(MemoryLayout<KernelTimespec>.offset(of: \.nanoseconds) == 8)
        typealias G = GetEventsArgument
        #expect(MemoryLayout<G>.size == 24)
        #expect(MemoryLayout<G>.offset(of: \G.signalMaskSize) == 8)
        #expect(MemoryLayout<G>.offset(of: \G.minimumWaitMicroseconds) == 12)
        #expect(MemoryLayout<G>.offset(of: \G.timeout) == 16)
        #expect(MemoryLayout<ResourceUpdate>.size == 16)
        #expect(MemoryLayout<ResourceUpdate>.offset(of: \.data) == 8)
        #expect(MemoryLayout<ProbeHeader>.size == 16)
        #expect(MemoryLayout<ProbeOperation>.size == 8)
        #expect(MemoryLayout<ProbeOperation>.offset(of: \.flags) == 2)
        #expect(MemoryLayout<RegionDescription>.size == 64)
        #expect(MemoryLayout<RegionDescription>.offset(of: \.mmapOffset) == 24)
        #expect(MemoryLayout<MemoryRegionRegister>.size == 32)
        typealias W = RegisteredWait
        #expect(MemoryLayout<W>.size == 64)
        #expect(MemoryLayout<W>.offset(of: \W.minimumWaitMicroseconds) == 16)
        #expect(MemoryLayout<W>.offset(of: \W.flags) == 20)
        #expect(MemoryLayout<W>.offset(of: \W.signalMask) == 24)
        #expect(MemoryLayout<W>.offset(of: \W.signalMaskSize) == 32)
    }

    @Test func flagValues() {
        #expect(SetupFlags.submissionQueuePolling.rawValue == 0x2)
        #expect(SetupFlags.singleIssuer.rawValue == 0x1000)
        #expect(SetupFlags.deferTaskRun.rawValue == 0x2000)
        #expect(SetupFlags.noSubmissionArray.rawValue == 0x10000)
        #expect(SetupFlags.mixedCompletionSize.rawValue == 0x40000)
        #expect(SubmissionFlags.skipSuccess.rawValue == 0x40)
        #expect(EnterFlags.registeredRing.rawValue == 0x10)
        #expect(RingMapOffset.submissionEntries == 0x1000_0000)
        #expect(SetupFlags.namedFlags.count == 20)
        #expect(Set(SetupFlags.namedFlags.map(\.flag.rawValue)).count == 20)
        #expect((SetupFlags.ioPoll.union(.cqe32)).kernelDescription == "IORING_SETUP_IOPOLL|IORING_SETUP_CQE32")
        #expect(SetupFlags(rawValue: 1 << 30).names == ["0x40000000"])
    }

    @Test func opcodesAreDenseAndNamed() throws {
        #expect(Opcode.allCases.count == 65)
        for (index, opcode) in Opcode.allCases.enumerated() {
            #expect(Int(opcode.rawValue) == index)
            #expect(opcode.kernelName.hasPrefix("IORING_OP_"))
        }
        #expect(Opcode.read.rawValue == 22 && Opcode.read.kernelName == "IORING_OP_READ")
        #expect(Opcode.pipe.rawValue == 62 && Opcode.pipe.introducedIn == "6.16")
        #expect(RegisterOpcode.registerRingFDs.rawValue == 20)
        #expect(RegisterOpcode.registerProbe.kernelName == "IORING_REGISTER_PROBE")
        #expect(Opcode.pollAdd.operationName == "poll_add" && Opcode.openat.operationName == "openat")
        #expect(RegisterOpcode.registerProbe.operationName == "register_probe")
    }
}
