/// One rule for a ring created disabled: what it may register, which opcodes
/// and `IOSQE_*` flags its requests may use.
public enum Restriction: Sendable, Equatable {
    /// `IORING_RESTRICTION_REGISTER_OP`: allow this io_uring_register(2) opcode.
    case register(RegisterOpcode)
    /// `IORING_RESTRICTION_SQE_OP`: allow this operation.
    case operation(Opcode)
    /// `IORING_RESTRICTION_SQE_FLAGS_ALLOWED`: allow these `IOSQE_*` flags.
    case allowedFlags(SubmissionFlags)
    /// `IORING_RESTRICTION_SQE_FLAGS_REQUIRED`: require these `IOSQE_*` flags.
    case requiredFlags(SubmissionFlags)

    /// The kernel's record.
    public var entry: RestrictionEntry {
        switch self {
        case .register(let opcode): return RestrictionEntry(kind: 0, value: UInt8(truncatingIfNeeded: opcode.rawValue))
        case .operation(let opcode): return RestrictionEntry(kind: 1, value: opcode.rawValue)
        case .allowedFlags(let flags): return RestrictionEntry(kind: 2, value: flags.rawValue)
        case .requiredFlags(let flags): return RestrictionEntry(kind: 3, value: flags.rawValue)
        }
    }
}

extension Ring {
    /// Registers the calling thread's credentials; requests whose
    /// ``SubmissionOptions/personality`` is the returned id run with them
    /// (`IORING_REGISTER_PERSONALITY`, Linux 5.6).
    ///
    /// liburing's `io_uring_register_personality`.
    public func registerPersonality() throws(UringError) -> UInt16 {
        UInt16(truncatingIfNeeded: try register(.registerPersonality, argument: nil, count: 0))
    }

    /// Forgets registered credentials: `IORING_UNREGISTER_PERSONALITY` (Linux 5.6).
    ///
    /// liburing's `io_uring_unregister_personality`.
    /// - Throws: ``UringError``: `EINVAL` for an unknown id.
    public func unregisterPersonality(_ id: UInt16) throws(UringError) {
        try register(.unregisterPersonality, argument: nil, count: UInt32(id))
    }

    /// Limits what a ring created with ``SetupFlags/ringDisabled`` may do, before
    /// ``enable()``: `IORING_REGISTER_RESTRICTIONS` (Linux 5.10).
    ///
    /// liburing's `io_uring_register_restrictions`. A refused request completes
    /// with `-EACCES`; a refused registration throws `EACCES`.
    /// - Throws: ``UringError``: `EBADFD` when the ring is already enabled, `EBUSY` when
    ///   restrictions were already set.
    public func registerRestrictions(_ restrictions: [Restriction]) throws(UringError) {
        let entries = restrictions.map(\.entry)
        try entries.withUnsafeBufferPointer { entries throws(UringError) in
            _ = try register(.registerRestrictions, argument: entries.baseAddress, count: UInt32(entries.count))
        }
    }
}
