// swift-tools-version: 6.1
// The network benchmarks that compare UringNet with SwiftNIO. A package of its
// own, so that swift-uring itself never depends on SwiftNIO.
import Foundation
import PackageDescription

/// SwiftPM names a package depended on by path after its directory, so the
/// root package's name here is whatever the clone's directory is called.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let rootIdentity = root.lastPathComponent.lowercased()

let package = Package(
    name: "swift-uring-benchmarks",
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .executableTarget(
            name: "net-bench",
            dependencies: [
                .product(name: "UringNet", package: rootIdentity),
                .product(name: "UringNetExamples", package: rootIdentity),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)
