import ArgumentParser
import Glibc
import SystemPackage
import Uring
import UringFiles

/// `uring cp [-r] [-p] [-n] SOURCE… DESTINATION`: copy files and trees through io_uring,
/// with coreutils `cp`'s command line.
struct CopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cp",
        abstract: "Copy files and directory trees through io_uring (UringFiles.copyFile, UringFiles.copyTree).",
        usage: "uring cp [-r] [-p] [-n] [options] SOURCE DEST\n       uring cp [-r] [-p] [-n] [options] SOURCE... DIRECTORY",
        discussion: """
            As coreutils cp: a directory destination receives the sources inside it; several sources \
            need a directory; a trailing slash on the destination means it must be (or, for -r, become) \
            a directory; -r copies directories, -p keeps times and ownership, -n leaves existing files alone.

            Differences from coreutils cp:
              - Permission bits are always kept exactly; cp applies the umask to new files without -p.
              - In trees, symbolic links are copied as links and hard links as separate files (cp -r does
                the same); -a, -L, -H, -P, -l, -s, -u, -i, -f, --reflink and --sparse are not offered.
              - -p keeps mode, times and ownership; not ACLs or extended attributes.
              - A file that fails is removed from the destination rather than left partly written.
              - Files are not made sparse: holes in a source are written as zeros.
              - A source whose size is unknown (procfs, a FIFO, a device) is read to its end, as cp does.
            """)

    @Argument(help: "The sources, then the destination.") var paths: [String] = []
    @Flag(name: [.customShort("r"), .customShort("R"), .customLong("recursive")], help: "Copy directories recursively.")
    var recursive = false
    @Flag(name: [.customShort("p"), .customLong("preserve")], help: "Keep times and ownership (permission bits are always kept).")
    var preserve = false
    @Flag(name: [.customShort("n"), .customLong("no-clobber")], help: "Do not overwrite an existing file.")
    var noClobber = false
    @OptionGroup var options: TransferOptions
    @Flag(help: "fsync each destination file at the end.") var fsync = false

    func validate() throws {
        guard paths.count >= 2 else {
            throw ValidationError(paths.isEmpty ? "missing file operand" : "missing destination file operand after '\(paths[0])'")
        }
        if options.syncPolicy == .data || options.syncPolicy == .endAndData {
            throw ValidationError("--sync-policy \(options.syncPolicy.pyuringName) applies to writes; cp takes default, none or end")
        }
    }

    func run() throws {
        let destination = paths[paths.count - 1]
        let sources = paths.dropLast()
        let intoDirectory = Self.isDirectory(destination)
        if sources.count > 1 && !intoDirectory {
            Self.complain("target '\(destination)' is not a directory")
            throw ExitCode.failure
        }
        var failed = false
        for source in sources {
            do {
                try copy(source, to: intoDirectory ? Self.inside(destination, source) : destination, named: destination)
            } catch let error as CopyFailure {
                Self.complain(error.description)
                failed = true
            } catch let error as UringError {
                Self.complain("cannot copy '\(source)': \(error)")
                failed = true
            }
        }
        if failed { throw ExitCode.failure }
    }

    /// Copies one source to `target` (already inside the destination directory when it is one).
    private func copy(_ source: String, to target: String, named destination: String) throws {
        var status = stat()
        let found = recursive ? lstat(source, &status) : stat(source, &status)
        guard found == 0 else { throw CopyFailure("cannot stat '\(source)': \(Errno(rawValue: errno))") }
        let isDirectory = status.st_mode & S_IFMT == S_IFDIR
        if isDirectory && !recursive { throw CopyFailure("-r not specified; omitting directory '\(source)'") }
        if target.hasSuffix("/") && !Self.isDirectory(target) && !(isDirectory && access(target, F_OK) != 0) {
            throw CopyFailure("cannot create regular file '\(target)': Not a directory")
        }
        if recursive && (isDirectory || status.st_mode & S_IFMT == S_IFLNK) {
            try copyTree(source, to: target)
        } else {
            try copyFile(source, to: target)
        }
    }

    private var copyOptions: UringFiles.CopyOptions {
        UringFiles.CopyOptions(
            mode: options.mode, queueDepth: options.queueDepth ?? 32, blockSize: options.blockSize?.bytes ?? 1 << 20,
            fsync: options.syncPolicy == .end || (options.syncPolicy == .default && fsync),
            noClobber: noClobber, preserveAttributes: preserve)
    }

    private func copyFile(_ source: String, to target: String) throws {
        let progress = TransferProgress(label: "cp", force: options.progress)
        let report = try UringFiles.copyFile(
            FilePath(source), to: FilePath(target), options: copyOptions, progress: progress.update(done:total:))
        progress.finish(bytes: report.bytes, path: report.skipped ? "nothing (it exists)" : report.path.description, always: options.stats)
    }

    private func copyTree(_ source: String, to target: String) throws {
        let progress = TreeProgressLine(force: options.progress)
        let report = try UringFiles.copyTree(
            FilePath(source), to: FilePath(target), options: copyOptions, progress: progress.update(_:))
        progress.finish(report, always: options.stats)
        guard report.succeeded else {
            for failure in report.failures { Self.complain("cannot copy '\(failure.path)': \(failure.error)") }
            throw CopyFailure("\(report.failures.count) of the entries under '\(source)' could not be copied")
        }
    }

    /// Whether `path` names a directory, following links.
    static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }

    /// `directory/NAME`, NAME being the last component of `source` (trailing slashes ignored).
    static func inside(_ directory: String, _ source: String) -> String {
        let name = FilePath(source).lastComponent?.string ?? source
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// One `uring cp: …` line on standard error.
    static func complain(_ message: String) {
        ProgressLine.writeError("uring cp: " + message + "\n")
    }
}

/// A failure of `uring cp` with cp's wording.
struct CopyFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
