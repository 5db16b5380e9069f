import Glibc
import UringFiles

/// The live progress line of `uring cp` / `write` / `write-many` on standard
/// error: bytes done, rate and time left; drawn only when standard error is a
/// terminal, at most ten times a second.
final class TransferProgress {
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var lastDraw: ContinuousClock.Instant
    private let enabled: Bool
    private let label: String

    /// A progress line labelled `label`; drawn on a terminal, or always when `force`.
    init(label: String, force: Bool = false) {
        self.label = label
        enabled = force || isatty(2) == 1
        start = clock.now
        lastDraw = start
    }

    /// The progress callback: draws and never cancels.
    func update(done: Int, total: Int) -> Bool {
        guard enabled else { return false }
        let now = clock.now
        guard now - lastDraw >= .milliseconds(100) || done == total else { return false }
        lastDraw = now
        let elapsed = (now - start).seconds
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let left = rate > 0 ? Double(total - done) / rate : 0
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        let filled = Int(fraction * 30)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled)
        let line = "\r\(label) [\(bar)] \(Format.bytes(Double(done))) / \(Format.bytes(Double(total)))  "
            + "\(Format.fixed(rate / 1_048_576, 0)) MiB/s  ETA \(Format.clock(left))   "
        Self.writeError(line)
        return false
    }

    /// Ends the line with a summary of `bytes` moved along `path` (only on a terminal, or when `always`).
    func finish(bytes: Int, path: String, always: Bool) {
        let seconds = (clock.now - start).seconds
        let rate = seconds > 0 ? Double(bytes) / seconds / 1_048_576 : 0
        let summary = "\(label): \(Format.bytes(Double(bytes))) in \(Format.fixed(seconds, 2)) s "
            + "(\(Format.fixed(rate, 0)) MiB/s) via \(path)"
        if enabled { Self.writeError("\r" + summary + String(repeating: " ", count: 20) + "\n") }
        else if always { print(summary) }
    }

    static func writeError(_ text: String) {
        var text = text
        text.withUTF8 { bytes in _ = Glibc.write(2, bytes.baseAddress, bytes.count) }
    }
}

/// The live progress line of `uring cp -r` on standard error: files and bytes
/// done of the totals, rate and time left; drawn on a terminal (or when forced),
/// at most ten times a second.
final class TreeProgressLine {
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var lastDraw: ContinuousClock.Instant
    private let enabled: Bool

    /// A progress line drawn on a terminal, or always when `force`.
    init(force: Bool) {
        enabled = force || isatty(2) == 1
        start = clock.now
        lastDraw = start
    }

    /// The progress callback: draws and never cancels.
    func update(_ progress: UringFiles.TreeProgress) -> Bool {
        guard enabled else { return false }
        let now = clock.now
        guard now - lastDraw >= .milliseconds(100) || progress.filesDone == progress.filesTotal else { return false }
        lastDraw = now
        let elapsed = (now - start).seconds
        let rate = elapsed > 0 ? Double(progress.bytesDone) / elapsed : 0
        let left = rate > 0 ? Double(max(progress.bytesTotal - progress.bytesDone, 0)) / rate : 0
        TransferProgress.writeError(
            "\rcp -r: \(progress.filesDone)/\(progress.filesTotal) files  "
                + "\(Format.bytes(Double(progress.bytesDone))) / \(Format.bytes(Double(progress.bytesTotal)))  "
                + "\(Format.fixed(rate / 1_048_576, 0)) MiB/s  ETA \(Format.clock(left))   ")
        return false
    }

    /// Ends the line with a summary of `report` (only on a terminal, or when `always`).
    func finish(_ report: UringFiles.TreeCopyReport, always: Bool) {
        let seconds = (clock.now - start).seconds
        let rate = seconds > 0 ? Double(report.bytes) / seconds / 1_048_576 : 0
        var summary = "cp -r: \(report.files) files, \(report.directories) directories, \(report.symlinks) links"
        if report.specialFiles > 0 { summary += ", \(report.specialFiles) special files" }
        summary += ", \(Format.bytes(Double(report.bytes))) in \(Format.fixed(seconds, 2)) s (\(Format.fixed(rate, 0)) MiB/s) via \(report.path)"
        if report.reflinked > 0 { summary += ", \(report.reflinked) reflinked" }
        if report.skipped > 0 { summary += ", \(report.skipped) left alone" }
        if !report.failures.isEmpty { summary += ", \(report.failures.count) failed" }
        if enabled { TransferProgress.writeError("\r" + summary + String(repeating: " ", count: 20) + "\n") }
        else if always { print(summary) }
    }
}
