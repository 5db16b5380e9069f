import Glibc
import Testing
import UringNet

@Suite struct SocketAddressTests {
    @Test(arguments: ["127.0.0.1:8080", "[::1]:443", "0.0.0.0:0", "[fe80::1:2]:65535", "unix:/run/app.sock", "unix:@abstract-name"])
    func textRoundTrips(_ text: String) throws {
        let address = try SocketAddress(parsing: text)
        #expect(address.description == text)
        #expect(try SocketAddress(parsing: address.description) == address)
        #expect(SocketAddress(text) == address)
    }

    @Test func partsMatchTheKernelStructures() throws {
        let v4 = try SocketAddress(parsing: "10.1.2.3:8080")
        #expect(v4.family == AF_INET && v4.domain == .ipv4 && v4.port == 8080 && v4.host == "10.1.2.3")
        #expect(Int(v4.length) == MemoryLayout<sockaddr_in>.size)
        #expect(v4.bytes[2...3] == [0x1F, 0x90] && v4.bytes[4...7] == [10, 1, 2, 3], "network byte order")
        let v6 = SocketAddress.ipv6Loopback(port: 443)
        #expect(v6.family == AF_INET6 && v6.port == 443 && v6.host == "::1" && v6.description == "[::1]:443")
        #expect(SocketAddress.ipv4Loopback(port: 1).description == "127.0.0.1:1")
        #expect(SocketAddress.ipv4Any(port: 2).description == "0.0.0.0:2")
        #expect(SocketAddress.ipv6Any(port: 3).description == "[::]:3")
        let path = try SocketAddress.unix(path: "/tmp/x.sock")
        #expect(path.domain == .unix && path.port == nil && path.unixName == "/tmp/x.sock")
        #expect(Int(path.length) == MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + 12, "the path and its zero")
    }

    @Test func storageRoundTripsAndHashes() throws {
        let address = try SocketAddress(parsing: "[2001:db8::7]:9")
        let copy = SocketAddress(address.storage, length: address.length)
        #expect(copy == address && copy.hashValue == address.hashValue)
        #expect(Set([address, copy, .ipv4Loopback(port: 9)]).count == 2)
        #expect(
            SocketAddress(address.storage, length: 4096).length == socklen_t(MemoryLayout<sockaddr_storage>.size), "cut to the structure")
    }

    @Test(arguments: [
        "", "localhost", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "1.2.3:80", "::1:80", "[::1:80", "[nothost]:1", "host:80",
    ])
    func unreadableTextIsRejectedWithTheForms(_ text: String) {
        #expect {
            try SocketAddress(parsing: text)
        } throws: { error in
            guard let error = error as? UringError else { return false }
            return error.errno == .invalidArgument && error.detail?.contains("“\(text)”") == true
                && error.detail?.contains("127.0.0.1:8080") == true
        }
        #expect(SocketAddress(text) == nil)
    }

    @Test func aUnixPathLongerThanSunPathIsRejected() throws {
        let longest = "/" + String(repeating: "a", count: SocketAddress.maximumUnixPathLength - 1)
        #expect(try SocketAddress.unix(path: FilePath(longest)).unixName == longest)
        let error = #expect(throws: UringError.self) { try SocketAddress.unix(path: FilePath(longest + "a")) }
        #expect(error?.errno == .fileNameTooLong)
        #expect(error?.detail?.contains("108 bytes; sun_path holds at most 107") == true)
        #expect(throws: UringError.self) { try SocketAddress(parsing: "unix:" + longest + "a") }
        #expect(throws: UringError.self) { try SocketAddress.unix(path: "") }
    }

    @Test(.timeLimit(.minutes(1)))
    func localhostResolvesOffTheRingThread() async throws {
        let found = try await SocketAddress.resolve("localhost", port: 80)
        #expect(!found.isEmpty)
        #expect(found.allSatisfy { $0.port == 80 })
        #expect(found.contains { $0.host == "127.0.0.1" || $0.host == "::1" })
        let numeric = try await SocketAddress.resolve("127.0.0.1", port: 7)
        #expect(numeric == [.ipv4Loopback(port: 7)])
    }

    @Test(.timeLimit(.minutes(1)))
    func anUnknownNameFailsWithTheResolversWords() async throws {
        let error = await #expect(throws: UringError.self) {
            try await SocketAddress.resolve("no-such-host.invalid", port: 80)
        }
        #expect(error?.operation == "getaddrinfo")
        #expect([.noSuchFileOrDirectory, .resourceTemporarilyUnavailable].contains(error?.errno), "unknown or no resolver")
        #expect(error?.detail?.hasPrefix("“no-such-host.invalid”: ") == true)
    }
}
