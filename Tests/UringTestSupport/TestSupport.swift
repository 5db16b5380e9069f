import CUringTestSupport
import Glibc
import SystemPackage
import Testing
import Uring
import UringAsync

/// Helpers shared by the test files: temporary files, pipes, plain-syscall checks.
public enum TestSupport {
    /// A fresh temporary directory under /tmp.
    public static func makeTemporaryDirectory() -> String {
        var template = Array("/tmp/swift-uring-test-XXXXXX".utf8CString)
        let result = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(result != nil, "mkdtemp failed")
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Removes `directory` and the plain files in it.
    public static func removeDirectory(_ directory: String) {
        if let handle = opendir(directory) {
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) {
                    String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name != "." && name != ".." { unlink(directory + "/" + name) }
            }
            closedir(handle)
        }
        rmdir(directory)
    }

    /// The whole content of `path`, read with plain syscalls.
    public static func contents(of path: String) throws -> [UInt8] {
        let fd = try FileDescriptor.open(FilePath(path), .readOnly)
        defer { try? fd.close() }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try fd.read(into: $0) }
            if count == 0 { return result }
            result += chunk[..<count]
        }
    }

    /// Writes `bytes` to a new file at `path` with plain syscalls.
    public static func createFile(_ path: String, _ bytes: [UInt8]) throws {
        let fd = try FileDescriptor.open(
            FilePath(path), .writeOnly, options: [.create, .truncate], permissions: [.ownerReadWrite])
        defer { try? fd.close() }
        _ = try bytes.withUnsafeBytes { try fd.writeAll($0) }
    }

    /// A pipe (read end, write end).
    public static func makePipe() throws -> (read: FileDescriptor, write: FileDescriptor) {
        let ends = try FileDescriptor.pipe()
        return (ends.readEnd, ends.writeEnd)
    }

    /// Runs `body` with a new pipe and a buffer of `bufferSize` bytes to read it
    /// into; closes both ends and frees the buffer afterwards.
    public static func withPipe<T>(
        bufferSize: Int = 8,
        _ body: ((read: FileDescriptor, write: FileDescriptor), UnsafeMutableRawBufferPointer) throws -> T
    ) throws -> T {
        let pipe = try makePipe()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 8)
        defer {
            buffer.deallocate()
            try? pipe.read.close()
            try? pipe.write.close()
        }
        return try body(pipe, buffer)
    }

    /// Marks the open file behind `fd` (its owner becomes this process), so
    /// ``isStillOpen(_:)`` can tell it from a file that reuses the number later.
    public static func mark(_ fd: Int32) { _ = fcntl(fd, F_SETOWN, getpid()) }

    /// Whether `fd` still names the file ``mark(_:)`` marked (tests run in
    /// parallel, so a closed number may already belong to another test's file).
    public static func isStillOpen(_ fd: Int32) -> Bool { fcntl(fd, F_GETOWN) == getpid() }

    /// Whether the kernel accepts a ring with exactly these options.
    public static func accepts(_ options: RingOptions) -> Bool {
        (try? Ring(entries: 4, options: options)) != nil
    }

    /// Whether this kernel's rings report `feature` (`io_uring_params.features`, for `.enabled(if:)`).
    public static func offers(_ feature: RingFeatures) -> Bool {
        do {
            return try Ring(entries: 2).features.contains(feature)
        } catch {
            return false
        }
    }

    /// Pushes one operation, submits, waits for its completion and consumes it.
    public static func roundTrip<Operation: RingOperation>(
        _ ring: inout Ring, _ operation: Operation, userData: UInt64 = 7
    ) throws -> Completion {
        let pushed = ring.push(operation, userData: userData)
        #expect(pushed)
        try ring.submit(waitingFor: 1)
        let completion = try ring.waitCompletion()
        ring.markSeen()
        #expect(completion.userData == userData)
        return completion
    }
}

