import Synchronization

/// Which opcodes the running kernel supports, from `IORING_REGISTER_PROBE` (Linux 5.6).
///
/// Ask the probe, never the kernel version: distributions backport and
/// sysadmins restrict. ``current()`` caches one probe per process;
/// ``refresh()`` takes a new one.
public struct Probe: Sendable {
    /// `last_op`: the highest opcode this kernel knows.
    public let lastOpcode: UInt8
    private let supportedBits: [UInt64]

    /// Probes the kernel through `ring`.
    /// - Throws: ``UringError`` for `IORING_REGISTER_PROBE` (EINVAL before Linux 5.6).
    public init(ring: borrowing Ring) throws(UringError) {
        let capacity = 256
        let size = MemoryLayout<ProbeHeader>.size + capacity * MemoryLayout<ProbeOperation>.size
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        try ring.register(.registerProbe, argument: buffer, count: UInt32(capacity))
        let header = buffer.load(as: ProbeHeader.self)
        let operations = buffer + MemoryLayout<ProbeHeader>.size
        var bits = [UInt64](repeating: 0, count: 4)
        for index in 0..<Int(header.operationCount) {
            let operation = operations.load(
                fromByteOffset: index * MemoryLayout<ProbeOperation>.size, as: ProbeOperation.self)
            if operation.flags & ProbeOperation.supported != 0 {
                bits[Int(operation.opcode) / 64] |= 1 << (UInt64(operation.opcode) % 64)
            }
        }
        lastOpcode = header.lastOpcode
        supportedBits = bits
    }

    /// A probe from its parts (for tests and for replaying a saved probe).
    init(lastOpcode: UInt8, supportedBits: [UInt64]) {
        self.lastOpcode = lastOpcode
        self.supportedBits = supportedBits
    }

    /// Whether the kernel runs `opcode`.
    public func isSupported(_ opcode: Opcode) -> Bool {
        isSupported(rawOpcode: opcode.rawValue)
    }

    /// Whether the kernel runs the opcode with this number (for opcodes newer than this library).
    public func isSupported(rawOpcode: UInt8) -> Bool {
        supportedBits[Int(rawOpcode) / 64] & (1 << (UInt64(rawOpcode) % 64)) != 0
    }

    /// Every known opcode the kernel runs.
    public var supportedOpcodes: [Opcode] { Opcode.allCases.filter(isSupported) }

    /// The byte mask pyuring calls `opcode_mask`: byte `i` is 1 when opcode `i` is supported.
    public var supportedMask: [UInt8] {
        (0...Int(lastOpcode)).map { isSupported(rawOpcode: UInt8($0)) ? 1 : 0 }
    }

    /// Throws unless the kernel runs `opcode`.
    /// - Parameters:
    ///   - opcode: the opcode needed.
    ///   - caller: what needs it, for the error's operation (defaults to the opcode's name).
    /// - Throws: ``UringError`` `EOPNOTSUPP` naming the opcode and the Linux release that added it.
    public func require(_ opcode: Opcode, for caller: String? = nil) throws(UringError) {
        guard !isSupported(opcode) else { return }
        throw UringError(
            errno: .notSupported, operation: caller ?? opcode.operationName,
            detail: "\(opcode.kernelName) needs Linux \(opcode.introducedIn) or later; this kernel does not offer it"
                + " (see https://man7.org/linux/man-pages/man2/io_uring_enter.2.html)")
    }

    /// Throws unless the kernel runs the opcode numbered `rawOpcode` (a
    /// `UAPI.IORING_OP_*` value, or one newer than this library).
    /// - Throws: ``UringError`` `EOPNOTSUPP` naming the opcode when this library
    ///   knows it, else its number; `EINVAL` for a number above 255.
    public func require(rawOpcode: UInt32, for caller: String? = nil) throws(UringError) {
        guard let number = UInt8(exactly: rawOpcode) else {
            throw UringError(
                errno: .invalidArgument, operation: caller ?? "probe",
                detail: "opcode \(rawOpcode) is not an io_uring opcode (they are 0 through 255)")
        }
        if let known = Opcode(rawValue: number) { return try require(known, for: caller) }
        guard !isSupported(rawOpcode: number) else { return }
        throw UringError(
            errno: .notSupported, operation: caller ?? "opcode \(rawOpcode)",
            detail: "opcode \(rawOpcode) is not offered by this kernel (its last opcode is \(lastOpcode))")
    }

    private static let cache = Mutex<Probe?>(nil)

    /// The process-wide probe, taken on first use with a short-lived plain ring.
    /// - Throws: ``UringError`` when no ring can be set up or the probe fails.
    public static func current() throws(UringError) -> Probe {
        if let probe = cache.withLock({ $0 }) { return probe }
        return try refresh()
    }

    /// Probes again and replaces the cached probe (after a kernel live-patch, say).
    /// - Throws: ``UringError`` when no ring can be set up or the probe fails.
    @discardableResult
    public static func refresh() throws(UringError) -> Probe {
        let ring = try Ring(entries: 2, options: .plain)
        let probe = try Probe(ring: ring)
        cache.withLock { $0 = probe }
        return probe
    }

    /// Whether the kernel runs `opcode`; false when io_uring itself is unavailable.
    /// Suits test conditions such as `.enabled(if: Probe.supports(.splice))`.
    public static func supports(_ opcode: Opcode) -> Bool {
        (try? current().isSupported(opcode)) ?? false
    }

    /// The process-wide probe (pyuring's `get_probe_info`): cached after the first
    /// call, taken again when `refresh` is true.
    /// - Throws: ``UringError`` when no ring can be set up or the probe fails.
    public static func info(refresh: Bool = false) throws(UringError) -> Probe {
        refresh ? try self.refresh() : try current()
    }

    /// Whether the kernel runs the opcode numbered `rawOpcode` (a `UAPI.IORING_OP_*`
    /// value; pyuring's `opcode_supported`); false when io_uring is unavailable.
    public static func supports(rawOpcode: UInt32) -> Bool {
        guard let opcode = UInt8(exactly: rawOpcode) else { return false }
        return (try? current().isSupported(rawOpcode: opcode)) ?? false
    }

    /// Throws unless the kernel runs `opcode` (pyuring's `require_opcode_supported`).
    /// - Parameters:
    ///   - opcode: the opcode needed.
    ///   - caller: what needs it, named in the error.
    /// - Throws: ``UringError`` `EOPNOTSUPP` whose detail names the Linux release and
    ///   where to read more; the setup error when io_uring is unavailable.
    public static func require(_ opcode: Opcode, for caller: String? = nil) throws(UringError) {
        try current().require(opcode, for: caller)
    }

    /// Throws unless the kernel runs the opcode numbered `rawOpcode`
    /// (pyuring's `require_opcode_supported` with a number).
    /// - Throws: as ``require(rawOpcode:for:)``; the setup error when io_uring is unavailable.
    public static func require(rawOpcode: UInt32, for caller: String? = nil) throws(UringError) {
        try current().require(rawOpcode: rawOpcode, for: caller)
    }
}
