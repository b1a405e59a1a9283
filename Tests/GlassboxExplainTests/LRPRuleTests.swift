import GlassboxConformance
import GlassboxCore
import GlassboxNN
import Testing

@testable import GlassboxExplain

/// A linear layer written out as a matrix: output j = Σ_i A[j][i]·x_i + b_j.
struct LinearMap {
    var matrix: [[Double]]
    var bias: [Double]

    /// A dense layer's map: A = W (out × in).
    static func dense(weight: [Float], bias: [Float], inputs: Int) -> LinearMap {
        LinearMap(
            matrix: (0..<bias.count).map { j in (0..<inputs).map { Double(weight[j * inputs + $0]) } },
            bias: bias.map(Double.init))
    }

    /// A convolution's map on C×H×W inputs (square kernel, stride, zero padding), by explicit index loops.
    static func convolution(
        weight: [Float], bias: [Float], channels: Int, height: Int, width: Int,
        kernel: Int, stride: Int, padding: Int
    ) -> LinearMap {
        let outputs = bias.count
        let outHeight = (height + 2 * padding - kernel) / stride + 1,
            outWidth = (width + 2 * padding - kernel) / stride + 1
        var matrix = [[Double]]()
        var biases = [Double]()
        for o in 0..<outputs {
            for oy in 0..<outHeight {
                for ox in 0..<outWidth {
                    var row = [Double](repeating: 0, count: channels * height * width)
                    for c in 0..<channels {
                        for ky in 0..<kernel {
                            for kx in 0..<kernel {
                                let y = oy * stride + ky - padding, x = ox * stride + kx - padding
                                guard (0..<height).contains(y), (0..<width).contains(x) else { continue }
                                row[(c * height + y) * width + x] = Double(
                                    weight[((o * channels + c) * kernel + ky) * kernel + kx])
                            }
                        }
                    }
                    matrix.append(row)
                    biases.append(Double(bias[o]))
                }
            }
        }
        return LinearMap(matrix: matrix, bias: biases)
    }

    /// Zennit's stabiliser: z + ε·sign(z) with sign(0) = +1.
    static func stabilized(_ z: Double, _ epsilon: Double) -> Double { z + (z >= 0 ? epsilon : -epsilon) }

    /// R_i = Σ_j contribution(j, i) / stabilised(Σ_i contribution(j, i) + bias(j)) · R_j.
    func redistribute(
        _ relevance: [Double], epsilon: Double, bias: (Int) -> Double,
        contribution: (Int, Int) -> Double
    ) -> [Double] {
        var result = [Double](repeating: 0, count: matrix[0].count)
        for j in matrix.indices {
            let z = matrix[j].indices.reduce(0) { $0 + contribution(j, $1) } + bias(j)
            let share = relevance[j] / Self.stabilized(z, epsilon)
            for i in matrix[j].indices { result[i] += contribution(j, i) * share }
        }
        return result
    }

    func output(_ x: [Double]) -> [Double] {
        matrix.indices.map { j in zip(matrix[j], x).reduce(bias[j]) { $0 + $1.0 * $1.1 } }
    }
}

func positive(_ v: Double) -> Double { max(v, 0) }
func negative(_ v: Double) -> Double { min(v, 0) }

/// Each LRP rule on random dense and convolution layers against its formula in
/// matrix form (Montavon et al. 2019; Zennit's conventions), written out here
/// with loops in double precision, independently of the rule's term mechanism.
/// The Bayesian layers are explained through their mean weights, so they meet the
/// same matrix form with W = μ_w and b = μ_b.
@Suite("LRP rules against their matrix form")
struct LRPRuleTests {
    /// A layer, its matrix form, an input with both signs and a random upper relevance.
    struct Case {
        var node: Node
        var map: LinearMap
        var x: [Float]
        var inputShape: Shape
        var relevance: [Float]
        var parameters: [String: Tensor]
    }

    static let kinds = ["dense", "convolution", "Bayesian dense", "Bayesian convolution"]

