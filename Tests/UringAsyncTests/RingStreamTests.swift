import Glibc
import SystemPackage
import Testing
import Uring
import UringAsync
import UringTestSupport

@Suite("Multishot streams")
struct RingStreamTests {
    /// 1,000 numbered messages sent at once into a receive stream whose ring has
    /// one buffer and whose consumer is slow: every byte arrives, in order.
    @Test(.enabled(if: TestSupport.supports(.recv), "needs IORING_OP_RECV (Linux 5.6)"))
    func receiveWithOneBufferLosesAndReordersNothingUnderABurst() async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let (client, server) = try TestSupport.tcpPair()
        defer {
            try? client.close()
            try? server.close()
        }
        var sent: [UInt8] = []
        for index in 0..<1_000 {
            let line = Array("message \(index) of 1000;".utf8)
            sent += line
        }
        let burst = sent
        let writer = Task.detached {
            _ = try client.writeAll(burst)
            _ = shutdown(client.rawValue, Int32(SHUT_WR))
        }
        var received: [UInt8] = []
        var messages = 0
        for try await chunk in executor.receiveStream(server, buffers: 1, bufferSize: 256, limit: 4) {
            received += chunk
            messages += 1
            if messages % 50 == 0 { try await Task.sleep(for: .milliseconds(2)) }
        }
        try await writer.value
        #expect(received.count == sent.count)
        #expect(received == sent)
        #expect(messages >= sent.count / 256)
    }

    @Test(.enabled(if: TestSupport.supports(.accept), "needs IORING_OP_ACCEPT (Linux 5.5)"))
    func acceptStreamYieldsEachConnectionAndClosesWhenDropped() async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let listener = try TestSupport.listeningSocket()
        defer { try? listener.fd.close() }
        let clients = try (0..<3).map { index -> FileDescriptor in
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = TestSupport.loopback(port: listener.port)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            #expect(connected == 0)
            _ = try FileDescriptor(rawValue: fd).writeAll([UInt8(index)])
            return FileDescriptor(rawValue: fd)
        }
        defer { for client in clients { try? client.close() } }
        var firstBytes: [UInt8] = []
        for try await connection in executor.acceptConnections(listener.fd) {
            firstBytes += try TestSupport.readExactly(connection, 1)
            try connection.close()
            if firstBytes.count == 3 { break }
        }
        #expect(firstBytes.sorted() == [0, 1, 2])
    }

    @Test(.enabled(if: TestSupport.supports(.timeout), "needs IORING_OP_TIMEOUT (Linux 5.4)"))
    func ticksCountUpAtTheirInterval() async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let start = ContinuousClock.now
        var ticks: [Int] = []
        for try await tick in executor.ticks(every: .milliseconds(20)) {
            ticks.append(tick)
            if ticks.count == 5 { break }
        }
        #expect(ticks == [1, 2, 3, 4, 5])
        #expect(ContinuousClock.now - start >= .milliseconds(100))
    }

    @Test(.enabled(if: TestSupport.supports(.pollAdd), "needs IORING_OP_POLL_ADD (Linux 5.1)"))
    func readinessReportsEachTimeAPipeBecomesReadable() async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let (read, write) = try TestSupport.makePipe()
        defer {
            try? read.close()
            try? write.close()
        }
        var seen = 0
        _ = try write.writeAll([1])
        for try await events in executor.readiness(of: read, events: .readable) {
            #expect(events.contains(.readable))
            _ = try TestSupport.readExactly(read, 1)
            seen += 1
            if seen == 3 { break }
            _ = try write.writeAll([1])
        }
        #expect(seen == 3)
    }

    @Test(.enabled(if: TestSupport.supports(.readMultishot), "needs IORING_OP_READ_MULTISHOT (Linux 6.7)"))
    func readStreamDeliversAPipeUntilEndOfFile() async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let (read, write) = try TestSupport.makePipe()
        defer { try? read.close() }
        let contents = TestSupport.pattern(50_000, seed: 3)
        let writer = Task.detached {
            _ = try write.writeAll(contents)
            try write.close()
        }
        var received: [UInt8] = []
        for try await chunk in executor.readStream(read, buffers: 2, bufferSize: 1024) { received += chunk }
        try await writer.value
        #expect(received == contents)
    }

    @Test func aStreamOnTheWrongKindOfFileThrowsTheKernelsError() async throws {
        let executor = try RingExecutor()
        defer { executor.shutdown() }
        let (read, write) = try TestSupport.makePipe()
        defer {
            try? read.close()
            try? write.close()
        }
        let failure = await #expect(throws: UringError.self) {
            for try await _ in executor.receiveStream(read) {}
        }
        #expect(failure?.errno == .notSocket && failure?.operation == "recv")
    }
}
