import Glibc
import SystemPackage

/// NUL-terminated strings (paths, link targets) that keep their address as long
/// as the arena lives, for requests that point at them. Stored in blocks of at
/// least 256 KiB that never move; appending allocates only when a block is full.
final class PathArena {
    private var blocks: [UnsafeMutablePointer<CChar>] = []
    private var used = 0
    private var blockSize = 0

    /// An empty arena.
    init() {}

    deinit { blocks.forEach { $0.deallocate() } }

    /// A stable copy of `count` bytes at `bytes` followed by a NUL.
    func append(_ bytes: UnsafePointer<CChar>, count: Int) -> UnsafePointer<CChar> {
        let start = reserve(count + 1)
        start.update(from: bytes, count: count)
        start[count] = 0
        return UnsafePointer(start)
    }

    /// A stable copy of `path`.
    func append(_ path: FilePath) -> UnsafePointer<CChar> {
        path.withPlatformString { append($0, count: strlen($0)) }
    }

    /// A stable copy of `parent`, a `/` and the NUL-terminated `name`.
    func append(_ parent: UnsafePointer<CChar>, _ name: UnsafePointer<CChar>) -> UnsafePointer<CChar> {
        let head = strlen(parent)
        let tail = strlen(name)
        let start = reserve(head + tail + 2)
        start.update(from: parent, count: head)
        start[head] = 0x2F
        (start + head + 1).update(from: name, count: tail)
        start[head + 1 + tail] = 0
        return UnsafePointer(start)
    }

    /// `count` bytes of a block.
    private func reserve(_ count: Int) -> UnsafeMutablePointer<CChar> {
        if blocks.isEmpty || used + count > blockSize {
            blockSize = max(256 << 10, count)
            blocks.append(.allocate(capacity: blockSize))
            used = 0
        }
        defer { used += count }
        return blocks[blocks.count - 1] + used
    }
}
