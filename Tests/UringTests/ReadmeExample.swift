// The README's example, compiled and run by ReadmeExampleTests. The lines
// between the markers must stay identical to the README's code block.
// README-BEGIN
import Glibc
import SystemPackage
import Uring

/// Submits what is queued, waits for one completion, traps its error, marks it seen.
func submitAndWait(_ ring: inout Ring, _ operation: String) throws -> Int32 {
    try ring.submit(waitingFor: 1)
    let completion = try ring.waitCompletion()
    ring.markSeen()
    return try completion.value(for: operation)
}

/// Open, write, read and close a file, every step through the ring.
func simpleFileExample(path: String) throws -> String {
    var ring = try Ring(entries: 8)
    let fd = try path.withCString { cPath in
        ring.push(OpenAt(cPath, flags: O_CREAT | O_RDWR | O_TRUNC, mode: 0o660))
        return FileDescriptor(rawValue: try submitAndWait(&ring, "openat"))
    }
    let written = try Array("hello world".utf8).withUnsafeBytes { bytes in
        ring.push(Write(.descriptor(fd), from: bytes, at: 0))
        return try submitAndWait(&ring, "write")
    }
    var content = [UInt8](repeating: 0, count: Int(written))
    let read = try content.withUnsafeMutableBytes { buffer in
        ring.push(Read(.descriptor(fd), into: buffer, at: 0))
        return try submitAndWait(&ring, "read")
    }
    ring.push(Close(.descriptor(fd)))
    _ = try submitAndWait(&ring, "close")
    return String(decoding: content.prefix(Int(read)), as: UTF8.self)
}
// README-END
