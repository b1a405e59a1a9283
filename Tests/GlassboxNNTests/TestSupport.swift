import Foundation
import GlassboxConformance
import GlassboxCore
import Testing

@testable import GlassboxNN

// Shared helpers for the GlassboxNN tests: a deterministic value generator,
// graph builders with deterministic parameters, a central finite-difference
// gradient checker and error-case helpers.
//
// Parameters and inputs come from SplitMix64, so a gradient check does not
// depend on the library's own random numbers.

/// The backend under test.
let cpu: any Backend = CPUBackend.shared

func upload(_ values: [Float], _ shape: Shape) throws -> Tensor { try cpu.upload(values, shape: shape) }

func values(_ tensor: Tensor) throws -> [Float] { try tensor.toArray() }

func bitPatterns(_ tensor: Tensor) throws -> [UInt32] { try tensor.toArray().map(\.bitPattern) }

// MARK: Graph builders

/// Deterministic parameter values for every spec of `nodes`: weights uniform in
/// ±√(6/fanIn) (He-uniform), biases and offsets small, batch-norm scales around
/// one and variances positive.
func deterministicParameters(_ nodes: [Node], seed: UInt64) throws -> [String: Tensor] {
    var generator = SplitMix64(seed: seed)
    var parameters = [String: Tensor]()
    for node in nodes {
        for spec in node.layer.parameterSpecs {
            let count = spec.shape.count
            let values: [Float] =
                switch spec.name {
                case "variance": generator.floats(count, 0.5, 2)
                case "scale": generator.awayFromZero(count, margin: 0.5).map { $0 * 1.5 }
                case "mean", "offset", "bias": generator.floats(count, -0.5, 0.5)
                default:
                    switch spec.initialization {
                    case .heNormal(let fanIn):
                        generator.floats(count, -1, 1).map { $0 * Float((6 / Double(max(fanIn, 1))).squareRoot()) }
                    case .constant: generator.floats(count, -0.5, 0.5)
                    case .uniform(let bound): generator.floats(count, -Double(bound), Double(bound))
                    case .normal(let deviation, _): generator.floats(count, -1, 1).map { $0 * deviation }
                    }
                }
            parameters[node.parameterName(spec.name)] = try upload(values, spec.shape)
        }
    }
    return parameters
}

/// A graph on the CPU with deterministic parameters.
func makeGraph(inputShape: Shape, nodes: [Node], outputName: String? = nil, seed: UInt64 = 1) throws -> Graph {
    try Graph(
        inputShape: inputShape, nodes: nodes, outputName: outputName,
        parameters: try deterministicParameters(nodes, seed: seed), backend: cpu)
}

/// A graph of one layer reading the input.
func singleLayerGraph(_ layer: any Layer, inputShape: Shape, seed: UInt64 = 1) throws -> Graph {
    try makeGraph(inputShape: inputShape, nodes: [Node("layer", layer, inputs: ["input"])], seed: seed)
}

// MARK: Finite differences

/// Compares the backward pass of `graph` with central finite differences of the
/// scalar objective L = Σ r ⊙ output (r random; the seed of the backward pass is r).
struct GradientCheck {
    /// The relative error (max|analytic − numeric| / max|numeric|) at the
    /// input and at each trainable parameter, by name.
    var errors: [String: Double] = [:]
    /// How many coordinates of each tensor were compared.
    var compared: [String: Int] = [:]
    /// Trainable parameters the backward pass gave no gradient.
    var missing: Set<String> = []

