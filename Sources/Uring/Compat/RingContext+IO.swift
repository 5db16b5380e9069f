import SystemPackage

extension RingContext {
    /// Reads up to `length` bytes at `offset` (pyuring's `read`); fewer at the end of the file.
    /// - Throws: ``UringError`` naming `read`.
    public func read(_ fd: FileDescriptor, length: Int, offset: UInt64 = 0) throws(UringError) -> [UInt8] {
        try checkLength(length, "read")
        var bytes = [UInt8](repeating: 0, count: length)
        let got = try describing(offset: offset, length: length) {
            try bytes.withUnsafeMutableBytes { try perform(Read(.descriptor(fd), into: $0, at: offset), name: "read") }
        }
        bytes.removeLast(length - Int(got))
        return bytes
    }

    /// Writes all of `data` at `offset` (pyuring's `write`), resubmitting short writes.
    /// - Returns: `data.count`.
    /// - Throws: ``UringError`` naming `write`; a write that makes no progress throws `ENOSPC`
    ///   with the bytes done.
    @discardableResult
    public func write(_ fd: FileDescriptor, _ data: [UInt8], offset: UInt64 = 0) throws(UringError) -> Int {
        try UringError.rethrowing {
            try checkLength(data.count, "write")
            var done = 0
            try data.withUnsafeBytes { bytes in
                while done < bytes.count {
                    let rest = UnsafeRawBufferPointer(rebasing: bytes[done...])
                    let position = offset + UInt64(done)
                    let put = try describing(offset: position, length: rest.count) {
                        try perform(Write(.descriptor(fd), from: rest, at: position), name: "write")
                    }
                    guard put > 0 else {
                        throw UringError(
                            errno: .noSpace, operation: "write",
                            detail: "a write made no progress after \(done) of \(bytes.count) bytes")
                    }
                    done += Int(put)
                }
            }
            return done
        }
    }

    /// Reads `blocks` consecutive blocks of `blockSize` bytes from `offset` in one
    /// submission (pyuring's `read_batch`); the result ends early at the end of the file.
    /// - Throws: ``UringError`` naming `read_batch`.
    public func readBatch(_ fd: FileDescriptor, blockSize: Int, blocks: Int, offset: UInt64 = 0) throws(UringError) -> [UInt8] {
        try checkLength(blockSize, "read_batch")
        try checkBlockCount(blocks, "read_batch")
        let span = try SizeChecks.totalBytes(count: blocks, size: blockSize, operation: "read_batch", what: "blocks")
        _ = try SizeChecks.offset(offset, plus: UInt64(span), operation: "read_batch", what: "the batch's end")
        return try readBlocks(fd, blockSize: blockSize, at: (0..<blocks).map { offset + UInt64($0 * blockSize) }, name: "read_batch")
    }

    /// Reads one block of `blockSize` bytes at each of `offsets` in one submission
    /// (pyuring's `read_offsets`); offsets are bytes, or block indexes when
    /// `offsetsAreBytes` is false. Blocks are concatenated; one that meets the end
    /// of the file is shorter.
    /// - Throws: ``UringError`` naming `read_offsets`; `EINVAL` for a block index whose
    ///   byte offset overflows.
    public func readOffsets(
        _ fd: FileDescriptor, blockSize: Int, offsets: [UInt64], offsetsAreBytes: Bool = true
    ) throws(UringError) -> [UInt8] {
        try UringError.rethrowing {
            try checkLength(blockSize, "read_offsets")
            try checkBlockCount(offsets.count, "read_offsets")
            let positions = try offsets.map { position in
                let start = offsetsAreBytes ? position : try SizeChecks.offset(index: position, size: blockSize, operation: "read_offsets")
                _ = try SizeChecks.offset(start, plus: UInt64(blockSize), operation: "read_offsets", what: "a block's end")
                return start
            }
            return try readBlocks(fd, blockSize: blockSize, at: positions, name: "read_offsets")
        }
    }

    /// Reads the blocks; `blockSize` and `positions` are already checked.
    private func readBlocks(_ fd: FileDescriptor, blockSize: Int, at positions: [UInt64], name: String) throws(UringError) -> [UInt8] {
        try UringError.rethrowing {
            let total = try SizeChecks.totalBytes(count: positions.count, size: blockSize, operation: name, what: "blocks")
            var buffer = [UInt8](repeating: 0, count: total)
            let results = try buffer.withUnsafeMutableBytes { memory in
                let reads = positions.enumerated().map { index, position in
                    Read(
                        .descriptor(fd),
                        into: UnsafeMutableRawBufferPointer(rebasing: memory[(index * blockSize)..<((index + 1) * blockSize)]),
                        at: position)
                }
                return try performAll(reads, name: name)
            }
            var output: [UInt8] = []
            output.reserveCapacity(buffer.count)
            for (index, result) in results.enumerated() {
                if result < 0 {
                    throw UringError(
                        errno: Errno(rawValue: -result), operation: name, detail: "block \(index)", offset: positions[index],
                        length: blockSize)
                }
                output += buffer[(index * blockSize)..<(index * blockSize + Int(result))]
            }
            return output
        }
    }

