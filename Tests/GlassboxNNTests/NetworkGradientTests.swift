import Foundation
import GlassboxConformance
import GlassboxCore
import Testing

@testable import GlassboxNN

/// Whole-network gradients and backward passes seeded at intermediate nodes
/// (as Grad-CAM does at the last convolution).
@Suite("Network gradients and intermediate seeds")
struct NetworkGradientTests {
    static let inputShape: Shape = [1, 8, 8]

    static func smallCNN(outputName: String? = nil) throws -> Graph {
        try makeGraph(
            inputShape: inputShape, nodes: try Architecture.smallCNN.nodes(inputShape: inputShape, classes: 10),
            outputName: outputName, seed: 7)
    }

    static func image(seed: UInt64 = 3, batch: Int = 1) throws -> Tensor {
        var generator = SplitMix64(seed: seed)
        return try upload(generator.floats(batch * 64, 0, 1), [batch, 1, 8, 8])
    }

    @Test("small CNN: input and every parameter gradient match finite differences")
    func smallCNNGradients() throws {
        let graph = try Self.smallCNN()
        #expect(graph.trainableParameterNames.count == 8)
        let check = try GradientCheck(graph, input: try Self.image(), h: 1e-2, maxCoordinates: 6, piecewiseLinear: true)
        #expect(check.errors.count == 9)
        check.expectAccurate()
    }

    @Test("small CNN on a batch of two: parameter gradients are the sums of the per-sample gradients")
    func smallCNNBatchGradients() throws {
        let graph = try Self.smallCNN()
        let batch = try Self.image(seed: 4, batch: 2)
        let batchValues = try values(batch)
        var generator = SplitMix64(seed: 5)
        let r = generator.floats(20)
        let whole = try graph.backward(
            try graph.forward(batch), seeds: ["logits": try upload(r, [2, 10])], parameterGradients: true)
        var sums = [String: [Float]]()
        var inputGradient = [Float]()
        for sample in 0..<2 {
            let input = try upload(Array(batchValues[(sample * 64)..<((sample + 1) * 64)]), [1, 1, 8, 8])
            let seed = try upload(Array(r[(sample * 10)..<((sample + 1) * 10)]), [1, 10])
            let single = try graph.backward(try graph.forward(input), seeds: ["logits": seed], parameterGradients: true)
            inputGradient += try values(try single.gradient(at: "input"))
            for (name, gradient) in single.parameterGradients {
                let gradientValues = try values(gradient)
                sums[name] = sums[name].map { zip($0, gradientValues).map { $0 + $1 } } ?? gradientValues
            }
        }
        #expect(try normalisedError(values(try whole.gradient(at: "input")), inputGradient) < 1e-5)
        #expect(Set(whole.parameterGradients.keys) == Set(graph.trainableParameterNames))
        for (name, gradient) in whole.parameterGradients {
            #expect(try normalisedError(values(gradient), sums[name]!) < 1e-5, "\(name)")
        }
    }

