import Glibc
import SystemPackage
import Uring

/// The same copy as ``RingCopyEngine`` with plain `pread`/`pwrite` on the calling
/// thread, one chunk at a time, for when io_uring itself is blocked: the expected
/// bytes first (a read of 0 before them means the source shrank), then on until
/// a read returns 0.
struct SyscallCopyEngine: ~Copyable {
    private let buffer: UnsafeMutableRawPointer
    private let capacity: Int

    /// Allocates one chunk of `plan`'s capacity.
    init(plan: TransferPlan) {
        capacity = plan.chunks.capacity
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 4096)
    }

    deinit { buffer.deallocate() }

    /// Copies `source` to `destination` from offset 0 to the source's end.
    /// - Returns: the bytes copied.
    /// - Throws: `UringError` for the first failure.
    func copy(from source: CopySource, to destination: CopyDestination, plan: TransferPlan) throws -> Int {
        let expected = source.expectedSize
        var done = 0
        while true {
            let sized = done < expected
            let length = sized ? min(try plan.chunks.size(at: done, of: expected), expected - done) : capacity
            var filled = 0
            while filled < length {
                let got = try Self.retrying(plan, "the read at offset \(done + filled) failed") {
                    source.hasOffsets
                        ? pread(source.fd.rawValue, buffer + filled, length - filled, off_t(done + filled))
                        : Glibc.read(source.fd.rawValue, buffer + filled, length - filled)
                }
                if got == 0 {
                    if sized { throw plan.sourceShrank(at: done + filled, expected: expected) }
                    break
                }
                filled += got
                if !sized { break }
            }
            if filled == 0 { break }
            try write(filled, at: done, to: destination, done: done, plan: plan)
            done += filled
            if let cancel = plan.report(done: done, total: expected) { throw cancel }
        }
        if plan.sync.atEnd { try Self.sync(destination.fd, plan: plan) }
        return done
    }

    /// Writes the first `count` bytes of the buffer at `offset`, continuing short writes.
    private func write(_ count: Int, at offset: Int, to destination: CopyDestination, done: Int, plan: TransferPlan) throws {
        var written = 0
        while written < count {
            let detail = "the write at offset \(offset + written) failed; \(done) bytes were fully written before it"
            let put = try Self.retrying(plan, detail) {
                destination.hasOffsets
                    ? pwrite(destination.fd.rawValue, buffer + written, count - written, off_t(offset + written))
                    : Glibc.write(destination.fd.rawValue, buffer + written, count - written)
            }
            guard put > 0 else { throw plan.error(.noSpace, detail + " (0 bytes written)") }
            written += put
        }
    }

    /// `call`'s result, retried on `EINTR`.
    /// - Throws: `UringError` with `detail` for any other failure.
    static func retrying(_ plan: TransferPlan, _ detail: @autoclosure () -> String, _ call: () -> Int) throws -> Int {
        while true {
            let result = call()
            if result >= 0 { return result }
            if errno != EINTR { throw plan.error(Errno(rawValue: errno), detail()) }
        }
    }

    /// fsync(2).
    static func sync(_ fd: FileDescriptor, plan: TransferPlan) throws {
        _ = try retrying(plan, "fsync of the destination failed") { Int(fsync(fd.rawValue)) }
    }
}
