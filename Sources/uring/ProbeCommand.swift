import ArgumentParser
import Uring

/// `uring probe`: what this kernel's io_uring offers.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe", abstract: "Print the kernel's io_uring features, opcodes and setup flags.")

    func run() throws {
        print("kernel: \(KernelReport.release())")
        print("io_uring_disabled: \(KernelReport.ioUringDisabled())")
        let ring = try Ring(entries: 2, options: .plain)
        let probe = try Probe(ring: ring)
        print("\nfeatures (IORING_FEAT_*):")
        for (feature, name) in RingFeatures.namedFlags {
            print("  \(ring.features.contains(feature) ? "yes" : "no ")  \(name)")
        }
        print("\nopcodes (last_op \(probe.lastOpcode)):")
        for opcode in Opcode.allCases {
            let mark = probe.isSupported(opcode) ? "yes" : "no "
            print("  \(mark)  \(pad(opcode.rawValue))  \(opcode.kernelName) (Linux \(opcode.introducedIn))")
        }
        if probe.lastOpcode >= Opcode.allCases.count {
            print("  (this kernel knows opcodes up to \(probe.lastOpcode), newer than this library)")
        }
        print("\nsetup flags (IORING_SETUP_*):")
        for (flag, name) in SetupFlags.namedFlags {
            let verdict = KernelReport.setupVerdict(flag)
            print("  \(verdict.accepted ? "yes" : "no ")  \(name)\(verdict.note.map { "  (\($0))" } ?? "")")
        }
    }

    private func pad(_ value: UInt8) -> String {
        let text = String(value)
        return String(repeating: " ", count: 3 - text.count) + text
    }
}
