import CUringTestSupport
import Glibc
import SystemPackage
import Testing
@testable import Uring
@testable import UringFiles
import UringTestSupport

/// With io_uring blocked by seccomp (as in a locked-down container), the file
/// helpers fall back to plain syscalls and say so; everything else throws with
/// a detail. The checks run in a child process of this executable whose
/// io_uring_setup(2) fails with EPERM.
@Suite("io_uring blocked")
struct BlockedUringTests {
    static let marker = "SWIFT_URING_BLOCKED_CHILD"
    static let inChild = getenv(marker) != nil

    @Test(.enabled(if: !inChild, "the parent side"))
    func helpersFallBackToSyscallsInAChildWhereIoUringIsBlocked() async {
        #expect(
            await TestSupport.childPassesOffPool("BlockedUringTests/insideTheBlockedChild", marker: Self.marker, blockIOUring: true),
            "the child's checks failed or did not run; run it alone to see why")
    }

    @Test(.enabled(if: inChild, "runs only inside the child where io_uring_setup is blocked"))
    func insideTheBlockedChild() throws {
        let setup = #expect(throws: UringError.self) { _ = try Ring(entries: 4) }
        #expect(setup?.errno == .notPermitted && setup?.detail?.isEmpty == false)
        #expect(throws: UringError.self) { _ = try RingContext() }
        guard case .syscalls(let reason) = UringFiles.transferPath else {
            Issue.record("expected the syscall path, got \(UringFiles.transferPath)")
            return
        }
        #expect(reason.errno == .notPermitted)
        #expect(UringFiles.transferPath.description.contains("plain syscalls"))

        let directory = TestSupport.makeTemporaryDirectory()
        defer { _ = TestSupport.run("/bin/rm", ["-rf", directory]) }
        let bytes = FileHelperTests.varied(1 << 20 + 4321)
        try TestSupport.createFile(directory + "/src", bytes)
        var reports = 0
        let copied = try UringFiles.copy(
            FilePath(directory + "/src"), to: FilePath(directory + "/dst"), mode: .safe, blockSize: 64 << 10,
            progress: { _, _ in
                reports += 1
                return false
            })
        #expect(copied == bytes.count && reports > 10)
        #expect(try TestSupport.contents(of: directory + "/dst") == bytes)
        #expect(try UringFiles.write(FilePath(directory + "/w"), megabytes: 1, syncPolicy: .endAndData) == 1 << 20)
        #expect(try TestSupport.contents(of: directory + "/w") == FileHelperTests.generated(1 << 20))
        let cancelled = #expect(throws: UringError.self) {
            try UringFiles.copy(FilePath(directory + "/src"), to: FilePath(directory + "/c"), progress: { _, _ in true })
        }
        #expect(cancelled?.errno == .canceled)
        let version = try UringFiles.copyFile(FilePath("/proc/version"), to: FilePath(directory + "/version"))
        #expect(version.bytes > 0 && version.path == UringFiles.transferPath)
        #expect(try TestSupport.contents(of: directory + "/version") == TestSupport.contents(of: "/proc/version"))
        try TreeCopyTests.makeTree(directory + "/tree")
        let tree = try UringFiles.copyTree(
            FilePath(directory + "/tree"), to: FilePath(directory + "/copy"), options: .init(preserveAttributes: true))
        #expect(tree.succeeded && tree.files == 10 && tree.symlinks == 4, "\(tree.failures)")
        #expect(tree.path == UringFiles.transferPath)
        #expect(try TreeCopyTests.snapshot(directory + "/tree", times: true) == TreeCopyTests.snapshot(directory + "/copy", times: true))
        try TestSupport.reportChildFinished(Self.marker)
    }
}
