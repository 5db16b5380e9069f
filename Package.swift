// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "swift-uring",
    products: [
        .library(name: "Uring", targets: ["Uring"]),
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
        .executableTarget(
            name: "uring",
            dependencies: [
                "Uring",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .target(name: "CUringTestSupport", path: "Tests/CUringTestSupport"),
        .testTarget(
            name: "UringTests",
            dependencies: [
                "Uring",
                "CUringTestSupport",
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
