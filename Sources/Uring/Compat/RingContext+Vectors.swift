import Glibc
import SystemPackage

/// Synchronous wrappers for vectored and message I/O, socket control and
/// provided buffers (pyuring's `UringCtx` methods of these names). Each throws
/// ``UringError`` with the completion's errno, or "closed".
extension RingContext {
    /// `IORING_OP_READV`: reads into buffers of `lengths` bytes at `offset`; the
    /// last ones come back shorter (or empty) at the end of the file.
    public func readv(_ fd: FileDescriptor, lengths: [Int], offset: UInt64 = 0) throws(UringError) -> [[UInt8]] {
        try UringError.rethrowing {
            let total = try checkedParts(lengths, "readv")
            var memory = [UInt8](repeating: 0, count: total)
            let got = try memory.withUnsafeMutableBytes { bytes in
                try withVectors(over: bytes, lengths: lengths) { vectors in
                    try describing(offset: offset, length: total) {
                        try perform(ReadVector(.descriptor(fd), into: vectors, at: offset), name: "readv")
                    }
                }
            }
            return Self.split(memory, lengths: lengths, filled: Int(got))
        }
    }

    /// `IORING_OP_WRITEV`: writes `parts` in order at `offset` in one request.
    /// - Returns: the bytes written (short only when the file system stops, as writev(2)).
    @discardableResult
    public func writev(_ fd: FileDescriptor, _ parts: [[UInt8]], offset: UInt64 = 0) throws(UringError) -> Int {
        try UringError.rethrowing {
            let joined = Array(parts.joined())
            let total = try checkedParts(parts.map(\.count), "writev")
            var memory = joined
            return Int(
                try memory.withUnsafeMutableBytes { bytes in
                    try withVectors(over: bytes, lengths: parts.map(\.count)) { vectors in
                        try describing(offset: offset, length: total) {
                            try perform(WriteVector(.descriptor(fd), from: vectors, at: offset), name: "writev")
                        }
                    }
                })
        }
    }

    /// `IORING_OP_READV_FIXED` (Linux 6.15): reads into consecutive pieces of
    /// registered buffer `bufferIndex`, `lengths` long, and returns them.
    public func readvFixed(_ fd: FileDescriptor, bufferIndex: Int, lengths: [Int], offset: UInt64 = 0) throws(UringError) -> [[UInt8]] {
        try UringError.rethrowing {
            let buffer = try registeredBuffer(bufferIndex)
            let total = try checkedParts(lengths, "readv_fixed", within: buffer.count)
            let got = try withVectors(over: buffer, lengths: lengths) { vectors in
                try describing(offset: offset, length: total) {
                    try perform(
                        ReadVector(.descriptor(fd), into: vectors, at: offset, registeredBuffer: UInt16(bufferIndex)), name: "readv_fixed")
                }
            }
            return Self.split(Array(buffer.prefix(total)), lengths: lengths, filled: Int(got))
        }
    }

    /// `IORING_OP_WRITEV_FIXED` (Linux 6.15): copies `parts` one after another into
    /// registered buffer `bufferIndex` and writes them at `offset` in one request.
    /// - Returns: the bytes written.
    @discardableResult
    public func writevFixed(_ fd: FileDescriptor, bufferIndex: Int, _ parts: [[UInt8]], offset: UInt64 = 0) throws(UringError) -> Int {
        try UringError.rethrowing {
            let buffer = try registeredBuffer(bufferIndex)
            let total = try checkedParts(parts.map(\.count), "writev_fixed", within: buffer.count)
            Array(parts.joined()).withUnsafeBytes { buffer.copyMemory(from: $0) }
            return Int(
                try withVectors(over: buffer, lengths: parts.map(\.count)) { vectors in
                    try describing(offset: offset, length: total) {
                        try perform(
                            WriteVector(.descriptor(fd), from: vectors, at: offset, registeredBuffer: UInt16(bufferIndex)),
                            name: "writev_fixed"
                        )
                    }
                })
        }
    }

