// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Glassbox",
    products: [
        .library(name: "GlassboxCore", targets: ["GlassboxCore"]),
        .library(name: "GlassboxNN", targets: ["GlassboxNN"]),
        .library(name: "GlassboxIO", targets: ["GlassboxIO"]),
        .library(name: "GlassboxOpenCL", targets: ["GlassboxOpenCL"]),
        .library(name: "GlassboxReference", targets: ["GlassboxReference"]),
        .library(name: "GlassboxConformance", targets: ["GlassboxConformance"]),
        .library(name: "GlassboxONNX", targets: ["GlassboxONNX"]),
        .library(name: "GlassboxExplain", targets: ["GlassboxExplain"]),
        .library(name: "GlassboxText", targets: ["GlassboxText"]),
        .executable(name: "glassbox", targets: ["glassbox"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .target(name: "GlassboxCore", dependencies: ["GlassboxFMAKernels"]),
        // The FMA microkernel is C whose functions carry an AVX2 + FMA target attribute on x86-64 (no unsafe flags,
        // so the package can be depended on by version); GlassboxFMAKernels calls it only on CPUs that have them.
        .target(name: "CGlassboxFMA"),
        .target(name: "GlassboxFMAKernels", dependencies: ["CGlassboxFMA"]),
        .target(name: "GlassboxNN", dependencies: ["GlassboxCore"]),
        .systemLibrary(
            name: "COpenCL", pkgConfig: "OpenCL", providers: [.apt(["ocl-icd-opencl-dev", "opencl-headers"])]),
        .systemLibrary(name: "CStb", pkgConfig: "stb", providers: [.apt(["libstb-dev"])]),
        .target(
            name: "GlassboxOpenCL",
            dependencies: ["GlassboxCore", "COpenCL"],
            exclude: ["Kernels"],
            plugins: [.plugin(name: "EmbedResourcesPlugin")]
        ),
        .target(name: "GlassboxReference", dependencies: ["GlassboxCore"]),
        .target(name: "GlassboxConformance", dependencies: ["GlassboxCore", "GlassboxReference"]),
        .target(
            name: "GlassboxONNX",
            dependencies: ["GlassboxCore", "GlassboxNN", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["Generated/onnx.proto"]
        ),
        .target(name: "GlassboxExplain", dependencies: ["GlassboxCore", "GlassboxNN"]),
        .target(
            name: "GlassboxIO",
            dependencies: ["GlassboxCore", "CStb"],
            exclude: ["Data"],
            plugins: [.plugin(name: "EmbedResourcesPlugin")]
        ),
        .target(
            name: "GlassboxText",
            dependencies: ["GlassboxCore"],
            exclude: ["Data"],
            plugins: [.plugin(name: "EmbedResourcesPlugin")]
        ),
        .executableTarget(
            name: "glassbox",
            dependencies: [
                "GlassboxCore", "GlassboxNN", "GlassboxIO", "GlassboxOpenCL", "GlassboxConformance", "GlassboxONNX",
                "GlassboxExplain", "GlassboxBenchmarks", "GlassboxText",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "EmbedResources"),
        .plugin(name: "EmbedResourcesPlugin", capability: .buildTool(), dependencies: ["EmbedResources"]),
        .target(
            name: "GlassboxBenchmarks",
            dependencies: [
                "GlassboxCore", "GlassboxFMAKernels", "GlassboxNN", "GlassboxExplain", "GlassboxOpenCL", "GlassboxONNX",
                "GlassboxIO",
            ],
            path: "Benchmarks/GlassboxBenchmarks"
        ),
        .target(name: "GlassboxTestSupport", dependencies: ["GlassboxConformance"], path: "Tests/GlassboxTestSupport"),
        .testTarget(
            name: "GlassboxCoreTests",
            dependencies: [
                "GlassboxCore", "GlassboxFMAKernels", "GlassboxReference", "GlassboxConformance", "GlassboxTestSupport",
            ]
        ),
        .testTarget(name: "GlassboxNNTests", dependencies: ["GlassboxNN", "GlassboxConformance"]),
        .testTarget(
            name: "GlassboxIOTests", dependencies: ["GlassboxIO", "GlassboxCore", "GlassboxConformance"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "GlassboxOpenCLTests", dependencies: ["GlassboxOpenCL", "GlassboxNN", "GlassboxConformance"]),
        .testTarget(
            name: "GlassboxReferenceTests",
            dependencies: ["GlassboxReference", "GlassboxCore", "GlassboxConformance", "GlassboxTestSupport"]
        ),
        .testTarget(
            name: "GlassboxConformanceTests",
            dependencies: ["GlassboxConformance", "GlassboxReference", "GlassboxCore", "GlassboxOpenCL"]
        ),
        .testTarget(
            name: "GlassboxONNXTests",
            dependencies: ["GlassboxONNX", "GlassboxNN", "GlassboxIO", "GlassboxConformance", "GlassboxOpenCL"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "GlassboxExplainTests",
            dependencies: [
                "GlassboxExplain", "GlassboxNN", "GlassboxONNX", "GlassboxIO", "GlassboxOpenCL", "GlassboxConformance",
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "GlassboxTextTests", dependencies: ["GlassboxText", "GlassboxCore"], exclude: ["Fixtures"]),
        .testTarget(name: "GlassboxCLITests", dependencies: ["glassbox"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
