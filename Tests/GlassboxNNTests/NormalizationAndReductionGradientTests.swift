import Foundation
import GlassboxConformance
import GlassboxCore
import Testing

@testable import GlassboxNN

/// The layers of transformer and segmentation exports: UnaryFunction, Arithmetic's
/// power, LayerNormalization, Reduction and Resize. Finite-difference gradient
/// checks of every mode, forward values computed by hand, independence of the
/// rows along axis 0, refusals, and model-file round trips.
@Suite("Normalization and reduction gradients")
struct NormalizationAndReductionGradientTests {
    // MARK: Helpers

    /// A graph of one layer whose parameters are replaced by `parameters` (short names).
    static func graph(_ layer: any Layer, inputShape: Shape, parameters: [String: Tensor] = [:]) throws -> Graph {
        var graph = try singleLayerGraph(layer, inputShape: inputShape)
        var all = graph.parameters
        for (name, value) in parameters { all["layer.\(name)"] = value }
        try graph.setParameters(all)
        return graph
    }

    /// Checks that a batch whose axis 0 has extent 6 (2 samples × 3 rows) gives, row by
    /// row, the output and input gradient that each row gives alone.
    static func expectRowsIndependent(
        _ graph: Graph, seed: UInt64, positive: Bool = false, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var generator = SplitMix64(seed: seed)
        let rowCount = graph.inputShape.count
        let x =
            positive ? generator.floats(6 * rowCount, 0.5, 2) : generator.distinctFloats(6 * rowCount, spacing: 0.03)
        let record = try graph.forward(try upload(x, Shape([6] + graph.inputShape.dimensions)))
        let outputCount = record.output.count / 6
        let r = generator.floats(record.output.count)
        let seedTensor = try upload(r, record.output.shape)
        let gradient = try values(
            try graph.backward(record, seeds: [graph.outputName: seedTensor]).gradient(at: graph.inputName))
        let output = try values(record.output)
        for row in 0..<6 {
            let single = try graph.forward(
                try upload(
                    Array(x[(row * rowCount)..<((row + 1) * rowCount)]), Shape([1] + graph.inputShape.dimensions)))
            let singleSeed = try upload(
                Array(r[(row * outputCount)..<((row + 1) * outputCount)]), single.output.shape)
            let singleGradient = try values(
                try graph.backward(single, seeds: [graph.outputName: singleSeed]).gradient(at: graph.inputName))
            #expect(
                normalisedError(
                    try values(single.output), Array(output[(row * outputCount)..<((row + 1) * outputCount)])) < 1e-6,
                "output of row \(row)", sourceLocation: sourceLocation)
            #expect(
                normalisedError(singleGradient, Array(gradient[(row * rowCount)..<((row + 1) * rowCount)])) < 1e-6,
                "gradient of row \(row)", sourceLocation: sourceLocation)
        }
    }

    /// Expects building the graph to fail with an error whose message mentions `words`.
    static func expectRefused(
        _ layer: any Layer, inputShape: Shape, mentioning words: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let error = glassboxError(sourceLocation: sourceLocation) {
            _ = try singleLayerGraph(layer, inputShape: inputShape)
        }
        #expect(error?.isInvalidModel == true, sourceLocation: sourceLocation)
        #expect(
            error?.message.contains(words) == true, "\(error?.message ?? "no error")", sourceLocation: sourceLocation)
    }

    // MARK: UnaryFunction

    /// Inputs in the function's domain: positive for sqrt, log and reciprocal, away from zero otherwise.
    static func unaryInput(_ operation: UnaryOperation, count: Int, seed: UInt64) -> [Float] {
        var generator = SplitMix64(seed: seed)
        return [.sqrt, .log, .reciprocal].contains(operation)
            ? generator.floats(count, 0.5, 2) : generator.awayFromZero(count, margin: 0.2, limit: 1.5)
    }

    @Test("UnaryFunction: forward values and gradient", arguments: UnaryOperation.allCases)
    func unaryFunction(_ operation: UnaryOperation) throws {
        let graph = try Self.graph(UnaryFunction(operation), inputShape: [3, 4])
        let x = Self.unaryInput(operation, count: 24, seed: 61)
        let output = try values(try graph.predict(try upload(x, [2, 3, 4])))
        #expect(normalisedError(output, x.map { operation.value(at: Double($0)) }) < 1e-6)
        try GradientCheck(graph, input: try upload(x, [2, 3, 4]), h: 1e-3, maxCoordinates: 24).expectAccurate()
    }

    @Test func unaryFunctionRowsAreIndependent() throws {
        try Self.expectRowsIndependent(
            try Self.graph(UnaryFunction(.reciprocal), inputShape: [2, 3]), seed: 62, positive: true)
    }

    @Test func unaryFunctionIsAnActivation() {
        let layers: [any Layer] = [
            UnaryFunction(.exp), LayerNormalization(axis: 1, normalizedShape: [3], hasBias: true),
        ]
        #expect(layers[0] is any ElementwiseActivationLayer)
        #expect(!(layers[1] is any BatchNormalizationLayer))
    }

    // MARK: Arithmetic power

    @Test("Arithmetic power with a constant exponent, and a constant base")
    func powerWithConstant() throws {
        let nodes = [
            Node("s", Activation(.sigmoid), inputs: ["input"]),
            Node("base", Arithmetic(.add, constantShape: [1]), inputs: ["s"]),
            Node("square", Arithmetic(.power, constantShape: [3, 1]), inputs: ["base"]),
            Node("t", Activation(.tanh), inputs: ["square"]),
            Node("exponential", Arithmetic(.power, constantShape: [4], constantFirst: true), inputs: ["t"]),
        ]
        var graph = try makeGraph(inputShape: [3, 4], nodes: nodes)
        var parameters = graph.parameters
        parameters["base.operand"] = try upload([0.25], [1])
        parameters["square.operand"] = try upload([2, -1.5, 0.5], [3, 1])
        parameters["exponential.operand"] = try upload([0.5, 2, 3, 1.5], [4])
        try graph.setParameters(parameters)
        var generator = SplitMix64(seed: 63)
        let x = generator.floats(24)
        let record = try graph.forward(try upload(x, [2, 3, 4]))
        let bases = try values(try record.activation("base"))
        let expected = bases.indices.map { Foundation.pow(Double(bases[$0]), [2, -1.5, 0.5][($0 / 4) % 3]) }
        #expect(normalisedError(try values(try record.activation("square")), expected) < 1e-6)
        try GradientCheck(graph, input: try upload(x, [2, 3, 4]), h: 1e-3, maxCoordinates: 24).expectAccurate()
    }

    /// ONNX `Pow(x, 3)` with a scalar (rank-0) exponent, on bases of both signs.
    @Test func powerWithScalarExponent() throws {
        let graph = try Self.graph(
            Arithmetic(.power, constantShape: []), inputShape: [5], parameters: ["operand": try upload([3], [])])
        let x: [Float] = [-1.5, -0.5, 0.25, 1, 2, 0.75, -2, 1.25, -0.25, 0.5]
        #expect(try values(try graph.predict(try upload(x, [2, 5]))) == x.map { $0 * $0 * $0 })
        try GradientCheck(graph, input: try upload(x, [2, 5]), h: 1e-3, maxCoordinates: 10).expectAccurate()
    }

    @Test("Arithmetic power of two computed values (positive bases), equal shapes and broadcast")
    func powerOfComputedValues() throws {
        let graph = try makeGraph(
            inputShape: [2, 3, 4],
            nodes: [
                Node("s", Activation(.sigmoid), inputs: ["input"]),
                Node("t", Activation(.tanh), inputs: ["input"]),
                Node("pooled", GlobalAveragePool(), inputs: ["t"]),
                Node("same", Arithmetic(.power), inputs: ["s", "t"]),
                Node("broadcast", Arithmetic(.power), inputs: ["same", "pooled"]),
            ])
        var generator = SplitMix64(seed: 64)
        try GradientCheck(graph, input: try upload(generator.floats(48, -2, 2), [2, 2, 3, 4]), maxCoordinates: 48)
            .expectAccurate()
    }

    /// PyTorch's conventions where the formulas give 0·∞: ∂a = 0 where b = 0, ∂b = 0 where a = 0 and b ≥ 0.
    @Test func powerGradientAtZero() throws {
        let layer = Arithmetic(.power)
        let a = try upload([0, 0, 2, 4, 0], [1, 5]), b = try upload([0, 2, 3, 0.5, 1], [1, 5])
        let context = ForwardContext(backend: cpu, mode: .inference, randomStream: RandomStream(seed: 0))
        let y = try layer.forward([a, b], parameters: [:], context: context).output
        #expect(try values(y) == [1, 0, 8, 2, 0])
        let step = BackwardStep(
            node: Node("pow", layer, inputs: ["a", "b"]), inputs: [a, b], output: y, saved: [],
            gradient: try cpu.filled([1, 5], value: 1), parameters: [:], wantsParameterGradients: false)
        let gradients = try layer.backward(step).inputs
        #expect(normalisedError(try values(gradients[0]), [0, 0, 12, 0.25, 1]) < 1e-6)
        #expect(
            normalisedError(try values(gradients[1]), [0, 0, 8 * Foundation.log(2.0), 2 * Foundation.log(4.0), 0])
                < 1e-6)
    }

    @Test func arithmeticStillRefusesOtherOperations() {
        Self.expectRefused(Arithmetic(.equal, constantShape: [1]), inputShape: [3], mentioning: "power")
    }

    // MARK: LayerNormalization

    @Test func layerNormalizationOfOneToFour() throws {
        let graph = try Self.graph(
            LayerNormalization(axis: 1, epsilon: 1e-5, normalizedShape: [4], hasBias: true), inputShape: [4],
            parameters: ["scale": try upload([1, 1, 1, 1], [4]), "bias": try upload([0, 0, 0, 0], [4])])
        // Mean 2.5, biased variance 1.25: (x − 2.5)/√(1.25 + 1e-5).
        let expected = [1.0, 2, 3, 4].map { ($0 - 2.5) / (1.25 + 1e-5).squareRoot() }
        #expect(normalisedError(try values(try graph.predict(try upload([1, 2, 3, 4], [1, 4]))), expected) < 1e-6)
        let affine = try Self.graph(
            LayerNormalization(axis: -1, epsilon: 0, normalizedShape: [4], hasBias: true), inputShape: [4],
            parameters: ["scale": try upload([1, 2, 3, 4], [4]), "bias": try upload([0.5, 0, -0.5, 1], [4])])
        let z = [-1.3416407864998738, -0.4472135954999579, 0.4472135954999579, 1.3416407864998738]
        #expect(
            normalisedError(
                try values(try affine.predict(try upload([1, 2, 3, 4], [1, 4]))),
                [z[0] + 0.5, 2 * z[1], 3 * z[2] - 0.5, 4 * z[3] + 1]) < 1e-6)
    }

    /// (axis, normalized shape, has scale, has bias) for an input of sample shape 3×4.
    static let layerNormalizationCases: [(Int, Shape, Bool, Bool)] = [
        (1, Shape([3, 4]), true, true), (2, Shape([4]), true, true), (-1, Shape([4]), true, false),
        (-2, Shape([3, 4]), false, true), (1, Shape([3, 4]), false, false),
    ]

    @Test("LayerNormalization gradient (input, scale, bias)", arguments: layerNormalizationCases)
    func layerNormalizationGradient(axis: Int, normalizedShape: Shape, hasScale: Bool, hasBias: Bool) throws {
        let layer = LayerNormalization(
            axis: axis, epsilon: 1e-3, normalizedShape: normalizedShape, hasScale: hasScale, hasBias: hasBias)
        let graph = try makeGraph(
            inputShape: [3, 4],
            nodes: Graph.sequentialNodes([("ln", layer), ("t", Activation(.tanh))]))
        var generator = SplitMix64(seed: 65)
        try GradientCheck(
            graph, input: try upload(generator.floats(24, -2, 2), [2, 3, 4]), h: 1e-3, maxCoordinates: 24
        )
        .expectAccurate()
        // Each group of the output has mean zero and (biased) variance 1 before the affine part.
        if !hasScale && !hasBias {
            let output = try values(
                try singleLayerGraph(layer, inputShape: [3, 4]).predict(
                    try upload(generator.floats(24, -2, 2), [2, 3, 4])))
            let groupSize = normalizedShape.count
            for start in stride(from: 0, to: 24, by: groupSize) {
                let group = output[start..<(start + groupSize)].map(Double.init)
                let mean = group.reduce(0, +) / Double(groupSize)
                let variance = group.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(groupSize)
                #expect(abs(mean) < 1e-5)
                #expect(abs(variance - 1) < 2e-3)
            }
        }
    }

    @Test func layerNormalizationRowsAreIndependent() throws {
        try Self.expectRowsIndependent(
            try Self.graph(
                LayerNormalization(axis: 1, epsilon: 1e-5, normalizedShape: [2, 3], hasBias: true), inputShape: [2, 3]
            ), seed: 66)
    }

    @Test func layerNormalizationRefusals() {
        Self.expectRefused(
            LayerNormalization(axis: 0, normalizedShape: [2, 3, 4], hasBias: true), inputShape: [3, 4],
            mentioning: "axis 0")
        Self.expectRefused(
            LayerNormalization(axis: -3, normalizedShape: [2, 3, 4], hasBias: true), inputShape: [3, 4],
            mentioning: "axis 0")
        Self.expectRefused(
            LayerNormalization(axis: 3, normalizedShape: [4], hasBias: true), inputShape: [3, 4],
            mentioning: "axis 3")
        Self.expectRefused(
            LayerNormalization(axis: 1, normalizedShape: [4], hasBias: true), inputShape: [3, 4],
            mentioning: "does not match")
    }

    // MARK: Reduction

    @Test func reductionValues() throws {
        let x: [Float] = [1, 2, 3, 4, 5, 6]
        let logOfTail: Double = Foundation.log(1 + Foundation.exp(-1.0) + Foundation.exp(-2.0))
        let expected: [ReductionLayerKind: [Double]] = [
            .sum: [6, 15], .mean: [2, 5], .max: [3, 6], .min: [1, 4],
            .l2: [Double(14).squareRoot(), Double(77).squareRoot()],
            .sumSquare: [14, 77],
            .logSumExp: [3 + logOfTail, 6 + logOfTail],
        ]
        for kind in ReductionLayerKind.allCases {
            for keep in [false, true] {
                let graph = try Self.graph(Reduction(kind, axes: [2], keepDimensions: keep), inputShape: [2, 3])
                let output = try graph.predict(try upload(x, [1, 2, 3]))
                #expect(output.shape == (keep ? [1, 2, 1] : [1, 2]))
                #expect(normalisedError(try values(output), expected[kind]!) < 1e-6, "\(kind)")
            }
        }
        // Over both sample axes, named from the end.
        let all = try Self.graph(Reduction(.sum, axes: [-1, -2], keepDimensions: false), inputShape: [2, 3])
        let output = try all.predict(try upload(x + x.map { -$0 }, [2, 2, 3]))
        #expect(output.shape == [2])
        #expect(try values(output) == [21, -21])
    }

    @Test(
        "Reduction gradient", arguments: ReductionLayerKind.allCases,
        [(axes: [1], keep: true), (axes: [2, 3], keep: false), (axes: [-1], keep: false), (axes: [1, 3], keep: true)])
    func reductionGradient(_ kind: ReductionLayerKind, _ configuration: (axes: [Int], keep: Bool)) throws {
        let graph = try makeGraph(
            inputShape: [2, 3, 4],
            nodes: Graph.sequentialNodes([
                ("reduce", Reduction(kind, axes: configuration.axes, keepDimensions: configuration.keep))
            ]))
        var generator = SplitMix64(seed: 67)
        // Distinct values a grid step apart, so maxima and minima have no ties within h.
        let x = generator.distinctFloats(48, spacing: 0.05)
        try GradientCheck(graph, input: try upload(x, [2, 2, 3, 4]), h: 1e-2, maxCoordinates: 48).expectAccurate()
    }

    /// Ties share the gradient equally (torch.amax/amin); a zero L2 norm passes zero, not NaN.
    @Test func reductionTiesAndZeroNorm() throws {
        func inputGradient(_ kind: ReductionLayerKind, _ x: [Float]) throws -> [Float] {
            let graph = try Self.graph(Reduction(kind, axes: [1], keepDimensions: false), inputShape: [x.count])
            let record = try graph.forward(try upload(x, [1, x.count]))
            let seed = try upload([2], [1])
            return try values(try graph.backward(record, seeds: [graph.outputName: seed]).gradient(at: "input"))
        }
        #expect(try inputGradient(.max, [1, 3, 3, 2]) == [0, 1, 1, 0])
        #expect(try inputGradient(.min, [1, 1, 2, 1]) == [2.0 / 3, 2.0 / 3, 0, 2.0 / 3])
        #expect(try inputGradient(.l2, [0, 0, 0]) == [0, 0, 0])
        #expect(normalisedError(try inputGradient(.l2, [3, 4]), [1.2, 1.6]) < 1e-6)
        #expect(try inputGradient(.mean, [1, 2, 3, 4]) == [0.5, 0.5, 0.5, 0.5])
    }

    @Test func reductionRowsAreIndependent() throws {
        for kind in ReductionLayerKind.allCases {
            try Self.expectRowsIndependent(
                try Self.graph(Reduction(kind, axes: [1, 2], keepDimensions: false), inputShape: [2, 3]), seed: 68)
        }
    }

    @Test func reductionRefusals() {
        for axes in [[0], [1, 0], [-3]] {
            Self.expectRefused(
                Reduction(.sum, axes: axes, keepDimensions: true), inputShape: [3, 4], mentioning: "axis 0")
        }
        for axes in [[], [3], [1, 1], [1, -2]] {
            Self.expectRefused(
                Reduction(.max, axes: axes, keepDimensions: false), inputShape: [3, 4], mentioning: "distinct axes")
        }
    }

    // MARK: Resize

    /// A Resize graph from `height`×`width` to the given extents, with the matrices of `mode`.
    static func resizeGraph(
        channels: [Int], height: Int, width: Int, newHeight: Int, newWidth: Int, mode: Resize.Mode,
        coordinateTransformation: Resize.CoordinateTransformation = .halfPixel,
        nearestMode: Resize.NearestMode = .roundPreferFloor
    ) throws -> Graph {
        let rows = try Resize.interpolationMatrix(
            from: height, to: newHeight, mode: mode, coordinateTransformation: coordinateTransformation,
            nearestMode: nearestMode)
        let columns = try Resize.interpolationMatrix(
            from: width, to: newWidth, mode: mode, coordinateTransformation: coordinateTransformation,
            nearestMode: nearestMode)
        return try graph(
            Resize(inputHeight: height, inputWidth: width, outputHeight: newHeight, outputWidth: newWidth),
            inputShape: Shape(channels + [height, width]),
            parameters: [
                "rows": try upload(rows, [newHeight, height]), "columns": try upload(columns, [newWidth, width]),
            ])
    }

    /// `F.interpolate(torch.tensor([[[[1., 2.], [3., 4.]]]]), size=(4, 4), …)`, each value
    /// worked out by hand from PyTorch's formulas (source index d·in/out for nearest,
    /// (d + ½)·in/out − ½ clamped at 0 for bilinear, d·(in − 1)/(out − 1) with align_corners).
    @Test func resizeTwoByTwoToFourByFour() throws {
        let x = try upload([1, 2, 3, 4], [1, 1, 2, 2])
        let nearest: [Double] = [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]
        let bilinear: [Double] = [1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4]
        // align_corners=True: 1 + 2·i/3 + j/3 at row i, column j.
        let alignedCorners: [Double] = (0..<16).map { (index: Int) -> Double in
            1 + 2 * Double(index / 4) / 3 + Double(index % 4) / 3
        }
        let cases: [(Resize.Mode, Resize.CoordinateTransformation, Resize.NearestMode, [Double])] = [
            (.nearest, .asymmetric, .floor, nearest),  // mode="nearest"
            (.linear, .halfPixel, .roundPreferFloor, bilinear),  // mode="bilinear", align_corners=False
            (.linear, .pytorchHalfPixel, .roundPreferFloor, bilinear),
            (.linear, .alignCorners, .roundPreferFloor, alignedCorners),  // align_corners=True
        ]
        for (mode, transformation, nearest, expected) in cases {
            let graph = try Self.resizeGraph(
                channels: [1], height: 2, width: 2, newHeight: 4, newWidth: 4, mode: mode,
                coordinateTransformation: transformation, nearestMode: nearest)
            let output = try graph.predict(x)
            #expect(output.shape == [1, 1, 4, 4])
            #expect(normalisedError(try values(output), expected) < 1e-6, "\(mode) \(transformation)")
        }
    }

    /// Matrices of the other options, from the ONNX formulas by hand.
    @Test func interpolationMatrixOptions() throws {
        func matrix(
            _ from: Int, _ to: Int, scale: Float? = nil, _ mode: Resize.Mode,
            _ transformation: Resize.CoordinateTransformation, _ nearest: Resize.NearestMode = .roundPreferFloor
        ) throws -> [Float] {
            try Resize.interpolationMatrix(
                from: from, to: to, scale: scale, mode: mode, coordinateTransformation: transformation,
                nearestMode: nearest)
        }
        /// The index of the one in each row of a nearest-neighbour matrix.
        func picks(_ matrix: [Float], _ from: Int) -> [Int] {
            stride(from: 0, to: matrix.count, by: from).map { start in
                matrix[start..<(start + from)].firstIndex(of: 1)! - start
            }
        }
        // 4 → 8 asymmetric: x = o/2, halves at odd o.
        #expect(picks(try matrix(4, 8, .nearest, .asymmetric, .roundPreferFloor), 4) == [0, 0, 1, 1, 2, 2, 3, 3])
        #expect(picks(try matrix(4, 8, .nearest, .asymmetric, .roundPreferCeil), 4) == [0, 1, 1, 2, 2, 3, 3, 3])
        #expect(picks(try matrix(4, 8, .nearest, .asymmetric, .ceil), 4) == [0, 1, 1, 2, 2, 3, 3, 3])
        // 4 → 2 half-pixel: x = 2o + 0.5.
        #expect(picks(try matrix(4, 2, .nearest, .halfPixel, .roundPreferFloor), 4) == [0, 2])
        #expect(picks(try matrix(4, 2, .nearest, .halfPixel, .roundPreferCeil), 4) == [1, 3])
        #expect(picks(try matrix(4, 2, .nearest, .halfPixel, .floor), 4) == [0, 2])
        // 5 → 3 asymmetric at scale 0.6: x = 0, 1.67, 3.33; "simple" rounds up when downsampling.
        #expect(picks(try matrix(5, 3, scale: 0.6, .nearest, .asymmetric, .simple), 5) == [0, 2, 4])
        #expect(picks(try matrix(2, 4, .nearest, .asymmetric, .simple), 2) == [0, 0, 1, 1])
        // tf_half_pixel_for_nn 2 → 4: x = (o + ½)/2 = .25, .75, 1.25, 1.75, clamped to 1.
        #expect(picks(try matrix(2, 4, .nearest, .tfHalfPixelForNN), 2) == [0, 1, 1, 1])
        // Linear 4 → 1: half_pixel reads x = 1.5, pytorch_half_pixel and align_corners x = 0.
        #expect(try matrix(4, 1, .linear, .halfPixel) == [0, 0.5, 0.5, 0])
        #expect(try matrix(4, 1, .linear, .pytorchHalfPixel) == [1, 0, 0, 0])
        #expect(try matrix(4, 1, .linear, .alignCorners) == [1, 0, 0, 0])
        // Linear 2 → 3 at scale 1.5 (asymmetric): x = 0, 2/3, 4/3 (clamped neighbour).
        #expect(
            normalisedError(try matrix(2, 3, scale: 1.5, .linear, .asymmetric), [1, 0, 1.0 / 3, 2.0 / 3, 0, 1]) < 1e-6)
        // half_pixel_symmetric 3 → 4 at scale 1.5: offset = 1.5·(1 − 4/4.5) = 1/6,
        // x = 1/6 + (o + ½)/1.5 − ½ = 0, 2/3, 4/3, 2.
        #expect(
            normalisedError(
                try matrix(3, 4, scale: 1.5, .linear, .halfPixelSymmetric),
                [1, 0, 0, 1.0 / 3, 2.0 / 3, 0, 0, 2.0 / 3, 1.0 / 3, 0, 0, 1]) < 1e-6)
        // With sizes given it equals half_pixel.
        #expect(try matrix(3, 5, .linear, .halfPixelSymmetric) == matrix(3, 5, .linear, .halfPixel))
        #expect(Resize.outputExtent(for: 10, scale: 0.7) == 7)
        #expect(Resize.outputExtent(for: 3, scale: 1.5) == 4)
    }

    @Test func interpolationMatrixRowsSumToOne() throws {
        for mode in Resize.Mode.allCases {
            for transformation in Resize.CoordinateTransformation.allCases {
                for nearest in Resize.NearestMode.allCases {
                    for (from, to) in [(1, 3), (3, 1), (2, 5), (7, 3), (5, 5), (4, 9)] {
                        let matrix = try Resize.interpolationMatrix(
                            from: from, to: to, mode: mode, coordinateTransformation: transformation,
                            nearestMode: nearest)
                        #expect(matrix.count == from * to)
                        for row in 0..<to {
                            let weights = matrix[(row * from)..<((row + 1) * from)]
                            #expect(abs(weights.reduce(0, +) - 1) < 1e-6)
                            #expect(weights.allSatisfy { $0 >= 0 && $0 <= 1 })
                        }
                    }
                }
            }
        }
    }

    /// Bilinear half-pixel and nearest asymmetric-floor equal GlassboxCore's `Resampling`,
    /// which follows PyTorch's `F.interpolate`.
    @Test func resizeAgreesWithResampling() throws {
        var generator = SplitMix64(seed: 69)
        for (height, width, newHeight, newWidth) in [(5, 7, 9, 4), (6, 3, 4, 12), (8, 8, 2, 16)] {
            let x = generator.floats(2 * 3 * height * width)
            for (mode, resampling) in [(Resize.Mode.linear, Resampling.bilinear), (.nearest, .nearest)] {
                let graph = try Self.resizeGraph(
                    channels: [3], height: height, width: width, newHeight: newHeight, newWidth: newWidth,
                    mode: mode, coordinateTransformation: mode == .linear ? .halfPixel : .asymmetric,
                    nearestMode: .floor)
                let output = try graph.predict(try upload(x, [2, 3, height, width]))
                #expect(output.shape == [2, 3, newHeight, newWidth])
                let expected = resampling.resize(
                    x, planes: 6, height: height, width: width, newHeight: newHeight, newWidth: newWidth)
                #expect(normalisedError(try values(output), expected) < 1e-5, "\(mode) \(height)×\(width)")
            }
        }
    }

    @Test(
        "Resize gradient",
        arguments: [
            (Resize.Mode.linear, Resize.CoordinateTransformation.halfPixel), (.linear, .alignCorners),
            (.linear, .asymmetric), (.nearest, .asymmetric), (.nearest, .halfPixel),
        ])
    func resizeGradient(_ mode: Resize.Mode, _ transformation: Resize.CoordinateTransformation) throws {
        var generator = SplitMix64(seed: 70)
        for (channels, height, width, newHeight, newWidth) in [([2], 3, 5, 4, 7), ([], 4, 3, 2, 6)] {
            var graph = try Self.resizeGraph(
                channels: channels, height: height, width: width, newHeight: newHeight, newWidth: newWidth,
                mode: mode, coordinateTransformation: transformation)
            // A nonlinearity after it, so the seed differs per output element.
            let nodes = graph.nodes + [Node("t", Activation(.tanh), inputs: ["layer"])]
            let parameters = graph.parameters
            graph = try Graph(inputShape: graph.inputShape, nodes: nodes, parameters: parameters, backend: cpu)
            let count = 2 * graph.inputShape.count
            try GradientCheck(
                graph, input: try upload(generator.floats(count), Shape([2] + graph.inputShape.dimensions)),
                maxCoordinates: 64
            ).expectAccurate()
        }
    }

    @Test func resizeRowsAreIndependent() throws {
        try Self.expectRowsIndependent(
            try Self.resizeGraph(channels: [2], height: 2, width: 3, newHeight: 3, newWidth: 5, mode: .linear),
            seed: 71)
    }

    @Test func resizeRefusals() throws {
        let layer = Resize(inputHeight: 2, inputWidth: 3, outputHeight: 4, outputWidth: 6)
        Self.expectRefused(layer, inputShape: [3], mentioning: "rank at least 3")
        Self.expectRefused(layer, inputShape: [1, 3, 2], mentioning: "N×…×2×3")
        Self.expectRefused(
            Resize(inputHeight: 2, inputWidth: 3, outputHeight: 0, outputWidth: 6), inputShape: [1, 2, 3],
            mentioning: "positive extents")
        for (from, to, scale) in [(0, 3, Float?.none), (3, 0, nil), (3, 3, 0), (3, 3, -1), (3, 3, .infinity)] {
            let error = glassboxError {
                _ = try Resize.interpolationMatrix(from: from, to: to, scale: scale, mode: .linear)
            }
            #expect(error?.isInvalidArgument == true)
        }
        // Parameters whose shapes disagree with the layer are refused by the graph.
        var graph = try singleLayerGraph(layer, inputShape: [1, 2, 3])
        var parameters = graph.parameters
        parameters["layer.rows"] = try upload([Float](repeating: 0, count: 6), [3, 2])
        #expect(throws: GlassboxError.self) { try graph.setParameters(parameters) }
    }

    // MARK: Model file

    /// A graph using every new layer (and Arithmetic's power).
    static func model() throws -> Graph {
        let nodes: [Node] = [
            Node(
                "ln", LayerNormalization(axis: 2, epsilon: 1e-4, normalizedShape: [3, 4], hasBias: true), inputs: ["x"]),
            Node(
                "ln-plain", LayerNormalization(axis: -1, normalizedShape: [4], hasScale: false, hasBias: false),
                inputs: ["x"]),
            Node("abs", UnaryFunction(.abs), inputs: ["ln"]),
            Node("sqrt", UnaryFunction(.sqrt), inputs: ["abs"]),
            Node("s", Activation(.sigmoid), inputs: ["ln-plain"]),
            Node("pow", Arithmetic(.power, constantShape: [1, 1, 4]), inputs: ["s"]),
            Node("pow2", Arithmetic(.power), inputs: ["s", "sqrt"]),
            Node("resize", Resize(inputHeight: 3, inputWidth: 4, outputHeight: 6, outputWidth: 5), inputs: ["pow"]),
            Node("max", Reduction(.max, axes: [-1], keepDimensions: true), inputs: ["resize"]),
            Node("lse", Reduction(.logSumExp, axes: [2, 3], keepDimensions: false), inputs: ["pow2"]),
            Node("sum", Reduction(.sum, axes: [1, 2, 3], keepDimensions: true), inputs: ["max"]),
        ]
        var parameters = try deterministicParameters(nodes, seed: 72)
        parameters["resize.rows"] = try upload(
            try Resize.interpolationMatrix(from: 3, to: 6, mode: .linear), [6, 3])
        parameters["resize.columns"] = try upload(
            try Resize.interpolationMatrix(from: 4, to: 5, mode: .nearest, coordinateTransformation: .asymmetric),
            [5, 4])
        return try Graph(
            inputName: "x", inputShape: [2, 3, 4], nodes: nodes, outputName: "sum", parameters: parameters, backend: cpu
        )
    }

    @Test("every new layer round-trips through the model file")
    func modelFileRoundTrip() throws {
        let graph = try Self.model()
        let bytes = try ModelFile.encode(graph)
        let (loaded, _) = try ModelFile.decode(bytes, backend: cpu)
        #expect(loaded.nodes.map(\.name) == graph.nodes.map(\.name))
        for (a, b) in zip(loaded.nodes, graph.nodes) {
            #expect(ModelFileTests.sameLayer(a.layer, b.layer), "layer of '\(a.name)'")
        }
        #expect(Set(loaded.parameters.keys) == Set(graph.parameters.keys))
        for (name, value) in graph.parameters {
            #expect(try bitPatterns(try #require(loaded.parameters[name])) == bitPatterns(value), "\(name)")
        }
        #expect(try ModelFile.encode(loaded) == bytes)
        var generator = SplitMix64(seed: 73)
        let input = try upload(generator.floats(48), [2, 2, 3, 4])
        for name in ["sum", "lse"] {
            #expect(
                try bitPatterns(try loaded.forward(input).activation(name))
                    == bitPatterns(try graph.forward(input).activation(name)))
        }
        // Every configuration of the layers decodes to itself.
        var layers: [any Layer] = UnaryOperation.allCases.map { UnaryFunction($0) }
        layers += ReductionLayerKind.allCases.map { Reduction($0, axes: [1, -1], keepDimensions: $0 == .mean) }
        layers += [
            LayerNormalization(axis: 1, epsilon: 0.25, normalizedShape: [2, 3], hasScale: false, hasBias: true),
            Resize(inputHeight: 1, inputWidth: 2, outputHeight: 3, outputWidth: 4), Arithmetic(.power),
        ]
        for layer in layers {
            let record = NodeRecord(Node("n", layer, inputs: ["x"]))
            let decoded = try JSONDecoder().decode(NodeRecord.self, from: try JSONEncoder().encode(record))
            #expect(ModelFileTests.sameLayer(decoded.node.layer, layer), "\(layer)")
            #expect(LayerRegistry.type(named: layer.typeName) != nil)
        }
    }
}
