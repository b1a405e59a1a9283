// swift-tools-version: 6.0
import PackageDescription

#if arch(x86_64)
let fmaKernelSettings: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
let fmaKernelSettings: [SwiftSetting] = []
#endif

let package = Package(
    name: "Glassbox",
    products: [
        .library(name: "GlassboxCore", targets: ["GlassboxCore"]),
        .library(name: "GlassboxNN", targets: ["GlassboxNN"]),
        .library(name: "GlassboxIO", targets: ["GlassboxIO"]),
        .library(name: "GlassboxOpenCL", targets: ["GlassboxOpenCL"]),
        .library(name: "GlassboxConformance", targets: ["GlassboxConformance"]),
        .library(name: "GlassboxONNX", targets: ["GlassboxONNX"]),
        .library(name: "GlassboxExplain", targets: ["GlassboxExplain"]),
        .executable(name: "glassbox", targets: ["glassbox"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        .target(name: "GlassboxCore", dependencies: ["GlassboxFMAKernels"]),
        // The FMA kernels are compiled for AVX2 + FMA on x86-64 and chosen at run time only on CPUs that have them.
        .target(name: "GlassboxFMAKernels", swiftSettings: fmaKernelSettings),
        .target(name: "GlassboxNN", dependencies: ["GlassboxCore"]),
        .systemLibrary(name: "COpenCL", pkgConfig: "OpenCL", providers: [.apt(["ocl-icd-opencl-dev", "opencl-headers"])]),
        .systemLibrary(name: "CStb", pkgConfig: "stb", providers: [.apt(["libstb-dev"])]),
        .target(
            name: "GlassboxOpenCL",
            dependencies: ["GlassboxCore", "COpenCL"],
            exclude: ["Kernels"],
            plugins: [.plugin(name: "EmbedResourcesPlugin")]
        ),
        .target(name: "GlassboxConformance", dependencies: ["GlassboxCore"]),
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
        .executableTarget(
            name: "glassbox",
            dependencies: [
                "GlassboxCore", "GlassboxNN", "GlassboxIO", "GlassboxOpenCL", "GlassboxConformance", "GlassboxONNX",
                "GlassboxExplain", "GlassboxBenchmarks", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "EmbedResources"),
        .plugin(name: "EmbedResourcesPlugin", capability: .buildTool(), dependencies: ["EmbedResources"]),
        .target(
            name: "GlassboxBenchmarks",
            dependencies: ["GlassboxCore", "GlassboxFMAKernels", "GlassboxNN", "GlassboxExplain", "GlassboxOpenCL"],
            path: "Benchmarks/GlassboxBenchmarks"
        ),
        .target(name: "GlassboxTestSupport", path: "Tests/GlassboxTestSupport"),
        .testTarget(name: "GlassboxCoreTests", dependencies: ["GlassboxCore", "GlassboxFMAKernels", "GlassboxTestSupport"]),
        .testTarget(name: "GlassboxNNTests", dependencies: ["GlassboxNN", "GlassboxTestSupport"]),
        .testTarget(name: "GlassboxIOTests", dependencies: ["GlassboxIO", "GlassboxCore", "GlassboxTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "GlassboxOpenCLTests", dependencies: ["GlassboxOpenCL", "GlassboxConformance", "GlassboxNN", "GlassboxTestSupport"]),
        .testTarget(
            name: "GlassboxONNXTests",
            dependencies: ["GlassboxONNX", "GlassboxNN", "GlassboxIO", "GlassboxTestSupport"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "GlassboxExplainTests",
            dependencies: ["GlassboxExplain", "GlassboxNN", "GlassboxONNX", "GlassboxIO", "GlassboxOpenCL", "GlassboxTestSupport"],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "GlassboxCLITests", dependencies: ["glassbox"]),
    ],
    swiftLanguageModes: [.v6]
)
