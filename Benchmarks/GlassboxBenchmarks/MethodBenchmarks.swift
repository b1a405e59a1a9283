import Foundation
import GlassboxCore
import GlassboxExplain
import GlassboxNN

/// End-to-end explanations and uncertainty estimates of one input, per model.
enum MethodBenchmarks {
    /// A benchmarked network; its graphs are built (with random weights) only when a row needs them.
    struct Model {
        var name: String
        var inputShape: Shape
        var nodes: [Node]
    }

    /// The digits CNN (1×8×8), the VGG-style CIFAR CNN (3×32×32) and, when asked,
    /// ResNet-18 (3×224×224, 1000 classes), with random weights.
    static func models(includingResNet: Bool) throws -> [Model] {
        let specs =
            [
                ("digits-cnn", Architecture.smallCNN, Shape([1, 8, 8]), 10),
                ("cifar-cnn", Architecture.cifarCNN, Shape([3, 32, 32]), 10),
            ]
            + (includingResNet ? [("resnet-18", Architecture.resnet18, Shape([3, 224, 224]), 1000)] : [])
        return try specs.map { name, architecture, shape, classes in
            Model(name: name, inputShape: shape, nodes: try architecture.nodes(inputShape: shape, classes: classes))
        }
    }

    /// The nodes with every convolution and dense layer made Bayesian.
    static func bayesianCounterpart(_ nodes: [Node]) -> [Node] {
        nodes.map { node in
            var copy = node
            if let convolution = node.layer as? Conv2D, convolution.groups == 1 {
                copy.layer = BayesianConv2D(
                    inputChannels: convolution.inputChannels, outputChannels: convolution.outputChannels,
                    window: convolution.window)
            } else if let dense = node.layer as? Dense {
                copy.layer = BayesianDense(dense.inputFeatures, dense.outputFeatures)
            }
            return copy
        }
    }

    static func measure(
        _ model: Model, backend: any Backend, peak: Double?, quick: Bool,
        selects: (String) -> Bool
    ) throws -> [Measurement] {
        let shape = model.inputShape, inputShape = Shape([1] + shape.dimensions)
        let (channels, height, width) = (shape[0], shape[1], shape[2])
        let window = [channels, max(1, height / 4), max(1, width / 4)],
            strides = [channels, max(1, height / 8), max(1, width / 8)]
        let positions = try OcclusionPlan(input: inputShape, window: window, strides: strides).positionCount
        let occlusion = "occlusion (\(positions) windows)"
        var names = ["SmoothGrad-50", "IG-50", "guided backprop", "Grad-CAM", occlusion, "MC-dropout-100", "Bayes-100"]
        if !model.nodes.contains(where: { $0.layer is Dropout }) { names.removeAll { $0 == "MC-dropout-100" } }
        if quick && model.name == "resnet-18" { names = ["SmoothGrad-50", "guided backprop"] }
        names.removeAll { !selects("\(model.name) \($0)") }
        guard !names.isEmpty else { return [] }
        let x = try backend.randomNormal(inputShape, mean: 0, standardDeviation: 1, stream: RandomStream(seed: 7))
        let graph = try Graph.initialized(inputShape: shape, nodes: model.nodes, seed: 0, backend: backend)
        let bayesian =
            names.contains("Bayes-100")
            ? try Graph.initialized(
                inputShape: shape, nodes: bayesianCounterpart(model.nodes), seed: 0, backend: backend) : graph
        let forward = graph.forwardFLOPsPerSample
        // (name, samples per explanation, FLOPs per explanation, run)
        let rows: [(String, Int, Double, () throws -> Void)] = [
            (
                "SmoothGrad-50", 50, 50 * 2 * forward,
                {
                    _ = try NoiseTunnel(Saliency(), samples: 50, noise: .relative(0.15)).attribute(
                        x, targets: [3], model: graph)
                }
            ),
            (
                "IG-50", 50, 50 * 2 * forward,
                { _ = try IntegratedGradients(steps: 50).attribute(x, targets: [3], model: graph) }
            ),
            (
                "guided backprop", 1, 2 * forward,
                { _ = try ModifiedReLUGradient.guidedBackprop.attribute(x, targets: [3], model: graph) }
            ),
            // Grad-CAM's backward pass stops at the last convolution, so it is counted as one forward pass.
            ("Grad-CAM", 1, forward, { _ = try ClassActivationMap(.gradCAM).attribute(x, targets: [3], model: graph) }),
            (
                occlusion, positions, Double(positions) * forward,
                {
                    _ = try Occlusion(window: window, strides: strides).attribute(x, targets: [3], model: graph)
                }
            ),
            (
                "MC-dropout-100", 100, 100 * forward,
                {
                    _ = try MonteCarloSampling(.dropout, samples: 100).uncertainty(of: x, model: graph)
                }
            ),
            (
                "Bayes-100", 100, 100 * bayesian.forwardFLOPsPerSample,
                {
                    _ = try MonteCarloSampling(.weights, samples: 100).uncertainty(of: x, model: bayesian)
                }
            ),
        ].filter { names.contains($0.0) }
        return try rows.map { name, samples, flops, run in
            CPUBackend.shared.releaseCachedMemory()
            ResidentMemory.resetPeak()
            let seconds = try time(on: backend, minimum: quick ? 0 : 1, run)
            let gflops = flops / seconds / 1e9
            return Measurement(
                backend: backend.name, group: model.name, name: name, seconds: seconds, gflops: gflops,
                ratioToPeak: peak.map { gflops / $0 }, samplesPerSecond: Double(samples) / seconds,
                peakResidentBytes: ResidentMemory.peakBytes())
        }
    }
}
