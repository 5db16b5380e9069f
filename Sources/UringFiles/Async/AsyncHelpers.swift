import SystemPackage
import Uring
import UringAsync

extension UringFiles {
    /// Awaited progress: (bytes done, total) after each chunk, on the job's thread.
    public typealias AsyncProgressHandler = @Sendable (_ done: Int, _ total: Int) -> Void

    /// Awaited tree progress, after each file and each chunk, on the job's thread.
    public typealias AsyncTreeProgressHandler = @Sendable (TreeProgress) -> Void

    /// ``copyFile(_:to:options:progress:)-(_,_,_,UringFiles.ProgressHandler?)`` for async code: the copy runs on a
    /// thread of its own, never on a thread of the cooperative pool, and the task
    /// suspends until it is done.
    ///
    /// Cancelling the task stops the copy at its next chunk (or while it waits for a
    /// FIFO's writer) and throws `CancellationError`; the destination then holds the
    /// bytes copied so far, as after a progress callback's cancel.
    /// - Throws: `CancellationError`; otherwise as ``copyFile(_:to:options:progress:)-(_,_,_,UringFiles.ProgressHandler?)``.
    @discardableResult
    public static func copyFile(
        _ source: FilePath, to destination: FilePath, options: CopyOptions = CopyOptions(),
        progress: AsyncProgressHandler? = nil
    ) async throws -> CopyReport {
        try await BlockingWork.run("copy") { flag in
            try copyFile(source, to: destination, options: options) { done, total in
                progress?(done, total)
                return flag.isRaised
            }
        }
    }

    /// ``copyTree(_:to:options:progress:)-(_,_,_,UringFiles.TreeProgressHandler?)`` for async code, on a thread of its own
    /// as the async `copyFile`; a cancel stops the walk.
    /// - Throws: `CancellationError`; otherwise as ``copyTree(_:to:options:progress:)-(_,_,_,UringFiles.TreeProgressHandler?)``.
    public static func copyTree(
        _ source: FilePath, to destination: FilePath, options: CopyOptions = CopyOptions(),
        progress: AsyncTreeProgressHandler? = nil
    ) async throws -> TreeCopyReport {
        try await BlockingWork.run("copy_tree") { flag in
            try copyTree(source, to: destination, options: options) { state in
                progress?(state)
                return flag.isRaised
            }
        }
    }

    /// ``write(_:bytes:mode:queueDepth:blockSize:fsync:dsync:syncPolicy:bufferSize:progress:)``
    /// for async code, on a thread of its own; a cancel stops it at its next chunk.
    /// - Returns: the bytes written.
    /// - Throws: `CancellationError`; otherwise as the synchronous `write`.
    @discardableResult
    public static func write(
        _ path: FilePath, bytes: Int, mode: Mode = .auto, syncPolicy: SyncPolicy = .default,
        progress: AsyncProgressHandler? = nil
    ) async throws -> Int {
        try await BlockingWork.run("write") { flag in
            try write(path, bytes: bytes, mode: mode, syncPolicy: syncPolicy, bufferSize: nil) { done, total in
                progress?(done, total)
                return flag.isRaised
            }
        }
    }
}
