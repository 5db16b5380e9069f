import Glibc
import SystemPackage

/// One value at a stable address, kept alive by the executor until the final
/// completion of the operation that points to it (a timespec, a status record,
/// a socket address).
final class Pinned<Value>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Value>

    init(_ value: Value) {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: value)
    }

    deinit {
        pointer.deinitialize(count: 1)
        pointer.deallocate()
    }
}

/// NUL-terminated copies of paths at stable addresses, kept alive by the
/// executor until the final completion of the operation that names them.
final class PinnedPaths: @unchecked Sendable {
    let names: [UnsafeMutablePointer<CChar>]

    init(_ paths: FilePath...) {
        names = paths.map { path in path.withPlatformString { strdup($0)! } }
    }

    /// The first path, the second, …
    subscript(_ index: Int) -> UnsafePointer<CChar> { UnsafePointer(names[index]) }

    deinit { for name in names { free(name) } }
}
