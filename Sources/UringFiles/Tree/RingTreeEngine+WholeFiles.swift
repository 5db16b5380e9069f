import Glibc
import SystemPackage
import Uring

/// Files a tree copy does not move chunk by chunk: reflinks, where the destination's
/// file system shares blocks, and large files, which the single-file pipeline copies;
/// and the probe that decides, once per tree, how the rest go.
extension RingTreeEngine {
    /// Files from this size on are copied after the others, one at a time, by the
    /// single-file pipeline (``RingCopyEngine``), which keeps several chunks of one
    /// file in flight: `time uring cp -r` of a directory holding one sparse 4 GiB
    /// file took 28 s in 256 KiB steps and 6 s this way (debug build, /dev/shm).
    static let largeFile = 2 << 20

    /// Copies the large regular files `entries` one after another with a ``RingCopyEngine``.
    func copyLarge(_ entries: [Int], in tree: inout Tree, copier: TreeCopier) throws {
        guard !entries.isEmpty else { return }
        var reported = 0
        let options = copier.options
        let plan = try TransferPlan(
            operation: copier.plan.operation,
            tuning: .copy(options.mode, queueDepth: options.queueDepth, blockSize: options.blockSize),
            sync: copier.plan.sync, generated: false, bufferSize: nil,
            progress: { done, _ in
                copier.wrote(done - reported)
                reported = done
                return copier.cancelled
            })
        var engine = try RingCopyEngine(plan: plan)
        for index in entries where !copier.cancelled {
            reported = 0
            var touched = false
            do {
                let source = try CopySource.open(tree.sourcePath(index), plan: plan)
                defer { try? source.fd.close() }
                guard
                    let destination = try CopyDestination.create(
                        tree.destinationPath(index), permissions: copier.creationMode(index, in: tree).mode,
                        notSameAs: source, noClobber: options.noClobber, plan: plan)
                else {
                    copier.skipped(index)
                    continue
                }
                defer { try? destination.fd.close() }
                touched = true
                let bytes = try engine.copy(from: source, to: destination, plan: plan)
                if let failure = copier.finishFile(index, in: tree) { throw failure }
                copier.fileCopied(index, bytes: bytes, reflinked: false)
            } catch let error as UringError {
                if touched { unlink(tree.entries[index].destination) }
                if !copier.cancelled { tree.fail(index, error) }
            }
        }
    }

    /// Decides, once per tree, where reads run and whether destinations are reserved,
    /// from the first regular source and the destination root; whether files may
    /// be reflinked (``UringFiles/Mode/auto`` only), from a probe file.
    mutating func probe(_ entries: [Int], in tree: Tree, copier: TreeCopier) -> Bool {
        guard let first = entries.first(where: { tree.entries[$0].kind == .regular }) else { return false }
        let source = open(tree.entries[first].source, O_RDONLY | O_CLOEXEC)
        guard source >= 0 else { return false }
        defer { close(source) }
        readFlags = FileSystemFacts.readsRunInline(FileDescriptor(rawValue: source)) ? [] : .async
        let root = tree.entries[0].kind == .directory ? 0 : first
        let parent = tree.entries[0].kind == .directory ? tree.destinationPath(root) : tree.destinationPath(root).removingLastComponent()
        let directory = open(parent.isEmpty ? "." : parent.string, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { return false }
        defer { close(directory) }
        reserves = FileSystemFacts.preallocationPays(FileDescriptor(rawValue: directory))
        guard copier.options.mode == .auto else { return false }
        let name = ".uring-reflink-probe-\(getpid())"
        let probe = openat(directory, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard probe >= 0 else { return false }
        defer {
            close(probe)
            unlinkat(directory, name, 0)
        }
        return ioctl(probe, Reflink.request, source) == 0
    }

    /// Copies regular file `index` by sharing its blocks, on the calling thread;
    /// false when the file system refused (the ring copies it then).
    mutating func reflink(_ index: Int, in tree: inout Tree, copier: TreeCopier) -> Bool {
        let plan = copier.plan
        guard let source = try? CopySource.open(tree.sourcePath(index), plan: plan) else { return false }
        defer { try? source.fd.close() }
        let destination: CopyDestination?
        do {
            destination = try CopyDestination.create(
                tree.destinationPath(index), permissions: copier.creationMode(index, in: tree).mode, notSameAs: source,
                noClobber: copier.options.noClobber, plan: plan)
        } catch {
            tree.fail(index, error as? UringError ?? plan.error(.ioError, "\(error)"))
            return true
        }
        guard let destination else {
            copier.skipped(index)
            return true
        }
        defer { try? destination.fd.close() }
        guard let bytes = Reflink.clone(source, to: destination) else { return false }
        if let failure = copier.finishFile(index, in: tree) {
            tree.fail(index, failure)
            unlink(tree.entries[index].destination)
        } else {
            copier.fileCopied(index, bytes: bytes, reflinked: true)
        }
        return true
    }
}