    static func makeCase(_ kind: String, inputLow: Float = -1, inputHigh: Float = 1) throws -> Case {
        let bayesianPrefix = "Bayesian "
        if kind.hasPrefix(bayesianPrefix) {
            return try bayesian(
                try makeCase(String(kind.dropFirst(bayesianPrefix.count)), inputLow: inputLow, inputHigh: inputHigh))
        }
        let backend = CPUBackend.shared
        var random = SplitMix64(seed: kind == "dense" ? 7 : 8)
        if kind == "dense" {
            let weight = random.floats(4 * 6), bias = random.floats(4, -0.3, 0.3)
            let x = random.floats(2 * 6, Double(inputLow), Double(inputHigh))
            return Case(
                node: Node("layer", Dense(6, 4), inputs: ["input"]), map: .dense(weight: weight, bias: bias, inputs: 6),
                x: x, inputShape: [2, 6], relevance: random.floats(2 * 4),
                parameters: [
                    "weight": try backend.upload(weight, shape: [4, 6]), "bias": try backend.upload(bias, shape: [4]),
                ])
        }
        let weight = random.floats(3 * 2 * 3 * 3), bias = random.floats(3, -0.3, 0.3)
        let x = random.floats(2 * 2 * 5 * 5, Double(inputLow), Double(inputHigh))
        return Case(
            node: Node("layer", Conv2D(2, 3, kernel: 3, stride: 2, padding: 1), inputs: ["input"]),
            map: .convolution(
                weight: weight, bias: bias, channels: 2, height: 5, width: 5, kernel: 3, stride: 2, padding: 1),
            x: x, inputShape: [2, 2, 5, 5], relevance: random.floats(2 * 3 * 3 * 3),
            parameters: [
                "weight": try backend.upload(weight, shape: [3, 2, 3, 3]), "bias": try backend.upload(bias, shape: [3]),
            ])
    }

    /// The case with its layer made Bayesian: the means are the weight and bias, and
    /// ρ = 0 (σ ≈ 0.69) would make a sampled pass far from the mean one.
    static func bayesian(_ plain: Case) throws -> Case {
        var result = plain
        let layer: any Layer =
            plain.node.layer is Dense ? BayesianDense(6, 4) : BayesianConv2D(2, 3, kernel: 3, stride: 2, padding: 1)
        result.node = Node("layer", layer, inputs: ["input"])
        let weight = try #require(plain.parameters["weight"]), bias = try #require(plain.parameters["bias"])
        result.parameters = [
            "weightMean": weight, "biasMean": bias,
            "weightRho": try CPUBackend.shared.filled(weight.shape, value: 0),
            "biasRho": try CPUBackend.shared.filled(bias.shape, value: 0),
        ]
        return result
    }

    /// The rule's input relevance on the case, through one backward step.
    static func propagate(_ rule: LRPRule, _ layerCase: Case) throws -> [Float] {
        let backend = CPUBackend.shared
        let x = try backend.upload(layerCase.x, shape: layerCase.inputShape)
        let context = ForwardContext(backend: backend, mode: .inference, randomStream: RandomStream(seed: 0))
        let output = try layerCase.node.layer.forward([x], parameters: layerCase.parameters, context: context).output
        let step = BackwardStep(
            node: layerCase.node, inputs: [x], output: output, saved: [],
            gradient: try backend.upload(layerCase.relevance, shape: output.shape),
            parameters: layerCase.parameters, wantsParameterGradients: false)
        return try rule.propagate(step).inputs[0].toArray()
    }

    /// The reference per sample: `reference(map, x, R)` on each row of the batch.
    static func perSample(_ layerCase: Case, _ reference: (LinearMap, [Double], [Double]) -> [Double]) -> [Double] {
        let inputs = layerCase.x.count / 2, outputs = layerCase.relevance.count / 2
        return (0..<2).flatMap { n in
            reference(
                layerCase.map, layerCase.x[n * inputs..<(n + 1) * inputs].map(Double.init),
                layerCase.relevance[n * outputs..<(n + 1) * outputs].map(Double.init))
        }
    }

    @Test(arguments: kinds, [Float(1e-6), 0.1, 0])
    func epsilon(_ kind: String, epsilon: Float) throws {
        let layerCase = try Self.makeCase(kind)
        let expected = Self.perSample(layerCase) { map, x, r in
            map.redistribute(r, epsilon: Double(epsilon), bias: { map.bias[$0] }) { j, i in x[i] * map.matrix[j][i] }
        }
        let rule = epsilon == 0 ? LRPRule.zero : .epsilon(epsilon)
        #expect(normalisedError(try Self.propagate(rule, layerCase), expected) < 1e-5)
    }

