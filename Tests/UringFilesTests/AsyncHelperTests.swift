import Glibc
import Synchronization
import SystemPackage
import Testing
import UringFiles
import UringTestSupport

/// The awaited helpers: the same bytes as the synchronous ones, a thread of their
/// own instead of a cooperative one, and a task's cancel that stops the job.
@Suite("Awaited file helpers")
struct AsyncHelperTests {
    @Test func awaitedCopyWriteAndTreeCopyMoveEveryByte() async throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let bytes = FileHelperTests.varied(6 << 20)
        try TestSupport.createFile(directory + "/src", bytes)
        let lastProgress = Mutex<(done: Int, total: Int)>((0, 0))
        let report = try await UringFiles.copyFile(FilePath(directory + "/src"), to: FilePath(directory + "/dst")) { done, total in
            lastProgress.withLock { $0 = (done, total) }
        }
        #expect(report.bytes == bytes.count)
        #expect(try TestSupport.contents(of: directory + "/dst") == bytes)
        #expect(lastProgress.withLock { $0.done == bytes.count && $0.total == bytes.count })

        #expect(try await UringFiles.write(FilePath(directory + "/written"), bytes: 3 << 20) == 3 << 20)
        #expect(try TestSupport.contents(of: directory + "/written") == FileHelperTests.generated(3 << 20))

        let tree = directory + "/tree"
        mkdir(tree, 0o755)
        mkdir(tree + "/sub", 0o700)
        try TestSupport.createFile(tree + "/sub/a", Array("alpha".utf8))
        try TestSupport.createFile(tree + "/b", bytes)
        let copied = try await UringFiles.copyTree(FilePath(tree), to: FilePath(directory + "/copy"))
        #expect(copied.failures.isEmpty)
        #expect(try TestSupport.contents(of: directory + "/copy/sub/a") == Array("alpha".utf8))
        #expect(try TestSupport.contents(of: directory + "/copy/b") == bytes)
        var status = stat()
        #expect(stat(directory + "/copy/sub", &status) == 0 && status.st_mode & 0o7777 == 0o700)
    }

    /// Were the copies on cooperative threads, the group of small tasks could
    /// never run (the pool is as wide as the machine has cores, 2 here) and the
    /// test would end at its time limit. No latency is asserted: the rest of the
    /// suite shares the pool and can keep it busy for a while.
    @Test(
        "Copies waiting for FIFO writers hold no cooperative thread, and a cancel ends each one",
        .timeLimit(.minutes(1)))
    func waitingCopiesLeaveThePoolFreeAndCancel() async throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let count = 4  // more than the cooperative pool's threads on this machine
        var copies: [Task<UringFiles.CopyReport, any Error>] = []
        for index in 0..<count {
            let fifo = directory + "/fifo\(index)"
            #expect(mkfifo(fifo, 0o600) == 0)
            copies.append(Task { try await UringFiles.copyFile(FilePath(fifo), to: FilePath(directory + "/out\(index)")) })
        }
        try await Task.sleep(for: .milliseconds(200))
        let answers = try await withThrowingTaskGroup(of: Int.self) { group in
            for value in 0..<8 { group.addTask { value } }
            return try await group.reduce(0, +)
        }
        #expect(answers == 28)
        for copy in copies { copy.cancel() }
        for copy in copies {
            await #expect(throws: CancellationError.self) { _ = try await copy.value }
        }
    }

    @Test func cancellingAnEndlessCopyStopsItWithTheBytesSoFar() async throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let started = Atomic<Bool>(false)
        let copy = Task {
            try await UringFiles.copyFile(FilePath("/dev/zero"), to: FilePath(directory + "/zeros")) { done, _ in
                if done >= 1 << 20 { started.store(true, ordering: .releasing) }
            }
        }
        while !started.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(5)) }
        copy.cancel()
        await #expect(throws: CancellationError.self) { _ = try await copy.value }
        var status = stat()
        #expect(stat(directory + "/zeros", &status) == 0 && status.st_size >= 1 << 20)
        // cmp, not an array: under load the copy may have run to gigabytes before the cancel.
        #expect(TestSupport.run("/usr/bin/cmp", ["-s", "-n", "\(status.st_size)", directory + "/zeros", "/dev/zero"]) == 0, "all zeros")
    }
}
