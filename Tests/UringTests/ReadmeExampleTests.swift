import Testing
import UringTestSupport

/// The README's example compiles (it is ReadmeExample.swift), runs, and matches the README.
@Suite("README example")
struct ReadmeExampleTests {
    @Test func exampleRunsAndWritesTheFile() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let path = directory + "/liburing-test-file.txt"
        #expect(try simpleFileExample(path: path) == "hello world")
        #expect(try TestSupport.contents(of: path) == Array("hello world".utf8))
    }

    @Test func readmeShowsExactlyTheCompiledExample() throws {
        #expect(try TestSupport.readmeShowsExample(in: "ReadmeExample.swift"))
    }
}
