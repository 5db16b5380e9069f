import Glibc

extension Ring {
    /// Registers buffers that reads and writes can name by index
    /// (`BufferTarget.registered(_:index:)`): `IORING_REGISTER_BUFFERS2` (Linux 5.13).
    ///
    /// liburing's `io_uring_register_buffers` and `io_uring_register_buffers_tags`.
    /// The kernel pins the pages; with `tags`, a replaced or unregistered buffer
    /// posts a completion with its tag once no request uses it.
    /// **Ownership**: each buffer stays valid until it is unregistered or replaced.
    /// - Throws: ``UringError``: `EBUSY` when buffers are already registered,
    ///   `EFAULT` for memory that cannot be pinned, `ENOMEM` over RLIMIT_MEMLOCK.
    public func registerBuffers(_ buffers: [UnsafeMutableRawBufferPointer], tags: [UInt64]? = nil) throws(UringError) {
        let vectors = buffers.map { iovec(iov_base: $0.baseAddress, iov_len: $0.count) }
        do {
            try registerTable(.registerBuffers2, count: vectors.count, tags: tags, what: "buffer") { tagAddress throws(UringError) in
                try vectors.withUnsafeBufferPointer { vectors throws(UringError) in
                    var argument = ResourceRegister(
                        count: UInt32(vectors.count), data: .address(vectors.baseAddress), tags: tagAddress)
                    try registerTableArgument(.registerBuffers2, &argument)
                }
            }
        } catch var error as UringError where error.errno == .noMemory && error.detail == nil {
            error.detail = Ring.memlockDetail(pinning: buffers.reduce(0) { $0 + $1.count })
            throw error
        }
    }

    /// What to do when pinning `bytes` of buffers ran into `RLIMIT_MEMLOCK`.
    static func memlockDetail(pinning bytes: Int) -> String {
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(__RLIMIT_MEMLOCK.rawValue), &limit)
        func shown(_ value: rlim_t) -> String { value == rlim_t.max ? "unlimited" : "\(value) bytes" }
        return "pinning \(bytes) bytes of buffers needs locked memory beyond RLIMIT_MEMLOCK "
            + "(soft \(shown(limit.rlim_cur)), hard \(shown(limit.rlim_max))); raise it with `ulimit -l`, "
            + "a memlock line in /etc/security/limits.conf or LimitMEMLOCK= for a systemd service, or register fewer or smaller buffers"
    }

    /// Registers an empty buffer table of `count` slots (Linux 5.19), filled by ``updateBuffers(at:_:tags:)``.
    ///
    /// liburing's `io_uring_register_buffers_sparse`.
    public func registerSparseBuffers(count: UInt32) throws(UringError) {
        var argument = ResourceRegister(count: count, flags: ResourceRegister.sparse)
        try registerTableArgument(.registerBuffers2, &argument)
    }

    /// Replaces registered buffers from slot `offset`: `IORING_REGISTER_BUFFERS_UPDATE` (Linux 5.13).
    ///
    /// liburing's `io_uring_register_buffers_update_tag`. An empty buffer clears a slot.
    /// - Returns: the number of slots updated.
    @discardableResult
    public func updateBuffers(at offset: UInt32, _ buffers: [UnsafeMutableRawBufferPointer], tags: [UInt64]? = nil)
        throws(UringError) -> Int
    {
        let vectors = buffers.map { iovec(iov_base: $0.baseAddress, iov_len: $0.count) }
        return try vectors.withUnsafeBufferPointer { vectors throws(UringError) in
            try updateTable(
                .registerBuffersUpdate, offset: offset, count: vectors.count, data: .address(vectors.baseAddress), tags: tags)
        }
    }

    /// Unregisters every buffer: `IORING_UNREGISTER_BUFFERS` (Linux 5.1).
    public func unregisterBuffers() throws(UringError) {
        try register(.unregisterBuffers, argument: nil, count: 0)
    }

    /// Shares `source`'s registered buffers with this ring without pinning them
    /// again: `IORING_REGISTER_CLONE_BUFFERS` (Linux 6.12; ranges Linux 6.13).
    ///
    /// liburing's `io_uring_clone_buffers` and `io_uring_clone_buffers_offset`.
    /// - Parameters:
    ///   - source: the ring whose buffers to share.
    ///   - sourceOffset: the first source buffer.
    ///   - destinationOffset: the first slot here.
    ///   - count: how many (0: all).
    ///   - replace: replace buffers this ring already has.
    public func cloneBuffers(
        from source: borrowing Ring, sourceOffset: UInt32 = 0, destinationOffset: UInt32 = 0, count: UInt32 = 0,
        replace: Bool = false
    ) throws(UringError) {
        let usesIndex = source.descriptor.rawValue < 0
        let sourceFD = usesIndex ? source.registeredIndex ?? 0 : UInt32(bitPattern: source.descriptor.rawValue)
        var argument = CloneBuffersArgument(
            sourceFD: sourceFD,
            flags: (usesIndex ? CloneBuffersArgument.sourceRegistered : 0)
                | (replace ? CloneBuffersArgument.replaceDestination : 0),
            sourceOffset: sourceOffset, destinationOffset: destinationOffset, count: count)
        try register(.registerCloneBuffers, argument: &argument, count: 1)
    }
}