    /// `IORING_OP_SYNC_FILE_RANGE`: starts or waits for writeback of `length` bytes
    /// at `offset` (0: to the end), as sync_file_range(2) with `flags`.
    public func syncFileRange(_ fd: FileDescriptor, offset: UInt64 = 0, length: UInt32 = 0, flags: UInt32 = SyncFileRange.write)
        throws(UringError)
    {
        try perform(SyncFileRange(.descriptor(fd), offset: offset, length: length, flags: flags), name: "sync_file_range")
    }

    /// `IORING_OP_SHUTDOWN` (Linux 5.11): shuts down the reading and/or writing side
    /// of `socket` (`SHUT_RD`, `SHUT_WR`, `SHUT_RDWR`).
    public func shutdown(_ socket: FileDescriptor, how: Int32) throws(UringError) {
        try perform(Shutdown(.descriptor(socket), how: how), name: "shutdown")
    }

    /// `IORING_OP_SENDMSG`: sends `parts` as one message, gathered.
    /// - Returns: the bytes sent.
    @discardableResult
    public func sendmsg(_ socket: FileDescriptor, _ parts: [[UInt8]], flags: Int32 = 0) throws(UringError) -> Int {
        try UringError.rethrowing {
            _ = try checkedParts(parts.map(\.count), "sendmsg")
            var memory = Array(parts.joined())
            return Int(
                try memory.withUnsafeMutableBytes { bytes in
                    try withVectors(over: bytes, lengths: parts.map(\.count)) { vectors in
                        var header = msghdr()
                        header.msg_iov = UnsafeMutablePointer(mutating: vectors.baseAddress)
                        header.msg_iovlen = vectors.count
                        return try withUnsafePointer(to: &header) {
                            try perform(SendMessage(.descriptor(socket), message: $0, flags: flags), name: "sendmsg")
                        }
                    }
                })
        }
    }

    /// `IORING_OP_RECVMSG`: receives one message of at most `maxLength` bytes.
    /// - Returns: the bytes (empty at the end of the stream) and the message flags (`MSG_TRUNC`, …).
    public func recvmsg(_ socket: FileDescriptor, maxLength: Int, flags: Int32 = 0) throws(UringError) -> (bytes: [UInt8], flags: Int32) {
        try UringError.rethrowing {
            try checkLength(maxLength, "recvmsg")
            var memory = [UInt8](repeating: 0, count: maxLength)
            var header = msghdr()
            let got = try memory.withUnsafeMutableBytes { bytes in
                try withVectors(over: bytes, lengths: [maxLength]) { vectors in
                    header.msg_iov = UnsafeMutablePointer(mutating: vectors.baseAddress)
                    header.msg_iovlen = 1
                    return try withUnsafeMutablePointer(to: &header) {
                        try perform(ReceiveMessage(.descriptor(socket), message: $0, flags: flags), name: "recvmsg")
                    }
                }
            }
            return (Array(memory.prefix(Int(got))), header.msg_flags)
        }
    }

