import Glibc
import Testing
import UringNet

/// Shared pieces of the UringNet tests.
enum Net {
    /// A listener on a free loopback port and a connection to it, both on `executor`.
    static func connectedPair(on executor: RingExecutor) async throws -> (
        listener: TCPListener, client: TCPConnection, server: TCPConnection
    ) {
        let listener = try TCPListener.bind(to: .ipv4Loopback(port: 0), on: executor)
        var accepted = listener.connections.makeAsyncIterator()
        let client = try await TCPConnection.connect(to: listener.address, on: executor)
        let server = try #require(try await accepted.next())
        return (listener, client, server)
    }

    /// Runs `body` with a listener on a free loopback port and a connection to
    /// it, on an executor of their own; closes the three after `body` and checks
    /// that every buffer group came back.
    static func withPair(_ body: (TCPListener, TCPConnection, TCPConnection) async throws -> Void) async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let (listener, client, server) = try await connectedPair(on: executor)
        try await body(listener, client, server)
        try await client.close()
        try await server.close()
        try await listener.close()
        #expect(executor.bufferGroupsInUse == 0, "every receive stream gave its buffer group back")
    }

    /// Reads until `count` bytes came or the peer shut down.
    static func read(_ connection: TCPConnection, count: Int) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        let buffer = try IOBuffer(capacity: 65536)
        while bytes.count < count {
            let (got, _) = try await connection.read(into: buffer, count: min(buffer.capacity, count - bytes.count), timeout: .seconds(10))
            if got == 0 { break }
            bytes += try buffer.bytes(count: got)
        }
        return bytes
    }

    /// How many descriptors this process has open.
    static var openDescriptors: Int {
        guard let handle = opendir("/proc/self/fd") else { return -1 }
        defer { closedir(handle) }
        var count = 0
        while readdir(handle) != nil { count += 1 }
        return count
    }

    /// This process's resident set in KiB (VmRSS).
    static var residentKiB: Int {
        guard let file = fopen("/proc/self/status", "r") else { return -1 }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text.hasPrefix("VmRSS:") { return Int(text.split(separator: " ")[1]) ?? -1 }
        }
        return -1
    }
}
