import CUringTestSupport
import Glibc
import SystemPackage
import Testing
@testable import Uring
import UringTestSupport

/// Registered files (dense, sparse, update, tags, allocation range), buffers
/// (sparse, update, tags, clone), eventfd, personality, restrictions, io-wq, NAPI, clock.
@Suite("Registration")
struct RegistrationTests {
    @Test func fileTableUpdatesTagsAndAllocationRange() throws {
        let pipe = try TestSupport.makePipe()
        defer {
            try? pipe.read.close()
            try? pipe.write.close()
        }
        var ring = try Ring(entries: 8)
        try ring.registerFiles([-1, pipe.write.rawValue, -1, -1], tags: [0, 501, 0, 0])
        let busy = #expect(throws: UringError.self) { try ring.registerFiles([pipe.write.rawValue]) }
        #expect(busy?.errno == .resourceBusy && busy?.detail?.contains("already registered") == true)
        #expect(try ring.updateFiles(at: 2, [pipe.write.rawValue]) == 1)
        let byte: [UInt8] = [3]
        #expect(try byte.withUnsafeBytes { try TestSupport.roundTrip(&ring, Write(.fixed(2), from: $0)) }.result == 1)
        #expect(try TestSupport.readExactly(pipe.read, 1) == [3])

        #expect(try ring.updateFiles(at: 1, [-1]) == 1)
        let tagged = try TestSupport.completions(&ring, count: 1)
        #expect(tagged[0].userData == 501, "removing a tagged file posts its tag")
        let outOfRange = #expect(throws: UringError.self) { try ring.updateFiles(at: 9, [pipe.write.rawValue]) }
        #expect(outOfRange?.errno == .invalidArgument)
        let badFD = #expect(throws: UringError.self) { try ring.updateFiles(at: 0, [9999]) }
        #expect(badFD?.errno == .badFileDescriptor)

        try ring.setFileAllocationRange(3..<4)
        let path = TestSupport.cString("/dev/null")
        defer { free(path) }
        #expect(try TestSupport.roundTrip(&ring, OpenAt(path, flags: O_RDONLY, slot: .anyFree)).result == 3)
        #expect(try TestSupport.roundTrip(&ring, OpenAt(path, flags: O_RDONLY, slot: .anyFree)).error == .tooManyOpenFilesInSystem)
        let wrongIndex = try byte.withUnsafeBytes { try TestSupport.roundTrip(&ring, Write(.fixed(40), from: $0)) }
        #expect(wrongIndex.error == .badFileDescriptor)
        try ring.unregisterFiles()
        #expect(throws: UringError.self) { try ring.unregisterFiles() }
        #expect(throws: UringError.self) { try ring.registerFiles([]) }
    }

    @Test func fixedDescriptorInstallFilesUpdateAndPipes() throws {
        let pipe = try TestSupport.makePipe()
        defer {
            try? pipe.read.close()
            try? pipe.write.close()
        }
        var ring = try Ring(entries: 8)
        try ring.registerSparseFiles(count: 8)
        let descriptors = UnsafeMutableBufferPointer<Int32>.allocate(capacity: 2)
        defer { descriptors.deallocate() }
        descriptors[0] = pipe.read.rawValue
        descriptors[1] = pipe.write.rawValue
        #expect(try TestSupport.roundTrip(&ring, FilesUpdate(descriptors, at: 4)).result == 2)
        let installed = try TestSupport.roundTrip(&ring, FixedFDInstall(slot: 5)).value(for: "fixed_fd_install")
        defer { close(installed) }
        #expect(fcntl(installed, F_GETFD) & FD_CLOEXEC != 0)
        var byte: UInt8 = 0x77
        #expect(write(installed, &byte, 1) == 1)
        #expect(try TestSupport.readExactly(pipe.read, 1) == [0x77], "the installed descriptor is the pipe's write end")
    }

    @Test(.enabled(if: TestSupport.supports(.pipe), "needs IORING_OP_PIPE (Linux 6.16)"))
    func pipeOperationPlainAndFixed() throws {
        var ring = try Ring(entries: 8)
        let ends = UnsafeMutablePointer<Int32>.allocate(capacity: 2)
        defer { ends.deallocate() }
        #expect(try TestSupport.roundTrip(&ring, Pipe(ends, flags: O_CLOEXEC)).result == 0)
        let (readEnd, writeEnd) = (ends[0], ends[1])
        defer {
            close(readEnd)
            close(writeEnd)
        }
        var byte: UInt8 = 0x31
        #expect(write(writeEnd, &byte, 1) == 1)
        #expect(try TestSupport.readExactly(FileDescriptor(rawValue: readEnd), 1) == [0x31])

        try ring.registerSparseFiles(count: 4)
        #expect(try TestSupport.roundTrip(&ring, Pipe(ends, slot: .at(1))).result == 0)
        let data: [UInt8] = [1, 2, 3]
        #expect(try data.withUnsafeBytes { try TestSupport.roundTrip(&ring, Write(.fixed(2), from: $0)) }.result == 3)
        var out = [UInt8](repeating: 0, count: 3)
        #expect(try out.withUnsafeMutableBytes { try TestSupport.roundTrip(&ring, Read(.fixed(1), into: $0)) }.result == 3)
        #expect(out == data)
    }

