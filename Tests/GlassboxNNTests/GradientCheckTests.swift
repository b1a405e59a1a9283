import Foundation
import GlassboxConformance
import GlassboxCore
import Testing

@testable import GlassboxNN

/// Every layer's backward pass (to its inputs and to each trainable parameter)
/// against central finite differences of L = Σ r ⊙ output.
@Suite("Gradient checks per layer")
struct GradientCheckTests {
    // MARK: Convolution

    struct ConvolutionCase: CustomTestStringConvertible, Sendable {
        var label: String
        var layer: Conv2D
        var inputShape: Shape
        var testDescription: String { label }
    }

    static let convolutionCases: [ConvolutionCase] = [
        ConvolutionCase(
            label: "plain 3×3, padding 1, bias",
            layer: Conv2D(2, 3, kernel: 3, padding: 1), inputShape: [2, 5, 5]),
        ConvolutionCase(
            label: "stride 2, asymmetric padding, 3×2 kernel, bias",
            layer: Conv2D(
                inputChannels: 2, outputChannels: 3,
                window: Window2D(
                    kernelHeight: 3, kernelWidth: 2, strideHeight: 2, strideWidth: 2,
                    padTop: 1, padLeft: 0, padBottom: 2, padRight: 1)),
            inputShape: [2, 7, 6]),
        ConvolutionCase(
            label: "dilation 2, groups 2, no bias",
            layer: Conv2D(
                inputChannels: 4, outputChannels: 6, window: Window2D(kernel: 3, padding: 2, dilation: 2),
                groups: 2, hasBias: false),
            inputShape: [4, 6, 6]),
        ConvolutionCase(
            label: "groups 2, dilation 2, stride 2, asymmetric padding, bias",
            layer: Conv2D(
                inputChannels: 4, outputChannels: 4,
                window: Window2D(
                    kernelHeight: 2, kernelWidth: 3, strideHeight: 2, strideWidth: 1,
                    padTop: 0, padLeft: 2, padBottom: 1, padRight: 0,
                    dilationHeight: 2, dilationWidth: 2),
                groups: 2),
            inputShape: [4, 7, 6]),
        ConvolutionCase(
            label: "depthwise (groups = channels), stride 2, no bias",
            layer: Conv2D(
                inputChannels: 3, outputChannels: 3, window: Window2D(kernel: 3, stride: 2, padding: 1),
                groups: 3, hasBias: false),
            inputShape: [3, 5, 5]),
    ]

