import CUringTestSupport
import Glibc
import SystemPackage
import Testing
@testable import Uring
import UringTestSupport

/// IOSQE_* options, injected NOP results, socket commands, send bundles, and the
/// zero-allocation push.
@Suite("Submission options and commands")
struct SubmissionOptionTests {
    @Test func injectedResultsAndLinkChains() throws {
        var ring = try Ring(entries: 8)
        #expect(try TestSupport.roundTrip(&ring, Nop(result: 17)).result == 17)
        ring.push(Nop(result: -Int32(EIO)), userData: 1, flags: .link)
        ring.push(Nop(), userData: 2)
        let broken = try TestSupport.completions(&ring, count: 2)
        #expect(broken.first { $0.userData == 1 }?.error == .ioError)
        #expect(broken.first { $0.userData == 2 }?.error == .canceled, "a failed link cancels the rest of the chain")

        ring.push(Nop(result: -Int32(EIO)), userData: 3, options: SubmissionOptions(flags: .hardLink))
        ring.push(Nop(), userData: 4)
        let hard = try TestSupport.completions(&ring, count: 2)
        #expect(hard.first { $0.userData == 4 }?.result == 0, "a hard link runs the next one anyway")
    }

    @Test func skipSuccessDrainAndAsync() throws {
        let pipe = try TestSupport.makePipe()
        defer {
            try? pipe.read.close()
            try? pipe.write.close()
        }
        var ring = try Ring(entries: 8)
        ring.push(Nop(), userData: 1, options: SubmissionOptions(flags: .skipSuccess))
        ring.push(Nop(result: -Int32(EPERM)), userData: 2, options: SubmissionOptions(flags: .skipSuccess))
        ring.push(Nop(), userData: 3)
        let seen = try TestSupport.completions(&ring, count: 2)
        #expect(Set(seen.map(\.userData)) == [2, 3], "a skipped success posts nothing; a failure still does")

        var drainRing = try Ring(entries: 8)

        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4, alignment: 4)
        defer { buffer.deallocate() }
        drainRing.push(Read(.descriptor(pipe.read), into: buffer), userData: 10)
        drainRing.push(Nop(), userData: 11, options: SubmissionOptions(flags: .drain))
        try drainRing.submit()
        #expect(try drainRing.waitCompletion(timeout: .milliseconds(30)) == nil, "the drained NOP waits for the read")
        _ = try pipe.write.writeAll([1])
        let drained = try TestSupport.completions(&drainRing, count: 2)
        #expect(drained.map(\.userData) == [10, 11])

        _ = try pipe.write.writeAll([5, 6])
        let priority = SubmissionOptions(flags: .async, ioPriority: UInt16(2 << 13 | 4))
        drainRing.push(Read(.descriptor(pipe.read), into: buffer), userData: 12, options: priority)
        #expect(try TestSupport.completions(&drainRing, count: 1)[0].result == 2, "best-effort priority 4, run async")
    }

    @Test(.enabled(if: TestSupport.supports(.uringCommand), "needs IORING_OP_URING_CMD (Linux 5.19)"))
    func socketCommandsReportQueuesAndOptions() throws {
        let pair = try TestSupport.tcpPair()
        defer {
            try? pair.client.close()
            try? pair.server.close()
        }
        var ring = try Ring(entries: 8)
        _ = try pair.server.writeAll(TestSupport.pattern(123))
        var waiting: Int32 = 0
        for _ in 0..<100 where waiting < 123 {
            waiting = try TestSupport.roundTrip(&ring, SocketCommand(.descriptor(pair.client), .bytesToRead)).value(for: "SIOCINQ")
            if waiting < 123 { usleep(1000) }
        }
        #expect(waiting == 123)
        #expect(try TestSupport.roundTrip(&ring, SocketCommand(.descriptor(pair.client), .bytesToSend)).result == 0)

        var size: Int32 = 65536
        let set = try withUnsafeBytes(of: &size) {
            try TestSupport.roundTrip(
                &ring, SocketCommand(.descriptor(pair.client), .setOption(level: SOL_SOCKET, name: SO_RCVBUF, value: $0)))
        }
        #expect(set.result == 0)
        var read: Int32 = 0
        let got = try withUnsafeMutableBytes(of: &read) {
            try TestSupport.roundTrip(
                &ring, SocketCommand(.descriptor(pair.client), .getOption(level: SOL_SOCKET, name: SO_RCVBUF, value: $0)))
        }
        #expect(got.result == 4)
        #expect(read == 2 * 65536, "Linux doubles SO_RCVBUF")

        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        try TestSupport.createFile(directory + "/plain", [1])
        let file = try FileDescriptor.open(FilePath(directory + "/plain"), .readOnly)
        defer { try? file.close() }
        let notASocket = try TestSupport.roundTrip(&ring, SocketCommand(.descriptor(file), .bytesToRead))
        #expect(notASocket.error == .notSupportedOnSocket, "a regular file has no uring_cmd")
    }

    @Test(.enabled(if: TestSupport.supports(.send), "needs IORING_OP_SEND"))
    func sendBundleSendsSeveralProvidedBuffersAtOnce() throws {
        let pair = try TestSupport.tcpPair()
        defer {
            try? pair.client.close()
            try? pair.server.close()
        }
        var ring = try Ring(entries: 8)
        let buffers = try ring.registerBufferRing(group: 4, entries: 4, bufferSize: 8)
        for id in 0..<4 { buffers.buffer(UInt16(id)).copyBytes(from: TestSupport.pattern(8, seed: UInt8(id))) }
        let sent = try TestSupport.roundTrip(&ring, Send(.descriptor(pair.client), .provided(group: 4), bundle: true))
        #expect(sent.result == 32, "all four buffers in one send")
        let expected = (0..<4).flatMap { TestSupport.pattern(8, seed: UInt8($0)) }
        #expect(try TestSupport.readExactly(pair.server, 32) == expected)
    }

    @Test(.enabled(if: cts_allocation_counting_available() != 0, "malloc is not counted under a sanitizer"))
    func pushingOperationsAllocatesNothing() throws {
        var ring = try Ring(entries: 256)
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 8)
        let time = TestSupport.pinned(KernelTimespec(.seconds(1)))
        defer {
            memory.deallocate()
            time.deallocate()
        }
        let file = FileTarget.descriptor(FileDescriptor(rawValue: 0))
        func allocations(_ push: (inout Ring) -> Void) -> Int {
            push(&ring)
            ring.discardUnsubmitted()
            cts_count_allocations(1)
            for _ in 0..<200 { push(&ring) }
            cts_count_allocations(0)
            ring.discardUnsubmitted()
            return cts_allocation_count()
        }
        #expect(allocations { $0.push(Nop(), userData: 1) } == 0)
        #expect(allocations { $0.push(Read(file, into: .registered(memory, index: 0)), userData: 2) } == 0)
        #expect(allocations { $0.push(Write(file, from: .plain(UnsafeRawBufferPointer(memory))), userData: 3, flags: .link) } == 0)
        #expect(allocations { $0.push(Receive(file, into: .provided(group: 1), multishot: true), userData: 4) } == 0)
        #expect(
            allocations {
                $0.push(Timeout(time, count: 1, clock: .boot), userData: 5, options: SubmissionOptions(flags: .async, personality: 1))
            } == 0)
        #expect(allocations { $0.push(AsyncCancel(.file(.fixed(3)), all: true), userData: 6) } == 0)
    }
}

