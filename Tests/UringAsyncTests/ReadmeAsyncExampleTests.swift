import SystemPackage
import Testing
import UringTestSupport

/// The README's async example compiles (it is ReadmeAsyncExample.swift, which
/// imports UringAsync alone), runs, and matches the README.
@Suite("README async example")
struct ReadmeAsyncExampleTests {
    @Test func asyncExampleRunsAndWritesTheFile() async throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let path = directory + "/async.txt"
        #expect(try await asyncFileExample(path: FilePath(path), text: "ring thread") == "ring thread")
        #expect(try TestSupport.contents(of: path) == Array("ring thread".utf8))
        #expect(try await asyncFileExample(path: FilePath(directory + "/absent/async.txt"), text: "lost") == nil)
    }

    @Test func readmeShowsExactlyTheCompiledExample() throws {
        #expect(try TestSupport.readmeShowsExample(in: "ReadmeAsyncExample.swift"))
    }
}