    @Test("the gradient at 'conv2' equals finite differences of the rest of the network at conv2's output")
    func intermediateGradientMatchesTruncatedGraph() throws {
        let graph = try Self.smallCNN()
        let record = try graph.forward(try Self.image())
        var generator = SplitMix64(seed: 31)
        let rValues = generator.floats(10)
        let r = try upload(rValues, [1, 10])
        let full = try graph.backward(record, seeds: ["logits": r])
        let atConv2 = try values(try full.gradient(at: "conv2"))
        #expect(atConv2.count == 32 * 64)

        // The graph after conv2, reading conv2's output as its input.
        let tail = Array(graph.nodes.drop { $0.name != "relu2" })
        #expect(tail.first?.inputs == ["conv2"])
        let tailParameters = graph.parameters.filter { name, _ in tail.contains { name.hasPrefix($0.name + ".") } }
        let truncated = try Graph(
            inputName: "conv2", inputShape: [32, 8, 8], nodes: tail, parameters: tailParameters, backend: cpu)
        let activation = try values(try record.activation("conv2"))
        let tailRecord = try truncated.forward(try upload(activation, [1, 32, 8, 8]))
        #expect(try values(tailRecord.output) == values(record.output))
        let tailGradient = try values(try truncated.backward(tailRecord, seeds: ["logits": r]).gradient(at: "conv2"))
        #expect(normalisedError(tailGradient, atConv2) < 1e-6)

        // Central differences at conv2's output (piecewise linear: skip coordinates at a kink).
        func objective(_ values: [Float]) throws -> Double {
            zip(try truncated.predict(try upload(values, [1, 32, 8, 8])).toArray(), rValues)
                .reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        let base = try objective(activation)
        var coordinates = Array(activation.indices)
        generator.shuffle(&coordinates)
        let largest = atConv2.indices.max { abs(atConv2[$0]) < abs(atConv2[$1]) }!
        var numeric = [Double](), analytic = [Double]()
        for index in [largest] + coordinates where numeric.count < 24 {
            var plus = activation, minus = activation
            plus[index] += 1e-2
            minus[index] -= 1e-2
            let lPlus = try objective(plus), lMinus = try objective(minus)
            let right = (lPlus - base) / Double(plus[index] - activation[index])
            let left = (base - lMinus) / Double(activation[index] - minus[index])
            guard abs(right - left) <= 1e-3 * max(abs(right), abs(left), 1e-2) else { continue }
            numeric.append((lPlus - lMinus) / Double(plus[index] - minus[index]))
            analytic.append(Double(atConv2[index]))
        }
        #expect(numeric.count == 24)
        #expect(normalisedError(analytic, numeric, floor: 1e-6) < 1e-3)
    }

    @Test("a seed at 'conv2' alone reaches the input and the parameters before it, nothing after")
    func seedAtIntermediateNode() throws {
        // The output of this graph is conv2, so the checker seeds there; parameters
        // after conv2 get no gradient and indeed do not change the objective.
        let graph = try Self.smallCNN(outputName: "conv2")
        let check = try GradientCheck(graph, input: try Self.image(), h: 1e-2, maxCoordinates: 6, piecewiseLinear: true)
        #expect(check.missing == ["fc1.weight", "fc1.bias", "logits.weight", "logits.bias"])
        check.expectAccurate(allowMissing: true)

        let record = try graph.forward(try Self.image())
        var generator = SplitMix64(seed: 32)
        let seed = try upload(generator.floats(32 * 64), [1, 32, 8, 8])
        let result = try graph.backward(record, seeds: ["conv2": seed], parameterGradients: true)
        #expect(Set(result.gradients.keys) == ["conv2", "relu1", "conv1", "input"])
        #expect(Set(result.parameterGradients.keys) == ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias"])
        #expect(try values(try result.gradient(at: "conv2")) == values(seed))
        #expect(throws: GlassboxError.self) { try result.gradient(at: "logits") }
    }

    @Test("backward seeded at conv2 with the chained gradient gives the chained input gradient")
    func chainThroughIntermediate() throws {
        let graph = try Self.smallCNN()
        let record = try graph.forward(try Self.image())
        let full = try graph.backward(record, seeds: ["logits": try graph.oneHotSeed(targets: [3], classes: 10)])
        let restarted = try graph.backward(record, seeds: ["conv2": try full.gradient(at: "conv2")])
        #expect(
            try normalisedError(values(try restarted.gradient(at: "input")), values(try full.gradient(at: "input")))
                < 1e-6)
        #expect(
            try normalisedError(values(try restarted.gradient(at: "conv1")), values(try full.gradient(at: "conv1")))
                < 1e-6)
    }

    @Test("seeds at two nodes add up")
    func seedsAccumulate() throws {
        let graph = try Self.smallCNN()
        let record = try graph.forward(try Self.image())
        var generator = SplitMix64(seed: 33)
        let r = try upload(generator.floats(10), [1, 10])
        let s = try upload(generator.floats(32 * 64), [1, 32, 8, 8])
        let both = try graph.backward(record, seeds: ["logits": r, "conv2": s], parameterGradients: true)
        let fromLogits = try graph.backward(record, seeds: ["logits": r], parameterGradients: true)
        let fromConv2 = try graph.backward(record, seeds: ["conv2": s], parameterGradients: true)
        for name in ["input", "conv1", "conv2"] {
            let sum = zip(try values(try fromLogits.gradient(at: name)), try values(try fromConv2.gradient(at: name)))
                .map { $0 + $1 }
            #expect(try normalisedError(values(try both.gradient(at: name)), sum) < 1e-5, "at \(name)")
        }
        let weightSum = zip(
            try values(fromLogits.parameterGradients["conv1.weight"]!),
            try values(fromConv2.parameterGradients["conv1.weight"]!)
        ).map { $0 + $1 }
        #expect(try normalisedError(values(both.parameterGradients["conv1.weight"]!), weightSum) < 1e-5)
        // Parameters after conv2 only see the logits seed.
        #expect(
            try values(both.parameterGradients["fc1.weight"]!) == values(fromLogits.parameterGradients["fc1.weight"]!))
    }

    @Test("one-hot seeds and a seed at the input itself")
    func oneHotAndInputSeed() throws {
        let graph = try Self.smallCNN()
        let seed = try graph.oneHotSeed(targets: [2, 0], classes: 10)
        #expect(seed.shape == [2, 10])
        #expect(try values(seed) == (0..<20).map { $0 == 2 || $0 == 10 ? 1 : 0 })
        let error = glassboxError { _ = try graph.oneHotSeed(targets: [10], classes: 10) }
        #expect(error?.isInvalidArgument == true)

        let input = try Self.image()
        let result = try graph.backward(try graph.forward(input), seeds: ["input": input])
        #expect(result.gradients.keys.sorted() == ["input"])
        #expect(try values(try result.gradient(at: "input")) == values(input))
    }
}
