import Glibc
import UringNet

/// The pipe SIGINT and SIGTERM write their number into; its read end is read through the ring.
nonisolated(unsafe) private var signalPipe: (read: Int32, write: Int32) = (-1, -1)

/// SIGINT and SIGTERM as something to await: a handler writes the signal's
/// number into a pipe (write(2) is async-signal-safe), and the ring reads it.
enum StopSignals {
    /// Opens the pipe and installs the handler for both signals, even where
    /// the shell that started us ignores SIGINT (a background job).
    static func catchThem() throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            throw UringError(errno: Errno(rawValue: errno), operation: "pipe", detail: "the signal pipe")
        }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        signalPipe = (fds[0], fds[1])
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            var number = UInt8(truncatingIfNeeded: signal)
            _ = write(signalPipe.write, &number, 1)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        for signal in [SIGINT, SIGTERM] where sigaction(signal, &action, nil) != 0 {
            throw UringError(errno: Errno(rawValue: errno), operation: "sigaction", detail: "signal \(signal)")
        }
    }

    /// Waits, on `executor`'s ring, for the next signal; returns its number.
    static func next(on executor: RingExecutor) async throws -> Int32 {
        let buffer = try IOBuffer(capacity: 1)
        _ = try await executor.read(FileDescriptor(rawValue: signalPipe.read), into: buffer)
        return Int32(try buffer.bytes(count: 1)[0])
    }
}
