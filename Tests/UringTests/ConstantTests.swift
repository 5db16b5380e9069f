import Testing
@testable import Uring

/// The UAPI constants under their kernel names and the module-level probe helpers.
@Suite("UAPI constants and probing")
struct ConstantTests {
    @Test func everyNameResolvesToItsTypedValue() {
        #expect(UAPI.names.count == Opcode.allCases.count + SetupFlags.namedFlags.count + SubmissionFlags.namedFlags.count)
        #expect(Set(UAPI.names).count == UAPI.names.count, "names are unique")
        #expect(UAPI.names.allSatisfy { UAPI.value(named: $0) != nil })
        for opcode in Opcode.allCases { #expect(UAPI.value(named: opcode.kernelName) == UInt32(opcode.rawValue)) }
        #expect(UAPI.IORING_OP_NOP == 0 && UAPI.IORING_OP_READ == 22 && UAPI.IORING_OP_SPLICE == 30)
        #expect(UAPI.IORING_OP_PIPE == 62 && UAPI.value(named: "IORING_OP_SEND_ZC") == UAPI.IORING_OP_SEND_ZC)
        #expect(UAPI.IORING_SETUP_SQPOLL == 2 && UAPI.IORING_SETUP_DEFER_TASKRUN == 0x2000)
        #expect(UAPI.IORING_SETUP_CQE_MIXED == 0x40000 && UAPI.value(named: "IORING_SETUP_COOP_TASKRUN") == 0x100)
        #expect(UAPI.IOSQE_FIXED_FILE == 1 && UAPI.IOSQE_IO_LINK == 4 && UAPI.IOSQE_CQE_SKIP_SUCCESS == 0x40)
        #expect(UAPI.value(named: "IORING_OP_DOES_NOT_EXIST") == nil)
    }

    @Test func moduleLevelProbing() throws {
        let first = try Probe.info()
        let again = try Probe.info(refresh: true)
        #expect(first.lastOpcode == again.lastOpcode && first.supportedMask == again.supportedMask)
        #expect(Probe.supports(rawOpcode: UAPI.IORING_OP_NOP))
        #expect(!Probe.supports(rawOpcode: 250) && !Probe.supports(rawOpcode: 1 << 20))
        try Probe.require(.nop, for: "test")
    }
}
