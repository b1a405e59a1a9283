import GlassboxCore

/// Compares two computed values elementwise into a float mask, 1 where the
/// comparison holds and 0 elsewhere, as ONNX `Equal`, `Greater`, `Less`,
/// `GreaterOrEqual` and `LessOrEqual` (whose boolean outputs the importer treats as
/// 0/1 floats, for instance a mask that feeds ``Where``).
///
/// The inputs broadcast as NumPy does on the axes after axis 0, never across axis 0
/// (the rows, samples times a fixed per-sample multiple): their axis 0 extents agree,
/// and a lower-rank input gets its new axes of extent 1 right after axis 0. A
/// comparison with NaN never holds, as in IEEE arithmetic.
///
/// The forward pass composes backend operations: `BinaryOperation.equal`, and for
/// a > b the indicator [a − b > 0] (`UnaryOperation.positiveIndicator`; a − b of
/// two unequal floats is never 0, and ∞ − ∞ is NaN, which the indicator maps to 0);
/// a ≥ b adds the disjoint masks of > and =.
///
/// The output is piecewise constant in both inputs, so both get a zero gradient. LRP
/// uses the gradient here: relevance that reaches a comparison is not passed on.
public struct Comparison: Layer, Hashable {
    /// Which comparison the layer computes.
    public enum Operation: String, Hashable, Sendable, Codable, CaseIterable {
        /// a == b (ONNX `Equal`).
        case equal
        /// a > b (ONNX `Greater`).
        case greater
        /// a < b (ONNX `Less`).
        case less
        /// a ≥ b (ONNX `GreaterOrEqual`).
        case greaterOrEqual
        /// a ≤ b (ONNX `LessOrEqual`).
        case lessOrEqual
    }

    public static let typeName = "comparison"
    /// The comparison computed.
    public var operation: Operation

    /// The mask of `a operation b` for inputs (a, b).
    public init(_ operation: Operation) { self.operation = operation }

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        guard inputShapes.count == 2 else {
            throw GlassboxError.invalidModel("comparison takes two inputs, got \(inputShapes.count)")
        }
        return try RowBroadcasting.shape(of: inputShapes, layer: "comparison")
    }

    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        let backend = context.backend
        let rank = try outputShape(for: inputs.map(\.shape)).rank
        let a = try RowBroadcasting.aligned(inputs[0], rank: rank)
        let b = try RowBroadcasting.aligned(inputs[1], rank: rank)
        /// [x > y] for the aligned operands.
        func greater(_ x: Tensor, _ y: Tensor) throws -> Tensor {
            try backend.unary(try backend.binary(x, y, .subtract), .positiveIndicator)
        }
        let mask: Tensor =
            switch operation {
            case .equal: try backend.binary(a, b, .equal)
            case .greater: try greater(a, b)
            case .less: try greater(b, a)
            case .greaterOrEqual: try backend.binary(try greater(a, b), try backend.binary(a, b, .equal), .add)
            case .lessOrEqual: try backend.binary(try greater(b, a), try backend.binary(a, b, .equal), .add)
            }
        return LayerOutput(mask)
    }

    /// Zero for both inputs: the mask is piecewise constant.
    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        LayerGradients(inputs: try step.inputs.map { try step.backend.filled($0.shape, value: 0) })
    }
}
