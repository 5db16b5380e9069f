import Glibc
import SystemPackage

/// Synchronous wrappers: each submits one operation and waits for its result
/// (pyuring's `UringCtx` methods of the same names). Every other operation runs
/// through ``RingContext/perform(_:name:)``. All throw ``UringError`` with the
/// completion's errno, or "closed".
extension RingContext {
    /// `IORING_OP_OPENAT`: opens `path` (relative to `directory` when given).
    public func openat(_ path: FilePath, flags: Int32, mode: mode_t = 0o644, in directory: FileDescriptor? = nil) throws(UringError)
        -> FileDescriptor
    {
        try UringError.rethrowing {
            FileDescriptor(
                rawValue: try describing(path: path) {
                    try path.withPlatformString { try perform(OpenAt($0, in: directory, flags: flags, mode: mode), name: "openat") }
                })
        }
    }

    /// `IORING_OP_OPENAT2`: opens `path` with `how` (flags, mode, `RESOLVE_*`).
    public func openat2(_ path: FilePath, how: OpenHow, in directory: FileDescriptor? = nil) throws(UringError) -> FileDescriptor {
        try UringError.rethrowing {
            var how = how
            return FileDescriptor(
                rawValue: try describing(path: path) {
                    try path.withPlatformString { name in
                        try withUnsafePointer(to: &how) { try perform(OpenAt2(name, in: directory, how: $0), name: "openat2") }
                    }
                })
        }
    }

    /// `IORING_OP_CLOSE`.
    public func close(_ fd: FileDescriptor) throws(UringError) { try perform(Close(.descriptor(fd)), name: "close") }

    /// `IORING_OP_FSYNC`, or `fdatasync` with `dataOnly`.
    public func fsync(_ fd: FileDescriptor, dataOnly: Bool = false) throws(UringError) {
        try perform(Fsync(.descriptor(fd), dataOnly: dataOnly), name: "fsync")
    }

    /// `IORING_OP_FALLOCATE`.
    public func fallocate(_ fd: FileDescriptor, mode: Int32 = 0, offset: UInt64 = 0, length: UInt64) throws(UringError) {
        try perform(Fallocate(.descriptor(fd), mode: mode, offset: offset, length: length), name: "fallocate")
    }

    /// `IORING_OP_FTRUNCATE` (Linux 6.9).
    public func ftruncate(_ fd: FileDescriptor, length: UInt64) throws(UringError) {
        try perform(Ftruncate(.descriptor(fd), length: length), name: "ftruncate")
    }

    /// `IORING_OP_FADVISE`.
    public func fadvise(_ fd: FileDescriptor, offset: UInt64 = 0, length: UInt64 = 0, advice: Int32) throws(UringError) {
        try perform(Fadvise(.descriptor(fd), offset: offset, length: length, advice: advice), name: "fadvise")
    }

    /// `IORING_OP_MADVISE` on `memory`.
    public func madvise(_ memory: UnsafeMutableRawBufferPointer, advice: Int32) throws(UringError) {
        try perform(Madvise(memory, advice: advice), name: "madvise")
    }

    /// `IORING_OP_STATX`: the status of `path`.
    public func statx(_ path: FilePath, in directory: FileDescriptor? = nil, flags: Int32 = 0, mask: UInt32 = FileStatus.basicStats)
        throws(UringError)
        -> FileStatus
    {
        try UringError.rethrowing {
            var status = FileStatus()
            try describing(path: path) {
                try path.withPlatformString { name in
                    try withUnsafeMutablePointer(to: &status) {
                        _ = try perform(Statx(name, in: directory, flags: flags, mask: mask, into: $0), name: "statx")
                    }
                }
            }
            return status
        }
    }

    /// `IORING_OP_RENAMEAT`.
    public func renameat(_ oldPath: FilePath, to newPath: FilePath, flags: UInt32 = 0) throws(UringError) {
        try UringError.rethrowing {
            try oldPath.withPlatformString { old in
                try newPath.withPlatformString { _ = try perform(RenameAt(old, to: $0, flags: flags), name: "renameat") }
            }
        }
    }

