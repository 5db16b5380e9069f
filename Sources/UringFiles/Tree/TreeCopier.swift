import Glibc
import SystemPackage
import Uring

/// What a tree copy needs from an engine: statuses, directories, and the
/// copy of everything else.
protocol TreeEngine: ~Copyable {
    /// Lists every directory of the tree (``Tree/list(_:operation:)``) and reads the
    /// status of every entry (lstat: links not followed) into it; an entry that
    /// cannot be read is recorded as a failure.
    mutating func walk(_ tree: inout Tree, plan: TransferPlan) throws

    /// Creates the directories `entries` (all of one depth, parents already made) with
    /// owner-only permissions; an existing directory is merged into. Returns the ones
    /// this call created; a failure is recorded in the tree.
    mutating func makeDirectories(_ entries: [Int], in tree: inout Tree, plan: TransferPlan) throws -> [Int]

    /// Copies the regular files, links and special files `entries`, reporting each
    /// to `copier`; stops starting new ones once `copier` is cancelled.
    mutating func copy(_ entries: [Int], in tree: inout Tree, copier: TreeCopier) throws
}

/// The steps of a tree copy that do not depend on the engine, in order: walk the
/// source, create its directories level by level, copy everything else, then
/// give directories their modes and times deepest first. Counts what was done
/// and calls the progress handler.
final class TreeCopier {
    let plan: TransferPlan
    let options: UringFiles.CopyOptions
    let progress: UringFiles.TreeProgressHandler?
    private(set) var report = UringFiles.TreeCopyReport()
    private var state = UringFiles.TreeProgress(filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0)
    /// Whether the progress handler asked to stop.
    private(set) var cancelled = false
    /// The process's umask: bits that `open` and `mkdir` take away.
    let umask: mode_t = TreeCopier.currentUmask()

    init(plan: TransferPlan, options: UringFiles.CopyOptions, progress: UringFiles.TreeProgressHandler?) {
        self.plan = plan
        self.options = options
        self.progress = progress
    }

    /// Copies `tree` on `engine`.
    /// - Throws: `UringError` `ECANCELED` after a cancel; what the engine throws.
    func run<Engine: TreeEngine & ~Copyable>(_ tree: inout Tree, on engine: inout Engine) throws
        -> UringFiles.TreeCopyReport
    {
        try engine.walk(&tree, plan: plan)
        var levels: [[Int]] = []
        var depth = [Int](repeating: 0, count: tree.entries.count)
        var others: [Int] = []
        for index in tree.entries.indices where !tree.entries[index].failed {
            let parent = tree.entries[index].parent
            depth[index] = parent < 0 ? 0 : depth[parent] + 1
            switch tree.entries[index].kind {
            case .directory:
                if levels.count <= depth[index] { levels.append([]) }
                levels[depth[index]].append(index)
            case .symlink:
                tree.readLink(index, operation: plan.operation)
                if !tree.entries[index].failed { others.append(index) }
            case .regular, .special:
                others.append(index)
                state.bytesTotal += tree.entries[index].kind == .regular ? tree.entries[index].status.size : 0
            case .unknown:
                break
            }
        }
        state.filesTotal = others.count
        var created: [Int] = []
        for level in levels {
            let ready = Self.droppingOrphans(level, in: &tree)
            created += try engine.makeDirectories(ready, in: &tree, plan: plan)
            report.directories += ready.filter { !tree.entries[$0].failed }.count
        }
        let order = Self.interleavingDirectories(Self.droppingOrphans(others, in: &tree), in: tree)
        try engine.copy(order, in: &tree, copier: self)
        finishDirectories(levels, created: Set(created), in: &tree)
        report.failures = tree.failures
        if cancelled {
            throw plan.error(
                .canceled,
                "cancelled by the progress callback after \(state.filesDone) of \(state.filesTotal) files")
        }
        return report
    }

    /// `entries` reordered so that consecutive entries sit in different directories:
    /// the first entry of every directory, then the second of every directory, and so
    /// on. Files in flight together then take different directory locks as they are
    /// created; on ext4 a tree copied 1.2× faster this way (docs/BENCHMARKS.md).
    static func interleavingDirectories(_ entries: [Int], in tree: Tree) -> [Int] {
        var seen: [Int: Int] = [:]
        var ranked: [(rank: Int, index: Int)] = []
        ranked.reserveCapacity(entries.count)
        for index in entries {
            let parent = tree.entries[index].parent
            let rank = seen[parent, default: 0]
            seen[parent] = rank + 1
            ranked.append((rank, index))
        }
        return ranked.sorted { $0.rank != $1.rank ? $0.rank < $1.rank : $0.index < $1.index }.map(\.index)
    }

    /// `entries` without those below a directory that failed, which are marked
    /// failed without a report of their own (the directory is reported).
    private static func droppingOrphans(_ entries: [Int], in tree: inout Tree) -> [Int] {
        var kept: [Int] = []
        for index in entries {
            if tree.parentFailed(index) { tree.entries[index].failed = true } else { kept.append(index) }
        }
        return kept
    }

