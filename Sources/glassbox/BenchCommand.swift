import ArgumentParser
import Foundation
import GlassboxBenchmarks
import GlassboxCore
import GlassboxOpenCL

/// `glassbox bench`: kernel and end-to-end throughput on every backend, with ratios to the peak.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract:
            "Measure GEMM, convolution and end-to-end explanations (SmoothGrad-50, IG-50, guided backprop, Grad-CAM, occlusion, MC-dropout-100, Bayes-100) on the digits CNN, a CIFAR CNN and ResNet-18, on the CPU and every OpenCL device, with GFLOP/s, the ratio to the measured peak, OpenBLAS's GEMM for reference, and peak memory."
    )

    @Flag(
        help:
            "Shorter timings, GEMM up to 1024, and of ResNet-18 only SmoothGrad-50 and guided backprop on the CPU (under 2 minutes on 2 cores)."
    )
    var quick = false

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Option(help: "Which backends: all (the CPU and every OpenCL device), cpu, or opencl:N.")
    var device = "all"

    @Option(
        help:
            "Run only the rows whose model or operation and name contain this text, e.g. \"cifar-cnn SmoothGrad\" or \"gemm\"."
    )
    var filter: String?

    func run() throws {
        var targets = [BenchmarkSuite.Target]()
        if device == "all" || device == "cpu" { targets.append(.init(backend: CPUBackend.shared, onHost: true)) }
        for opencl in (try? OpenCLDevice.all()) ?? [] where device == "all" || device == "opencl:\(opencl.index)" {
            targets.append(
                .init(backend: try OpenCLBackend.shared(deviceIndex: opencl.index), onHost: opencl.type == "CPU"))
        }
        guard !targets.isEmpty else {
            throw GlassboxError.invalidArgument(
                "--device \(device) names no backend of this machine; see `glassbox devices`")
        }
        if !json {
            print("\(ProcessInfo.processInfo.activeProcessorCount) host cores; \(quick ? "quick" : "full") run")
        }
        let results = try BenchmarkSuite.run(quick: quick, filter: filter, targets: targets) { row in
            if !json { print(row.tableLine) }
        }
        if json {
            print(String(decoding: try results.jsonData(), as: UTF8.self))
        }
    }
}
