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
        /// The cells per side of the grid of superpixels the perturbation methods switch on and
        /// off; nil: no perturbation rows.
        var superpixelGrid: Int?
    }

    /// The digits CNN (1×8×8), the VGG-style CIFAR CNN (3×32×32) and, when asked,
    /// ResNet-18 (3×224×224, 1000 classes), with random weights. The perturbation rows run on the
    /// CIFAR CNN over 8×8 superpixels of 4×4 pixels (64 features) and on ResNet-18 over 14×14 of
    /// 16×16 pixels (196 features; `lime`'s quickshift makes about 50–200 segments of a 224² photo).
    static func models(includingResNet: Bool) throws -> [Model] {
        let specs: [(String, Architecture, Shape, Int, Int?)] =
            [
                ("digits-cnn", .smallCNN, Shape([1, 8, 8]), 10, nil),
                ("cifar-cnn", .cifarCNN, Shape([3, 32, 32]), 10, 8),
            ]
            + (includingResNet ? [("resnet-18", .resnet18, Shape([3, 224, 224]), 1000, 14)] : [])
        return try specs.map { name, architecture, shape, classes, grid in
            Model(
                name: name, inputShape: shape, nodes: try architecture.nodes(inputShape: shape, classes: classes),
                superpixelGrid: grid)
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
        var names =
            ["SmoothGrad-50", "IG-50", "guided backprop", "Grad-CAM", occlusion, "MC-dropout-100", "Bayes-100"]
            + perturbationNames(model, quick: quick)
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
        let rows: [EndToEndRow] = [
            EndToEndRow(
                name: "SmoothGrad-50", samples: 50, flops: 50 * 2 * forward,
                run: {
                    _ = try NoiseTunnel(Saliency(), samples: 50, noise: .relative(0.15)).attribute(
                        x, targets: [3], model: graph)
                }),
            EndToEndRow(
                name: "IG-50", samples: 50, flops: 50 * 2 * forward,
                run: { _ = try IntegratedGradients(steps: 50).attribute(x, targets: [3], model: graph) }),
            EndToEndRow(
                name: "guided backprop", samples: 1, flops: 2 * forward,
                run: { _ = try ModifiedReLUGradient.guidedBackprop.attribute(x, targets: [3], model: graph) }),
            // Grad-CAM's backward pass stops at the last convolution, so it is counted as one forward pass.
            EndToEndRow(
                name: "Grad-CAM", samples: 1, flops: forward,
                run: { _ = try ClassActivationMap(.gradCAM).attribute(x, targets: [3], model: graph) }),
            EndToEndRow(
                name: occlusion, samples: positions, flops: Double(positions) * forward,
                run: { _ = try Occlusion(window: window, strides: strides).attribute(x, targets: [3], model: graph) }),
            EndToEndRow(
                name: "MC-dropout-100", samples: 100, flops: 100 * forward,
                run: { _ = try MonteCarloSampling(.dropout, samples: 100).uncertainty(of: x, model: graph) }),
            EndToEndRow(
                name: "Bayes-100", samples: 100, flops: 100 * bayesian.forwardFLOPsPerSample,
                run: { _ = try MonteCarloSampling(.weights, samples: 100).uncertainty(of: x, model: bayesian) }),
        ]
        // Minutes-long rows (thousands of ResNet-18 passes) warm up on one chunk's worth of samples instead of a
        // whole run: enough to compile the kernels and allocate the chunk's buffers.
        let warmUpSamples = forward > 1e9 ? 64 : nil
        let perturbation = try perturbationRows(model, graph: graph, input: x, warmUpSamples: warmUpSamples)
        return try (rows + perturbation).filter { names.contains($0.name) }.map { row in
            CPUBackend.shared.releaseCachedMemory()
            ResidentMemory.resetPeak()
            let seconds = try time(on: backend, minimum: quick ? 0 : 1, warmUp: row.warmUp, row.run)
            let gflops = row.flops / seconds / 1e9
            return Measurement(
                backend: backend.name, group: model.name, name: row.name, seconds: seconds, gflops: gflops,
                ratioToPeak: peak.map { gflops / $0 }, samplesPerSecond: Double(row.samples) / seconds,
                peakResidentBytes: ResidentMemory.peakBytes())
        }
    }
}
