// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Glassbox",
    products: [
        .library(name: "GlassboxCore", targets: ["GlassboxCore"]),
        .library(name: "GlassboxNN", targets: ["GlassboxNN"]),
    ],
    targets: [
        .target(name: "GlassboxCore"),
        .target(name: "GlassboxNN", dependencies: ["GlassboxCore"]),
        .testTarget(name: "GlassboxCoreTests", dependencies: ["GlassboxCore"]),
        .testTarget(name: "GlassboxNNTests", dependencies: ["GlassboxNN"]),
    ],
    swiftLanguageModes: [.v6]
)