    private func checkBlockCount(_ count: Int, _ operation: String) throws(UringError) {
        guard count >= 1 else {
            throw UringError(errno: .invalidArgument, operation: operation, detail: "at least one block is needed, not \(count)")
        }
    }

    func checkLength(_ length: Int, _ operation: String) throws(UringError) {
        guard length > 0, length <= Int(Int32.max) else {
            throw UringError(errno: .invalidArgument, operation: operation, detail: "the length must be 1 through 2^31-1, not \(length)")
        }
    }

    // MARK: Asynchronous submission

    /// Queues a read of `length` bytes at `offset` into memory the context owns
    /// (pyuring's `read_async`); the bytes come back in the completion from
    /// ``waitCompletion()`` or ``peekCompletion()``. Call ``submit()`` to send it.
    /// - Throws: ``UringError`` `EEXIST` when `userData` is already in flight, `EINVAL`
    ///   for reserved user data or a bad length.
    public func readAsync(_ fd: FileDescriptor, length: Int, offset: UInt64 = 0, userData: UInt64) throws(UringError) {
        try checkLength(length, "read_async")
        let buffer = try pin(count: length, isRead: true, userData: userData, name: "read_async")
        try queue(Read(.descriptor(fd), into: buffer.memory, at: offset), userData: userData, name: "read_async", owned: buffer)
    }

    /// Queues a write of a copy of `data` at `offset` (pyuring's `write_async`); the
    /// copy lives until the completion is consumed.
    /// - Throws: as ``readAsync(_:length:offset:userData:)``.
    public func writeAsync(_ fd: FileDescriptor, _ data: [UInt8], offset: UInt64 = 0, userData: UInt64) throws(UringError) {
        try checkLength(data.count, "write_async")
        let buffer = try pin(count: data.count, isRead: false, userData: userData, name: "write_async")
        data.withUnsafeBytes { buffer.memory.copyMemory(from: $0) }
        try queue(
            Write(.descriptor(fd), from: UnsafeRawBufferPointer(buffer.memory), at: offset), userData: userData,
            name: "write_async", owned: buffer)
    }

    /// Queues a read into caller memory (pyuring's `read_async_ptr`).
    ///
    /// **Unsafe**: `buffer` must stay valid until the completion is consumed.
    public func readAsync(_ fd: FileDescriptor, into buffer: UnsafeMutableRawBufferPointer, offset: UInt64 = 0, userData: UInt64)
        throws(UringError)
    {
        try checkUserData(userData, "read_async_ptr")
        try queue(Read(.descriptor(fd), into: buffer, at: offset), userData: userData, name: "read_async_ptr", owned: nil)
    }

    /// Queues a write from caller memory (pyuring's `write_async_ptr`).
    ///
    /// **Unsafe**: `buffer` must stay valid until the completion is consumed.
    public func writeAsync(_ fd: FileDescriptor, from buffer: UnsafeRawBufferPointer, offset: UInt64 = 0, userData: UInt64)
        throws(UringError)
    {
        try checkUserData(userData, "write_async_ptr")
        try queue(Write(.descriptor(fd), from: buffer, at: offset), userData: userData, name: "write_async_ptr", owned: nil)
    }

    func checkUserData(_ userData: UInt64, _ name: String) throws(UringError) {
        guard userData < RingContext.reservedUserData else {
            throw UringError(
                errno: .invalidArgument, operation: name,
                detail: "user data \(userData) is reserved for the synchronous wrappers (\(RingContext.reservedUserData) and up)")
        }
        guard pinned[userData] == nil else {
            throw UringError(
                errno: .fileExists, operation: name,
                detail: "user data \(userData) is already in flight; each owned-buffer operation needs its own")
        }
    }

    func pin(count: Int, isRead: Bool, userData: UInt64, name: String) throws(UringError) -> PinnedBuffer {
        try check(name)
        try checkUserData(userData, name)
        return PinnedBuffer(count: count, isRead: isRead)
    }

    func queue<Operation: RingOperation>(_ operation: Operation, userData: UInt64, name: String, owned: PinnedBuffer?) throws(UringError) {
        do {
            try withRing(name) { try push(&$0, operation, userData: userData, name: name) }
        } catch {
            owned?.release()
            throw error
        }
        if let owned { pinned[userData] = owned }
    }
}
