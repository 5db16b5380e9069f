extension UAPI {
    /// Every constant name of ``UAPI``, opcodes first, then setup flags, then
    /// SQE flags (pyuring's `UAPI_CONSTANT_NAMES`).
    public static var names: [String] { table.map(\.name) }

    /// The value of the constant called `name` (for example `"IORING_OP_SPLICE"`), or nil.
    public static func value(named name: String) -> UInt32? { lookup[name] }

    private static let table: [(name: String, value: UInt32)] =
        Opcode.allCases.map { ($0.kernelName, UInt32($0.rawValue)) }
        + SetupFlags.namedFlags.map { ($0.name, $0.flag.rawValue) }
        + SubmissionFlags.namedFlags.map { ($0.name, UInt32($0.flag.rawValue)) }

    private static let lookup: [String: UInt32] = Dictionary(uniqueKeysWithValues: table)
}
