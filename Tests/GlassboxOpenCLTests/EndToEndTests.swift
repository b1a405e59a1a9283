import GlassboxConformance
import GlassboxCore
import GlassboxNN
import Testing

@testable import GlassboxOpenCL

/// The digits CNN computes the same forward and backward passes on OpenCL as on the CPU.
@Suite("OpenCL end to end", .enabled(if: !openCLDevices.isEmpty, "no OpenCL device on this machine"))
struct EndToEndTests {
    @Test(arguments: ReLUBackwardMode.allCases)
    func digitsCNNForwardAndBackwardMatchTheCPU(rule: ReLUBackwardMode) throws {
        let composite = Composite([(.relu, ReLURule(rule))])
        let opencl = try OpenCLBackend.shared(deviceIndex: 0)
        let nodes = try Architecture.smallCNN.nodes(inputShape: [1, 8, 8], classes: 10)
        let onCPU = try Graph.initialized(inputShape: [1, 8, 8], nodes: nodes, seed: 4, backend: CPUBackend.shared)
        let onGPU = try onCPU.moved(to: opencl)
        var generator = SplitMix64(seed: 11)
        let pixels = generator.floats(5 * 64, 0, 1)
        let targets = [3, 1, 4, 1, 5]
        func run(_ graph: Graph) throws -> (
            logits: [Float], saliency: [Float], conv2: [Float], parameters: [String: [Float]]
        ) {
            let record = try graph.forward(try graph.backend.upload(pixels, shape: [5, 1, 8, 8]))
            let result = try graph.backward(
                record, seeds: [graph.outputName: try graph.oneHotSeed(targets: targets, classes: 10)],
                composite: composite, parameterGradients: true)
            return (
                try record.output.toArray(), try result.gradient(at: "input").toArray(),
                try result.gradient(at: "conv2").toArray(),
                try result.parameterGradients.mapValues { try $0.toArray() }
            )
        }
        let reference = try run(onCPU), candidate = try run(onGPU)
        #expect(normalisedError(candidate.logits, reference.logits) < 1e-5)
        #expect(normalisedError(candidate.saliency, reference.saliency) < 1e-4)
        #expect(normalisedError(candidate.conv2, reference.conv2) < 1e-4)
        for (name, values) in reference.parameters {
            #expect(normalisedError(try #require(candidate.parameters[name]), values) < 1e-4, "\(name)")
        }
    }

    @Test func stochasticPassesDrawTheSameDropoutMasks() throws {
        let opencl = try OpenCLBackend.shared(deviceIndex: 0)
        let nodes = try Architecture.smallCNN.nodes(inputShape: [1, 8, 8], classes: 10)
        let onCPU = try Graph.initialized(inputShape: [1, 8, 8], nodes: nodes, seed: 4, backend: CPUBackend.shared)
        let onGPU = try onCPU.moved(to: opencl)
        var generator = SplitMix64(seed: 12)
        let pixels = generator.floats(6 * 64, 0, 1)
        let stream = RandomStream(seed: 99)
        let reference = try onCPU.forward(
            try CPUBackend.shared.upload(pixels, shape: [6, 1, 8, 8]), mode: .stochastic,
            randomStream: stream, sampleOffset: 3)
        let candidate = try onGPU.forward(
            try opencl.upload(pixels, shape: [6, 1, 8, 8]), mode: .stochastic,
            randomStream: stream, sampleOffset: 3)
        for name in ["dropout1", "dropout2"] {
            let cpuMask = try #require(reference.saved[name]?.first).toArray()
            let gpuMask = try #require(candidate.saved[name]?.first).toArray()
            #expect(cpuMask == gpuMask, "\(name)")
        }
        #expect(normalisedError(try candidate.output.toArray(), try reference.output.toArray()) < 1e-5)
    }
}
