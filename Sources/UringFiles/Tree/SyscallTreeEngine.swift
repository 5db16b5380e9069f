import Glibc
import SystemPackage
import Uring

/// A tree copy with plain system calls on the calling thread, one entry at a
/// time, for when io_uring itself is blocked; files go through ``SyscallCopyEngine``.
struct SyscallTreeEngine: TreeEngine {
    /// Never read: it keeps the engine from being zero-sized. `TreeCopier.run`
    /// takes the engine `inout`, and under ThreadSanitizer (Swift 6.3.1) the
    /// access check on a zero-sized `inout` used an arbitrary address and crashed.
    private var addressable: UInt8 = 0

    mutating func walk(_ tree: inout Tree, plan: TransferPlan) throws {
        while let directory = tree.nextDirectory() {
            for index in tree.list(directory, operation: plan.operation) {
                var status = stat()
                if lstat(tree.entries[index].source, &status) == 0 {
                    tree.record(EntryStatus(status), for: index)
                } else {
                    tree.fail(index, plan.error(Errno(rawValue: errno), "reading \(tree.sourcePath(index)) failed"))
                }
            }
        }
    }

    mutating func makeDirectories(_ entries: [Int], in tree: inout Tree, plan: TransferPlan) throws -> [Int] {
        var created: [Int] = []
        for index in entries {
            if mkdir(tree.entries[index].destination, 0o700) == 0 {
                created.append(index)
            } else if errno != EEXIST || !TreeDirectories.isDirectory(tree.entries[index].destination) {
                tree.fail(index, TreeDirectories.creationError(errno, index, in: tree, plan: plan))
            }
        }
        return created
    }

    mutating func copy(_ entries: [Int], in tree: inout Tree, copier: TreeCopier) throws {
        let plan = copier.plan
        let engine = SyscallCopyEngine(plan: plan)
        for index in entries where !copier.cancelled {
            switch tree.entries[index].kind {
            case .regular: copyFile(index, in: &tree, copier: copier, engine: engine)
            case .symlink:
                let entry = tree.entries[index]
                if symlink(entry.linkTarget!, entry.destination) == 0 {
                    copier.linkCreated(index, in: &tree)
                } else if errno == EEXIST && copier.options.noClobber {
                    copier.skipped(index)
                } else if errno == EEXIST && unlink(entry.destination) == 0 && symlink(entry.linkTarget!, entry.destination) == 0 {
                    copier.linkCreated(index, in: &tree)
                } else {
                    tree.fail(index, plan.error(Errno(rawValue: errno), "creating the link \(tree.destinationPath(index)) failed"))
                }
            case .special: copier.makeSpecial(index, in: &tree)
            case .directory, .unknown: break
            }
        }
    }

    /// Copies regular file `index`; on failure the destination is removed.
    private func copyFile(_ index: Int, in tree: inout Tree, copier: TreeCopier, engine: borrowing SyscallCopyEngine) {
        let plan = copier.plan
        do {
            let source = try CopySource.open(tree.sourcePath(index), plan: plan)
            defer { try? source.fd.close() }
            let mode = copier.creationMode(index, in: tree).mode
            guard
                let destination = try CopyDestination.create(
                    tree.destinationPath(index), permissions: mode, notSameAs: source,
                    noClobber: copier.options.noClobber, plan: plan)
            else { return copier.skipped(index) }
            defer { try? destination.fd.close() }
            do {
                let bytes = try engine.copy(from: source, to: destination, plan: plan)
                if let failure = copier.finishFile(index, in: tree) {
                    tree.fail(index, failure)
                } else {
                    return copier.fileCopied(index, bytes: bytes, reflinked: false)
                }
            } catch let error as UringError {
                tree.fail(index, error)
            }
            unlink(tree.entries[index].destination)
        } catch let error as UringError {
            tree.fail(index, error)
        } catch {
            tree.fail(index, plan.error(.ioError, "\(error)"))
        }
    }
}

/// Checks the directory steps of both engines share.
enum TreeDirectories {
    /// Whether `path` is a directory (following links, as mkdir's `EEXIST` means).
    static func isDirectory(_ path: UnsafePointer<CChar>) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }

    /// The error of directory `index` that could not be made (`errno`).
    static func creationError(_ errno: Int32, _ index: Int, in tree: Tree, plan: TransferPlan) -> UringError {
        errno == EEXIST
            ? plan.error(.fileExists, "\(tree.destinationPath(index)) exists and is not a directory")
            : plan.error(Errno(rawValue: errno), "creating the directory \(tree.destinationPath(index)) failed")
    }
}
