import Glibc
import SystemPackage

/// Two-operation helpers: pairs submitted together in one io_uring_enter(2),
/// as pyuring's context offers them. Each throws ``UringError``, or "closed".
extension RingContext {
    /// Reads `length` bytes at `sourceOffset` of `source` and writes them at
    /// `destinationOffset` of `destination`: an `IORING_OP_READ` linked to an
    /// `IORING_OP_WRITE` of the same buffer, one submission for both.
    ///
    /// A short read (the end of the file) breaks the link; what was read is then
    /// written on its own, so the result never claims bytes that were not copied.
    /// - Returns: the bytes copied: `length`, or fewer at the end of the source.
    @discardableResult
    public func readThenWrite(
        from source: FileDescriptor, at sourceOffset: UInt64 = 0, to destination: FileDescriptor,
        at destinationOffset: UInt64 = 0, length: Int
    ) throws(UringError) -> Int {
        try UringError.rethrowing {
            try checkLength(length, "read_then_write")
            var buffer = [UInt8](repeating: 0, count: length)
            let results = try buffer.withUnsafeMutableBytes { memory in
                try performAll(
                    [
                        OperationPair.first(Read(.descriptor(source), into: memory, at: sourceOffset)),
                        .second(Write(.descriptor(destination), from: UnsafeRawBufferPointer(memory), at: destinationOffset)),
                    ], name: "read_then_write", linked: true)
            }
            if results[0] < 0 {
                throw UringError(
                    errno: Errno(rawValue: -results[0]), operation: "read_then_write", detail: "the read failed",
                    offset: sourceOffset, length: length)
            }
            let read = Int(results[0])
            var written = 0
            if results[1] >= 0 {
                written = Int(results[1])
            } else if results[1] != -ECANCELED || read == length {
                throw UringError(
                    errno: Errno(rawValue: -results[1]), operation: "read_then_write", detail: "the write failed",
                    offset: destinationOffset, length: read)
            }
            if written < read {
                written += try write(destination, Array(buffer[written..<read]), offset: destinationOffset + UInt64(written))
            }
            return written
        }
    }

    /// Arms an `IORING_OP_TIMEOUT` of `duration` and removes it with an
    /// `IORING_OP_TIMEOUT_REMOVE` in the same submission: the ordering the kernel
    /// keeps within one submission, shown (pyuring's timeout-and-remove helper).
    /// - Returns: both raw results: normally the timeout's `-ECANCELED` and the remove's 0.
    public func armAndRemoveTimeout(_ duration: Duration) throws(UringError) -> (timeout: Int32, remove: Int32) {
        try UringError.rethrowing {
            var time = KernelTimespec(duration)
            // performAll gives its first operation the next synchronous user data.
            let timeoutUserData = nextSyncUserData
            let results = try withUnsafePointer(to: &time) { time in
                try performAll([OperationPair.first(Timeout(time)), .second(TimeoutRemove(timeoutUserData))], name: "timeout_and_remove")
            }
            return (results[0], results[1])
        }
    }
}
