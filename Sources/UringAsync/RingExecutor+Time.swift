import Glibc
import SystemPackage
import Uring

extension RingExecutor {
    /// `IORING_OP_TIMEOUT`: suspends for `duration` on the ring's clock (Linux 5.4).
    /// For repeating ticks see ``ticks(every:)``.
    /// - Throws: `CancellationError` when the task is cancelled first;
    ///   ``UringError`` `ECANCELED` after shutdown.
    nonisolated(nonsending) public func sleep(for duration: Duration) async throws {
        let time = Pinned(KernelTimespec(duration))
        let completion = try await submit(Timeout(time.pointer), keepAlive: time)
        guard completion.result == -ETIME || completion.result == 0 else {
            throw UringError(negatedErrno: completion.result, operation: "timeout")
        }
    }

    /// `IORING_OP_POLL_ADD`, like poll(2) on one descriptor (Linux 5.1): waits
    /// until `file` is ready for `events` (`POLLIN`, `POLLOUT`, …).
    /// For repeated readiness see ``readiness(of:events:)``.
    /// - Returns: the events that are ready.
    /// - Throws: ``UringError`` with the kernel's errno and operation `poll_add`.
    nonisolated(nonsending) public func poll(_ file: FileDescriptor, events: Int16, timeout: Duration? = nil) async throws -> Int16 {
        let ready = try await value(
            of: PollAdd(.descriptor(file), events: UInt32(UInt16(bitPattern: events))), "poll_add", timeout: timeout)
        return Int16(truncatingIfNeeded: ready)
    }
}
