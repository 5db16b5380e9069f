import Glibc
import SystemPackage
import Uring

extension RingExecutor {
    /// `IORING_OP_POLL_ADD`, like poll(2) on one descriptor (Linux 5.1): waits
    /// until `file` is ready for `events`.
    /// For repeated readiness see ``readiness(of:events:limit:)``.
    /// - Returns: the events that are ready.
    /// - Throws: `UringError` with the kernel's errno and operation `poll_add`.
    nonisolated(nonsending) public func poll(_ file: FileDescriptor, events: PollEvents, timeout: Duration? = nil) async throws
        -> PollEvents
    {
        let ready = try await awaitValue(
            of: PollAdd(.descriptor(file), events: events.rawValue), timeout: timeout)
        return PollEvents(rawValue: UInt32(bitPattern: ready))
    }

    /// Readiness events of `file`: `IORING_OP_POLL_ADD` with `IORING_POLL_ADD_MULTI`
    /// (Linux 5.13); each element is the events that are ready.
    public func readiness(of file: FileDescriptor, events: PollEvents, limit: Int = 64) -> RingStream<PollEvents> {
        let poll = PollAdd(.descriptor(file), events: events.rawValue, multishot: true)
        let core = MultishotCore<PollEvents>(executor: self, limit: limit, entry: prepared(poll)) { completion in
            completion.result >= 0
                ? .element(PollEvents(rawValue: UInt32(bitPattern: completion.result)))
                : .fail(UringError(negatedErrno: completion.result, operation: "poll_add"))
        }
        core.start()
        return RingStream(core)
    }
}
