// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "swift-uring",
    products: [
        .library(name: "Uring", targets: ["Uring"]),
        .library(name: "UringFiles", targets: ["UringFiles"]),
        .library(name: "UringAsync", targets: ["UringAsync"]),
        .library(name: "UringNet", targets: ["UringNet"]),
        // Example servers and clients; the Benchmarks package measures them.
        .library(name: "UringNetExamples", targets: ["UringNetExamples"]),
        .executable(name: "uring", targets: ["uring"]),
        .executable(name: "uring-echo", targets: ["uring-echo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .target(name: "CUring"),
        .target(
            name: "Uring",
            dependencies: [
                "CUring",
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .target(name: "CUringFiles"),
        .target(
            name: "UringFiles",
            dependencies: [
                "Uring",
                "UringAsync",
                "CUringFiles",
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .target(
            name: "UringAsync",
            dependencies: [
                "Uring",
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .target(
            name: "UringNet",
            dependencies: [
                "Uring",
                "UringAsync",
            ]
        ),
        .target(name: "UringNetExamples", dependencies: ["UringNet"]),
        .executableTarget(
            name: "uring-echo",
            dependencies: [
                "UringNet",
                "UringNetExamples",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "CUringBench"),
        .executableTarget(
            name: "uring",
            dependencies: [
                "Uring",
                "UringFiles",
                "UringAsync",
                "UringNet",
                "UringNetExamples",
                "CUringBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .target(name: "CUringTestSupport", path: "Tests/CUringTestSupport"),
        .target(
            name: "UringTestSupport",
            dependencies: [
                "Uring",
                "UringAsync",
                "CUringTestSupport",
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Tests/UringTestSupport"
        ),
        .testTarget(
            name: "UringTests",
            dependencies: [
                "Uring",
                "UringTestSupport",
                "CUringTestSupport",
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .testTarget(
            name: "UringAsyncTests",
            dependencies: [
                "Uring",
                "UringAsync",
                "UringTestSupport",
                "CUringTestSupport",
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .testTarget(
            name: "UringNetTests",
            dependencies: [
                "UringNet",
                "UringNetExamples",
                "uring-echo",
                "UringTestSupport",
            ]
        ),
        .testTarget(
            name: "UringFilesTests",
            dependencies: [
                "Uring",
                "UringFiles",
                "uring",
                "UringTestSupport",
                "CUringTestSupport",
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
