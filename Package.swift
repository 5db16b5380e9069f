// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "swift-uring",
    products: [
        .library(name: "Uring", targets: ["Uring"]),
        .library(name: "UringFiles", targets: ["UringFiles"]),
        .library(name: "UringAsync", targets: ["UringAsync"]),
        .executable(name: "uring", targets: ["uring"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
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
        .target(name: "CUringBench"),
        .executableTarget(
            name: "uring",
            dependencies: [
                "Uring",
                "UringFiles",
                "UringAsync",
                "CUringBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .target(name: "CUringTestSupport", path: "Tests/CUringTestSupport"),
        .testTarget(
            name: "UringTests",
            dependencies: [
                "Uring",
                "UringFiles",
                "UringAsync",
                "uring",
                "CUringTestSupport",
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
