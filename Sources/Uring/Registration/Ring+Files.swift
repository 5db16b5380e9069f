import Glibc

extension Ring {
    /// Registers a table of files that operations can name by slot
    /// (``FileTarget/fixed(_:)``): `IORING_REGISTER_FILES2` (Linux 5.13).
    ///
    /// liburing's `io_uring_register_files` and `io_uring_register_files_tags`.
    /// A slot of -1 is empty. With `tags`, removing or replacing a file later posts
    /// a completion whose user data is its tag (result 0) once the kernel no longer uses it.
    /// - Throws: ``UringError``: `EBUSY` when a table is already registered, `EBADF`
    ///   for a descriptor that is not open, `EMFILE` above the file limit.
    public func registerFiles(_ descriptors: [Int32], tags: [UInt64]? = nil) throws(UringError) {
        try registerTable(.registerFiles2, count: descriptors.count, tags: tags, what: "file") { tagAddress throws(UringError) in
            try descriptors.withUnsafeBufferPointer { buffer throws(UringError) in
                var argument = ResourceRegister(
                    count: UInt32(buffer.count), data: .address(buffer.baseAddress), tags: tagAddress)
                try registerTableArgument(.registerFiles2, &argument)
            }
        }
    }

    /// Registers an empty file table of `count` slots (`IORING_RSRC_REGISTER_SPARSE`,
    /// Linux 5.19), to be filled by updates or by operations with a ``FixedSlot``.
    ///
    /// liburing's `io_uring_register_files_sparse`.
    /// - Throws: ``UringError``: `EBUSY` when a table is already registered.
    public func registerSparseFiles(count: UInt32) throws(UringError) {
        var argument = ResourceRegister(count: count, flags: ResourceRegister.sparse)
        try registerTableArgument(.registerFiles2, &argument)
    }

    /// Replaces slots `offset ..< offset + descriptors.count` of the file table
    /// (-1 empties a slot): `IORING_REGISTER_FILES_UPDATE2` (Linux 5.13).
    ///
    /// liburing's `io_uring_register_files_update` and `io_uring_register_files_update_tag`.
    /// - Returns: the number of slots updated.
    /// - Throws: ``UringError``: `ENXIO` with no table, `EINVAL` for slots out of range.
    @discardableResult
    public func updateFiles(at offset: UInt32, _ descriptors: [Int32], tags: [UInt64]? = nil) throws(UringError) -> Int {
        try descriptors.withUnsafeBufferPointer { descriptors throws(UringError) in
            try updateTable(
                .registerFilesUpdate2, offset: offset, count: descriptors.count, data: .address(descriptors.baseAddress), tags: tags)
        }
    }

    /// Unregisters the file table: `IORING_UNREGISTER_FILES` (Linux 5.1).
    /// - Throws: ``UringError``: `ENXIO` when none is registered.
    public func unregisterFiles() throws(UringError) {
        try register(.unregisterFiles, argument: nil, count: 0)
    }

    /// Restricts the slots the kernel picks for ``FixedSlot/anyFree`` to `range`:
    /// `IORING_REGISTER_FILE_ALLOC_RANGE` (Linux 6.0).
    ///
    /// liburing's `io_uring_register_file_alloc_range`.
    /// - Throws: ``UringError``: `EINVAL` when the range leaves the table.
    public func setFileAllocationRange(_ range: Range<UInt32>) throws(UringError) {
        var argument = (range.lowerBound, UInt32(range.count), UInt64(0))
        try register(.registerFileAllocRange, argument: &argument, count: 0)
    }

    /// Runs `body` with the address of `tags` (0 without), after checking its length.
    func registerTable(
        _ opcode: RegisterOpcode, count: Int, tags: [UInt64]?, what: String, _ body: (UInt64) throws(UringError) -> Void
    ) throws(UringError) {
        guard count > 0 else {
            throw UringError(
                errno: .invalidArgument, operation: opcode.operationName,
                detail: "a \(what) table needs at least one entry; use a sparse table for an empty one")
        }
        try checkTags(tags, count: count, opcode)
        try Ring.withAddress(of: tags, body)
    }

    /// Registers a table, explaining `EBUSY`.
    func registerTableArgument(_ opcode: RegisterOpcode, _ argument: inout ResourceRegister) throws(UringError) {
        let result = rawRegister(opcode.rawValue, &argument, UInt32(MemoryLayout<ResourceRegister>.size))
        if result == -EBUSY {
            throw UringError(
                errno: .resourceBusy, operation: opcode.operationName,
                detail: "a table is already registered on this ring; unregister it first or update its slots")
        }
        if result < 0 { throw registrationError(result, operation: opcode.operationName) }
    }

    /// One `*_UPDATE2`-style call over `count` entries at `data`.
    func updateTable(_ opcode: RegisterOpcode, offset: UInt32, count: Int, data: UInt64, tags: [UInt64]?) throws(UringError) -> Int {
        try checkTags(tags, count: count, opcode)
        return try Ring.withAddress(of: tags) { tagAddress throws(UringError) in
            var update = ResourceUpdate2(offset: offset, data: data, tags: tagAddress, count: UInt32(count))
            return Int(try register(opcode, argument: &update, count: UInt32(MemoryLayout<ResourceUpdate2>.size)))
        }
    }

    /// Runs `body` with the address of `values`' storage, or 0 for nil.
    static func withAddress<Result, Failure: Error>(
        of values: [UInt64]?, _ body: (UInt64) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        guard let values else { return try body(0) }
        return try values.withUnsafeBufferPointer { values throws(Failure) in try body(.address(values.baseAddress)) }
    }

    private func checkTags(_ tags: [UInt64]?, count: Int, _ opcode: RegisterOpcode) throws(UringError) {
        if let tags, tags.count != count {
            throw UringError(
                errno: .invalidArgument, operation: opcode.operationName,
                detail: "\(tags.count) tags for \(count) entries; give one tag per entry")
        }
    }
}
