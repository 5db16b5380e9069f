// The README's async example, compiled and run by ReadmeAsyncExampleTests. The lines
// between the markers must stay identical to the README's code block.
// README-BEGIN
import UringAsync

/// Writes `text` to a new file and reads it back, every step awaited on a ring
/// thread; nil when the file's directory does not exist.
func asyncFileExample(path: FilePath, text: String) async throws -> String? {
    let executor = try RingExecutorGroup.shared().next()
    do {
        try await executor.withFile(path, .readWrite, options: [.create, .truncate]) { file in
            try await file.write(contentsOf: Array(text.utf8), at: 0)
        }
    } catch let error as UringError where error.errno == .noSuchFileOrDirectory {
        return nil
    }
    return try await executor.withFile(path) { file in
        String(decoding: try await file.readAll(), as: UTF8.self)
    }
}
// README-END
