import Glibc
import SystemPackage
import Testing
@testable import Uring
import UringTestSupport

/// RingContext's typed wrappers for every operation of the core that pyuring's
/// context offers: each checked by its effect on real files, pipes and sockets.
@Suite("RingContext wrappers")
struct RingContextWrapperTests {
    static func withFile(_ bytes: [UInt8] = [], _ body: (RingContext, FileDescriptor, String) throws -> Void) throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        try TestSupport.createFile(directory + "/f", bytes)
        let fd = try FileDescriptor.open(directory + "/f", .readWrite)
        defer { try? fd.close() }
        try body(try RingContext(entries: 16), fd, directory + "/f")
    }

    @Test func nopAndInjectedResults() throws {
        let context = try RingContext(entries: 8)
        #expect(try context.nop() == 0)
        #expect(try context.nop(result: 7) == 7)
        let error = #expect(throws: UringError.self) { try context.nop(result: -EIO) }
        #expect(error?.errno == .ioError && error?.operation == "nop")
    }

    @Test("An expired timer is a normal result; a queued one can be removed")
    func timeouts() throws {
        let context = try RingContext(entries: 8)
        let clock = ContinuousClock()
        var outcome: TimeoutOutcome?
        let elapsed = try clock.measure { outcome = try context.timeout(.milliseconds(20)) }
        #expect(outcome == .expired && elapsed >= .milliseconds(15))
        try context.timeoutAsync(.seconds(30), userData: 5)
        try context.submit()
        try context.timeoutRemove(userData: 5)
        let removed = try context.waitCompletion()
        #expect(removed.userData == 5 && removed.result == -ECANCELED)
        let missing = #expect(throws: UringError.self) { try context.timeoutRemove(userData: 99) }
        #expect(missing?.errno == .noSuchFileOrDirectory)
        let pair = try context.armAndRemoveTimeout(.seconds(30))
        #expect(pair.timeout == -ECANCELED && pair.remove == 0)
    }

    @Test("A linked timeout cuts a read that gets no data, and lets one that does finish")
    func linkTimeout() throws {
        let context = try RingContext(entries: 8)
        let pipe = try TestSupport.makePipe()
        defer {
            try? pipe.read.close()
            try? pipe.write.close()
        }
        var bytes = [UInt8](repeating: 0, count: 8)
        let error = #expect(throws: UringError.self) {
            try bytes.withUnsafeMutableBytes { try context.perform(Read(.descriptor(pipe.read), into: $0), timeout: .milliseconds(30)) }
        }
        #expect(error?.errno == Errno(rawValue: ETIME) && error?.detail?.contains("no completion within") == true)
        _ = try pipe.write.writeAll([4, 5])
        let got = try bytes.withUnsafeMutableBytes { try context.perform(Read(.descriptor(pipe.read), into: $0), timeout: .seconds(5)) }
        #expect(got == 2 && Array(bytes.prefix(2)) == [4, 5])
    }

    @Test("Cancel by user data and by descriptor; poll update and remove")
    func cancelAndPollControl() throws {
        let context = try RingContext(entries: 16)
        let pipe = try TestSupport.makePipe()
        defer {
            try? pipe.read.close()
            try? pipe.write.close()
        }
        try context.readAsync(pipe.read, length: 4, userData: 1)
        try context.submit()
        try context.cancel(userData: 1)
        let cancelled = try context.waitCompletion()
        #expect(cancelled.userData == 1 && cancelled.result == -ECANCELED)
        try context.readAsync(pipe.read, length: 4, userData: 2)
        try context.readAsync(pipe.read, length: 4, userData: 3)
        try context.submit()
        #expect(try context.cancel(fd: pipe.read) == 2)
        let results = try [context.waitCompletion(), context.waitCompletion()]
        #expect(Set(results.map(\.userData)) == [2, 3] && results.allSatisfy { $0.result == -ECANCELED })

        try context.pollAddAsync(pipe.read, events: UInt32(POLLIN), userData: 10)
        try context.pollAddAsync(pipe.read, events: UInt32(POLLIN), userData: 11)
        try context.submit()
        try context.pollUpdate(userData: 10, newUserData: 12)
        try context.pollRemove(userData: 11)
        let removed = try context.waitCompletion()
        #expect(removed.userData == 11 && removed.result == -ECANCELED)
        _ = try pipe.write.writeAll([1])
        let ready = try context.waitCompletion()
        #expect(ready.userData == 12 && ready.result & Int32(POLLIN) != 0, "the update moved the poll to user data 12")
    }

    @Test func vectoredReadsAndWrites() throws {
        try Self.withFile { context, fd, path in
            #expect(try context.writev(fd, [[1, 2, 3], [], [4, 5]], offset: 2) == 5)
            #expect(try TestSupport.contents(of: path) == [0, 0, 1, 2, 3, 4, 5])
            #expect(try context.readv(fd, lengths: [2, 3, 4], offset: 1) == [[0, 1], [2, 3, 4], [5]])
            try context.syncFileRange(fd)
            let error = #expect(throws: UringError.self) { _ = try context.readv(fd, lengths: [2, -1]) }
            #expect(error?.errno == .invalidArgument)
        }
    }

    @Test(.enabled(if: TestSupport.supports(.readvFixed), "needs IORING_OP_READV_FIXED (Linux 6.15)"))
    func vectoredFixedReadsAndWrites() throws {
        try Self.withFile { context, fd, path in
            try context.registerBuffers(count: 1, size: 4096)
            #expect(try context.writevFixed(fd, bufferIndex: 0, [[9, 8], [7]]) == 3)
            #expect(try TestSupport.contents(of: path) == [9, 8, 7])
            #expect(try context.readvFixed(fd, bufferIndex: 0, lengths: [1, 5]) == [[9], [8, 7]])
            let tooBig = #expect(throws: UringError.self) { _ = try context.readvFixed(fd, bufferIndex: 0, lengths: [4096, 1]) }
            #expect(tooBig?.errno == .invalidArgument)
        }
    }

    @Test("Messages, shutdown and accept with the peer's address over loopback TCP")
    func socketWrappers() throws {
        let context = try RingContext(entries: 8)
        let (client, server) = try TestSupport.tcpPair()
        defer {
            try? client.close()
            try? server.close()
        }
        #expect(try context.sendmsg(client, [Array("hel".utf8), Array("lo".utf8)]) == 5)
        #expect(try TestSupport.readExactly(server, 5) == Array("hello".utf8))
        _ = try server.writeAll(Array("back".utf8))
        let message = try context.recvmsg(client, maxLength: 16)
        #expect(message.bytes == Array("back".utf8))
        try context.shutdown(server, how: Int32(SHUT_WR))
        #expect(try context.recvmsg(client, maxLength: 16).bytes.isEmpty, "the peer saw the end of the stream")

        let listener = try TestSupport.listeningSocket()
        defer { try? listener.fd.close() }
        let dialer = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { Glibc.close(dialer) }
        var target = TestSupport.loopback(port: listener.port)
        let connected = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(dialer, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(connected == 0)
        var local = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(dialer, $0, &length) }
        }
        let accepted = try context.acceptWithAddress(listener.fd)
        defer { try? accepted.fd.close() }
        #expect(accepted.peer.family == AF_INET)
        #expect(accepted.peer.port == UInt16(bigEndian: local.sin_port))
        #expect(accepted.peer.description == "127.0.0.1:\(UInt16(bigEndian: local.sin_port))")
    }

    @Test(.enabled(if: TestSupport.supports(.provideBuffers), "needs IORING_OP_PROVIDE_BUFFERS (Linux 5.7)"))
    func provideAndRemoveBuffers() throws {
        let context = try RingContext(entries: 8)
        #expect(try context.provideBuffers(count: 4, size: 256, group: 3) == 4)
        #expect(try context.removeBuffers(count: 10, group: 3) == 4, "the kernel held exactly the 4 provided")
        #expect(((try? context.removeBuffers(count: 1, group: 3)) ?? 0) == 0, "nothing is left in the group")
    }

    @Test("readThenWrite copies through one linked pair; a short read is written, not claimed")
    func linkedReadThenWrite() throws {
        let source = TestSupport.pattern(6000, seed: 3)
        try Self.withFile(source) { context, fd, path in
            let destination = try FileDescriptor.open(path + ".copy", .readWrite, options: .create, permissions: .ownerReadWrite)
            defer {
                try? destination.close()
                unlink(path + ".copy")
            }
            #expect(try context.readThenWrite(from: fd, at: 0, to: destination, at: 0, length: 1000) == 1000)
            #expect(try context.readThenWrite(from: fd, at: 1000, to: destination, at: 1000, length: 10_000) == 5000)
            #expect(try TestSupport.contents(of: path + ".copy") == source)
        }
    }

    @Test("Raw opcode numbers, the newest constants and the version")
    func probeNumbersConstantsAndVersion() throws {
        let context = try RingContext(entries: 4)
        #expect(try context.probeOpcodeSupported(rawOpcode: UAPI.IORING_OP_READ))
        #expect(try !context.probeOpcodeSupported(rawOpcode: 300))
        try Probe.require(rawOpcode: UAPI.IORING_OP_READ)
        let unknown = #expect(throws: UringError.self) { try Probe.require(rawOpcode: 250) }
        #expect(unknown?.errno == .notSupported && unknown?.detail?.contains("250") == true)
        let invalid = #expect(throws: UringError.self) { try Probe.require(rawOpcode: 300) }
        #expect(invalid?.errno == .invalidArgument)
        #expect(UAPI.IORING_OP_NOP128 == 63 && UAPI.IORING_OP_URING_CMD128 == 64)
        #expect(UAPI.IORING_SETUP_SQE_MIXED == 1 << 19 && UAPI.value(named: "IORING_SETUP_SQE_MIXED") == 1 << 19)
        #expect(Opcode.nop128.introducedIn == "6.19")
        let parts = SwiftUring.version.split(separator: ".")
        #expect(parts.count == 3 && parts.allSatisfy { Int($0) != nil })
    }

    @Test(.enabled(if: TestSupport.supports(.nop128), "needs IORING_OP_NOP128 (Linux 6.19)"))
    func nop128OnA128ByteRing() throws {
        var ring = try Ring(entries: 4, options: RingOptions(flags: .sqe128))
        ring.push(Nop128(result: 3), userData: 8)
        try ring.submit(waitingFor: 1)
        let completion = try #require(try ring.nextCompletion())
        #expect(completion.userData == 8 && completion.result == 3)
    }
}
