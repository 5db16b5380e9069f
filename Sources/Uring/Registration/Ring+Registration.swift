import CUring
import Glibc

extension Ring {
    /// One io_uring_register(2) call on this ring.
    ///
    /// **Unsafe**: `argument` must point to what the kernel expects for `opcode`.
    /// - Parameters:
    ///   - opcode: what to register or unregister.
    ///   - argument: the opcode's argument, or nil.
    ///   - count: the opcode's `nr_args`.
    /// - Returns: the kernel's non-negative result.
    /// - Throws: ``UringError`` whose operation is the opcode's kernel name.
    @discardableResult
    public func register(_ opcode: RegisterOpcode, argument: UnsafeRawPointer?, count: UInt32) throws(UringError) -> Int32 {
        let result = rawRegister(opcode.rawValue, argument, count)
        if result < 0 {
            throw registrationError(result, operation: opcode.operationName)
        }
        return result
    }

    /// Enables a ring created with ``SetupFlags/ringDisabled`` (`IORING_REGISTER_ENABLE_RINGS`).
    ///
    /// With `SINGLE_ISSUER`, the enabling thread becomes the one allowed to submit.
    /// - Throws: ``UringError`` (`EBADFD` when the ring is already enabled).
    public func enable() throws(UringError) {
        try register(.registerEnableRings, argument: nil, count: 0)
    }
}