/// getsockname through `SOCKET_URING_OP_GETSOCKNAME`, which only newer kernels have.
@Suite("Socket name command")
struct SocketNameCommandTests {
    /// Whether this kernel answers the command on a TCP socket.
    static let supported: Bool = {
        guard let listener = try? TestSupport.listeningSocket() else { return false }
        defer { try? listener.fd.close() }
        return (try? name(of: listener.fd, as: sockaddr_storage()))?.result == 0
    }()

    /// Asks for the local name of `socket` through the ring, into a `T`; the
    /// command's result and the address it wrote.
    static func name<T>(of socket: FileDescriptor, as empty: T) throws -> (result: Int32, address: T) {
        var ring = try Ring(entries: 4)
        let address = TestSupport.pinned(empty)
        let length = TestSupport.pinned(socklen_t(MemoryLayout<T>.size))
        defer {
            address.deallocate()
            length.deallocate()
        }
        let name = SocketCommand(
            .descriptor(socket),
            .getName(
                address: UnsafeMutableRawPointer(address).assumingMemoryBound(to: sockaddr.self), length: length, peer: false))
        return (try TestSupport.roundTrip(&ring, name).result, address.pointee)
    }

    @Test(.enabled(if: supported, "needs SOCKET_URING_OP_GETSOCKNAME (Linux 6.19)"))
    func getNameReturnsTheBoundPort() throws {
        let listener = try TestSupport.listeningSocket()
        defer { try? listener.fd.close() }
        let (result, address) = try Self.name(of: listener.fd, as: sockaddr_in())
        #expect(result == 0)
        #expect(UInt16(bigEndian: address.sin_port) == listener.port)
    }
}

/// The block discard command on a loop device backed by a temporary file.
@Suite("Block discard command")
struct BlockDiscardTests {
    static let loopDevicesUsable = geteuid() == 0 && access("/dev/loop-control", W_OK) == 0

    @Test(
        .enabled(if: loopDevicesUsable, "needs root and /dev/loop-control to attach a loop device"),
        .enabled(if: TestSupport.supports(.uringCommand), "needs IORING_OP_URING_CMD (Linux 6.12 for discard)"))
    func discardPunchesTheRangeOutOfTheBackingFile() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let contents = TestSupport.pattern(1 << 20, seed: 9)
        try TestSupport.createFile(directory + "/disk.img", contents)
        let backing = try FileDescriptor.open(FilePath(directory + "/disk.img"), .readWrite)
        defer { try? backing.close() }
        let loop = cts_loop_attach(backing.rawValue)
        try #require(loop >= 0, "attaching a loop device failed with errno \(-loop)")
        defer { cts_loop_detach(loop) }

        var ring = try Ring(entries: 4)
        let device = FileTarget.descriptor(FileDescriptor(rawValue: loop))
        let discarded = try TestSupport.roundTrip(&ring, UringCommand.discard(device, offset: 4096, length: 8192))
        #expect(discarded.result == 0)
        var after = [UInt8](repeating: 0xFF, count: contents.count)
        let read = after.withUnsafeMutableBytes { pread(backing.rawValue, $0.baseAddress, $0.count, 0) }
        #expect(read == contents.count)
        #expect(after[4096..<12288].allSatisfy { $0 == 0 }, "the discarded range reads as zeros")
        #expect(after[..<4096] == contents[..<4096] && after[12288...] == contents[12288...], "nothing else changed")

        let unaligned = try TestSupport.roundTrip(&ring, UringCommand.discard(device, offset: 100, length: 512))
        #expect(unaligned.error == .invalidArgument, "a range off the sector size fails in its completion")
    }
}