    @Test(arguments: kinds, [(Float(1), Float(0)), (2, 1), (3, 2)])
    func alphaBeta(_ kind: String, parameters: (alpha: Float, beta: Float)) throws {
        let layerCase = try Self.makeCase(kind)
        let (alpha, beta) = (Double(parameters.alpha), Double(parameters.beta))
        let expected = Self.perSample(layerCase) { map, x, r in
            let favoured = map.redistribute(r, epsilon: 1e-6, bias: { positive(map.bias[$0]) }) { j, i in
                positive(x[i]) * positive(map.matrix[j][i]) + negative(x[i]) * negative(map.matrix[j][i])
            }
            let opposed = map.redistribute(r, epsilon: 1e-6, bias: { negative(map.bias[$0]) }) { j, i in
                positive(x[i]) * negative(map.matrix[j][i]) + negative(x[i]) * positive(map.matrix[j][i])
            }
            return zip(favoured, opposed).map { alpha * $0 - beta * $1 }
        }
        let rule = try LRPRule.alphaBeta(alpha: parameters.alpha, beta: parameters.beta)
        #expect(normalisedError(try Self.propagate(rule, layerCase), expected) < 1e-5)
        if parameters == (1, 0) {
            #expect(normalisedError(try Self.propagate(.zPlus(), layerCase), expected) < 1e-5)
        }
    }

    @Test(arguments: kinds, [Float(0.25), 1])
    func gamma(_ kind: String, gamma: Float) throws {
        let layerCase = try Self.makeCase(kind)
        let g = Double(gamma)
        let expected = Self.perSample(layerCase) { map, x, r in
            let outputs = map.output(x)
            func part(_ positiveOutputs: Bool) -> [Double] {
                let upper = r.indices.map { j in (positiveOutputs ? outputs[j] > 0 : outputs[j] < 0) ? r[j] : 0 }
                let lift = { (v: Double) in positiveOutputs ? positive(v) : negative(v) }
                let lower = { (v: Double) in positiveOutputs ? negative(v) : positive(v) }
                return map.redistribute(upper, epsilon: 1e-6, bias: { map.bias[$0] + g * lift(map.bias[$0]) }) { j, i in
                    let w = map.matrix[j][i]
                    return positive(x[i]) * (w + g * lift(w)) + negative(x[i]) * (w + g * lower(w))
                }
            }
            return zip(part(true), part(false)).map(+)
        }
        #expect(normalisedError(try Self.propagate(.gamma(gamma), layerCase), expected) < 1e-5)
    }

    @Test(arguments: kinds)
    func flat(_ kind: String) throws {
        let layerCase = try Self.makeCase(kind)
        let expected = Self.perSample(layerCase) { map, _, r in
            map.redistribute(r, epsilon: 1e-6, bias: { _ in 0 }) { j, i in map.matrix[j][i] == 0 ? 0 : 1 }
        }
        #expect(normalisedError(try Self.propagate(.flat(), layerCase), expected) < 1e-5)
    }

    @Test(arguments: kinds)
    func wSquare(_ kind: String) throws {
        let layerCase = try Self.makeCase(kind)
        let expected = Self.perSample(layerCase) { map, _, r in
            map.redistribute(r, epsilon: 1e-6, bias: { map.bias[$0] * map.bias[$0] }) { j, i in
                map.matrix[j][i] * map.matrix[j][i]
            }
        }
        #expect(normalisedError(try Self.propagate(.wSquare(), layerCase), expected) < 1e-5)
    }

    @Test(arguments: kinds)
    func zBox(_ kind: String) throws {
        let layerCase = try Self.makeCase(kind, inputLow: -0.5, inputHigh: 1.5)
        let channels = layerCase.inputShape[1], inputs = layerCase.x.count / 2
        let dense = kind.hasSuffix("dense")
        let low: [Float] = dense ? [-0.5] : [-0.5, -0.8], high: [Float] = dense ? [1.5] : [1.5, 2]
        func bound(_ values: [Float], _ i: Int) -> Double {
            Double(values.count == 1 ? values[0] : values[i / (inputs / channels)])
        }
        let expected = Self.perSample(layerCase) { map, x, r in
            map.redistribute(r, epsilon: 1e-6, bias: { _ in 0 }) { j, i in
                let w = map.matrix[j][i]
                return x[i] * w - bound(low, i) * positive(w) - bound(high, i) * negative(w)
            }
        }
        #expect(normalisedError(try Self.propagate(try .zBox(low: low, high: high), layerCase), expected) < 1e-5)
    }

    @Test func badParametersAreRefused() {
        #expect(throws: GlassboxError.self) { try LRPRule.alphaBeta(alpha: 2, beta: 2) }
        #expect(throws: GlassboxError.self) { try LRPRule.alphaBeta(alpha: 0.5, beta: -0.5) }
        #expect(throws: GlassboxError.self) { try LRPRule.zBox(low: [1], high: [0]) }
        #expect(throws: GlassboxError.self) { try LRPRule.zBox(low: [0, 0], high: [1]) }
        #expect(throws: GlassboxError.self) {
            try Self.propagate(try .zBox(low: [0, 0, 0], high: [1, 1, 1]), try Self.makeCase("convolution"))
        }
    }
}
