import Foundation
import GlassboxCore
import GlassboxExplain
import GlassboxIO
import GlassboxNN
import GlassboxONNX

/// Rows of real architectures imported from ONNX: the torchvision exports of
/// `scripts/export_torchvision_zoo.py` (random weights), one input each.
///
/// For each model `<name>.onnx` of the folder, on one backend: `predict` (one
/// forward pass of one input), `saliency` (its input gradient for the predicted
/// class) and `SmoothGrad-16` (`NoiseTunnel(Saliency)` with 16 noisy copies, σ = 15%
/// of the input's range). The input is `<name>.input.npy` beside the model (the
/// export's preprocessed photo), or seeded normal noise when that file is missing.
/// GFLOP/s counts the forward pass's matrix products (`Graph.forwardFLOPsPerSample`)
/// once per forward pass and twice per forward and input gradient.
public enum ImportedModelBenchmarks {
    /// The models, in the order their rows run: ResNet-50, MobileNetV3-small and ViT-B/16.
    public static let modelNames = ["resnet50", "mobilenet_v3_small", "vit_b_16"]

    /// The rows of one model, in order.
    static let rowNames = ["predict", "saliency", "SmoothGrad-16"]

    /// The (model, row) pairs a run measures: with `quick`, only predict and saliency of
    /// mobilenet_v3_small, and only on the CPU backend.
    static func plan(quick: Bool, onCPU: Bool, selects: (String) -> Bool) -> [(model: String, rows: [String])] {
        if quick && !onCPU { return [] }
        let models = quick ? ["mobilenet_v3_small"] : modelNames
        return models.compactMap { model in
            let rows = (quick ? ["predict", "saliency"] : rowNames).filter { selects("\(model) \($0)") }
            return rows.isEmpty ? nil : (model, rows)
        }
    }

    /// The models a run with these settings measures on the CPU backend (a subset of ``modelNames``).
    public static func plannedModels(quick: Bool, filter: String?) -> [String] {
        let selects = { (label: String) in filter.map { label.localizedCaseInsensitiveContains($0) } ?? true }
        return plan(quick: quick, onCPU: true, selects: selects).map(\.model)
    }

    /// The planned models (``plannedModels(quick:filter:)``) whose `<name>.onnx` is missing
    /// from `folder`, so that a caller can say they are skipped.
    public static func missingModels(in folder: URL, quick: Bool, filter: String?) -> [String] {
        plannedModels(quick: quick, filter: filter).filter {
            !FileManager.default.fileExists(atPath: folder.appendingPathComponent("\($0).onnx").path)
        }
    }

    static func measure(
        folder: URL, backend: any Backend, peak: Double?, quick: Bool, profile: Bool, selects: (String) -> Bool
    ) throws -> [Measurement] {
        var results = [Measurement]()
        for (model, rows) in plan(quick: quick, onCPU: backend is CPUBackend, selects: selects) {
            let file = folder.appendingPathComponent("\(model).onnx")
            guard FileManager.default.fileExists(atPath: file.path) else { continue }
            let graph = try ONNXImporter.load(from: file, backend: backend).graph
            let x = try input(for: model, in: folder, graph: graph, backend: backend)
            results += try measure(
                model, graph: graph, input: x, rows: rows, backend: backend, peak: peak, quick: quick)
            if profile && rows.contains("predict") {
                results += try layerProfile(model, graph: graph, input: x, backend: backend, peak: peak)
            }
        }
        return results
    }

    /// The first sample of `<model>.input.npy` in the folder when that file exists (a batch
    /// of the model's sample shape), else seeded normal noise; a batch of one.
    static func input(for model: String, in folder: URL, graph: Graph, backend: any Backend) throws -> Tensor {
        let shape = Shape([1] + graph.inputShape.dimensions)
        let file = folder.appendingPathComponent("\(model).input.npy")
        guard FileManager.default.fileExists(atPath: file.path) else {
            return try backend.randomNormal(shape, mean: 0, standardDeviation: 1, stream: RandomStream(seed: 7))
        }
        let array = try NumpyArray.read(from: file)
        guard array.shape.rank == shape.rank, array.shape.sampleShape == graph.inputShape, array.shape[0] >= 1 else {
            throw GlassboxError.shapeMismatch(
                "\(file.path) holds \(array.shape), but \(model).onnx takes samples of \(graph.inputShape)")
        }
        return try backend.upload(Array(array.values.prefix(shape.count)), shape: shape)
    }

