import Glibc
import SystemPackage
import Testing
@testable import Uring
import UringTestSupport

/// Sockets on loopback: socket, bind, listen, connect, accept (plain, multishot,
/// fixed), send, sendto, sendmsg, zero-copy sends, recv, recvmsg, shutdown.
@Suite("Network")
struct NetworkTests {
    static let inetLength = socklen_t(MemoryLayout<sockaddr_in>.size)
    static let streamType = Int32(SOCK_STREAM.rawValue)

    @Test(.enabled(if: TestSupport.supports(.listen), "needs IORING_OP_BIND/LISTEN (Linux 6.11)"))
    func socketBindListenConnectAcceptThroughTheRing() throws {
        var ring = try Ring(entries: 16)
        let listener = FileDescriptor(
            rawValue: try TestSupport.roundTrip(&ring, Socket(domain: AF_INET, type: Self.streamType)).value(for: "socket"))
        defer { try? listener.close() }
        let address = TestSupport.pinned(TestSupport.loopback(port: 0))
        let length = TestSupport.pinned(Self.inetLength)
        defer {
            address.deallocate()
            length.deallocate()
        }
        let generic = UnsafeMutableRawPointer(address).assumingMemoryBound(to: sockaddr.self)
        #expect(try TestSupport.roundTrip(&ring, Bind(.descriptor(listener), to: generic, length: Self.inetLength)).result == 0)
        #expect(try TestSupport.roundTrip(&ring, Listen(.descriptor(listener), backlog: 8)).result == 0)
        getsockname(listener.rawValue, generic, length)

        let client = FileDescriptor(
            rawValue: try TestSupport.roundTrip(&ring, Socket(domain: AF_INET, type: Self.streamType)).value(for: "socket"))
        defer { try? client.close() }
        let peer = TestSupport.pinned(sockaddr())
        let peerLength = TestSupport.pinned(socklen_t(MemoryLayout<sockaddr>.size))
        defer {
            peer.deallocate()
            peerLength.deallocate()
        }
        ring.push(Accept(.descriptor(listener), address: peer, addressLength: peerLength), userData: 1)
        ring.push(Connect(.descriptor(client), to: generic, length: Self.inetLength), userData: 2)
        let results = try TestSupport.completions(&ring, count: 2)
        let accepted = try #require(results.first { $0.userData == 1 }).value(for: "accept")
        #expect(results.first { $0.userData == 2 }?.result == 0)
        let server = FileDescriptor(rawValue: accepted)
        defer { try? server.close() }
        #expect(peer.pointee.sa_family == sa_family_t(AF_INET))

        let message = Array("over loopback".utf8)
        let sent = try message.withUnsafeBytes {
            try TestSupport.roundTrip(&ring, Send(.descriptor(client), .plain($0))).value(for: "send")
        }
        #expect(Int(sent) == message.count)
        #expect(try TestSupport.readExactly(server, message.count) == message)
        #expect(try TestSupport.roundTrip(&ring, Shutdown(.descriptor(client), how: Int32(SHUT_WR))).result == 0)
        var tail = [UInt8](repeating: 0, count: 4)
        #expect(try tail.withUnsafeMutableBytes { try server.read(into: $0) } == 0, "peer sees end of stream")
    }

    @Test(.enabled(if: TestSupport.supports(.socket), "needs IORING_OP_SOCKET (Linux 5.19)"))
    func directSocketsConnectAndSendFromAFixedSlot() throws {
        let listener = try TestSupport.listeningSocket()
        defer { try? listener.fd.close() }
        var ring = try Ring(entries: 8)
        try ring.registerSparseFiles(count: 4)
        let placed = try TestSupport.roundTrip(&ring, Socket(domain: AF_INET, type: Self.streamType, slot: .at(2)))
        #expect(placed.result == 0)
        let chosen = try TestSupport.roundTrip(&ring, Socket(domain: AF_INET, type: Self.streamType, slot: .anyFree))
        #expect(chosen.result >= 0 && chosen.result < 4 && chosen.result != 2)

        let address = TestSupport.pinned(TestSupport.loopback(port: listener.port))
        defer { address.deallocate() }
        let generic = UnsafeMutableRawPointer(address).assumingMemoryBound(to: sockaddr.self)
        #expect(try TestSupport.roundTrip(&ring, Connect(.fixed(2), to: generic, length: Self.inetLength)).result == 0)
        let server = FileDescriptor(rawValue: accept(listener.fd.rawValue, nil, nil))
        defer { try? server.close() }
        let message = Array("from slot 2".utf8)
        let sent = try message.withUnsafeBytes { try TestSupport.roundTrip(&ring, Send(.fixed(2), .plain($0))).result }
        #expect(Int(sent) == message.count)
        #expect(try TestSupport.readExactly(server, message.count) == message)
    }

