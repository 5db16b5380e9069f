import Testing
@testable import Uring

/// IORING_REGISTER_PROBE, the process-wide cache, and require(_:).
@Suite("Probe")
struct ProbeTests {
    @Test func probeThroughARing() throws {
        let ring = try Ring(entries: 2)
        let probe = try Probe(ring: ring)
        #expect(probe.isSupported(.nop))
        #expect(probe.isSupported(.read))
        #expect(!probe.isSupported(rawOpcode: 255))
        #expect(probe.supportedMask.count == Int(probe.lastOpcode) + 1)
        #expect(probe.supportedMask[0] == 1)
        // Every opcode the kernel knows, up to Linux 6.18's last one, is a case of Opcode.
        let known = min(Int(probe.lastOpcode), Opcode.allCases.count - 1)
        for raw in 0...known { #expect(Opcode(rawValue: UInt8(raw)) != nil) }
        try probe.require(.nop)
    }

    @Test func cachedProbeRefreshes() throws {
        let first = try Probe.current()
        let refreshed = try Probe.refresh()
        let again = try Probe.current()
        #expect(first.lastOpcode == refreshed.lastOpcode)
        #expect(again.supportedMask == refreshed.supportedMask)
        #expect(Probe.supports(.nop))
    }

    @Test("require throws EOPNOTSUPP naming the opcode and its Linux release")
    func requireMissingOpcode() throws {
        let probe = Probe(lastOpcode: 0, supportedBits: [1, 0, 0, 0])
        #expect(probe.isSupported(.nop))
        #expect(!probe.isSupported(.splice))
        #expect {
            try probe.require(.splice, for: "copy")
        } throws: { error in
            guard let error = error as? UringError else { return false }
            return error.errno == .notSupported && error.operation == "copy"
                && error.detail?.contains("IORING_OP_SPLICE needs Linux 5.7") == true
        }
    }
}
