import Glibc
import Synchronization
import SystemPackage
import Uring

/// An open file whose operations run on one ``RingExecutor``.
///
/// Open one with ``RingExecutor/withFile(_:_:options:permissions:_:)``, which always
/// closes it, or ``open(_:_:options:permissions:on:)`` and ``close()``. Reads and writes take an
/// ``IOBuffer`` and give it back with the result. After ``close()`` every call
/// throws `EBADF` ("closed") rather than touching a descriptor number the
/// process may have reused.
public final class AsyncFile: Sendable {
    /// The executor whose ring runs this file's operations.
    public let executor: RingExecutor
    private let fd: FileDescriptor
    private let closed = Atomic<Bool>(false)

    /// Wraps an open descriptor; the file now owns it and ``close()`` closes it.
    public init(_ descriptor: FileDescriptor, on executor: RingExecutor) {
        self.fd = descriptor
        self.executor = executor
    }

    /// Opens `path` through the ring (`IORING_OP_OPENAT`).
    /// - Throws: `UringError` with the kernel's errno and operation `openat`.
    nonisolated(nonsending) public static func open(
        _ path: FilePath, _ access: FileDescriptor.AccessMode = .readOnly, options: FileDescriptor.OpenOptions = [],
        permissions: FilePermissions = .defaultFile, on executor: RingExecutor
    ) async throws -> AsyncFile {
        AsyncFile(try await executor.open(path, access, options: options, permissions: permissions), on: executor)
    }

    /// The descriptor, while the file is open.
    /// - Throws: `UringError` `EBADF` ("closed") after ``close()``.
    public var descriptor: FileDescriptor {
        get throws { try descriptor(for: "AsyncFile.descriptor") }
    }

    /// The descriptor, while the file is open; `operation` names the caller in the error.
    func descriptor(for operation: String) throws -> FileDescriptor {
        guard !closed.load(ordering: .acquiring) else {
            throw UringError(errno: .badFileDescriptor, operation: operation, detail: "the AsyncFile is closed")
        }
        return fd
    }

    /// Reads up to `count` bytes (default: the buffer's capacity) at `offset` (`IORING_OP_READ`).
    /// - Returns: the bytes read (0 at end of file) and the buffer.
    /// - Throws: `UringError` with the kernel's errno and operation `read`.
    nonisolated(nonsending) public func read(into buffer: IOBuffer, count: Int? = nil, at offset: UInt64) async throws -> (
        count: Int, buffer: IOBuffer
    ) {
        try await executor.read(descriptor(for: "read"), into: buffer, count: count, at: offset)
    }

    /// Writes up to `count` bytes (default: all) of `buffer` at `offset`: one
    /// `IORING_OP_WRITE`, which may write fewer.
    /// - Returns: the bytes written and the buffer.
    /// - Throws: `UringError` with the kernel's errno and operation `write`.
    nonisolated(nonsending) public func write(from buffer: IOBuffer, count: Int? = nil, at offset: UInt64) async throws -> (
        count: Int, buffer: IOBuffer
    ) {
        try await executor.write(descriptor(for: "write"), from: buffer, count: count, at: offset)
    }

    /// Writes all of the first `count` bytes (default: all) of `buffer` at `offset`,
    /// resubmitting after short writes.
    /// - Returns: the buffer.
    /// - Throws: `UringError` from a write; `EIO` with the bytes done in the detail
    ///   when a write makes no progress.
    @discardableResult
    nonisolated(nonsending) public func writeAll(from buffer: IOBuffer, count: Int? = nil, at offset: UInt64) async throws -> IOBuffer {
        let total = try RingExecutor.region(count: count, in: buffer, for: .write).count
        var done = 0
        while done < total {
            let (written, _) = try await executor.write(descriptor(for: "write"), from: buffer[done..<total], at: offset + UInt64(done))
            guard written > 0 else {
                throw UringError(
                    errno: .ioError, operation: "write",
                    detail: "the write made no progress after \(done) of \(total) bytes")
            }
            done += written
        }
        return buffer
    }

    /// Writes all of `bytes` at `offset` (copied into one buffer first).
    /// - Throws: as ``writeAll(from:count:at:)``.
    nonisolated(nonsending) public func write(contentsOf bytes: some Collection<UInt8>, at offset: UInt64 = 0) async throws {
        try await writeAll(from: IOBuffer(copying: bytes), count: bytes.count, at: offset)
    }

    /// Reads from `offset` to the end of the file, `chunk` bytes per read.
    /// - Throws: `UringError` from a read; `EINVAL` for a chunk below one.
    nonisolated(nonsending) public func readAll(from offset: UInt64 = 0, chunk: Int = 64 << 10) async throws -> [UInt8] {
        guard chunk > 0 else {
            throw UringError(errno: .invalidArgument, operation: "read", detail: "chunk \(chunk) must be positive")
        }
        var bytes: [UInt8] = []
        var buffer = try IOBuffer(capacity: chunk)
        var position = offset
        while true {
            let (count, back) = try await read(into: buffer, at: position)
            buffer = back
            if count == 0 { return bytes }
            try buffer.withUnsafeBytes { bytes.append(contentsOf: $0[0..<count]) }
            position += UInt64(count)
        }
    }

    /// The file's status (`IORING_OP_STATX` with `AT_EMPTY_PATH`).
    nonisolated(nonsending) public func status() async throws -> FileStatus {
        try await executor.status(of: descriptor(for: "statx"))
    }

    /// Flushes the file to storage (`IORING_OP_FSYNC`).
    nonisolated(nonsending) public func sync(dataOnly: Bool = false) async throws {
        try await executor.sync(descriptor(for: "fsync"), dataOnly: dataOnly)
    }

    /// Sets the file's size (`IORING_OP_FTRUNCATE`, Linux 6.9).
    nonisolated(nonsending) public func truncate(to length: UInt64) async throws {
        try await executor.truncate(descriptor(for: "ftruncate"), to: length)
    }

    /// Closes the file through the ring (`IORING_OP_CLOSE`).
    /// - Throws: `UringError` `EBADF` ("closed") when already closed, or the kernel's error.
    nonisolated(nonsending) public func close() async throws {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else {
            throw UringError(errno: .badFileDescriptor, operation: "close", detail: "the AsyncFile is already closed")
        }
        try await executor.close(fd)
    }
}

extension RingExecutor {
    /// Opens `path`, runs `body` with the file, and closes it whether `body`
    /// returns or throws.
    /// - Throws: `UringError` from the open or the close, or what `body` throws
    ///   (which wins over a close error).
    nonisolated(nonsending) public func withFile<Result>(
        _ path: FilePath, _ access: FileDescriptor.AccessMode = .readOnly, options: FileDescriptor.OpenOptions = [],
        permissions: FilePermissions = .defaultFile, _ body: nonisolated(nonsending) (AsyncFile) async throws -> Result
    ) async throws -> Result {
        let file = try await AsyncFile.open(path, access, options: options, permissions: permissions, on: self)
        let result: Result
        do {
            result = try await body(file)
        } catch {
            try? await file.close()
            throw error
        }
        try await file.close()
        return result
    }
}