    @Test func receiveGetsTheBytesAndZeroAtClose() throws {
        let pair = try TestSupport.tcpPair()
        defer { try? pair.client.close() }
        var ring = try Ring(entries: 8)
        let payload = TestSupport.pattern(3000)
        _ = try payload.withUnsafeBytes { try pair.server.writeAll($0) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while received.count < payload.count {
            let count = try buffer.withUnsafeMutableBytes {
                try TestSupport.roundTrip(&ring, Receive(.descriptor(pair.client), into: .plain($0))).value(for: "recv")
            }
            received += buffer[..<Int(count)]
        }
        #expect(received == payload)
        try pair.server.close()
        let end = try buffer.withUnsafeMutableBytes {
            try TestSupport.roundTrip(&ring, Receive(.descriptor(pair.client), into: .plain($0)))
        }
        #expect(end.result == 0)
    }

    @Test func sendToAndMessagesOverUDP() throws {
        let receiver = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        let sender = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer {
            close(receiver)
            close(sender)
        }
        let address = TestSupport.pinned(TestSupport.loopback(port: 0))
        var length = Self.inetLength
        defer { address.deallocate() }
        let generic = UnsafeMutableRawPointer(address).assumingMemoryBound(to: sockaddr.self)
        #expect(bind(receiver, generic, length) == 0)
        getsockname(receiver, generic, &length)
        var ring = try Ring(entries: 8)

        let datagram = Array("datagram".utf8)
        let sent = try datagram.withUnsafeBytes {
            try TestSupport.roundTrip(
                &ring, Send(.descriptor(FileDescriptor(rawValue: sender)), .plain($0), to: generic, destinationLength: length))
        }
        #expect(sent.result == Int32(datagram.count))

        var incoming = [UInt8](repeating: 0, count: 64)
        let source = TestSupport.pinned(sockaddr_in())
        defer { source.deallocate() }
        let count = try incoming.withUnsafeMutableBytes { bytes in
            var vector = iovec(iov_base: bytes.baseAddress, iov_len: bytes.count)
            return try withUnsafeMutablePointer(to: &vector) { vectorPointer in
                let header = TestSupport.pinned(msghdr())
                defer { header.deallocate() }
                header.pointee.msg_name = UnsafeMutableRawPointer(source)
                header.pointee.msg_namelen = Self.inetLength
                header.pointee.msg_iov = vectorPointer
                header.pointee.msg_iovlen = 1
                return try TestSupport.roundTrip(
                    &ring, ReceiveMessage(.descriptor(FileDescriptor(rawValue: receiver)), message: header)
                ).value(for: "recvmsg")
            }
        }
        #expect(Array(incoming[..<Int(count)]) == datagram)
        #expect(source.pointee.sin_addr.s_addr == INADDR_LOOPBACK.bigEndian)

        let parts = [Array("send".utf8), Array("msg".utf8)]
        let reply = try parts[0].withUnsafeBytes { first in
            try parts[1].withUnsafeBytes { second in
                var vectors = [
                    iovec(iov_base: UnsafeMutableRawPointer(mutating: first.baseAddress), iov_len: first.count),
                    iovec(iov_base: UnsafeMutableRawPointer(mutating: second.baseAddress), iov_len: second.count),
                ]
                return try vectors.withUnsafeMutableBufferPointer { vectorBuffer in
                    let header = TestSupport.pinned(msghdr())
                    defer { header.deallocate() }
                    header.pointee.msg_name = UnsafeMutableRawPointer(address)
                    header.pointee.msg_namelen = length
                    header.pointee.msg_iov = vectorBuffer.baseAddress
                    header.pointee.msg_iovlen = 2
                    return try TestSupport.roundTrip(
                        &ring, SendMessage(.descriptor(FileDescriptor(rawValue: sender)), message: header)
                    ).value(for: "sendmsg")
                }
            }
        }
        #expect(reply == 7)
        let got = recv(receiver, &incoming, 64, 0)
        #expect(Array(incoming[..<got]) == Array("sendmsg".utf8))
    }

    @Test(.enabled(if: TestSupport.supports(.sendZeroCopy), "needs IORING_OP_SEND_ZC (Linux 6.0)"))
    func zeroCopySendsPostAResultThenANotification() throws {
        let pair = try TestSupport.tcpPair()
        defer {
            try? pair.client.close()
            try? pair.server.close()
        }
        var ring = try Ring(entries: 8)
        let payload = UnsafeMutableRawBufferPointer.allocate(byteCount: 8192, alignment: 4096)
        defer { payload.deallocate() }
        payload.copyBytes(from: TestSupport.pattern(8192, seed: 3))
        try ring.registerBuffers([payload])

        ring.push(Send(.descriptor(pair.client), .plain(UnsafeRawBufferPointer(payload)), zeroCopy: true), userData: 1)
        let plain = try TestSupport.completions(&ring, count: 2)
        #expect(plain[0].result == 8192 && plain[0].hasMore && !plain[0].isNotification)
        #expect(plain[1].isNotification && !plain[1].hasMore && plain[1].userData == 1)

        let half = UnsafeRawBufferPointer(rebasing: payload[4096...])
        ring.push(Send(.descriptor(pair.client), .registered(half, index: 0), zeroCopy: true), userData: 2)
        let fixed = try TestSupport.completions(&ring, count: 2)
        #expect(fixed[0].result == 4096 && fixed[1].isNotification)
        #expect(
            try TestSupport.readExactly(pair.server, 8192 + 4096) == TestSupport.pattern(8192, seed: 3)
                + Array(TestSupport.pattern(8192, seed: 3)[4096...]))

        var vector = iovec(iov_base: payload.baseAddress, iov_len: 100)
        let header = TestSupport.pinned(msghdr())
        defer { header.deallocate() }
        let sentMessage = try withUnsafeMutablePointer(to: &vector) { vectorPointer in
            header.pointee.msg_iov = vectorPointer
            header.pointee.msg_iovlen = 1
            ring.push(SendMessage(.descriptor(pair.client), message: header, zeroCopy: true), userData: 3)
            return try TestSupport.completions(&ring, count: 2)
        }
        #expect(sentMessage[0].result == 100 && sentMessage[1].isNotification)
        #expect(try TestSupport.readExactly(pair.server, 100) == Array(TestSupport.pattern(8192, seed: 3)[..<100]))

        // sendmsg_zc_fixed: the iovecs lie inside registered buffer 0.
        var pieces = [iovec(iov_base: payload.baseAddress! + 1000, iov_len: 24), iovec(iov_base: payload.baseAddress! + 5000, iov_len: 40)]
        let fixedMessage = try pieces.withUnsafeMutableBufferPointer { vectors in
            header.pointee.msg_iov = vectors.baseAddress
            header.pointee.msg_iovlen = 2
            ring.push(SendMessage(.descriptor(pair.client), message: header, zeroCopy: true, registeredBuffer: 0), userData: 4)
            return try TestSupport.completions(&ring, count: 2)
        }
        #expect(fixedMessage[0].userData == 4 && fixedMessage[0].result == 64 && fixedMessage[1].isNotification)
        let pattern = TestSupport.pattern(8192, seed: 3)
        #expect(try TestSupport.readExactly(pair.server, 64) == Array(pattern[1000..<1024] + pattern[5000..<5040]))
    }

