import GlassboxCore

/// How a ``Reduction`` combines the values along its axes: the ONNX reduce
/// operators (ONNX operator specification, opsets 13–18) whose gradient the layer
/// computes exactly. (`ReduceL1`, `ReduceLogSum` and `ReduceProd` are not among them.)
public enum ReductionLayerKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// Σ x (ONNX `ReduceSum`).
    case sum
    /// Σ x / n (ONNX `ReduceMean`).
    case mean
    /// max x (ONNX `ReduceMax`).
    case max
    /// min x (ONNX `ReduceMin`).
    case min
    /// √(Σ x²) (ONNX `ReduceL2`).
    case l2
    /// Σ x² (ONNX `ReduceSumSquare`).
    case sumSquare
    /// log Σ eˣ (ONNX `ReduceLogSumExp`), computed as m + log Σ e^(x − m) with m the maximum.
    case logSumExp
}

/// A reduction of each row over some of its axes (ONNX `ReduceSum`, `ReduceMean`,
/// `ReduceMax`, `ReduceMin`, `ReduceL2`, `ReduceSumSquare`, `ReduceLogSumExp`), keeping the reduced axes with extent 1
/// (ONNX `keepdims = 1`) or dropping them.
///
/// Axis 0 holds the rows and is never reduced: every axis is at least 1, or a
/// negative axis counting from the end that names one of the axes after the first.
/// The axes must be listed (ONNX's "no axes: reduce everything" would reach
/// across the rows; a converter lists axes 1 ..< rank instead).
///
/// The gradient is broadcast back over the reduced axes, as PyTorch's autograd
/// computes it: g for the sum, g/n for the mean, g·x/y for L2 (0 where y = 0, as
/// `torch.linalg.vector_norm`), 2·g·x for the sum of squares, g·e^(x − y) for the log-sum-exp, and for the maximum and
/// minimum g split equally among the elements equal to the result
/// (`torch.amax`/`torch.amin`).
///
/// The layer is of no layer kind: LRP passes relevance through it by its gradient
/// (a sum keeps the relevance total; a maximum gives it to the maxima).
public struct Reduction: Layer, Hashable {
    /// The name under which the layer is stored in model files.
    public static let typeName = "reduction"
    /// How the values are combined.
    public var kind: ReductionLayerKind
    /// The reduced axes of the input (each at least 1, or negative from the end).
    public var axes: [Int]
    /// Whether the reduced axes are kept with extent 1 (ONNX `keepdims`).
    public var keepDimensions: Bool

    /// A reduction of `kind` over `axes`, keeping them with extent 1 when `keepDimensions`.
    public init(_ kind: ReductionLayerKind, axes: [Int], keepDimensions: Bool) {
        self.kind = kind
        self.axes = axes
        self.keepDimensions = keepDimensions
    }

    /// The reduced axes of an input of rank `rank`, each in 1 ..< rank, sorted.
    func resolvedAxes(rank: Int) throws -> [Int] {
        let resolved = axes.map { $0 < 0 ? $0 + rank : $0 }
        guard !axes.isEmpty, resolved.allSatisfy({ $0 >= 1 && $0 < rank }), Set(resolved).count == resolved.count
        else {
            throw GlassboxError.invalidModel(
                "reduction axes \(axes) for rank \(rank) must be distinct axes among 1…\(rank - 1): "
                    + "axis 0 holds the rows and is never reduced")
        }
        return resolved.sorted()
    }

    /// The input shape with the reduced axes set to 1.
    func keptShape(_ input: Shape) throws -> Shape {
        var dimensions = input.dimensions
        for axis in try resolvedAxes(rank: input.rank) { dimensions[axis] = 1 }
        return Shape(dimensions)
    }

    /// The input shape with the reduced axes of extent 1, or without them.
    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        let input = try singleInput(inputShapes, layer: "reduction")
        let reduced = try resolvedAxes(rank: input.rank)
        guard reduced.allSatisfy({ input[$0] > 0 }) || [.sum, .sumSquare, .l2].contains(kind) else {
            throw GlassboxError.shapeMismatch("reduction \(kind) over empty axes \(axes) of \(input)")
        }
        if keepDimensions { return try keptShape(input) }
        return Shape(input.dimensions.enumerated().filter { !reduced.contains($0.offset) }.map(\.element))
    }

    /// The reduction of `x` with the reduced axes kept.
    func reduce(_ x: Tensor, backend: any Backend) throws -> Tensor {
        let axes = try resolvedAxes(rank: x.shape.rank)
        func sum(_ t: Tensor) throws -> Tensor { try backend.reduce(t, axes: axes, .sum, keepDimensions: true) }
        switch kind {
        case .sum: return try sum(x)
        case .mean: return try backend.reduce(x, axes: axes, .mean, keepDimensions: true)
        case .max: return try backend.reduce(x, axes: axes, .max, keepDimensions: true)
        case .min:
            let negated = try backend.reduce(try backend.unary(x, .negate), axes: axes, .max, keepDimensions: true)
            return try backend.unary(negated, .negate)
        case .l2: return try backend.unary(try sum(try backend.unary(x, .square)), .sqrt)
        case .sumSquare: return try sum(try backend.unary(x, .square))
        case .logSumExp:
            let maximum = try backend.reduce(x, axes: axes, .max, keepDimensions: true)
            let shifted = try backend.unary(try backend.binary(x, maximum, .subtract), .exp)
            return try backend.binary(try backend.unary(try sum(shifted), .log), maximum, .add)
        }
    }

    /// The reduction over ``axes``.
    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        let x = inputs[0]
        return LayerOutput(try reduce(x, backend: context.backend).reshaped(try outputShape(for: [x.shape])))
    }

    /// The output gradient broadcast back over the reduced axes, times the derivative
    /// of the reduction (see the type's description).
    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        let backend = step.backend, x = step.inputs[0]
        let kept = try keptShape(x.shape)
        let g = try step.gradient.reshaped(kept), y = try step.output.reshaped(kept)
        let count = try resolvedAxes(rank: x.shape.rank).reduce(1) { $0 * x.shape[$1] }
        func spread(_ t: Tensor) throws -> Tensor { try backend.broadcast(t, to: x.shape) }
        let gradient: Tensor
        switch kind {
        case .sum: gradient = try spread(g)
        case .mean: gradient = try spread(try backend.affine(g, scale: 1 / Float(max(count, 1)), shift: 0))
        case .max, .min:
            let ties = try backend.binary(x, y, .equal)
            let tieCount = try backend.reduce(
                ties, axes: try resolvedAxes(rank: x.shape.rank), .sum, keepDimensions: true)
            gradient = try backend.binary(ties, try backend.binary(g, tieCount, .divide), .multiply)
        case .l2:
            let quotient = try backend.stabilizedDivide(try spread(g), try spread(y), epsilon: 0)
            gradient = try backend.binary(x, quotient, .multiply)
        case .sumSquare:
            gradient = try backend.binary(try spread(g), try backend.affine(x, scale: 2, shift: 0), .multiply)
        case .logSumExp:
            let softmax = try backend.unary(try backend.binary(x, y, .subtract), .exp)
            gradient = try backend.binary(softmax, g, .multiply)
        }
        return LayerGradients(inputs: [gradient])
    }
}