    /// `IORING_OP_ACCEPT`: the accepted connection and the peer's address.
    public func acceptWithAddress(_ socket: FileDescriptor, flags: Int32 = 0) throws(UringError) -> (
        fd: FileDescriptor, peer: SocketAddress
    ) {
        try UringError.rethrowing {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = try withUnsafeMutablePointer(to: &storage) { storagePointer in
                try storagePointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                    try perform(Accept(.descriptor(socket), address: address, addressLength: &length, flags: flags), name: "accept")
                }
            }
            return (FileDescriptor(rawValue: fd), SocketAddress(storage, length: length))
        }
    }

    /// `IORING_OP_PROVIDE_BUFFERS` (Linux 5.7): hands `count` buffers of `size`
    /// bytes, owned by the context, to buffer group `group` with ids from `firstID`.
    /// They stay allocated until the context closes.
    /// - Returns: `count`, the buffers the group gained.
    @discardableResult
    public func provideBuffers(count: Int, size: Int, group: UInt16, firstID: UInt16 = 0) throws(UringError) -> Int {
        try checkLength(size, "provide_buffers")
        guard count >= 1, count <= Int(UInt16.max) else {
            throw UringError(errno: .invalidArgument, operation: "provide_buffers", detail: "count must be 1 through 65535, not \(count)")
        }
        let total = try SizeChecks.totalBytes(count: count, size: size, operation: "provide_buffers", what: "buffers")
        let memory = PinnedBuffer(count: total, isRead: true)
        // The kernel answers with the count or, since Linux 5.19, with 0: success either way.
        _ = try describing(length: total) {
            try perform(
                ProvideBuffers(memory.memory.baseAddress!, size: UInt32(size), count: UInt32(count), group: group, firstID: firstID),
                name: "provide_buffers")
        }
        providedBuffers.append(memory)
        return count
    }

    /// `IORING_OP_REMOVE_BUFFERS` (Linux 5.7): takes up to `count` buffers of
    /// `group` back from the kernel.
    /// - Returns: how many were removed: 0 when the group has none left (older
    ///   kernels throw ``UringError`` `ENOENT` instead).
    @discardableResult
    public func removeBuffers(count: Int, group: UInt16) throws(UringError) -> Int {
        guard count >= 1, count <= Int(UInt16.max) else {
            throw UringError(errno: .invalidArgument, operation: "remove_buffers", detail: "count must be 1 through 65535, not \(count)")
        }
        return Int(try perform(RemoveBuffers(count: UInt32(count), group: group), name: "remove_buffers"))
    }

    /// The most parts one vectored request takes (`UIO_MAXIOV`).
    public static let maximumParts = 1024

    /// The sum of `lengths`, checked: each at least 0, the total at least 1 and
    /// within `limit` bytes (a registered buffer's size) and 2^31-1.
    private func checkedParts(_ lengths: [Int], _ operation: String, within limit: Int = Int(Int32.max)) throws(UringError) -> Int {
        guard !lengths.isEmpty, lengths.count <= RingContext.maximumParts else {
            throw UringError(
                errno: .invalidArgument, operation: operation,
                detail: "1 through \(RingContext.maximumParts) parts are needed, not \(lengths.count)")
        }
        var total = 0
        for length in lengths {
            guard length >= 0 else {
                throw UringError(errno: .invalidArgument, operation: operation, detail: "a part of \(length) bytes")
            }
            total = total.addingReportingOverflow(length).partialValue
            guard total <= min(limit, Int(Int32.max)) else {
                throw UringError(
                    errno: .invalidArgument, operation: operation,
                    detail: "the parts need more than \(min(limit, Int(Int32.max))) bytes")
            }
        }
        try checkLength(total, operation)
        return total
    }

    /// Runs `body` with iovecs covering consecutive pieces of `memory`, `lengths` long.
    private func withVectors<Result>(
        over memory: UnsafeMutableRawBufferPointer, lengths: [Int], _ body: (UnsafeBufferPointer<iovec>) throws -> Result
    ) rethrows -> Result {
        var start = 0
        let vectors = lengths.map { length -> iovec in
            defer { start += length }
            return iovec(iov_base: memory.baseAddress! + start, iov_len: length)
        }
        return try vectors.withUnsafeBufferPointer(body)
    }

    /// `memory`'s first `filled` bytes cut into pieces of `lengths` (the last ones shorter).
    private static func split(_ memory: [UInt8], lengths: [Int], filled: Int) -> [[UInt8]] {
        var start = 0
        return lengths.map { length in
            defer { start += length }
            let end = min(start + length, filled)
            return start < end ? Array(memory[start..<end]) : []
        }
    }
}
