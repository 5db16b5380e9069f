import CUringTestSupport
import Glibc
import SystemPackage
import Testing
@testable import Uring
import UringFiles

/// A signal interrupts a wait; it never stretches it past its timeout, and
/// never reaches the caller as an error.
@Suite("Signal storms")
struct SignalTests {
    /// Runs `body` while SIGALRM hits this thread every `interval`.
    static func underSignals(every interval: Duration, _ body: () throws -> Void) rethrows {
        let microseconds = interval.components.seconds * 1_000_000 + interval.components.attoseconds / 1_000_000_000_000
        let storm = cts_signal_storm_start(Int(microseconds))
        defer { _ = cts_signal_storm_stop(storm) }
        try body()
    }

    @Test("waitCompletion(timeout:) ends on time while signals arrive", arguments: [1, 20])
    func timedWaitUnderSignals(intervalMilliseconds: Int) throws {
        var ring = try Ring(entries: 4)
        let clock = ContinuousClock()
        var elapsed = Duration.zero
        var got: Completion?
        try Self.underSignals(every: .milliseconds(intervalMilliseconds)) {
            elapsed = try clock.measure { got = try ring.waitCompletion(timeout: .milliseconds(50)) }
        }
        #expect(got == nil)
        #expect(elapsed >= .milliseconds(45) && elapsed < .seconds(1), "waited \(elapsed)")
    }

    @Test("submit(waitingFor:timeout:) ends on time while signals arrive")
    func timedSubmitUnderSignals() throws {
        var ring = try Ring(entries: 4, options: .plain)
        let pipe = try TestSupport.makePipe()
        defer { try? pipe.read.close(); try? pipe.write.close() }
        let clock = ContinuousClock()
        var elapsed = Duration.zero
        try Self.underSignals(every: .milliseconds(1)) {
            ring.push(PollAdd(.descriptor(pipe.read), events: UInt32(POLLIN)), userData: 7)
            elapsed = try clock.measure { try ring.submit(waitingFor: 1, timeout: .milliseconds(50)) }
        }
        #expect(ring.readyCompletions == 0)
        #expect(elapsed >= .milliseconds(45) && elapsed < .seconds(1), "waited \(elapsed)")
        _ = try pipe.write.writeAll([1])
        let completion = try #require(try ring.waitCompletion(timeout: .seconds(5)))
        #expect(completion.userData == 7 && completion.result & Int32(POLLIN) != 0)
    }

    @Test("copy, write and writeMany into ext4 finish exactly while SIGALRM fires every millisecond",
          arguments: UringFiles.Mode.allCases)
    func fileHelpersUnderSignals(mode: UringFiles.Mode) throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let bytes = FileHelperTests.varied(8 << 20)
        try TestSupport.createFile(directory + "/src", bytes)
        try Self.underSignals(every: .milliseconds(1)) {
            for round in 0..<2 {
                let target = FilePath(directory + "/dst\(round)")
                #expect(try UringFiles.copy(FilePath(directory + "/src"), to: target, mode: mode) == bytes.count)
                #expect(try TestSupport.contents(of: target.string) == bytes)
            }
            #expect(try UringFiles.write(FilePath(directory + "/written"), bytes: 8 << 20, mode: mode) == 8 << 20)
            mkdir(directory + "/many", 0o755)
            let total = try UringFiles.writeMany(in: FilePath(directory + "/many"), files: 4, bytesPerFile: 2 << 20, mode: mode)
            #expect(total == 8 << 20)
        }
        #expect(try TestSupport.contents(of: directory + "/written") == FileHelperTests.generated(8 << 20))
        for index in 0..<4 {
            let path = directory + "/many/file_000\(index)"
            #expect(try TestSupport.contents(of: path) == FileHelperTests.generated(2 << 20))
            unlink(path)
        }
        rmdir(directory + "/many")
    }
}
