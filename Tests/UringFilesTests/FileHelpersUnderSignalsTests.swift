import Glibc
import SystemPackage
import Testing
import UringFiles
import UringTestSupport

/// The file helpers under a storm of signals: every interrupted wait is resumed,
/// and every byte arrives.
@Suite("File helpers under signals")
struct FileHelpersUnderSignalsTests {
    @Test(
        "copy, write and writeMany into ext4 finish exactly while SIGALRM fires every millisecond",
        arguments: UringFiles.Mode.allCases)
    func fileHelpersUnderSignals(mode: UringFiles.Mode) throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let bytes = FileHelperTests.varied(8 << 20)
        try TestSupport.createFile(directory + "/src", bytes)
        try TestSupport.underSignals(every: .milliseconds(1)) {
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
