import ArgumentParser

/// `uring`: the command-line face of swift-uring.
struct UringCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uring",
        abstract: "io_uring from Swift: probe the kernel, measure the ring.",
        subcommands: [ProbeCommand.self, BenchCommand.self]
    )
}