    @Test(.enabled(if: TestSupport.supports(.accept), "needs IORING_OP_ACCEPT"))
    func multishotAcceptIntoFixedSlots() throws {
        let listener = try TestSupport.listeningSocket()
        defer { try? listener.fd.close() }
        var ring = try Ring(entries: 16)
        try ring.registerSparseFiles(count: 8)
        ring.push(Accept(.descriptor(listener.fd), multishot: true, slot: .anyFree), userData: 9)
        try ring.submit()
        var clients: [Int32] = []
        defer { clients.forEach { close($0) } }
        var address = TestSupport.loopback(port: listener.port)
        for _ in 0..<3 {
            let client = socket(AF_INET, Self.streamType, 0)
            clients.append(client)
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, Self.inetLength) }
            }
            #expect(result == 0)
        }
        let accepted = try TestSupport.completions(&ring, count: 3)
        #expect(accepted.allSatisfy { $0.userData == 9 && $0.hasMore })
        let slots = Set(accepted.map(\.result))
        #expect(slots.count == 3 && slots.allSatisfy { (0..<8).contains($0) })

        let byte: [UInt8] = [0x5A]
        let slot = UInt32(accepted[0].result)
        let sent = try byte.withUnsafeBytes { try TestSupport.roundTrip(&ring, Send(.fixed(slot), .plain($0))) }
        #expect(sent.result == 1)
        var got: UInt8 = 0
        let readable = clients.contains { recv($0, &got, 1, Int32(MSG_DONTWAIT)) == 1 }
        #expect(readable && got == 0x5A)

        ring.push(AsyncCancel(.userData(9)), userData: 10)
        let ended = try TestSupport.completions(&ring, count: 2)
        #expect(ended.first { $0.userData == 9 }.map { !$0.hasMore && $0.error == .canceled } == true)
    }

    @Test func recvmsgMultishotWithABufferRingParsesEachMessage() throws {
        let receiver = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        let sender = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer {
            close(receiver)
            close(sender)
        }
        var address = TestSupport.loopback(port: 0)
        var length = Self.inetLength
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                _ = bind(receiver, $0, length)
                _ = getsockname(receiver, $0, &length)
            }
        }
        var ring = try Ring(entries: 8)
        let buffers = try ring.registerBufferRing(group: 3, entries: 4, bufferSize: 256)
        let header = TestSupport.pinned(msghdr())
        defer { header.deallocate() }
        header.pointee.msg_namelen = Self.inetLength
        ring.push(
            ReceiveMessage(.descriptor(FileDescriptor(rawValue: receiver)), message: header, bufferGroup: 3, multishot: true),
            userData: 1)
        try ring.submit()
        for index in 0..<3 {
            var message = Array("message \(index)".utf8)
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    _ = sendto(sender, &message, message.count, 0, $0, length)
                }
            }
            let completion = try TestSupport.completions(&ring, count: 1)[0]
            #expect(completion.hasMore)
            let data = try #require(buffers.data(for: completion))
            let parsed = try #require(ReceivedMessage(data, header: header.pointee))
            #expect(Array(parsed.payload) == message)
            #expect(parsed.payloadLength == UInt32(message.count))
            #expect(parsed.name.load(as: sockaddr_in.self).sin_addr.s_addr == INADDR_LOOPBACK.bigEndian)
            buffers.recycle(try #require(completion.bufferID))
        }
    }
}