extension TestSupport {
    /// A heap copy of `value` that stays put; free with `deallocate()`.
    public static func pinned<T>(_ value: T) -> UnsafeMutablePointer<T> {
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: 1)
        pointer.initialize(to: value)
        return pointer
    }

    /// A C copy of `string` that stays put; free with `free`.
    public static func cString(_ string: String) -> UnsafeMutablePointer<CChar> { strdup(string)! }

    /// Whether the running kernel is at least `major.minor` (uname(2)), for a
    /// feature no probe reports, such as a multishot flag (for `.enabled(if:)`).
    public static func kernelAtLeast(_ major: Int, _ minor: Int) -> Bool {
        var name = utsname()
        guard uname(&name) == 0 else { return false }
        let release = withUnsafeBytes(of: name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let parts = release.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        guard parts.count == 2 else { return false }
        return (parts[0], parts[1]) >= (major, minor)
    }

    /// Whether the kernel supports `opcode` (for `.enabled(if:)`).
    public static func supports(_ opcode: Opcode) -> Bool { Probe.supports(opcode) }

    /// Pushes every operation (linked by the caller's flags), submits, and
    /// collects `count` completions in arrival order.
    public static func completions(_ ring: inout Ring, count: Int) throws -> [Completion] {
        var result: [Completion] = []
        try ring.submit()
        while result.count < count {
            try ring.submit(waitingFor: 1)
            while let completion = try ring.peekCompletion() {
                result.append(completion)
                ring.markSeen()
            }
        }
        return result
    }

    /// A connected pair of stream sockets on loopback TCP: (client, accepted server side).
    public static func tcpPair() throws -> (client: FileDescriptor, server: FileDescriptor) {
        let listener = try listeningSocket()
        defer { try? listener.fd.close() }
        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = loopback(port: listener.port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        precondition(connected == 0, "connect failed")
        let server = accept(listener.fd.rawValue, nil, nil)
        precondition(server >= 0, "accept failed")
        return (FileDescriptor(rawValue: client), FileDescriptor(rawValue: server))
    }

    /// A TCP socket listening on an ephemeral loopback port.
    public static func listeningSocket() throws -> (fd: FileDescriptor, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                precondition(bind(fd, $0, length) == 0, "bind failed")
                precondition(listen(fd, 64) == 0, "listen failed")
                precondition(getsockname(fd, $0, &length) == 0, "getsockname failed")
            }
        }
        return (FileDescriptor(rawValue: fd), UInt16(bigEndian: address.sin_port))
    }

    /// `127.0.0.1:port`.
    public static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = INADDR_LOOPBACK.bigEndian
        return address
    }

    /// Reads exactly `count` bytes from `fd` with plain syscalls.
    public static func readExactly(_ fd: FileDescriptor, _ count: Int) throws -> [UInt8] {
        var result = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = try result.withUnsafeMutableBytes {
                try fd.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[done...]))
            }
            if got == 0 { break }
            done += got
        }
        return Array(result[..<done])
    }

    /// Runs the program at `path` with `arguments` and waits; its exit status, or -1.
    public static func run(_ path: String, _ arguments: [String]) -> Int32 {
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        guard posix_spawn(&pid, path, nil, nil, argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : -1
    }

    /// ``run(_:_:)`` awaited on a thread of its own, for a program that takes
    /// seconds (the compiler): waited for on a thread of the cooperative pool,
    /// it would stall every other test.
    public static func runOffPool(_ path: String, _ arguments: [String]) async -> Int32 {
        (try? await BlockingWork.run(path) { _ in run(path, arguments) }) ?? -1
    }

    /// Whether this process runs under ThreadSanitizer, whose runtime can hang
    /// in a child forked from a multithreaded process.
    public static let underThreadSanitizer = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__tsan_init") != nil

    /// Whether this process runs under AddressSanitizer, whose quarantine keeps
    /// freed memory resident (its leak checker covers leaks instead).
    public static let underAddressSanitizer = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__asan_init") != nil

    /// Deterministic bytes for checking contents.
    public static func pattern(_ count: Int, seed: UInt8 = 1) -> [UInt8] {
        periodic(count, period: 256) { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) }
    }

    /// `count` bytes where byte `i` is `byte(i)`, for a `byte` that repeats every
    /// `period` bytes: the first period is computed, the rest copied in doubling
    /// runs. Computing every byte through a closure takes seconds for a few MiB in
    /// a debug build under the sanitizers, long enough to hold the cooperative
    /// pool's threads (two here) away from every other test.
    public static func periodic(_ count: Int, period: Int, _ byte: (Int) -> UInt8) -> [UInt8] {
        // Empty, the initializer would store a count into the shared empty-array storage,
        // which ThreadSanitizer reports as a race with every other empty array's reader.
        guard count > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            let first = min(count, period)
            for index in 0..<first { buffer[index] = byte(index) }
            var filled = first
            while filled < count {
                let run = min(filled, count - filled)
                memcpy(buffer.baseAddress! + filled, buffer.baseAddress!, run)
                filled += run
            }
            initialized = count
        }
    }
}