    /// `IORING_OP_UNLINKAT`; `removeDirectory` removes an empty directory.
    public func unlinkat(_ path: FilePath, removeDirectory: Bool = false) throws(UringError) {
        try UringError.rethrowing {
            try path.withPlatformString { _ = try perform(UnlinkAt($0, removeDirectory: removeDirectory), name: "unlinkat") }
        }
    }

    /// `IORING_OP_MKDIRAT`.
    public func mkdirat(_ path: FilePath, mode: mode_t = 0o755) throws(UringError) {
        try UringError.rethrowing {
            try path.withPlatformString { _ = try perform(MkdirAt($0, mode: mode), name: "mkdirat") }
        }
    }

    /// `IORING_OP_SYMLINKAT`: creates `linkPath` pointing at `target`.
    public func symlinkat(_ target: FilePath, at linkPath: FilePath) throws(UringError) {
        try UringError.rethrowing {
            try target.withPlatformString { goal in
                try linkPath.withPlatformString { _ = try perform(SymlinkAt(to: goal, at: $0), name: "symlinkat") }
            }
        }
    }

    /// `IORING_OP_LINKAT`: a hard link `newPath` to `existing`.
    public func linkat(_ existing: FilePath, to newPath: FilePath, flags: Int32 = 0) throws(UringError) {
        try UringError.rethrowing {
            try existing.withPlatformString { old in
                try newPath.withPlatformString { _ = try perform(LinkAt(old, to: $0, flags: flags), name: "linkat") }
            }
        }
    }

    /// `IORING_OP_GETXATTR` / `FGETXATTR`: the value of attribute `name` (at most `capacity` bytes).
    public func getxattr(_ name: String, of target: XattrTarget, capacity: Int = 4096) throws(UringError) -> [UInt8] {
        try UringError.rethrowing {
            var value = [UInt8](repeating: 0, count: capacity)
            let got = try name.withCString { attribute in
                try value.withUnsafeMutableBytes { try perform(GetXattr(attribute, of: target, into: $0), name: "getxattr") }
            }
            return Array(value.prefix(Int(got)))
        }
    }

    /// `IORING_OP_SETXATTR` / `FSETXATTR`.
    public func setxattr(_ name: String, of target: XattrTarget, value: [UInt8], flags: UInt32 = 0) throws(UringError) {
        try UringError.rethrowing {
            try name.withCString { attribute in
                try value.withUnsafeBytes { _ = try perform(SetXattr(attribute, of: target, value: $0, flags: flags), name: "setxattr") }
            }
        }
    }

    /// `IORING_OP_SOCKET`.
    public func socket(domain: Int32, type: Int32, protocol protocolNumber: Int32 = 0) throws(UringError) -> FileDescriptor {
        FileDescriptor(rawValue: try perform(Socket(domain: domain, type: type, protocol: protocolNumber), name: "socket"))
    }

    /// `IORING_OP_BIND` (Linux 6.11). **Unsafe**: `address` must hold `length` bytes.
    public func bind(_ socket: FileDescriptor, to address: UnsafePointer<sockaddr>, length: socklen_t) throws(UringError) {
        try perform(Bind(.descriptor(socket), to: address, length: length), name: "bind")
    }

    /// `IORING_OP_LISTEN` (Linux 6.11).
    public func listen(_ socket: FileDescriptor, backlog: Int32 = 128) throws(UringError) {
        try perform(Listen(.descriptor(socket), backlog: backlog), name: "listen")
    }

    /// `IORING_OP_CONNECT`. **Unsafe**: `address` must hold `length` bytes.
    public func connect(_ socket: FileDescriptor, to address: UnsafePointer<sockaddr>, length: socklen_t) throws(UringError) {
        try perform(Connect(.descriptor(socket), to: address, length: length), name: "connect")
    }

    /// `IORING_OP_ACCEPT`: the accepted connection.
    public func accept(_ socket: FileDescriptor, flags: Int32 = 0) throws(UringError) -> FileDescriptor {
        FileDescriptor(rawValue: try perform(Accept(.descriptor(socket), flags: flags), name: "accept"))
    }

