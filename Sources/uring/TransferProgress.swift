import Glibc
import UringFiles

/// A live line on standard error: drawn on a terminal (or when forced), at most
/// ten times a second, and replaced by a summary at the end.
struct ProgressLine {
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var lastDraw: ContinuousClock.Instant
    /// Whether the line is drawn at all.
    let enabled: Bool

    /// A line drawn on a terminal, or always when `force`.
    init(force: Bool) {
        enabled = force || isatty(2) == 1
        start = clock.now
        lastDraw = start
    }

    /// Seconds since the start.
    var elapsed: Double { (clock.now - start).seconds }

    /// The seconds since the start when the line is due to be drawn now (always
    /// for the `last` one), else nil.
    mutating func due(last: Bool) -> Double? {
        guard enabled else { return nil }
        let now = clock.now
        guard now - lastDraw >= .milliseconds(100) || last else { return nil }
        lastDraw = now
        return (now - start).seconds
    }

    /// Draws `text` over the line.
    func draw(_ text: String) { Self.writeError("\r" + text) }

    /// Ends the line with `summary`: over it on a terminal, else on standard output when `always`.
    func finish(_ summary: String, always: Bool) {
        if enabled { Self.writeError("\r" + summary + String(repeating: " ", count: 20) + "\n") } else if always { print(summary) }
    }

    /// Writes `text` to standard error as it is.
    static func writeError(_ text: String) {
        var text = text
        text.withUTF8 { bytes in _ = Glibc.write(2, bytes.baseAddress, bytes.count) }
    }
}

/// The live progress line of `uring cp` / `write` / `write-many` on standard
/// error: bytes done, rate and time left.
final class TransferProgress {
    private var line: ProgressLine
    private let label: String

    /// A progress line labelled `label`; drawn on a terminal, or always when `force`.
    init(label: String, force: Bool = false) {
        self.label = label
        line = ProgressLine(force: force)
    }

    /// The progress callback: draws and never cancels.
    func update(done: Int, total: Int) -> Bool {
        guard let elapsed = line.due(last: done == total) else { return false }
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let left = rate > 0 ? Double(total - done) / rate : 0
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        let filled = Int(fraction * 30)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled)
        line.draw(
            "\(label) [\(bar)] \(Format.bytes(Double(done))) / \(Format.bytes(Double(total)))  "
                + "\(Format.fixed(rate / 1_048_576, 0)) MiB/s  ETA \(Format.clock(left))   ")
        return false
    }

    /// Ends the line with a summary of `bytes` moved along `path` (only on a terminal, or when `always`).
    func finish(bytes: Int, path: String, always: Bool) {
        let seconds = line.elapsed
        let rate = seconds > 0 ? Double(bytes) / seconds / 1_048_576 : 0
        line.finish(
            "\(label): \(Format.bytes(Double(bytes))) in \(Format.fixed(seconds, 2)) s "
                + "(\(Format.fixed(rate, 0)) MiB/s) via \(path)", always: always)
    }
}

/// The live progress line of `uring cp -r` on standard error: files and bytes
/// done of the totals, rate and time left.
final class TreeProgressLine {
    private var line: ProgressLine

    /// A progress line drawn on a terminal, or always when `force`.
    init(force: Bool) { line = ProgressLine(force: force) }

    /// The progress callback: draws and never cancels.
    func update(_ progress: UringFiles.TreeProgress) -> Bool {
        guard let elapsed = line.due(last: progress.filesDone == progress.filesTotal) else { return false }
        let rate = elapsed > 0 ? Double(progress.bytesDone) / elapsed : 0
        let left = rate > 0 ? Double(max(progress.bytesTotal - progress.bytesDone, 0)) / rate : 0
        line.draw(
            "cp -r: \(progress.filesDone)/\(progress.filesTotal) files  "
                + "\(Format.bytes(Double(progress.bytesDone))) / \(Format.bytes(Double(progress.bytesTotal)))  "
                + "\(Format.fixed(rate / 1_048_576, 0)) MiB/s  ETA \(Format.clock(left))   ")
        return false
    }

    /// Ends the line with a summary of `report` (only on a terminal, or when `always`).
    func finish(_ report: UringFiles.TreeCopyReport, always: Bool) {
        let seconds = line.elapsed
        let rate = seconds > 0 ? Double(report.bytes) / seconds / 1_048_576 : 0
        var summary = "cp -r: \(report.files) files, \(report.directories) directories, \(report.symlinks) links"
        if report.specialFiles > 0 { summary += ", \(report.specialFiles) special files" }
        summary +=
            ", \(Format.bytes(Double(report.bytes))) in \(Format.fixed(seconds, 2)) s (\(Format.fixed(rate, 0)) MiB/s) via \(report.path)"
        if report.reflinked > 0 { summary += ", \(report.reflinked) reflinked" }
        if report.skipped > 0 { summary += ", \(report.skipped) left alone" }
        if !report.failures.isEmpty { summary += ", \(report.failures.count) failed" }
        line.finish(summary, always: always)
    }
}