    /// Gives every directory its source's permission bits (only those this copy
    /// created, unless attributes are preserved) and, with
    /// ``UringFiles/CopyOptions/preserveAttributes``, its times and owner;
    /// deepest first, so setting a directory's times comes after its contents changed.
    private func finishDirectories(_ levels: [[Int]], created: Set<Int>, in tree: inout Tree) {
        for level in levels.reversed() {
            for index in level where !tree.entries[index].failed {
                guard created.contains(index) || options.preserveAttributes else { continue }
                if let failure = applyAttributes(index, in: tree, mode: true) { tree.fail(index, failure) }
            }
        }
    }

    /// Gives the destination of entry `index` its source's attributes, by path: with
    /// ``UringFiles/CopyOptions/preserveAttributes`` its owner and group (left as they
    /// are where the process may not give them, as `cp -p` does) and, last, its times;
    /// with `mode`, its permission bits (links have none of their own). The first
    /// error, if any.
    func applyAttributes(_ index: Int, in tree: Tree, mode: Bool) -> UringError? {
        let entry = tree.entries[index]
        let preserve = options.preserveAttributes
        if preserve && lchown(entry.destination, entry.status.owner, entry.status.group) != 0 && errno != EPERM {
            return plan.error(Errno(rawValue: errno), "setting the owner of \(tree.destinationPath(index)) failed")
        }
        if mode && chmod(entry.destination, entry.status.permissions) != 0 {
            return plan.error(Errno(rawValue: errno), "setting the mode of \(tree.destinationPath(index)) failed")
        }
        var times = [entry.status.accessed, entry.status.modified]
        let flags = entry.kind == .symlink ? AT_SYMLINK_NOFOLLOW : 0
        if preserve && utimensat(AT_FDCWD, entry.destination, &times, flags) != 0 {
            return plan.error(Errno(rawValue: errno), "setting the times of \(tree.destinationPath(index)) failed")
        }
        return nil
    }

    /// The mode to create file `index` with and whether fchmod must set it after:
    /// when the umask takes bits away or set-id bits are involved.
    func creationMode(_ index: Int, in tree: Tree) -> (mode: mode_t, needsChmod: Bool) {
        let permissions = tree.entries[index].status.permissions
        return (permissions, permissions & umask != 0 || permissions & 0o7000 != 0)
    }

    /// Gives the copied regular file `index` its mode (where creation could not)
    /// and, when preserving, its owner and times; the error, if any.
    func finishFile(_ index: Int, in tree: Tree) -> UringError? {
        applyAttributes(index, in: tree, mode: creationMode(index, in: tree).needsChmod || options.preserveAttributes)
    }

    /// Makes special file `index` (a FIFO, socket or device node) anew with mknod(2),
    /// replacing one that exists unless ``UringFiles/CopyOptions/noClobber``.
    func makeSpecial(_ index: Int, in tree: inout Tree) {
        let entry = tree.entries[index]
        let mode = entry.status.mode & ~umask | (entry.status.mode & S_IFMT)
        var made = mknod(entry.destination, mode, entry.status.device) == 0
        if !made && errno == EEXIST {
            if options.noClobber { return skipped(index) }
            made = unlink(entry.destination) == 0 && mknod(entry.destination, mode, entry.status.device) == 0
        }
        guard made else {
            return tree.fail(index, plan.error(Errno(rawValue: errno), "creating \(tree.destinationPath(index)) failed"))
        }
        if let failure = applyAttributes(index, in: tree, mode: true) { return tree.fail(index, failure) }
        report.specialFiles += 1
        advance(files: 1, bytes: 0)
    }

    /// Link `index` was created: gives it its owner and times when preserving.
    func linkCreated(_ index: Int, in tree: inout Tree) {
        if let failure = applyAttributes(index, in: tree, mode: false) { return tree.fail(index, failure) }
        report.symlinks += 1
        advance(files: 1, bytes: 0)
    }

    /// Regular file `index` is complete with `bytes` bytes (`reflinked` when shared).
    func fileCopied(_ index: Int, bytes: Int, reflinked: Bool) {
        report.files += 1
        report.bytes += bytes
        if reflinked { report.reflinked += 1 }
        advance(files: 1, bytes: reflinked ? bytes : 0)
    }

    /// Entry `index` was left alone because its destination exists.
    func skipped(_ index: Int) {
        report.skipped += 1
        advance(files: 1, bytes: 0)
    }

    /// A chunk of `bytes` was written.
    func wrote(_ bytes: Int) { advance(files: 0, bytes: bytes) }

    private func advance(files: Int, bytes: Int) {
        state.filesDone += files
        state.bytesDone += bytes
        if let progress, !cancelled, progress(state) { cancelled = true }
    }

    /// The process's umask, from /proc/self/status (Linux 4.7); all bits when unknown,
    /// so every mode is set explicitly.
    static func currentUmask() -> mode_t {
        let fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return 0o777 }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 4096)
        let count = read(fd, &bytes, bytes.count)
        guard count > 0 else { return 0o777 }
        let text = String(decoding: bytes[..<count], as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Umask:") }),
            let value = mode_t(line.dropFirst(6).trimmingPrefix(while: { $0 == "\t" || $0 == " " }), radix: 8)
        else { return 0o777 }
        return value
    }
}
