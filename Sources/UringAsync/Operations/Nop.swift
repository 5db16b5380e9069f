import Uring

extension RingExecutor {
    /// `IORING_OP_NOP`: a round trip through the ring (Linux 5.1).
    /// - Throws: as ``submit(_:keepAlive:timeout:)``.
    nonisolated(nonsending) public func nop() async throws {
        _ = try await awaitCompletion(of: Nop()).value(for: Opcode.nop.operationName)
    }
}
