import SystemPackage

extension RingContext {
    /// Registers open descriptors as fixed files 0, 1, … (pyuring's `register_files`).
    /// Keep them open while registered.
    /// - Throws: ``UringError`` (`EBUSY` when files are already registered).
    public func registerFiles(_ descriptors: [FileDescriptor]) throws(UringError) {
        try withRing("register_files") { try $0.registerFiles(descriptors.map(\.rawValue)) }
    }

    /// Removes the fixed files (pyuring's `unregister_files`).
    public func unregisterFiles() throws(UringError) {
        try withRing("unregister_files") { try $0.unregisterFiles() }
    }

    /// Allocates `count` buffers of `size` bytes that the context owns and registers
    /// them as fixed buffers 0, 1, … (pyuring's `register_buffers`).
    /// - Throws: ``UringError`` (`EBUSY` when buffers are already registered).
    public func registerBuffers(count: Int, size: Int) throws(UringError) {
        try UringError.rethrowing {
            let pool = try BufferPool(count: count, size: size)
            let buffers = try (0..<count).map { try pool.pointer(at: $0) }
            do {
                try withRing("register_buffers") { try $0.registerBuffers(buffers) }
            } catch {
                pool.close()
                throw error
            }
            registeredBuffers = pool
        }
    }

    /// Unregisters the fixed buffers and frees them (pyuring's `unregister_buffers`).
    public func unregisterBuffers() throws(UringError) {
        try withRing("unregister_buffers") { try $0.unregisterBuffers() }
        registeredBuffers?.close()
        registeredBuffers = nil
    }

    /// Registered buffer `index`, for filling or reading it in place.
    /// - Throws: ``UringError`` when no buffers are registered or `index` is out of range.
    public func registeredBuffer(_ index: Int) throws(UringError) -> UnsafeMutableRawBufferPointer {
        try check("registered_buffer")
        guard let registeredBuffers else {
            throw UringError(errno: .invalidArgument, operation: "registered_buffer", detail: "no buffers are registered")
        }
        return try registeredBuffers.pointer(at: index)
    }

    /// Reads up to `length` bytes at `offset` of fixed file `fileIndex` into
    /// registered buffer `bufferIndex` (`IORING_OP_READ_FIXED`; pyuring's `read_fixed`).
    /// A `length` above the buffer's size reads the whole buffer.
    /// - Returns: the bytes read, copied out of the buffer.
    /// - Throws: ``UringError`` `EINVAL` for a length below 1.
    public func readFixed(fileIndex: UInt32, bufferIndex: Int, length: Int? = nil, offset: UInt64 = 0) throws(UringError) -> [UInt8] {
        let buffer = try registeredBuffer(bufferIndex)
        if let length { try checkLength(length, "read_fixed") }
        let span = UnsafeMutableRawBufferPointer(rebasing: buffer[..<min(length ?? buffer.count, buffer.count)])
        let got = try perform(Read(.fixed(fileIndex), into: .registered(span, index: UInt16(bufferIndex)), at: offset), name: "read_fixed")
        return Array(span.prefix(Int(got)))
    }

    /// Copies `data` into registered buffer `bufferIndex` and writes it at `offset`
    /// of fixed file `fileIndex` (`IORING_OP_WRITE_FIXED`; pyuring's `write_fixed`).
    /// - Returns: the bytes written.
    /// - Throws: ``UringError`` `EINVAL` when `data` does not fit the buffer.
    @discardableResult
    public func writeFixed(fileIndex: UInt32, bufferIndex: Int, data: [UInt8], offset: UInt64 = 0) throws(UringError) -> Int {
        let buffer = try registeredBuffer(bufferIndex)
        guard data.count <= buffer.count else {
            throw UringError(
                errno: .invalidArgument, operation: "write_fixed",
                detail: "\(data.count) bytes do not fit registered buffer \(bufferIndex) of \(buffer.count)")
        }
        data.withUnsafeBytes { buffer.copyMemory(from: $0) }
        let span = UnsafeRawBufferPointer(rebasing: buffer[..<data.count])
        return Int(
            try perform(Write(.fixed(fileIndex), from: .registered(span, index: UInt16(bufferIndex)), at: offset), name: "write_fixed"))
    }

    // MARK: Probe

    /// Whether the kernel runs `opcode` (pyuring's `probe_opcode_supported`).
    public func probeOpcodeSupported(_ opcode: Opcode) throws(UringError) -> Bool { try probe().isSupported(opcode) }

    /// Whether the kernel runs the opcode numbered `rawOpcode` (a `UAPI.IORING_OP_*` value);
    /// false for a number above 255.
    public func probeOpcodeSupported(rawOpcode: UInt32) throws(UringError) -> Bool {
        guard let number = UInt8(exactly: rawOpcode) else { return false }
        return try probe().isSupported(rawOpcode: number)
    }

    /// The highest opcode the kernel knows (pyuring's `probe_last_op`).
    public func probeLastOpcode() throws(UringError) -> UInt8 { try probe().lastOpcode }

    /// Byte `i` is 1 when opcode `i` is supported (pyuring's `probe_supported_mask`).
    public func probeSupportedMask() throws(UringError) -> [UInt8] { try probe().supportedMask }

    private func probe() throws(UringError) -> Probe {
        try withRing("probe") { try Probe(ring: $0) }
    }
}
