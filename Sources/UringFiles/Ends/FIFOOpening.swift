import Glibc
import Synchronization
import SystemPackage
import Uring

/// A FIFO opened for reading the way open(2) does it, waiting for a writer, but
/// on a helper thread so the caller can give up: the progress callback is asked
/// every ``CopySource/writerWaitSlice``, and when it cancels, the waiting open is
/// released by briefly opening the FIFO for writing.
final class FIFOOpening: @unchecked Sendable {
    private let path: FilePath
    /// The descriptor, or the negated errno, once the open returned; `Int32.min` before.
    private let outcome = Atomic<Int32>(Int32.min)

    private init(_ path: FilePath) { self.path = path }

    /// Opens `path` (a FIFO) for reading, asking `plan`'s progress callback whether
    /// to go on waiting for a writer.
    /// - Throws: `UringError` for `open` naming the path; `ECANCELED` when the callback gives up.
    static func open(_ path: FilePath, plan: TransferPlan) throws -> FileDescriptor {
        let opening = FIFOOpening(path)
        var thread = pthread_t()
        let context = Unmanaged.passRetained(opening).toOpaque()
        let created = pthread_create(
            &thread, nil,
            { context in
                let opening = Unmanaged<FIFOOpening>.fromOpaque(context!).takeRetainedValue()
                opening.outcome.store(opening.openBlocking(), ordering: .releasing)
                return nil
            }, context)
        guard created == 0 else {
            Unmanaged<FIFOOpening>.fromOpaque(context).release()
            return try FileCalls.open(path, O_RDONLY, plan: plan)
        }
        defer { pthread_join(thread, nil) }
        let clock = ContinuousClock()
        var nextAsk = clock.now + CopySource.writerWaitSlice
        while true {
            let result = opening.outcome.load(ordering: .acquiring)
            if result >= 0 { return FileDescriptor(rawValue: result) }
            if result != Int32.min { throw plan.error(Errno(rawValue: -result), "opening \(path) failed") }
            if clock.now >= nextAsk {
                nextAsk = clock.now + CopySource.writerWaitSlice
                if plan.report(done: 0, total: 0) != nil {
                    opening.release()
                    throw plan.error(.canceled, "cancelled by the progress callback while \(path) waited for a writer")
                }
            }
            usleep(5_000)
        }
    }

    /// open(2) for reading, retried on `EINTR`: the descriptor or the negated errno.
    private func openBlocking() -> Int32 {
        while true {
            let fd = path.withPlatformString { Glibc.open($0, O_RDONLY | O_CLOEXEC) }
            if fd >= 0 { return fd }
            if errno != EINTR { return -errno }
        }
    }

    /// Ends the waiting open by opening the FIFO for writing until it returns, and
    /// closes what it opened.
    private func release() {
        var result = outcome.load(ordering: .acquiring)
        while result == Int32.min {
            let writer = path.withPlatformString { Glibc.open($0, O_WRONLY | O_NONBLOCK | O_CLOEXEC) }
            usleep(1_000)
            result = outcome.load(ordering: .acquiring)
            if writer >= 0 { Glibc.close(writer) }
        }
        if result >= 0 { Glibc.close(result) }
    }
}
