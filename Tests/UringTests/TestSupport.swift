import Glibc
import SystemPackage
import Testing
@testable import Uring

/// Helpers shared by the test files: temporary files, pipes, plain-syscall checks.
enum TestSupport {
    /// A fresh temporary directory under /tmp.
    static func makeTemporaryDirectory() -> String {
        var template = Array("/tmp/swift-uring-test-XXXXXX".utf8CString)
        let result = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(result != nil, "mkdtemp failed")
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Removes `directory` and the plain files in it.
    static func removeDirectory(_ directory: String) {
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
    static func contents(of path: String) throws -> [UInt8] {
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
    static func createFile(_ path: String, _ bytes: [UInt8]) throws {
        let fd = try FileDescriptor.open(
            FilePath(path), .writeOnly, options: [.create, .truncate], permissions: [.ownerReadWrite])
        defer { try? fd.close() }
        _ = try bytes.withUnsafeBytes { try fd.writeAll($0) }
    }

    /// A pipe (read end, write end).
    static func makePipe() throws -> (read: FileDescriptor, write: FileDescriptor) {
        let ends = try FileDescriptor.pipe()
        return (ends.readEnd, ends.writeEnd)
    }

    /// Whether `fd` is an open descriptor of this process.
    static func isOpen(_ fd: Int32) -> Bool { fcntl(fd, F_GETFD) != -1 }

    /// Whether the kernel accepts a ring with exactly these options.
    static func accepts(_ options: RingOptions) -> Bool {
        (try? Ring(entries: 4, options: options)) != nil
    }

    /// Pushes one operation, submits, waits for its completion and consumes it.
    static func roundTrip<Operation: RingOperation>(
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