    /// - Parameters:
    ///   - h: the perturbation (piecewise-linear objectives try 10h, 3h, h and h/3); the
    ///     quotient divides by the actual difference of the Float values.
    ///   - maxCoordinates: tensors larger than this are checked at this many random
    ///     coordinates plus the one with the largest analytic gradient.
    ///   - piecewiseLinear: the objective is piecewise linear (ReLU, max pooling):
    ///     a coordinate counts only when x − h, x and x + h share one linear region,
    ///     i.e. the same ReLU signs and max-pooling winners (the region is convex, so
    ///     then the whole segment lies in it); others straddle a kink and are skipped.
    ///   - mode: the forward mode; stochastic passes draw the same noise in every evaluation.
    ///   - discreteInput: the input holds token ids, which are not differentiable: only the
    ///     parameters are checked.
    init(
        _ graph: Graph, input: Tensor, h: Float = 1e-2, maxCoordinates: Int = 64, piecewiseLinear: Bool = false,
        seed: UInt64 = 99, mode: ForwardMode = .inference, discreteInput: Bool = false
    ) throws {
        var generator = SplitMix64(seed: seed)
        let record = try graph.forward(input, mode: mode)
        let r = try upload(generator.floats(record.output.count), record.output.shape)
        let rValues = try values(r).map(Double.init)
        let result = try graph.backward(record, seeds: [graph.outputName: r], parameterGradients: true)

        /// L, and the linear region of the point when the objective is piecewise linear.
        func evaluate(_ graph: Graph, _ input: Tensor) throws -> (Double, [Float]) {
            let record = try graph.forward(input, mode: mode)
            let value = zip(try values(record.output), rValues).reduce(0) { $0 + Double($1.0) * $1.1 }
            return (value, piecewiseLinear ? try Self.linearRegion(graph, record) : [])
        }
        let baseRegion = try evaluate(graph, input).1
        // In a linear region the quotient is exact but for rounding, which a larger step
        // divides down: piecewise-linear objectives take the largest step that stays in it.
        let steps: [Float] = piecewiseLinear ? [10 * h, 3 * h, h, h / 3] : [h]

        /// Checks one tensor; `evaluate` gives L with the tensor replaced by the given values.
        func check(
            _ name: String, original: [Float], analytic: [Float], evaluate: ([Float]) throws -> (Double, [Float])
        ) throws {
            precondition(original.count == analytic.count, "\(name): gradient of the wrong size")
            var coordinates = Array(original.indices)
            if coordinates.count > maxCoordinates {
                generator.shuffle(&coordinates)
                let largest = analytic.indices.max { abs(analytic[$0]) < abs(analytic[$1]) }!
                coordinates = [largest] + coordinates.filter { $0 != largest }
            }
            // (numeric, analytic) pairs; with piecewise-linear objectives those that needed
            // the smallest step (the noisiest) are used only when too few others fit.
            var accurate = [(Double, Double)](), fallback = [(Double, Double)]()
            let wanted = min(maxCoordinates, original.count)
            for index in coordinates.prefix(20 * maxCoordinates) where accurate.count < wanted {
                for step in steps {
                    var plus = original, minus = original
                    plus[index] += step
                    minus[index] -= step
                    let (lPlus, regionPlus) = try evaluate(plus)
                    guard regionPlus == baseRegion else { continue }
                    let (lMinus, regionMinus) = try evaluate(minus)
                    guard regionMinus == baseRegion else { continue }
                    let pair = (
                        (lPlus - lMinus) / (Double(plus[index]) - Double(minus[index])), Double(analytic[index])
                    )
                    if step < h { fallback.append(pair) } else { accurate.append(pair) }
                    break
                }
            }
            let pairs = (accurate + fallback).prefix(wanted)
            let numeric = pairs.map(\.0), expected = pairs.map(\.1)
            errors[name] = normalisedError(expected, numeric, floor: 1e-6)
            compared[name] = numeric.count
        }

        if !discreteInput {
            try check(
                graph.inputName, original: try values(input),
                analytic: try values(try result.gradient(at: graph.inputName))
            ) {
                try evaluate(graph, try upload($0, input.shape))
            }
        }
        for name in graph.trainableParameterNames {
            // A parameter the seed does not reach gets no gradient: its derivative must be zero.
            let parameter = graph.parameters[name]!
            if result.parameterGradients[name] == nil { missing.insert(name) }
            let analytic =
                try result.parameterGradients[name].map(values) ?? [Float](repeating: 0, count: parameter.count)
            try check(name, original: try values(parameter), analytic: analytic) { perturbed in
                var changed = graph
                var parameters = graph.parameters
                parameters[name] = try upload(perturbed, parameter.shape)
                try changed.setParameters(parameters)
                return try evaluate(changed, input)
            }
        }
    }

    /// What fixes the linear piece of a ReLU/max-pooling network around a point:
    /// the sign of every (leaky) ReLU input and the winner of every max-pooling window.
    static func linearRegion(_ graph: Graph, _ record: ForwardRecord) throws -> [Float] {
        var region = [Float]()
        for node in graph.nodes {
            let input = try record.activation(node.inputs[0])
            switch node.layer {
            case let activation as Activation:
                switch activation.kind {
                case .relu, .leakyReLU: region += try values(try cpu.unary(input, .positiveIndicator))
                case .sigmoid, .tanh, .erf, .hardSigmoid, .hardSwish, .gelu: break
                }
            case let pool as Pool2D where pool.kind == .max:
                // Routing ones backward marks (and counts) each window's winner.
                let ones = try cpu.filled(try record.activation(node.name).shape, value: 1)
                region += try values(try cpu.pool2dBackward(ones, input: input, kind: .max, window: pool.window))
            default: break
            }
        }
        return region
    }

    /// Records an expectation per tensor: relative error below `tolerance` on at least one coordinate.
    /// Unless `allowMissing`, every trainable parameter must have had a gradient.
    func expectAccurate(
        tolerance: Double = 1e-3, allowMissing: Bool = false, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(!errors.isEmpty, sourceLocation: sourceLocation)
        if !allowMissing {
            #expect(missing.isEmpty, "no gradient for \(missing.sorted())", sourceLocation: sourceLocation)
        }
        for (name, error) in errors.sorted(by: { $0.key < $1.key }) {
            #expect(error < tolerance, "gradient at '\(name)': relative error \(error)", sourceLocation: sourceLocation)
            #expect(
                compared[name, default: 0] > 0, "no coordinate of '\(name)' was compared",
                sourceLocation: sourceLocation)
        }
    }
}

// MARK: Errors

/// The error `body` throws, expecting a ``GlassboxError``.
@discardableResult
func glassboxError(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) -> GlassboxError? {
    #expect(throws: GlassboxError.self, sourceLocation: sourceLocation) { try body() }
}

extension GlassboxError {
    var isInvalidModel: Bool { if case .invalidModel = self { true } else { false } }
    var isShapeMismatch: Bool { if case .shapeMismatch = self { true } else { false } }
    var isInvalidArgument: Bool { if case .invalidArgument = self { true } else { false } }
    var message: String {
        switch self {
        case .shapeMismatch(let text), .invalidArgument(let text), .backend(let text), .invalidModel(let text),
            .outOfMemory(let text):
            text
        case .invalidFile(let path, let reason): "\(path): \(reason)"
        }
    }
}
