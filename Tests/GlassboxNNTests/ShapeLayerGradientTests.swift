import Foundation
import GlassboxConformance
import GlassboxCore
import Testing

@testable import GlassboxNN

/// The layers that move, pick, repeat, compare and multiply computed values for
/// imported transformers: Gather, StridedSlice, Broadcast, SampleConstant, Where,
/// Comparison and the generalised BatchedMatMul. Finite-difference gradient checks,
/// forward values against host computations, rows independence, refusals and model
/// files.
@Suite("Shape layer gradients")
struct ShapeLayerGradientTests {
    // MARK: Helpers

    /// One layer run forward on the CPU.
    static func run(_ layer: any Layer, _ inputs: [Tensor], parameters: [String: Tensor] = [:]) throws -> Tensor {
        try layer.forward(
            inputs, parameters: parameters,
            context: ForwardContext(backend: cpu, mode: .inference, randomStream: RandomStream(seed: 0))
        ).output
    }

    /// One layer's backward pass on the CPU, after its forward pass.
    static func backward(
        _ layer: any Layer, _ inputs: [Tensor], gradient: Tensor, parameters: [String: Tensor] = [:]
    ) throws -> LayerGradients {
        let output = try run(layer, inputs, parameters: parameters)
        return try layer.backward(
            BackwardStep(
                node: Node("layer", layer, inputs: inputs.indices.map { "in\($0)" }), inputs: inputs, output: output,
                saved: [], gradient: gradient, parameters: parameters, wantsParameterGradients: true))
    }

    /// The row-major coordinates of element `index` of `shape`.
    static func coordinates(_ index: Int, _ shape: [Int]) -> [Int] {
        var remainder = index
        return shape.indices.reversed().map { axis in
            defer { remainder /= shape[axis] }
            return remainder % shape[axis]
        }.reversed()
    }

    /// The row-major offset of `coordinates` in `shape`.
    static func offset(_ coordinates: [Int], _ shape: [Int]) -> Int {
        zip(coordinates, shape).reduce(0) { $0 * $1.1 + $1.0 }
    }

    /// tanh → layer → sigmoid, so the check sees the layer between two nonlinearities.
    static func sandwich(_ layer: any Layer, sampleShape: Shape) throws -> Graph {
        try makeGraph(
            inputShape: sampleShape,
            nodes: [
                Node("t", Activation(.tanh), inputs: ["input"]),
                Node("layer", layer, inputs: ["t"]),
                Node("s", Activation(.sigmoid), inputs: ["layer"]),
            ])
    }

    /// Runs `layer` on a batch of two random samples of `sampleShape` (drawn from `seed`), expects
    /// the output of `expectedShape` and the values `reference` computes on the host from the
    /// input values and batch shape, and checks the gradient between two nonlinearities.
    static func expectValuesAndGradient(
        _ layer: any Layer, sampleShape: Shape, seed: UInt64, expectedShape: Shape? = nil, maxCoordinates: Int = 96,
        reference: ([Float], [Int]) -> [Float]
    ) throws {
        let shape = [2] + sampleShape.dimensions
        var generator = SplitMix64(seed: seed)
        let x = generator.floats(shape.reduce(1, *))
        let output = try run(layer, [try upload(x, Shape(shape))])
        let declared = try layer.outputShape(for: [Shape(shape)])
        #expect(output.shape == declared && (expectedShape ?? declared) == declared)
        #expect(try values(output) == reference(x, shape))
        try GradientCheck(
            try sandwich(layer, sampleShape: sampleShape), input: try upload(x, Shape(shape)),
            maxCoordinates: maxCoordinates
        ).expectAccurate()
    }