extension TestSupport {
    /// Runs the test `filter` in a child process of this test executable, with
    /// `marker` naming a file the child's test writes when it reaches its end
    /// (``reportChildFinished(_:)``); true only when the child exited 0 *and*
    /// reached that end, so a filter that matches nothing cannot pass.
    public static func childPasses(
        _ filter: String, marker: String, blockIOUring: Bool = false, fileSizeLimit: Int = 0, user: uid_t = 0
    ) -> Bool {
        let report = "/tmp/swift-uring-child-\(getpid())-\(marker)"
        unlink(report)
        defer { unlink(report) }
        let status = cts_run_self(filter, marker, report, blockIOUring ? 1 : 0, fileSizeLimit, Int32(user))
        let finished = (try? contents(of: report)) == Array("finished".utf8)
        return status == 0 && finished
    }

    /// ``childPasses(_:marker:blockIOUring:fileSizeLimit:user:)`` awaited on a
    /// thread of its own: a child can take many seconds under the sanitizers, and
    /// a wait on a thread of the cooperative pool would stall every other test.
    public static func childPassesOffPool(
        _ filter: String, marker: String, blockIOUring: Bool = false, fileSizeLimit: Int = 0, user: uid_t = 0
    ) async -> Bool {
        let passed = try? await BlockingWork.run("child") { _ in
            childPasses(filter, marker: marker, blockIOUring: blockIOUring, fileSizeLimit: fileSizeLimit, user: user)
        }
        return passed ?? false
    }

    /// Called last by a child-side test: tells the parent the child's checks ran to the end.
    public static func reportChildFinished(_ marker: String) throws {
        let path = try #require(getenv(marker).map { String(cString: $0) })
        try createFile(path, Array("finished".utf8))
    }
}

extension TestSupport {
    /// Runs `body` while SIGALRM hits this thread every `interval`.
    public static func underSignals(every interval: Duration, _ body: () throws -> Void) rethrows {
        let microseconds = interval.components.seconds * 1_000_000 + interval.components.attoseconds / 1_000_000_000_000
        let storm = cts_signal_storm_start(Int(microseconds))
        defer { _ = cts_signal_storm_stop(storm) }
        try body()
    }
}

extension TestSupport {
    /// The lines between `// README-BEGIN` and `// README-END` of the test source
    /// `file` (a name in the directory of `testFile`, the caller's `#filePath`), and
    /// whether README.md shows exactly those lines as a Swift code block.
    public static func readmeShowsExample(in file: String, besides testFile: String = #filePath) throws -> Bool {
        let directory = String(testFile.prefix(upTo: testFile.lastIndex(of: "/")!))
        let source = String(decoding: try contents(of: directory + "/" + file), as: UTF8.self)
        let readme = String(decoding: try contents(of: directory + "/../../README.md"), as: UTF8.self)
        let begin = try #require(source.firstRange(of: "// README-BEGIN\n"))
        let end = try #require(source.firstRange(of: "// README-END"))
        return readme.contains("```swift\n" + source[begin.upperBound..<end.lowerBound] + "```")
    }
}
