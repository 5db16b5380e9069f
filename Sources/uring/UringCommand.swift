import ArgumentParser
import Uring

/// `uring`: the command-line face of swift-uring.
struct UringCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uring",
        abstract: "io_uring from Swift: copy and write files, probe the kernel, measure the ring.",
        version: SwiftUring.version,
        subcommands: [CopyCommand.self, WriteCommand.self, WriteManyCommand.self, ProbeCommand.self, BenchCommand.self]
    )
}