    /// A central finite-difference check of the gradient of `parameter` (trainable or
    /// not) of L = Σ r ⊙ output; the relative error.
    static func parameterGradientError(_ graph: Graph, input: Tensor, parameter: String, h: Float = 1e-2) throws
        -> Double
    {
        var generator = SplitMix64(seed: 7)
        let record = try graph.forward(input)
        let r = try upload(generator.floats(record.output.count), record.output.shape)
        let rValues = try values(r).map(Double.init)
        let result = try graph.backward(record, seeds: [graph.outputName: r], parameterGradients: true)
        let analytic = try values(try #require(result.parameterGradients[parameter])).map(Double.init)
        let value = try #require(graph.parameters[parameter])
        let original = try values(value)
        let numeric = try original.indices.map { index in
            func loss(_ step: Float) throws -> (Double, Float) {
                var perturbed = original
                perturbed[index] += step
                var parameters = graph.parameters
                parameters[parameter] = try upload(perturbed, value.shape)
                var changed = graph
                try changed.setParameters(parameters)
                let output = try values(try changed.predict(input))
                return (zip(output, rValues).reduce(0) { $0 + Double($1.0) * $1.1 }, perturbed[index])
            }
            let (plus, high) = try loss(h), (minus, low) = try loss(-h)
            return (plus - minus) / (Double(high) - Double(low))
        }
        return normalisedError(analytic, numeric, floor: 1e-6)
    }

    // MARK: Gather

    struct GatherCase: CustomTestStringConvertible, Sendable {
        var label: String
        var sampleShape: Shape
        var layer: Gather
        var testDescription: String { label }
    }

    static let gatherCases: [GatherCase] = [
        GatherCase(
            label: "scalar index (x[:, 0])", sampleShape: [4, 6], layer: Gather(axis: 1, indices: [0], indexShape: [])),
        GatherCase(
            label: "scalar index inside", sampleShape: [3, 4, 5], layer: Gather(axis: 2, indices: [3], indexShape: [])),
        GatherCase(
            label: "vector with runs", sampleShape: [3, 6, 2], layer: Gather(axis: 2, indices: [1, 2, 3, 0, 5])),
        GatherCase(
            label: "repeated indices, 2-D index shape", sampleShape: [5, 3],
            layer: Gather(axis: 1, indices: [2, 0, 2, 2, 4, 3], indexShape: [2, 3])),
        GatherCase(label: "last axis, repeats", sampleShape: [3, 4], layer: Gather(axis: 2, indices: [3, 3, 1])),
    ]

    /// The gather of `x` (shape `shape`) computed on the host.
    static func gathered(_ x: [Float], _ shape: [Int], _ layer: Gather) -> [Float] {
        let (axis, indexRank) = (layer.axis, layer.indexShape.count)
        let output = Array(shape[..<axis]) + layer.indexShape + Array(shape[(axis + 1)...])
        return (0..<output.reduce(1, *)).map { index in
            let c = coordinates(index, output)
            let position = offset(Array(c[axis..<(axis + indexRank)]), layer.indexShape)
            let source = Array(c[..<axis]) + [layer.indices[position]] + Array(c[(axis + indexRank)...])
            return x[offset(source, shape)]
        }
    }

    @Test("Gather: values and gradient", arguments: gatherCases)
    func gather(_ example: GatherCase) throws {
        try Self.expectValuesAndGradient(example.layer, sampleShape: example.sampleShape, seed: 61) {
            Self.gathered($0, $1, example.layer)
        }
    }

    @Test func gatherComputesWhatItSays() throws {
        let x = try upload((0..<12).map(Float.init), [1, 3, 4])
        let picked = try Self.run(Gather(axis: 2, indices: [3, 0, 0]), [x])
        #expect(picked.shape == [1, 3, 3])
        #expect(try values(picked) == [3, 0, 0, 7, 4, 4, 11, 8, 8])
        let row = try Self.run(Gather(axis: 1, indices: [1], indexShape: []), [x])
        #expect(row.shape == [1, 4])
        #expect(try values(row) == [4, 5, 6, 7])
        // Repeats sum in the gradient; unread positions get zero.
        let gradients = try Self.backward(
            Gather(axis: 2, indices: [3, 0, 0]), [x], gradient: try upload((1...9).map(Float.init), [1, 3, 3]))
        #expect(try values(gradients.inputs[0]) == [5, 0, 0, 1, 11, 0, 0, 4, 17, 0, 0, 7])
    }

    // MARK: StridedSlice

    struct SliceCase: CustomTestStringConvertible, Sendable {
        var label: String
        var sampleShape: Shape
        var layer: StridedSlice
        var testDescription: String { label }
    }

    static let sliceCases: [SliceCase] = [
        SliceCase(label: "step 1", sampleShape: [5, 4], layer: StridedSlice(axes: [1], starts: [1], ends: [4])),
        SliceCase(
            label: "step 2, even extent", sampleShape: [6, 3],
            layer: StridedSlice(axes: [1], starts: [0], ends: [6], steps: [2])),
        SliceCase(
            label: "step 2, odd extent (padded)", sampleShape: [7, 3],
            layer: StridedSlice(axes: [1], starts: [0], ends: [7], steps: [2])),
        SliceCase(
            label: "step 2 from 1, odd extent", sampleShape: [3, 7],
            layer: StridedSlice(axes: [2], starts: [1], ends: [7], steps: [2])),
        SliceCase(
            label: "step 3 on odd and even extents", sampleShape: [7, 8],
            layer: StridedSlice(axes: [1, 2], starts: [0, 2], ends: [7, 8], steps: [3, 3])),
        SliceCase(
            label: "step 3 ending early", sampleShape: [9, 2],
            layer: StridedSlice(axes: [1], starts: [1], ends: [6], steps: [3])),
        SliceCase(
            label: "Swin patch merging x[..., 0::2, 1::2, :]", sampleShape: [4, 4, 3],
            layer: StridedSlice(axes: [1, 2], starts: [0, 1], ends: [4, 4], steps: [2, 2])),
        SliceCase(
            label: "three axes out of order", sampleShape: [5, 6, 7],
            layer: StridedSlice(axes: [3, 1, 2], starts: [2, 0, 1], ends: [7, 5, 6], steps: [3, 2, 1])),
    ]

    /// The strided slice of `x` (shape `shape`) computed on the host.
    static func sliced(_ x: [Float], _ shape: [Int], _ layer: StridedSlice) -> [Float] {
        var output = shape
        for (i, axis) in layer.axes.enumerated() {
            output[axis] = (layer.ends[i] - layer.starts[i] + layer.steps[i] - 1) / layer.steps[i]
        }
        return (0..<output.reduce(1, *)).map { index in
            var c = coordinates(index, output)
            for (i, axis) in layer.axes.enumerated() { c[axis] = layer.starts[i] + c[axis] * layer.steps[i] }
            return x[offset(c, shape)]
        }
    }

    @Test("StridedSlice: values and gradient", arguments: sliceCases)
    func stridedSlice(_ example: SliceCase) throws {
        try Self.expectValuesAndGradient(example.layer, sampleShape: example.sampleShape, seed: 62) {
            Self.sliced($0, $1, example.layer)
        }
    }

    @Test func stridedSliceComputesWhatItSays() throws {
        let x = try upload((0..<35).map(Float.init), [1, 5, 7])
        let layer = StridedSlice(axes: [1, 2], starts: [1, 0], ends: [5, 7], steps: [2, 3])
        let output = try Self.run(layer, [x])
        #expect(output.shape == [1, 2, 3])
        #expect(try values(output) == [7, 10, 13, 21, 24, 27])
        let gradients = try Self.backward(layer, [x], gradient: try upload([1, 2, 3, 4, 5, 6], [1, 2, 3]))
        var expected = [Float](repeating: 0, count: 35)
        for (value, index) in zip([Float](arrayLiteral: 1, 2, 3, 4, 5, 6), [7, 10, 13, 21, 24, 27]) {
            expected[index] = value
        }
        #expect(try values(gradients.inputs[0]) == expected)
    }

    // MARK: Broadcast

    struct BroadcastCase: CustomTestStringConvertible, Sendable {
        var label: String
        var sampleShape: Shape
        var target: Shape
        var output: Shape
        var testDescription: String { label }
    }

    static let broadcastCases: [BroadcastCase] = [
        BroadcastCase(label: "to a higher rank", sampleShape: [3, 1], target: [2, 3, 4], output: [2, 2, 3, 4]),
        BroadcastCase(label: "one axis", sampleShape: [1, 4], target: [3, 4], output: [2, 3, 4]),
        BroadcastCase(label: "target extent 1 keeps", sampleShape: [3, 1], target: [1, 5], output: [2, 3, 5]),
        BroadcastCase(label: "lower-rank target", sampleShape: [3, 4], target: [4], output: [2, 3, 4]),
        BroadcastCase(
            label: "two axes and a new one", sampleShape: [2, 1, 3], target: [4, 2, 5, 3], output: [2, 4, 2, 5, 3]),
    ]

    @Test("Broadcast: values and gradient", arguments: broadcastCases)
    func broadcast(_ example: BroadcastCase) throws {
        // Each output element reads the input at its coordinates, 0 along repeated axes.
        try Self.expectValuesAndGradient(
            Broadcast(sampleShape: example.target), sampleShape: example.sampleShape, seed: 63,
            expectedShape: example.output, maxCoordinates: 64
        ) { x, shape in
            let out = example.output.dimensions
            let aligned = [2] + Array(repeating: 1, count: out.count - shape.count) + shape.dropFirst()
            return (0..<out.reduce(1, *)).map { index in
                let c = Self.coordinates(index, out)
                return x[Self.offset(zip(c, aligned).map { $1 == 1 ? 0 : $0 }, aligned)]
            }
        }
    }

    @Test func broadcastComputesWhatItSays() throws {
        let output = try Self.run(Broadcast(sampleShape: [2, 2, 3]), [try upload([1, 2], [1, 2, 1])])
        #expect(output.shape == [1, 2, 2, 3])
        #expect(try values(output) == [1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2])
        let gradients = try Self.backward(
            Broadcast(sampleShape: [2, 2, 3]), [try upload([1, 2], [1, 2, 1])],
            gradient: try upload((1...12).map(Float.init), [1, 2, 2, 3]))
        // 1 + 2 + 3 + 7 + 8 + 9 and 4 + 5 + 6 + 10 + 11 + 12.
        #expect(try values(gradients.inputs[0]) == [30, 48])
    }

    // MARK: SampleConstant

    /// A class token (a constant) joined in front of the tokens of each sample.
    static func classTokenGraph() throws -> Graph {
        try makeGraph(
            inputShape: [3, 4],
            nodes: [
                Node("t", Activation(.tanh), inputs: ["input"]),
                Node("cls", SampleConstant(valueShape: [1, 1, 4], referenceElements: 12), inputs: ["t"]),
                Node("tokens", Concat(axis: 1), inputs: ["cls", "t"]),
                Node("mixed", BatchedMatMul(transposeRight: true), inputs: ["tokens", "tokens"]),
                Node("s", Activation(.sigmoid), inputs: ["mixed"]),
            ])
    }

    @Test("SampleConstant feeding a Concat: input and parameter gradients")
    func sampleConstantFeedingConcat() throws {
        let graph = try Self.classTokenGraph()
        var generator = SplitMix64(seed: 64)
        let input = try upload(generator.floats(36), [3, 3, 4])
        let tokens = try graph.forward(input).activation("tokens")
        #expect(tokens.shape == [3, 4, 4])
        let constant = try values(graph.parameters["cls.value"]!)
        let tokenValues = try values(tokens)
        for sample in 0..<3 { #expect(Array(tokenValues[(sample * 16)..<(sample * 16 + 4)]) == constant) }
        try GradientCheck(graph, input: input, maxCoordinates: 36).expectAccurate()
        #expect(try Self.parameterGradientError(graph, input: input, parameter: "cls.value") < 1e-3)
        #expect(!graph.trainableParameterNames.contains("cls.value"))
    }

    @Test func sampleConstantStacksItsValuePerSample() throws {
        // m_c = 2 rows per sample; a reference of 2 samples of 10 elements.
        let layer = SampleConstant(valueShape: [2, 3], referenceElements: 10)
        let value = try upload([1, 2, 3, 4, 5, 6], [2, 3])
        let reference = try upload(Array(repeating: 0, count: 20), [4, 5])
        #expect(try layer.outputShape(for: [[4, 5]]) == [4, 3])
        let output = try Self.run(layer, [reference], parameters: ["value": value])
        #expect(output.shape == [4, 3])
        #expect(try values(output) == [1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6])
        let gradients = try Self.backward(
            layer, [reference], gradient: try upload((1...12).map(Float.init), [4, 3]), parameters: ["value": value])
        #expect(try values(gradients.inputs[0]) == Array(repeating: 0, count: 20))
        #expect(gradients.inputs[0].shape == [4, 5])
        #expect(try values(try #require(gradients.parameters["value"])) == [8, 10, 12, 14, 16, 18])
    }

    // MARK: Where

    /// where(mask, tanh(x), mean(sigmoid(x))) with a constant mask of lower rank, or the operands swapped.
    static func whereGraph(swapped: Bool) throws -> Graph {
        var graph = try makeGraph(
            inputShape: [2, 3, 4],
            nodes: [
                Node("t", Activation(.tanh), inputs: ["input"]),
                Node("s", Activation(.sigmoid), inputs: ["input"]),
                Node("pooled", GlobalAveragePool(), inputs: ["s"]),
                Node("mask", SampleConstant(valueShape: [1, 3, 1], referenceElements: 24), inputs: ["input"]),
                Node("where", Where(), inputs: swapped ? ["mask", "pooled", "t"] : ["mask", "t", "pooled"]),
                Node("out", Activation(.tanh), inputs: ["where"]),
            ])
        var parameters = graph.parameters
        parameters["mask.value"] = try upload([1, 0, -2], [1, 3, 1])
        try graph.setParameters(parameters)
        return graph
    }

    @Test("Where with broadcasting", arguments: [false, true])
    func whereGradient(swapped: Bool) throws {
        let graph = try Self.whereGraph(swapped: swapped)
        var generator = SplitMix64(seed: 65)
        let x = generator.floats(48)
        let input = try upload(x, [2, 2, 3, 4])
        let record = try graph.forward(input)
        let chosen = try values(try record.activation("where"))
        let t = try values(try record.activation("t")), pooled = try values(try record.activation("pooled"))
        for index in 0..<48 {
            let c = Self.coordinates(index, [2, 2, 3, 4])
            let (full, mean) = (t[index], pooled[c[0] * 2 + c[1]])
            let picksFirst = c[2] != 1
            #expect(chosen[index] == (picksFirst ? (swapped ? mean : full) : (swapped ? full : mean)))
        }
        try GradientCheck(graph, input: input, maxCoordinates: 48).expectAccurate()
    }

    @Test func whereComputesWhatItSays() throws {
        let output = try Self.run(
            Where(), [try upload([1, 0, 2], [1, 3]), try upload([1, 2, 3], [1, 3]), try upload([9], [1, 1])])
        #expect(try values(output) == [1, 9, 3])
        // Masked operands at ±greatestFiniteMagnitude (the importer's −∞) leave the other exactly.
        let big = Float.greatestFiniteMagnitude
        let masked = try Self.run(
            Where(),
            [
                try upload([0, 1, .nan], [1, 3]), try upload([-big, 5, -big], [1, 3]),
                try upload([4, big, 0.5], [1, 3]),
            ])
        #expect(try values(masked) == [4, 5, 0.5])
        let gradients = try Self.backward(
            Where(), [try upload([1, 0, 2], [1, 3]), try upload([1, 2, 3], [1, 3]), try upload([9], [1, 1])],
            gradient: try upload([10, 20, 30], [1, 3]))
        #expect(try values(gradients.inputs[0]) == [0, 0, 0])
        #expect(try values(gradients.inputs[1]) == [10, 0, 30])
        #expect(try values(gradients.inputs[2]) == [20])
    }

    // MARK: Comparison

    @Test("Comparison masks, NaN and infinities included", arguments: Comparison.Operation.allCases)
    func comparison(_ operation: Comparison.Operation) throws {
        let inf = Float.infinity
        let a: [Float] = [1, 2, 3, .nan, inf, -inf, 0, -0.0, -inf, .greatestFiniteMagnitude]
        let b: [Float] = [2, 2, 2, 1, inf, -inf, -0.0, 0, 1, -.greatestFiniteMagnitude]
        let expected: [Float] = zip(a, b).map { x, y in
            let holds =
                switch operation {
                case .equal: x == y
                case .greater: x > y
                case .less: x < y
                case .greaterOrEqual: x >= y
                case .lessOrEqual: x <= y
                }
            return holds ? 1 : 0
        }
        let layer = Comparison(operation)
        let inputs = [try upload(a, [1, 10]), try upload(b, [1, 10])]
        #expect(try values(try Self.run(layer, inputs)) == expected)
        let gradients = try Self.backward(layer, inputs, gradient: try upload(Array(repeating: 1, count: 10), [1, 10]))
        #expect(try gradients.inputs.map(values) == [Array(repeating: 0, count: 10), Array(repeating: 0, count: 10)])
    }

    @Test func comparisonBroadcastsAfterTheRows() throws {
        // (1, 2, 3) against (1, 3): the second gets a new axis after axis 0.
        let output = try Self.run(
            Comparison(.equal), [try upload([1, 2, 3, 3, 2, 1], [1, 2, 3]), try upload([1, 2, 1], [1, 3])])
        #expect(output.shape == [1, 2, 3])
        #expect(try values(output) == [1, 1, 0, 0, 1, 1])
        let gradients = try Self.backward(
            Comparison(.less), [try upload([1, 2, 3, 3, 2, 1], [1, 2, 3]), try upload([1, 2, 1], [1, 3])],
            gradient: try upload(Array(repeating: 1, count: 6), [1, 2, 3]))
        #expect(gradients.inputs.map(\.shape) == [[1, 2, 3], [1, 3]])
    }

    @Test func comparisonPassesNoGradient() throws {
        let graph = try makeGraph(
            inputShape: [2, 3],
            nodes: [
                Node("t", Activation(.tanh), inputs: ["input"]),
                Node("s", Activation(.sigmoid), inputs: ["input"]),
                Node("mask", Comparison(.equal), inputs: ["t", "s"]),
                Node("sum", Arithmetic(.add), inputs: ["mask", "t"]),
            ])
        var generator = SplitMix64(seed: 66)
        try GradientCheck(graph, input: try upload(generator.floats(12), [2, 2, 3]), maxCoordinates: 12)
            .expectAccurate()
    }

    // MARK: BatchedMatMul

    struct MatMulCase: CustomTestStringConvertible, Sendable {
        var rank: Int
        var transposeLeft: Bool
        var transposeRight: Bool
        var testDescription: String {
            "rank \(rank), \(transposeLeft ? "Aᵀ" : "A")·\(transposeRight ? "Bᵀ" : "B")"
        }
    }

    static let matMulCases: [MatMulCase] = [3, 4, 5].flatMap { rank in
        [(false, false), (false, true), (true, false), (true, true)].map {
            MatMulCase(rank: rank, transposeLeft: $0.0, transposeRight: $0.1)
        }
    }

    @Test("BatchedMatMul gradients", arguments: matMulCases)
    func batchedMatMul(_ example: MatMulCase) throws {
        // A = tanh(x) of …×3×4; B = sigmoid(x), as …×3×4 or transposed to …×4×3, to fit the flags.
        let sample: Shape = Shape(Array([2, 2].prefix(example.rank - 3)) + [3, 4])
        var swap = Array(0..<example.rank)
        swap.swapAt(example.rank - 2, example.rank - 1)
        let layer = BatchedMatMul(transposeLeft: example.transposeLeft, transposeRight: example.transposeRight)
        let graph = try makeGraph(
            inputShape: sample,
            nodes: [
                Node("a", Activation(.tanh), inputs: ["input"]),
                Node("s", Activation(.sigmoid), inputs: ["input"]),
                Node("st", Transpose(swap), inputs: ["s"]),
                Node("product", layer, inputs: ["a", example.transposeLeft == example.transposeRight ? "st" : "s"]),
                Node("out", Activation(.tanh), inputs: ["product"]),
            ])
        // op(A) is 3×4 or 4×3, and op(B) always fits it to a square product.
        let rows = example.transposeLeft ? 4 : 3
        #expect(graph.shapes["product"] == Shape([1] + sample.dimensions.dropLast(2) + [rows, rows]))
        var generator = SplitMix64(seed: 67)
        let input = try upload(generator.floats(2 * sample.count), Shape([2] + sample.dimensions))
        try GradientCheck(graph, input: input, h: 1e-3, maxCoordinates: 48).expectAccurate()
    }

    @Test func batchedMatMulComputesWhatItSays() throws {
        let a = try upload([1, 2, 3, 4], [1, 2, 2]), b = try upload([5, 6, 7, 8], [1, 2, 2])
        #expect(try values(try Self.run(BatchedMatMul(), [a, b])) == [19, 22, 43, 50])
        #expect(try values(try Self.run(BatchedMatMul(transposeRight: true), [a, b])) == [17, 23, 39, 53])
        #expect(try values(try Self.run(BatchedMatMul(transposeLeft: true), [a, b])) == [26, 30, 38, 44])
        #expect(
            try values(try Self.run(BatchedMatMul(transposeLeft: true, transposeRight: true), [a, b]))
                == [23, 31, 34, 46])
        // Rank 5 (MaxViT's "bghid,bghjd->bghij", A·Bᵀ) against host products.
        var generator = SplitMix64(seed: 68)
        let (left, right) = (generator.floats(2 * 2 * 3 * 4 * 5), generator.floats(2 * 2 * 3 * 6 * 5))
        let output = try Self.run(
            BatchedMatMul(transposeRight: true),
            [try upload(left, [2, 2, 3, 4, 5]), try upload(right, [2, 2, 3, 6, 5])])
        #expect(output.shape == [2, 2, 3, 4, 6])
        var expected = [Double]()
        for l in 0..<12 {
            for i in 0..<4 {
                for j in 0..<6 {
                    expected.append(
                        (0..<5).reduce(0.0) {
                            $0 + Double(left[l * 20 + i * 5 + $1]) * Double(right[l * 30 + j * 5 + $1])
                        })
                }
            }
        }
        #expect(normalisedError(try values(output), expected) < 1e-6)
    }

    @Test func batchedMatMulReadsOldModelRecords() throws {
        // A record written before the flags existed has no such keys.
        let decoded = try JSONDecoder().decode(BatchedMatMul.self, from: Data("{}".utf8))
        #expect(decoded == BatchedMatMul())
        let header = """
            {"inputName":"input","inputShape":[2,2],"outputName":"mm",\
            "nodes":[{"name":"mm","inputs":["input","input"],"type":"batched-matmul","config":{}}],\
            "parameters":[],"metadata":{}}
            """
        let (graph, _) = try ModelFile.decode(ModelFileTests.assemble(header, payload: []), backend: cpu)
        #expect(graph.nodes.first?.layer as? BatchedMatMul == BatchedMatMul())
        #expect(try values(try graph.predict(try upload([1, 2, 3, 4], [1, 2, 2]))) == [7, 10, 15, 22])
    }

    // MARK: Rows, kinds, refusals, model files

    /// A transformer-like graph using every new layer.
    static func everyLayerGraph() throws -> Graph {
        try makeGraph(
            inputShape: [3, 4],
            nodes: [
                Node("t", Activation(.tanh), inputs: ["input"]),
                Node("cls", SampleConstant(valueShape: [1, 1, 4], referenceElements: 12), inputs: ["t"]),
                Node("tokens", Concat(axis: 1), inputs: ["cls", "t"]),
                Node("even", StridedSlice(axes: [1], starts: [0], ends: [4], steps: [2]), inputs: ["tokens"]),
                Node("scores", BatchedMatMul(transposeRight: true), inputs: ["even", "tokens"]),
                Node("first", Gather(axis: 1, indices: [0], indexShape: []), inputs: ["tokens"]),
                Node("repeated", Broadcast(sampleShape: [2, 4]), inputs: ["first"]),
                Node("mask", Comparison(.greater), inputs: ["scores", "repeated"]),
                Node("chosen", Where(), inputs: ["mask", "scores", "repeated"]),
                Node("mixed", BatchedMatMul(transposeLeft: true), inputs: ["chosen", "even"]),
                Node("out", Activation(.sigmoid), inputs: ["mixed"]),
            ])
    }

    @Test("a batch of two gives what two batches of one give, forward and backward")
    func rowsAreIndependent() throws {
        let graph = try Self.everyLayerGraph()
        var generator = SplitMix64(seed: 69)
        let x = generator.floats(24)
        let seed = generator.floats(2 * 16)
        /// The output and the input gradient for a seed.
        func pass(_ x: [Float], _ seed: [Float], batch: Int) throws -> ([Float], [Float]) {
            let record = try graph.forward(try upload(x, [batch, 3, 4]))
            let result = try graph.backward(
                record, seeds: [graph.outputName: try upload(seed, record.output.shape)])
            return (try values(record.output), try values(try result.gradient(at: graph.inputName)))
        }
        let (output, gradient) = try pass(x, seed, batch: 2)
        #expect(output.count == 32)
        let first = try pass(Array(x[..<12]), Array(seed[..<16]), batch: 1)
        let second = try pass(Array(x[12...]), Array(seed[16...]), batch: 1)
        #expect(normalisedError(output, first.0 + second.0) < 1e-6)
        #expect(normalisedError(gradient, first.1 + second.1) < 1e-6)
    }

    /// The layers that only move or select values belong to no kind (LRP passes them by the
    /// gradient); the batched matrix product is a `BilinearLayer` (AttnLRP's uniform rule).
    @Test func theNewLayersAreOfNoKind() {
        let layers: [any Layer] = [
            Gather(axis: 1, indices: [0]), StridedSlice(axes: [1], starts: [0], ends: [1]),
            Broadcast(sampleShape: [2]), SampleConstant(valueShape: [1], referenceElements: 1), Where(),
            Comparison(.equal),
        ]
        #expect((BatchedMatMul(transposeRight: true) as any Layer) is any BilinearLayer)
        for layer in layers {
            let node = Node("node", layer, inputs: ["input"])
            #expect(LayerKindTests.selectors.filter { $0.selector.matches(node) }.isEmpty, "\(layer.typeName)")
        }
    }

    /// The error `body` throws, which must be of the given case and mention `phrase`.
    static func expectRefusal(
        _ phrase: String, shapeMismatch: Bool = false, sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () throws -> Void
    ) {
        let error = glassboxError(sourceLocation: sourceLocation, body)
        #expect(
            error?.message.contains(phrase) == true, "\(String(describing: error)) lacks '\(phrase)'",
            sourceLocation: sourceLocation)
        #expect(
            (shapeMismatch ? error?.isShapeMismatch : error?.isInvalidModel) == true, "\(String(describing: error))",
            sourceLocation: sourceLocation)
    }

    @Test func refusals() throws {
        let image: Shape = [2, 3, 4]
        Self.expectRefusal("axis 0") { _ = try Gather(axis: 0, indices: [0]).outputShape(for: [image]) }
        Self.expectRefusal("out of range") { _ = try Gather(axis: 1, indices: [0, 3]).outputShape(for: [image]) }
        Self.expectRefusal("out of range") { _ = try Gather(axis: 2, indices: [-1]).outputShape(for: [image]) }
        Self.expectRefusal("index shape") {
            _ = try Gather(axis: 1, indices: [0, 1], indexShape: [3]).outputShape(for: [image])
        }
        Self.expectRefusal("axis 3") { _ = try Gather(axis: 3, indices: [0]).outputShape(for: [image]) }

        Self.expectRefusal("axis 0") {
            _ = try StridedSlice(axes: [0], starts: [0], ends: [1]).outputShape(for: [image])
        }
        Self.expectRefusal("step 0") {
            _ = try StridedSlice(axes: [1], starts: [0], ends: [3], steps: [0]).outputShape(for: [image])
        }
        Self.expectRefusal("non-empty range") {
            _ = try StridedSlice(axes: [2], starts: [3], ends: [3]).outputShape(for: [image])
        }
        Self.expectRefusal("non-empty range") {
            _ = try StridedSlice(axes: [2], starts: [0], ends: [5]).outputShape(for: [image])
        }
        Self.expectRefusal("twice") {
            _ = try StridedSlice(axes: [1, 1], starts: [0, 0], ends: [1, 1]).outputShape(for: [image])
        }
        Self.expectRefusal("one start, end and step") {
            _ = try StridedSlice(axes: [1, 2], starts: [0], ends: [1, 1]).outputShape(for: [image])
        }

        Self.expectRefusal("cannot broadcast", shapeMismatch: true) {
            _ = try Broadcast(sampleShape: [5, 4]).outputShape(for: [image])
        }
        Self.expectRefusal("whole number of samples", shapeMismatch: true) {
            _ = try SampleConstant(valueShape: [1, 4], referenceElements: 5).outputShape(for: [image])
        }
        Self.expectRefusal("per-sample multiple") {
            _ = try SampleConstant(valueShape: [], referenceElements: 12).outputShape(for: [image])
        }

        Self.expectRefusal("axis 0", shapeMismatch: true) {
            _ = try Where().outputShape(for: [[2, 3], [4, 3], [2, 3]])
        }
        Self.expectRefusal("three inputs") { _ = try Where().outputShape(for: [[2, 3], [2, 3]]) }
        Self.expectRefusal("do not broadcast", shapeMismatch: true) {
            _ = try Comparison(.equal).outputShape(for: [[2, 3], [2, 4]])
        }

        Self.expectRefusal("leading axes", shapeMismatch: true) {
            _ = try BatchedMatMul().outputShape(for: [[1, 2, 3, 4], [1, 3, 4, 3]])
        }
        Self.expectRefusal("equal rank", shapeMismatch: true) {
            _ = try BatchedMatMul().outputShape(for: [[1, 2, 3, 4], [1, 4, 3]])
        }
        Self.expectRefusal("equal rank", shapeMismatch: true) {
            _ = try BatchedMatMul().outputShape(for: [[3, 4], [4, 3]])
        }
        Self.expectRefusal("inner extents", shapeMismatch: true) {
            _ = try BatchedMatMul(transposeRight: true).outputShape(for: [[1, 3, 4], [1, 4, 3]])
        }

        // In a graph the error names the node.
        Self.expectRefusal("'pick'") {
            _ = try makeGraph(
                inputShape: [3, 4], nodes: [Node("pick", Gather(axis: 0, indices: [0]), inputs: ["input"])])
        }
    }

    @Test("every new layer survives a model file bit-exactly")
    func modelFileRoundTrip() throws {
        let graph = try Self.everyLayerGraph()
        let bytes = try ModelFile.encode(graph)
        let (loaded, _) = try ModelFile.decode(bytes, backend: cpu)
        #expect(loaded.nodes.map(\.name) == graph.nodes.map(\.name))
        for (a, b) in zip(loaded.nodes, graph.nodes) {
            #expect(ModelFileTests.sameLayer(a.layer, b.layer), "layer of '\(a.name)'")
        }
        #expect(try values(loaded.parameters["cls.value"]!) == values(graph.parameters["cls.value"]!))
        var generator = SplitMix64(seed: 70)
        let input = try upload(generator.floats(24), [2, 3, 4])
        #expect(try bitPatterns(try loaded.predict(input)) == bitPatterns(try graph.predict(input)))
        #expect(try ModelFile.encode(loaded) == bytes)

        // Every variant of every new layer, through its record.
        let layers: [any Layer] = [
            Gather(axis: 2, indices: [3, 0, 3, 1], indexShape: [2, 2]), Gather(axis: 1, indices: [0], indexShape: []),
            StridedSlice(axes: [3, 1], starts: [2, 0], ends: [7, 5], steps: [3, 2]),
            Broadcast(sampleShape: [2, 3, 4]), SampleConstant(valueShape: [2, 1, 4], referenceElements: 12),
            Where(), Comparison(.greaterOrEqual), BatchedMatMul(),
            BatchedMatMul(transposeLeft: true, transposeRight: true),
        ]
        for layer in layers {
            let data = try JSONEncoder().encode(NodeRecord(Node("n", layer, inputs: ["input"])))
            let decoded = try JSONDecoder().decode(NodeRecord.self, from: data)
            #expect(ModelFileTests.sameLayer(decoded.node.layer, layer), "\(layer.typeName)")
        }
    }
}