    static func measure(
        _ model: String, graph: Graph, input x: Tensor, rows: [String], backend: any Backend, peak: Double?,
        quick: Bool
    ) throws -> [Measurement] {
        let forward = graph.forwardFLOPsPerSample, elementwise = graph.forwardElementwiseFLOPsPerSample
        // The maps explain the predicted class, as `glassbox explain` does by default.
        let logits = try graph.predict(x).toArray()
        let target = logits.indices.max { logits[$0] < logits[$1] } ?? 0
        // (name, samples per run, FLOPs per run, run)
        let candidates: [(String, Int, Double, () throws -> Void)] = [
            ("predict", 1, forward, { _ = try graph.predict(x) }),
            ("saliency", 1, 2 * forward, { _ = try Saliency().attribute(x, targets: [target], model: graph) }),
            (
                "SmoothGrad-16", 16, 16 * 2 * forward,
                {
                    _ = try NoiseTunnel(Saliency(), samples: 16, noise: .relative(0.15)).attribute(
                        x, targets: [target], model: graph)
                }
            ),
        ]
        return try candidates.filter { rows.contains($0.0) }.map { name, samples, flops, run in
            CPUBackend.shared.releaseCachedMemory()
            ResidentMemory.resetPeak()
            let seconds = try time(on: backend, minimum: quick ? 0 : 1, run)
            let gflops = flops / seconds / 1e9
            return Measurement(
                backend: backend.name, group: model, name: name, seconds: seconds, gflops: gflops,
                ratioToPeak: peak.map { gflops / $0 }, samplesPerSecond: Double(samples) / seconds,
                peakResidentBytes: ResidentMemory.peakBytes(), forwardGFLOP: forward / 1e9,
                forwardElementwiseGFLOP: elementwise / 1e9)
        }
    }

    /// Where one forward pass's time goes: the graph's nodes run one at a time as
    /// `Graph.forward` runs them (inference mode), the backend synchronised after each,
    /// summed per layer type over the best of three passes; one row per type, slowest
    /// first, each with its share of the FLOPs (`Graph.forwardFLOPs(of:)`, products and elementwise).
    static func layerProfile(_ model: String, graph: Graph, input x: Tensor, backend: any Backend, peak: Double?)
        throws -> [Measurement]
    {
        var best = [String: Double](), counts = [String: Int](), flops = [String: Double]()
        for node in graph.nodes {
            counts[node.layer.typeName, default: 0] += 1
            let (products, elementwise) = graph.forwardFLOPs(of: node)
            flops[node.layer.typeName, default: 0] += products + elementwise
        }
        for _ in 0..<3 {
            var outputs = [graph.inputName: x], seconds = [String: Double]()
            for node in graph.nodes {
                let parameters = Dictionary(
                    uniqueKeysWithValues: node.layer.parameterSpecs.compactMap { spec in
                        graph.parameters[node.parameterName(spec.name)].map { (spec.name, $0) }
                    })
                let context = ForwardContext(backend: backend, mode: .inference, randomStream: RandomStream(seed: 0))
                let start = Date()
                let result = try node.layer.forward(
                    node.inputs.map { outputs[$0]! }, parameters: parameters, context: context)
                try backend.synchronize()
                seconds[node.layer.typeName, default: 0] += Date().timeIntervalSince(start)
                outputs[node.name] = result.output
            }
            if best.isEmpty || seconds.values.reduce(0, +) < best.values.reduce(0, +) { best = seconds }
        }
        let total = best.values.reduce(0, +)
        return best.sorted { $0.value > $1.value }.map { type, seconds in
            let gflops = (flops[type] ?? 0) / seconds / 1e9
            return Measurement(
                backend: backend.name, group: model,
                name: "forward: \(type) ×\(counts[type] ?? 0) (\(Int((100 * seconds / total).rounded()))%)",
                seconds: seconds, gflops: gflops, ratioToPeak: peak.map { gflops / $0 })
        }
    }
}