    @Test func bufferTableSparseUpdateTagsAndClone() throws {
        var ring = try Ring(entries: 8)
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 4096)
        defer { memory.deallocate() }
        try ring.registerSparseBuffers(count: 2)
        #expect(try ring.updateBuffers(at: 1, [memory], tags: [901]) == 1)
        let busy = #expect(throws: UringError.self) { try ring.registerBuffers([memory]) }
        #expect(busy?.errno == .resourceBusy)
        let mismatched = #expect(throws: UringError.self) { try ring.updateBuffers(at: 0, [memory], tags: [1, 2]) }
        #expect(mismatched?.errno == .invalidArgument)

        var clone = try Ring(entries: 8)
        try clone.cloneBuffers(from: ring)
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        try TestSupport.createFile(directory + "/f", TestSupport.pattern(64))
        let fd = try FileDescriptor.open(FilePath(directory + "/f"), .readOnly)
        defer { try? fd.close() }
        let slice = UnsafeMutableRawBufferPointer(rebasing: memory[0..<64])
        #expect(try TestSupport.roundTrip(&clone, Read(.descriptor(fd), into: .registered(slice, index: 1))).result == 64)
        #expect(Array(slice) == TestSupport.pattern(64))

        try ring.unregisterBuffers()
        try clone.unregisterBuffers()
        let tag = try TestSupport.completions(&ring, count: 1)
        #expect(tag[0].userData == 901, "the tag arrives once no ring uses the buffer")
    }

    @Test func eventFDIsSignalledAndCanBePaused() throws {
        let event = FileDescriptor(rawValue: cts_eventfd(0, 1))
        defer { try? event.close() }
        var ring = try Ring(entries: 8)
        try ring.registerEventFD(event)
        #expect(throws: UringError.self) { try ring.registerEventFD(event) }
        _ = try TestSupport.roundTrip(&ring, Nop())
        var count: UInt64 = 0
        #expect(try withUnsafeMutableBytes(of: &count) { try event.read(into: $0) } == 8 && count >= 1)

        let enabledAtFirst = ring.eventFDNotificationsEnabled
        #expect(enabledAtFirst)
        ring.eventFDNotificationsEnabled = false
        _ = try TestSupport.roundTrip(&ring, Nop())
        #expect(throws: Errno.wouldBlock) { try withUnsafeMutableBytes(of: &count) { try event.read(into: $0) } }
        ring.eventFDNotificationsEnabled = true
        try ring.unregisterEventFD()
        try ring.registerEventFD(event, onlyAsync: true)
        _ = try TestSupport.roundTrip(&ring, Nop())
        #expect(throws: Errno.wouldBlock, "a NOP completes inline: no async signal") {
            try withUnsafeMutableBytes(of: &count) { try event.read(into: $0) }
        }
        try ring.unregisterEventFD()
        #expect(throws: UringError.self) { try ring.unregisterEventFD() }
    }

    @Test func personalityRestrictionsAndTuning() throws {
        var ring = try Ring(entries: 8)
        let personality = try ring.registerPersonality()
        #expect(personality > 0)
        let withCredentials = ring.push(Nop(), userData: 1, options: SubmissionOptions(personality: personality))
        #expect(withCredentials)
        #expect(try TestSupport.completions(&ring, count: 1)[0].result == 0)
        try ring.unregisterPersonality(personality)
        ring.push(Nop(), userData: 2, options: SubmissionOptions(personality: personality))
        #expect(try TestSupport.completions(&ring, count: 1)[0].error == .invalidArgument)

        let previous = try ring.setWorkerLimits(bounded: 2, unbounded: 3)
        #expect(previous.bounded > 0)
        let now = try ring.setWorkerLimits(bounded: nil, unbounded: nil)
        #expect(now.bounded == 2 && now.unbounded == 3)
        try ring.setWorkerAffinity(cpus: [0])
        try ring.clearWorkerAffinity()
        #expect(throws: UringError.self) { try ring.setWorkerAffinity(cpus: [5000]) }
        try ring.registerNAPI(busyPollTimeout: 50)
        #expect(try ring.unregisterNAPI().busyPollTimeout == 50)
        try ring.setWaitClock(CLOCK_BOOTTIME)
        #expect(throws: UringError.self) { try ring.setWaitClock(CLOCK_PROCESS_CPUTIME_ID) }

        var locked = try Ring(entries: 8, options: RingOptions(flags: [.ringDisabled]))
        try locked.registerRestrictions([.operation(.nop), .register(.registerEnableRings)])
        try locked.enable()
        #expect(try TestSupport.roundTrip(&locked, Nop()).result == 0)
        let path = TestSupport.cString("/dev/null")
        defer { free(path) }
        #expect(try TestSupport.roundTrip(&locked, OpenAt(path, flags: O_RDONLY)).error == .permissionDenied)
        #expect(throws: UringError.self) { try locked.registerPersonality() }
    }
}