/// Multishot receive into a provided-buffer ring.
@Suite("Multishot receive")
struct MultishotReceiveTests {
    @Test func multishotReceiveEndsWithENOBUFSAndResumesAfterARefill() throws {
        let pair = try TestSupport.tcpPair()
        defer { try? pair.client.close() }  // the server end is closed below, once
        var ring = try Ring(entries: 8)
        let buffers = try ring.registerBufferRing(group: 6, entries: 2, bufferSize: 32)
        ring.push(Receive(.descriptor(pair.client), into: .provided(group: 6), multishot: true), userData: 1)
        try ring.submit()
        var received: [UInt8] = []
        var used: [UInt16] = []
        for chunk in ["one", "two"] {
            _ = try pair.server.writeAll(Array(chunk.utf8))
            let completion = try TestSupport.completions(&ring, count: 1)[0]
            #expect(completion.hasMore && completion.userData == 1)
            received += try #require(buffers.data(for: completion))
            used.append(try #require(completion.bufferID))
        }
        _ = try pair.server.writeAll(Array("three".utf8))
        let dry = try TestSupport.completions(&ring, count: 1)[0]
        #expect(dry.error == .noBufferSpace && !dry.hasMore)
        used.forEach(buffers.recycle)
        ring.push(Receive(.descriptor(pair.client), into: .provided(group: 6), multishot: true), userData: 2)
        let resumed = try TestSupport.completions(&ring, count: 1)[0]
        received += try #require(buffers.data(for: resumed))
        #expect(received == Array("onetwothree".utf8), "nothing lost across the refill")
        try pair.server.close()
        let end = try TestSupport.completions(&ring, count: 1)[0]
        #expect(end.result == 0 && !end.hasMore, "end of stream ends the multishot")
    }
}