    /// `IORING_OP_SEND`: the bytes sent.
    @discardableResult
    public func send(_ socket: FileDescriptor, _ data: [UInt8], flags: Int32 = 0) throws(UringError) -> Int {
        try UringError.rethrowing {
            Int(try data.withUnsafeBytes { try perform(Send(.descriptor(socket), .plain($0), flags: flags), name: "send") })
        }
    }

    /// `IORING_OP_RECV`: up to `maxLength` bytes; empty at the end of the stream.
    public func recv(_ socket: FileDescriptor, maxLength: Int, flags: Int32 = 0) throws(UringError) -> [UInt8] {
        try UringError.rethrowing {
            try checkLength(maxLength, "recv")
            var bytes = [UInt8](repeating: 0, count: maxLength)
            let got = try bytes.withUnsafeMutableBytes {
                try perform(Receive(.descriptor(socket), into: .plain($0), flags: flags), name: "recv")
            }
            return Array(bytes.prefix(Int(got)))
        }
    }

    /// `IORING_OP_SPLICE`: up to `length` bytes between descriptors (one a pipe).
    @discardableResult
    public func splice(
        from input: FileDescriptor, inputOffset: UInt64 = currentFilePosition, to output: FileDescriptor,
        outputOffset: UInt64 = currentFilePosition, length: UInt32, flags: UInt32 = 0
    ) throws(UringError) -> Int {
        Int(
            try perform(
                Splice(
                    from: .descriptor(input), inputOffset: inputOffset, to: .descriptor(output), outputOffset: outputOffset,
                    length: length, flags: flags), name: "splice"))
    }

    /// `IORING_OP_TEE`: duplicates up to `length` bytes from one pipe to another.
    @discardableResult
    public func tee(from input: FileDescriptor, to output: FileDescriptor, length: UInt32, flags: UInt32 = 0) throws(UringError) -> Int {
        Int(try perform(Tee(from: .descriptor(input), to: .descriptor(output), length: length, flags: flags), name: "tee"))
    }

    /// `IORING_OP_POLL_ADD` (one shot): the ready events (`POLLIN`, …).
    public func pollAdd(_ fd: FileDescriptor, events: UInt32) throws(UringError) -> UInt32 {
        UInt32(try perform(PollAdd(.descriptor(fd), events: events), name: "poll_add"))
    }

    /// `IORING_OP_EPOLL_CTL`: adds, modifies or removes `fd` in `epoll`.
    public func epollCtl(_ epoll: FileDescriptor, operation: UInt32, fd: FileDescriptor, events: UInt32 = 0, data: UInt64 = 0)
        throws(UringError)
    {
        try UringError.rethrowing {
            var event = EpollEvent(events: events, data: data)
            try withUnsafePointer(to: &event) {
                _ = try perform(EpollControl(.descriptor(epoll), operation: operation, file: fd.rawValue, event: $0), name: "epoll_ctl")
            }
        }
    }

    /// `IORING_OP_PIPE` (Linux 6.16): a new pipe.
    public func pipe(flags: Int32 = 0) throws(UringError) -> (read: FileDescriptor, write: FileDescriptor) {
        try UringError.rethrowing {
            var ends: (Int32, Int32) = (-1, -1)
            try withUnsafeMutablePointer(to: &ends) {
                try $0.withMemoryRebound(to: Int32.self, capacity: 2) { _ = try perform(Pipe($0, flags: flags), name: "pipe") }
            }
            return (FileDescriptor(rawValue: ends.0), FileDescriptor(rawValue: ends.1))
        }
    }

    /// `IORING_OP_FUTEX_WAIT` (Linux 6.7): sleeps while `*word == expected`.
    /// **Unsafe**: `word` must stay valid until this returns.
    public func futexWait(_ word: UnsafeMutablePointer<UInt32>, expected: UInt32) throws(UringError) {
        try perform(FutexWait(word, expected: expected), name: "futex_wait")
    }

    /// `IORING_OP_FUTEX_WAKE` (Linux 6.7): wakes up to `count` waiters; how many woke.
    @discardableResult
    public func futexWake(_ word: UnsafeMutablePointer<UInt32>, count: UInt64 = 1) throws(UringError) -> Int {
        Int(try perform(FutexWake(word, count: count), name: "futex_wake"))
    }
}
