import Glibc
import SystemPackage
import Uring

extension RingExecutor {
    /// `IORING_OP_POLL_ADD`, like poll(2) on one descriptor (Linux 5.1): waits
    /// until `file` is ready for `events` (`POLLIN`, `POLLOUT`, …).
    /// For repeated readiness see ``readiness(of:events:)``.
    /// - Returns: the events that are ready.
    /// - Throws: ``UringError`` with the kernel's errno and operation `poll_add`.
    nonisolated(nonsending) public func poll(_ file: FileDescriptor, events: Int16, timeout: Duration? = nil) async throws -> Int16 {
        let ready = try await awaitValue(
            of: PollAdd(.descriptor(file), events: UInt32(UInt16(bitPattern: events))), "poll_add", timeout: timeout)
        return Int16(truncatingIfNeeded: ready)
    }

    /// Readiness events of `file`: `IORING_OP_POLL_ADD` with `IORING_POLL_ADD_MULTI`
    /// (Linux 5.13); each element is the ready `POLL*` mask.
    public func readiness(of file: FileDescriptor, events: Int16, limit: Int = 64) -> RingStream<Int16> {
        let poll = PollAdd(.descriptor(file), events: UInt32(UInt16(bitPattern: events)), multishot: true)
        let core = MultishotCore<Int16>(executor: self, limit: limit, entry: prepared(poll)) { completion in
            completion.result >= 0
                ? .element(Int16(truncatingIfNeeded: completion.result))
                : .fail(UringError(negatedErrno: completion.result, operation: "poll_add"))
        }
        core.start()
        return RingStream(core)
    }
}
