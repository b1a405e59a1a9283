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
            "Measure GEMM, convolution and end-to-end explanations (SmoothGrad-50, IG-50, guided backprop, Grad-CAM, occlusion, MC-dropout-100, Bayes-100, LIME-1000, KernelSHAP-2048, RISE-4000, Score-CAM) on the digits CNN, a CIFAR CNN and ResNet-18, and predict, saliency and SmoothGrad-16 of ResNet-50, MobileNetV3-small and ViT-B/16 imported from ONNX, on the CPU and every OpenCL device, with GFLOP/s, the ratio to the measured peak, OpenBLAS's GEMM for reference, and peak memory."
    )

    /// Where the imported models are looked for when `--models` is not given.
    static let defaultModels = "models/zoo"

    @Flag(
        help:
            "Shorter timings, GEMM up to 1024, of ResNet-18 only SmoothGrad-50 and guided backprop, of the perturbation methods only LIME-1000 and Score-CAM of the CIFAR CNN, and of the imported models only predict and saliency of mobilenet_v3_small, on the CPU (under 2 minutes on 2 cores)."
    )
    var quick = false

    @Option(
        help: ArgumentHelp(
            "The folder of ONNX exports to benchmark: resnet50.onnx, mobilenet_v3_small.onnx and vit_b_16.onnx, each with <name>.input.npy (default: models/zoo when it exists).",
            valueName: "dir"))
    var models: String?

    @Flag(help: "After each imported model's predict row, show the forward pass's time per layer type.")
    var profile = false

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
        let folder = try modelFolder()
        let results = try BenchmarkSuite.run(
            quick: quick, filter: filter, models: folder, profile: profile, targets: targets
        ) { row in
            if !json { print(row.tableLine) }
        }
        if json {
            print(String(decoding: try results.jsonData(), as: UTF8.self))
        }
    }

    /// The folder of imported models, or nil (after saying so) when the default one does not exist;
    /// a note for each model of the run that the folder lacks. Notes go to standard error with `--json`.
    func modelFolder() throws -> URL? {
        let note = { (line: String) in
            if json { FileHandle.standardError.write(Data((line + "\n").utf8)) } else { print(line) }
        }
        var isDirectory: ObjCBool = false
        let path = models ?? Self.defaultModels
        if models == nil && ImportedModelBenchmarks.plannedModels(quick: quick, filter: filter).isEmpty { return nil }
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            guard models == nil else {
                throw GlassboxError.invalidArgument("--models \(path) is not a folder")
            }
            note(
                "imported models skipped: no \(path) folder; make it with `python3 scripts/export_torchvision_zoo.py`")
            return nil
        }
        let folder = URL(fileURLWithPath: path)
        for model in ImportedModelBenchmarks.missingModels(in: folder, quick: quick, filter: filter) {
            note("\(model) skipped: no \(folder.appendingPathComponent("\(model).onnx").path)")
        }
        return folder
    }
}
