import Glibc
import SystemPackage
import Synchronization
import Uring

/// Runs one blocking whole-file job on a thread of its own, so an awaiting task
/// never holds a thread of Swift's cooperative pool while the job waits for the disk,
/// a FIFO's writer or a slow device.
///
/// Cancelling the awaiting task raises ``CancelFlag``; the job's progress callback
/// reads it and stops the job, which then throws `ECANCELED`, reported to the task
/// as `CancellationError`. The task resumes only when the job's thread is done
/// with every file and buffer.
package enum BlockingWork {
    /// Whether the awaiting task was cancelled; read by the job's progress callback.
    package final class CancelFlag: Sendable {
        private let raised = Atomic<Bool>(false)
        /// Marks the job cancelled.
        package func raise() { raised.store(true, ordering: .releasing) }
        /// Whether the job was cancelled.
        package var isRaised: Bool { raised.load(ordering: .acquiring) }
    }

    /// What the job's thread runs, handed over as its one argument.
    private final class ThreadBody {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    /// Resumes `continuation` with what `job` returns or throws; a cancel the job
    /// obeyed becomes `CancellationError`.
    private static func finish<Value: Sendable>(
        _ job: (CancelFlag) throws -> Value, flag: CancelFlag, _ continuation: CheckedContinuation<Value, any Error>
    ) {
        do {
            continuation.resume(returning: try job(flag))
        } catch let error as UringError where error.errno == .canceled && flag.isRaised {
            continuation.resume(throwing: CancellationError())
        } catch {
            continuation.resume(throwing: error)
        }
    }

    /// Runs `job` on a new detached thread and awaits its result.
    /// - Throws: what `job` throws; `CancellationError` when the task was cancelled
    ///   and the job stopped for it; `UringError` naming `operation` when no
    ///   thread could be started.
    package static func run<Value: Sendable>(
        _ operation: String, _ job: @escaping @Sendable (CancelFlag) throws -> Value
    ) async throws -> Value {
        let flag = CancelFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let body = Unmanaged.passRetained(ThreadBody { finish(job, flag: flag, continuation) })
                var attributes = pthread_attr_t()
                pthread_attr_init(&attributes)
                pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
                defer { pthread_attr_destroy(&attributes) }
                var thread = pthread_t()
                let created = pthread_create(
                    &thread, &attributes,
                    { context in
                        Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue().run()
                        return nil
                    }, body.toOpaque())
                guard created == 0 else {
                    body.release()
                    continuation.resume(
                        throwing: UringError(
                            errno: Errno(rawValue: created), operation: operation, detail: "starting the job's thread failed"))
                    return
                }
            }
        } onCancel: {
            flag.raise()
        }
    }
}
