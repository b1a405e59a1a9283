import Foundation
import GlassboxCore

/// Every benchmark row on every backend given: the measured host peak, GEMM
/// (with OpenBLAS as the reference on the CPU), convolution, end-to-end
/// explanations (gradient methods and, on the CIFAR CNN and ResNet-18, the perturbation
/// methods LIME, KernelSHAP, RISE and Score-CAM) and uncertainty estimates on the digits
/// CNN, the CIFAR CNN and ResNet-18 (see `MethodBenchmarks`), and, from a folder of ONNX exports,
/// predict, saliency and SmoothGrad-16 of ResNet-50, MobileNetV3-small and ViT-B/16
/// (``ImportedModelBenchmarks``).
public enum BenchmarkSuite {
    /// A backend to measure, and whether it runs on the host CPU (PoCL), so that
    /// its ratios are taken to the host's peak.
    public struct Target {
        public var backend: any Backend
        public var onHost: Bool

        public init(backend: any Backend, onHost: Bool) {
            self.backend = backend
            self.onHost = onHost
        }
    }

    /// Runs the rows, handing each to `report` as it is measured. `quick` takes
    /// shorter timings, GEMM up to 1024, of the perturbation methods only LIME and Score-CAM of
    /// the CIFAR CNN, and of ResNet-18 only SmoothGrad-50 and guided backprop on the CPU backend,
    /// to finish in well under two minutes on two cores.
    /// With `filter`, only rows whose "group name" (e.g. "cifar-cnn SmoothGrad-50",
    /// "gemm 1024×1024×1024", "vit_b_16 predict") contains it run, besides the peak.
    /// With `models`, the imported models found there run after each backend's other
    /// rows (in `quick` runs only predict and saliency of mobilenet_v3_small, on the CPU
    /// backend); `profile` adds, after each predict row, the forward pass's time per layer type.
    public static func run(
        quick: Bool, filter: String? = nil, models: URL? = nil, profile: Bool = false, targets: [Target],
        report: (Measurement) -> Void
    ) throws -> [Measurement] {
        let selects = { (label: String) in filter.map { label.localizedCaseInsensitiveContains($0) } ?? true }
        var results = [Measurement]()
        func add(_ rows: [Measurement]) {
            rows.forEach(report)
            results += rows
        }
        let hostPeak = PeakThroughput.hostGFLOPS(seconds: quick ? 0.3 : 1)
        add([
            Measurement(
                backend: "cpu", group: "peak", name: "measured FMA peak, all cores", seconds: 0, gflops: hostPeak,
                ratioToPeak: 1)
        ])
        for target in targets {
            // A device on the host CPU (PoCL) is compared with the host's peak; a GPU's peak is not measured.
            let peak = target.backend is CPUBackend || target.onHost ? hostPeak : nil
            add(try KernelBenchmarks.measure(target.backend, peak: peak, quick: quick, selects: selects))
            for model in try MethodBenchmarks.models(includingResNet: !quick || target.backend is CPUBackend) {
                add(
                    try MethodBenchmarks.measure(
                        model, backend: target.backend, peak: peak, quick: quick, selects: selects))
            }
            if let models {
                add(
                    try ImportedModelBenchmarks.measure(
                        folder: models, backend: target.backend, peak: peak, quick: quick, profile: profile,
                        selects: selects))
            }
            // Nothing may still run on a device when the process exits (PoCL compiles kernels on its worker threads).
            try target.backend.synchronize()
        }
        return results
    }
}
