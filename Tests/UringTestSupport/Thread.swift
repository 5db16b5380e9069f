import Glibc

/// A plain POSIX thread for tests that need a second thread.
public final class Thread: @unchecked Sendable {
    private var handle = pthread_t()
    private let body: () -> Void

    /// Starts a thread that runs `body`.
    public init(_ body: @escaping () -> Void) {
        self.body = body
        let unmanaged = Unmanaged.passRetained(self)
        pthread_create(
            &handle, nil,
            { argument in
                let thread = Unmanaged<Thread>.fromOpaque(argument!).takeRetainedValue()
                thread.body()
                return nil
            }, unmanaged.toOpaque())
    }

    /// Waits until the thread has finished.
    public func join() { pthread_join(handle, nil) }
}