    @Test("Conv2D", arguments: convolutionCases)
    func convolution(_ testCase: ConvolutionCase) throws {
        let graph = try singleLayerGraph(testCase.layer, inputShape: testCase.inputShape)
        var generator = SplitMix64(seed: 11)
        let shape = Shape([2] + testCase.inputShape.dimensions)
        let check = try GradientCheck(graph, input: try upload(generator.floats(shape.count), shape))
        #expect(
            Set(check.errors.keys) == Set(["input", "layer.weight"] + (testCase.layer.hasBias ? ["layer.bias"] : [])))
        check.expectAccurate()
    }

    // MARK: Dense

    @Test("Dense", arguments: [true, false])
    func dense(hasBias: Bool) throws {
        let graph = try singleLayerGraph(Dense(5, 4, hasBias: hasBias), inputShape: [5])
        var generator = SplitMix64(seed: 12)
        let check = try GradientCheck(graph, input: try upload(generator.floats(15), [3, 5]))
        #expect(check.errors.count == (hasBias ? 3 : 2))
        check.expectAccurate()
    }

    // MARK: Position embedding

    @Test("PositionEmbedding to input and weight")
    func positionEmbedding() throws {
        let graph = try singleLayerGraph(PositionEmbedding(length: 4, dimension: 3), inputShape: [4, 3])
        var generator = SplitMix64(seed: 13)
        let check = try GradientCheck(graph, input: try upload(generator.floats(24), [2, 4, 3]))
        #expect(check.errors.count == 2)
        check.expectAccurate()
    }

    // MARK: Embedding

    /// Ids with repeats and one outside the vocabulary (which reads zeros and gets nothing),
    /// through a dense layer so the gradient reaching the table is not the seed itself. Ids
    /// are not perturbed (they are not differentiable); their gradient is zero.
    @Test("Embedding weight")
    func embedding() throws {
        let nodes = [
            Node("embedding", Embedding(vocabularySize: 7, dimension: 4), inputs: ["input"]),
            Node("dense", Dense(4, 3), inputs: ["embedding"]),
        ]
        let graph = try makeGraph(inputShape: [5], nodes: nodes)
        let ids = try upload([3, 0, 3, 6, 2, 5, 5, 5, 1, 7], [2, 5])
        let check = try GradientCheck(graph, input: ids, maxCoordinates: 28, discreteInput: true)
        #expect(Set(check.errors.keys) == ["embedding.weight", "dense.weight", "dense.bias"])
        check.expectAccurate()
        let record = try graph.forward(ids)
        let ones = try cpu.filled(record.output.shape, value: 1)
        let idGradient = try graph.backward(record, seeds: [graph.outputName: ones]).gradient(at: "input")
        #expect(try values(idGradient) == [Float](repeating: 0, count: 10))
    }

    /// PyTorch's `padding_idx`: the padding row starts at zero and gets no gradient; the other
    /// rows get what they get without one.
    @Test("Embedding padding row")
    func embeddingPadding() throws {
        let padded = Embedding(vocabularySize: 4, dimension: 3, paddingIndex: -2)
        #expect(padded.paddingIndex == 2)
        let initialized = try Graph.initialized(
            inputShape: [3], nodes: [Node("layer", padded, inputs: ["input"])], seed: 5, backend: cpu)
        let table = try values(try #require(initialized.parameters["layer.weight"]))
        #expect(table[6..<9] == [0, 0, 0] && table.filter { $0 == 0 }.count == 3)
        let ids = try upload([2, 0, 2, 1, 3, 2], [2, 3])
        func weightGradient(_ layer: Embedding) throws -> [Float] {
            let graph = try singleLayerGraph(layer, inputShape: [3])
            let record = try graph.forward(ids)
            let seed = try upload((1...18).map(Float.init), [2, 3, 3])
            let result = try graph.backward(record, seeds: [graph.outputName: seed], parameterGradients: true)
            return try values(try #require(result.parameterGradients["layer.weight"]))
        }
        // Row 0 reads position 1, row 1 position 3, row 2 positions 0, 2 and 5, row 3 position 4.
        let plain: [Float] = [4, 5, 6, 10, 11, 12, 1 + 7 + 16, 2 + 8 + 17, 3 + 9 + 18, 13, 14, 15]
        #expect(try weightGradient(Embedding(vocabularySize: 4, dimension: 3)) == plain)
        #expect(try weightGradient(padded) == plain[..<6] + [0, 0, 0] + plain[9...])
    }

    // MARK: Activations

    struct ActivationCase: CustomTestStringConvertible, Sendable {
        var kind: ActivationKind
        var testDescription: String { "\(kind)" }
    }

    @Test(
        "Activation",
        arguments: [ActivationKind.relu, .leakyReLU(slope: 0.1), .sigmoid, .tanh].map(ActivationCase.init))
    func activation(_ testCase: ActivationCase) throws {
        let graph = try singleLayerGraph(Activation(testCase.kind), inputShape: [3, 4])
        var generator = SplitMix64(seed: 13)
        // |x| ≥ 0.2 keeps the ReLU kinks farther than h from every input.
        let input = try upload(generator.awayFromZero(24).map { $0 * 2 }, [2, 3, 4])
        let check = try GradientCheck(graph, input: input)
        #expect(check.errors.keys.sorted() == ["input"])
        check.expectAccurate()
    }

    @Test("Activation gradients have the closed forms")
    func activationClosedForms() throws {
        let x: [Float] = [-2, -0.5, 0.5, 2]
        let graphInput = try upload(x, [1, 4])
        let seed = try upload([1, 1, 1, 1], [1, 4])
        func gradient(_ kind: ActivationKind) throws -> [Float] {
            let graph = try singleLayerGraph(Activation(kind), inputShape: [4])
            return try values(
                try graph.backward(try graph.forward(graphInput), seeds: ["layer": seed]).gradient(at: "input"))
        }
        #expect(try gradient(.relu) == [0, 0, 1, 1])
        #expect(try normalisedError(gradient(.leakyReLU(slope: 0.1)), [0.1, 0.1, 1, 1]) < 1e-6)
        let sigmoid = x.map { 1 / (1 + Foundation.exp(-Double($0))) }
        #expect(try normalisedError(gradient(.sigmoid).map(Double.init), sigmoid.map { $0 * (1 - $0) }) < 1e-5)
        #expect(
            try normalisedError(
                gradient(.tanh).map(Double.init), x.map { 1 - Foundation.pow(Foundation.tanh(Double($0)), 2) }) < 1e-5)
    }

    // MARK: Pooling

    struct PoolingCase: CustomTestStringConvertible, Sendable {
        var label: String
        var layer: Pool2D
        var testDescription: String { label }
    }

    static let poolingCases: [PoolingCase] = [
        PoolingCase(label: "max 2×2 stride 2", layer: .max(2)),
        PoolingCase(label: "max 3×3 stride 2 padding 1", layer: .max(3, stride: 2, padding: 1)),
        PoolingCase(
            label: "max asymmetric padding, overlapping",
            layer: Pool2D(
                .max,
                window: Window2D(
                    kernelHeight: 3, kernelWidth: 2, strideHeight: 1, strideWidth: 2,
                    padTop: 0, padLeft: 1, padBottom: 2, padRight: 0))),
        PoolingCase(label: "average 2×2", layer: .average(2)),
        PoolingCase(
            label: "average 3×3 stride 2 padding 1, count padding",
            layer: .average(3, stride: 2, padding: 1, countIncludePadding: true)),
        PoolingCase(
            label: "average 3×3 stride 2 padding 1, exclude padding",
            layer: .average(3, stride: 2, padding: 1, countIncludePadding: false)),
        PoolingCase(
            label: "average dilated, asymmetric padding, exclude padding",
            layer: Pool2D(
                .average(countIncludePadding: false),
                window: Window2D(
                    kernelHeight: 2, kernelWidth: 3, strideHeight: 2, strideWidth: 1,
                    padTop: 1, padLeft: 0, padBottom: 0, padRight: 2,
                    dilationHeight: 2, dilationWidth: 1))),
    ]

    @Test("Pool2D", arguments: poolingCases)
    func pooling(_ testCase: PoolingCase) throws {
        let graph = try singleLayerGraph(testCase.layer, inputShape: [2, 7, 6])
        var generator = SplitMix64(seed: 14)
        // Distinct values 0.05 apart: no window has a tie within ±h.
        let input = try upload(generator.distinctFloats(2 * 2 * 7 * 6, spacing: 0.05), [2, 2, 7, 6])
        let check = try GradientCheck(graph, input: input)
        #expect(check.compared["input"] == 64)
        check.expectAccurate()
    }

    @Test("GlobalAveragePool")
    func globalAveragePool() throws {
        let graph = try singleLayerGraph(GlobalAveragePool(), inputShape: [3, 4, 5])
        var generator = SplitMix64(seed: 15)
        try GradientCheck(graph, input: try upload(generator.floats(120), [2, 3, 4, 5]), maxCoordinates: 120)
            .expectAccurate()
    }

    // MARK: Shapes

    @Test("Reshape and flatten", arguments: [Reshape.flatten, Reshape([5, 6]), Reshape([2, 3, 5])])
    func reshape(_ layer: Reshape) throws {
        var generator = SplitMix64(seed: 16)
        let graph = try makeGraph(
            inputShape: [3, 2, 5],
            nodes: Graph.sequentialNodes([
                ("reshape", layer),
                ("tanh", Activation(.tanh)),
            ]))
        try GradientCheck(graph, input: try upload(generator.floats(60), [2, 3, 2, 5]), maxCoordinates: 60)
            .expectAccurate()
    }

    @Test("Concat", arguments: [1, 2, 3])
    func concat(axis: Int) throws {
        // Two branches of different extents along `axis` (and of different parameters).
        let (wide, narrow): (Conv2D, Conv2D) =
            switch axis {
            case 1: (Conv2D(2, 3, kernel: 3, padding: 1), Conv2D(2, 1, kernel: 1))
            case 2:
                (
                    Conv2D(inputChannels: 2, outputChannels: 2, window: Window2D(kernelHeight: 2, kernelWidth: 1)),
                    Conv2D(2, 2, kernel: 1)
                )
            default:
                (
                    Conv2D(inputChannels: 2, outputChannels: 2, window: Window2D(kernelHeight: 1, kernelWidth: 3)),
                    Conv2D(2, 2, kernel: 1)
                )
            }
        let graph = try makeGraph(
            inputShape: [2, 4, 4],
            nodes: [
                Node("wide", wide, inputs: ["input"]),
                Node("narrow", narrow, inputs: ["input"]),
                Node("joined", Concat(axis: axis), inputs: ["narrow", "wide"]),
                Node("out", Activation(.sigmoid), inputs: ["joined"]),
            ])
        var generator = SplitMix64(seed: 17)
        let check = try GradientCheck(graph, input: try upload(generator.floats(64), [2, 2, 4, 4]))
        #expect(check.errors.count == 5)
        check.expectAccurate()
    }

    // MARK: Softmax

    @Test("Softmax", arguments: [false, true])
    func softmax(logarithm: Bool) throws {
        let graph = try singleLayerGraph(Softmax(logarithm: logarithm), inputShape: [6])
        var generator = SplitMix64(seed: 18)
        let input = try upload(generator.floats(24, -2, 2), [4, 6])
        try GradientCheck(graph, input: input, h: 1e-2).expectAccurate()
    }

    @Test("Softmax over a non-final axis", arguments: [(1, false), (1, true), (-1, false), (2, true)])
    func softmaxOtherAxes(axis: Int, logarithm: Bool) throws {
        let graph = try singleLayerGraph(Softmax(axis: axis, logarithm: logarithm), inputShape: [3, 2, 4])
        var generator = SplitMix64(seed: 19)
        try GradientCheck(graph, input: try upload(generator.floats(48, -2, 2), [2, 3, 2, 4])).expectAccurate()
    }

    // MARK: Batch norm

    @Test("BatchNorm to input, scale and offset", arguments: [[3, 4, 5], [3]] as [Shape])
    func batchNorm(sampleShape: Shape) throws {
        let graph = try singleLayerGraph(BatchNorm(channels: 3, epsilon: 1e-3), inputShape: sampleShape)
        var generator = SplitMix64(seed: 20)
        let shape = Shape([2] + sampleShape.dimensions)
        let check = try GradientCheck(graph, input: try upload(generator.floats(shape.count, -2, 2), shape))
        // Running statistics are not trainable and get no gradient.
        #expect(Set(check.errors.keys) == ["input", "layer.scale", "layer.offset"])
        #expect(graph.trainableParameterNames == ["layer.scale", "layer.offset"])
        check.expectAccurate()
    }

    // MARK: Add and gradient accumulation

    @Test("Add of a residual: a node feeding two consumers accumulates both gradients")
    func residualAdd() throws {
        let graph = try makeGraph(
            inputShape: [2, 5, 5],
            nodes: [
                Node("conv", Conv2D(2, 2, kernel: 3, padding: 1), inputs: ["input"]),
                Node("tanh", Activation(.tanh), inputs: ["conv"]),
                Node("branch", Conv2D(2, 2, kernel: 3, padding: 1), inputs: ["tanh"]),
                Node("sum", Add(), inputs: ["branch", "conv"]),
                Node("out", Activation(.sigmoid), inputs: ["sum"]),
            ])
        var generator = SplitMix64(seed: 21)
        let check = try GradientCheck(graph, input: try upload(generator.floats(50), [1, 2, 5, 5]))
        #expect(check.errors.count == 5)
        check.expectAccurate()
    }

    @Test("Add of three inputs, one of them the graph input, and of a node with itself")
    func addManyAndSelf() throws {
        let graph = try makeGraph(
            inputShape: [4],
            nodes: [
                Node("a", Dense(4, 4), inputs: ["input"]),
                Node("b", Activation(.tanh), inputs: ["a"]),
                Node("sum", Add(), inputs: ["a", "b", "input"]),
                Node("twice", Add(), inputs: ["sum", "sum"]),
                Node("out", Activation(.sigmoid), inputs: ["twice"]),
            ])
        var generator = SplitMix64(seed: 22)
        try GradientCheck(graph, input: try upload(generator.floats(12), [3, 4])).expectAccurate()
    }

    // MARK: Dropout

    @Test("Dropout: stochastic backward multiplies by the saved mask; inference is the identity")
    func dropout() throws {
        let graph = try makeGraph(
            inputShape: [50], nodes: Graph.sequentialNodes([("dense", Dense(50, 50)), ("drop", Dropout(0.4))]))
        var generator = SplitMix64(seed: 23)
        let input = try upload(generator.floats(200), [4, 50])
        let seedValues = generator.floats(200)
        let seed = try upload(seedValues, [4, 50])

        let record = try graph.forward(input, mode: .stochastic, randomStream: RandomStream(seed: 5), sampleOffset: 3)
        let mask = try #require(record.saved["drop"]?.first)
        let maskValues = try values(mask)
        #expect(maskValues.count == 200)
        #expect(maskValues.allSatisfy { $0 == 0 || abs($0 - 1 / 0.6) < 1e-6 })
        // Some dropped and some kept (with p = 0.4 over 200 draws both are all but certain).
        #expect(maskValues.contains(0) && maskValues.contains { $0 != 0 })
        let dense = try values(try record.activation("dense"))
        #expect(try values(record.output) == zip(dense, maskValues).map { $0 * $1 })

        let result = try graph.backward(record, seeds: ["drop": seed])
        #expect(try values(try result.gradient(at: "dense")) == zip(seedValues, maskValues).map { $0 * $1 })

        // With the mask fixed the chain is x ↦ (x·Wᵀ + b) ⊙ mask, so the gradient at
        // the input is (r ⊙ mask)·W, computed here in closed form.
        let weight = try values(graph.parameters["dense.weight"]!)
        var expected = [Float](repeating: 0, count: 200)
        for n in 0..<4 {
            for i in 0..<50 {
                var sum: Float = 0
                for o in 0..<50 { sum += seedValues[n * 50 + o] * maskValues[n * 50 + o] * weight[o * 50 + i] }
                expected[n * 50 + i] = sum
            }
        }
        #expect(try normalisedError(values(try result.gradient(at: "input")), expected) < 1e-5)

        // Inference: identity forward, nothing saved, identity backward.
        let inference = try graph.forward(input)
        #expect(inference.saved["drop"] == nil)
        #expect(try values(inference.output) == values(try inference.activation("dense")))
        #expect(try values(try graph.backward(inference, seeds: ["drop": seed]).gradient(at: "dense")) == seedValues)
    }

    @Test("Dropout with probability 0 is the identity even when stochastic")
    func dropoutZero() throws {
        let graph = try singleLayerGraph(Dropout(0), inputShape: [3])
        let input = try upload([1, 2, 3], [1, 3])
        let record = try graph.forward(input, mode: .stochastic)
        #expect(try values(record.output) == [1, 2, 3])
        #expect(try values(try graph.backward(record, seeds: ["layer": input]).gradient(at: "input")) == [1, 2, 3])
    }

    @Test("Dropout finite differences with the saved mask held fixed")
    func dropoutFiniteDifferences() throws {
        // The objective is built from the mask the forward record saved:
        // L(x) = Σ r ⊙ mask ⊙ tanh(x).
        let graph = try makeGraph(
            inputShape: [30], nodes: Graph.sequentialNodes([("tanh", Activation(.tanh)), ("drop", Dropout(0.5))]))
        var generator = SplitMix64(seed: 24)
        let x = generator.floats(60)
        let r = generator.floats(60)
        let record = try graph.forward(try upload(x, [2, 30]), mode: .stochastic, randomStream: RandomStream(seed: 9))
        let mask = try values(try #require(record.saved["drop"]?.first))
        let analytic = try values(
            try graph.backward(record, seeds: ["drop": try upload(r, [2, 30])]).gradient(at: "input"))
        func objective(_ values: [Float]) -> Double {
            values.indices.reduce(0) {
                $0 + Double(r[$1]) * Double(mask[$1]) * Double(Float(Foundation.tanh(Double(values[$1]))))
            }
        }
        let h: Float = 1e-2
        let numeric = x.indices.map { i -> Double in
            var plus = x, minus = x
            plus[i] += h
            minus[i] -= h
            return (objective(plus) - objective(minus)) / (Double(plus[i]) - Double(minus[i]))
        }
        #expect(normalisedError(analytic.map(Double.init), numeric) < 1e-3)
    }
}
