import Glibc
import SystemPackage
import Testing
import Uring
@testable import UringAsync
import UringTestSupport

/// Polling before sleeping: ``IdleSpinning``, against the real kernel.
@Suite("Idle spinning")
struct IdleSpinningTests {
    @Test func theExecutorSaysWhetherItPolls() throws {
        let off = try RingExecutor(spinning: .off)
        defer { off.shutdown() }
        #expect(off.spinning == .off)
        let adaptive = try RingExecutor()
        defer { adaptive.shutdown() }
        #expect(adaptive.spinning == .adaptive, "/proc/loadavg is readable here")
        #expect(IdleSpinning.adaptive.limit == .microseconds(50))
        #expect(IdleSpinning.adaptive(limit: .zero).limit == .microseconds(1))
        #expect(IdleSpinning.adaptive(limit: .seconds(1)).limit == .milliseconds(10))
        #expect("\(IdleSpinning.off)" == "off")
    }

    @Test func theRunnableThreadsAreReadFromLoadavg() throws {
        let runnable = try #require(RunnableThreads())
        let count = try #require(runnable.count())
        #expect(count >= 1, "this thread runs while it reads")
        #expect(runnable.processors == max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let cases: [(String, Int?)] = [
            ("0.52 0.58 0.59 3/612 4021\n", 3), ("1.00 2.00 3.00 17/80 9", 17),
            ("0.52 0.58 0.59 /612 4021", nil), ("0.52 0.58 3/612", nil), ("", nil), ("0.1 0.2 0.3 4x/9 1", nil),
        ]
        for (text, expected) in cases {
            let parsed = Array(text.utf8).withUnsafeBytes { RunnableThreads.parse($0) }
            #expect(parsed == expected, "\(text.debugDescription)")
        }
    }

    /// A thread and a task on the executor play ping-pong over two pipes, each
    /// byte checked. With a 10 ms poll the ring thread is likely polling when
    /// each byte comes (and sleeping when the machine is busy): either way every
    /// byte must arrive, and shutdown must end a thread that polls.
    @Test func pingPongThroughAPollingRingThread() async throws {
        let executor = try RingExecutor(spinning: .adaptive(limit: .milliseconds(10)))
        let there = try TestSupport.makePipe()
        let back = try TestSupport.makePipe()
        let rounds = 500
        let echo = Task(executorPreference: executor) { () throws -> Int in
            var echoed = 0
            for _ in 0..<rounds {
                let (count, buffer) = try await executor.read(there.read, into: IOBuffer(capacity: 1), at: UInt64.max)
                guard count == 1 else { break }
                let byte = try buffer.bytes(count: 1)
                _ = try back.write.writeAll(byte.map { $0 &+ 1 })
                echoed += 1
            }
            return echoed
        }
        var mismatches = 0
        for round in 0..<rounds {
            _ = try there.write.writeAll([UInt8(truncatingIfNeeded: round)])
            var answer: [UInt8] = [0]
            let count = try answer.withUnsafeMutableBytes { try back.read.read(into: $0) }
            if count != 1 || answer[0] != UInt8(truncatingIfNeeded: round) &+ 1 { mismatches += 1 }
        }
        #expect(try await echo.value == rounds)
        #expect(mismatches == 0)
        executor.shutdown()
        for descriptor in [there.read, there.write, back.read, back.write] { try descriptor.close() }
    }
}
