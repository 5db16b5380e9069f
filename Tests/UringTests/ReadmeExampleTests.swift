import SystemPackage
import Testing

/// The README's example compiles (it is ReadmeExample.swift), runs, and matches the README.
@Suite("README example")
struct ReadmeExampleTests {
    static let testsDirectory = String(#filePath.prefix(upTo: #filePath.lastIndex(of: "/")!))

    @Test func exampleRunsAndWritesTheFile() throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let path = directory + "/liburing-test-file.txt"
        #expect(try simpleFileExample(path: path) == "hello world")
        #expect(try TestSupport.contents(of: path) == Array("hello world".utf8))
    }

    @Test func asyncExampleRunsAndWritesTheFile() async throws {
        let directory = TestSupport.makeTemporaryDirectory()
        defer { TestSupport.removeDirectory(directory) }
        let path = directory + "/async.txt"
        #expect(try await asyncFileExample(path: FilePath(path), text: "ring thread") == "ring thread")
        #expect(try TestSupport.contents(of: path) == Array("ring thread".utf8))
        #expect(try await asyncFileExample(path: FilePath(directory + "/absent/async.txt"), text: "lost") == nil)
    }

    @Test(arguments: ["ReadmeExample.swift", "ReadmeAsyncExample.swift"])
    func readmeShowsExactlyTheCompiledExample(_ file: String) throws {
        let source = String(decoding: try TestSupport.contents(of: Self.testsDirectory + "/" + file), as: UTF8.self)
        let readme = String(decoding: try TestSupport.contents(of: Self.testsDirectory + "/../../README.md"), as: UTF8.self)
        let begin = try #require(source.firstRange(of: "// README-BEGIN\n"))
        let end = try #require(source.firstRange(of: "// README-END"))
        let example = source[begin.upperBound..<end.lowerBound]
        #expect(readme.contains("```swift\n" + example + "```"))
    }
}
