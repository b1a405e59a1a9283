import GlassboxCore

/// The matrix product of two computed values over their last two axes, one product per
/// index of the leading axes, as ONNX `MatMul` of two computed tensors (a vision
/// transformer's attention, N×12×197×64 · N×12×64×197) and ONNX `Einsum`'s batched
/// matrix-product equations (MaxViT's `"bghid,bghjd->bghij"`, A·Bᵀ, and
/// `"bghij,bghjd->bghid"`, A·B).
///
/// Both inputs have the same rank, at least 3, and the same extents along every axis
/// but the last two (axis 0, the rows, included; the leading axes do not broadcast).
/// With op(X) = Xᵀ (the last two axes swapped) when the flag asks and X otherwise,
/// the output at each leading index is op(A)·op(B), so for op(A) of m×k and op(B) of
/// k×n the output has the leading axes followed by m×n.
///
/// Each leading index is one `Backend.gemm` (the transposes are the gemm's own flags).
/// The gradients are exact: for C = op(A)·op(B) with gradient G, ∂op(A) = G·op(B)ᵀ and
/// ∂op(B) = op(A)ᵀ·G, transposed back where the flag is set. The product of two
/// computed values is not a ``LinearLayer`` but a ``BilinearLayer``: LRP gives it
/// AttnLRP's uniform rule (half the ε-rule relevance to each operand).
public struct BatchedMatMul: Layer, Hashable {
    public static let typeName = "batched-matmul"
    /// Whether the left operand enters transposed (its last two axes swapped).
    public var transposeLeft: Bool
    /// Whether the right operand enters transposed (its last two axes swapped): A·Bᵀ.
    public var transposeRight: Bool

    /// op(A)·op(B) per leading index, transposing an operand when its flag is set.
    public init(transposeLeft: Bool = false, transposeRight: Bool = false) {
        self.transposeLeft = transposeLeft
        self.transposeRight = transposeRight
    }

    private enum CodingKeys: String, CodingKey { case transposeLeft, transposeRight }

    /// Decodes the flags, each false when absent (model files written before they existed).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        transposeLeft = try container.decodeIfPresent(Bool.self, forKey: .transposeLeft) ?? false
        transposeRight = try container.decodeIfPresent(Bool.self, forKey: .transposeRight) ?? false
    }

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        guard inputShapes.count == 2 else {
            throw GlassboxError.invalidModel("matmul takes two inputs, got \(inputShapes.count)")
        }
        let (a, b) = (inputShapes[0], inputShapes[1])
        let operands = "\(transposeLeft ? "\(a)ᵀ" : "\(a)") · \(transposeRight ? "\(b)ᵀ" : "\(b)")"
        guard a.rank >= 3, a.rank == b.rank else {
            throw GlassboxError.shapeMismatch(
                "matmul of \(operands) needs two inputs of equal rank ≥ 3 (leading axes, then matrices)")
        }
        let leading = Array(a.dimensions.dropLast(2))
        guard leading == Array(b.dimensions.dropLast(2)) else {
            throw GlassboxError.shapeMismatch(
                "matmul of \(operands): the leading axes \(leading) and \(Array(b.dimensions.dropLast(2))) must agree")
        }
        let (m, k) = transposeLeft ? (a[-1], a[-2]) : (a[-2], a[-1])
        let (inner, n) = transposeRight ? (b[-1], b[-2]) : (b[-2], b[-1])
        guard k == inner else {
            throw GlassboxError.shapeMismatch(
                "matmul of \(operands): the inner extents \(k) and \(inner) must agree")
        }
        return Shape(leading + [m, n])
    }

    /// `op(x[l])·op(y[l])` for every leading index l, with the leading axes of the
    /// output those of `x`.
    static func product(_ x: Tensor, _ y: Tensor, transposeX: Bool, transposeY: Bool, backend: any Backend) throws
        -> Tensor
    {
        let leading = Array(x.shape.dimensions.dropLast(2))
        let count = leading.reduce(1, *)
        let left = try x.reshaped([count, x.shape[-2], x.shape[-1]])
        let right = try y.reshaped([count, y.shape[-2], y.shape[-1]])
        /// Matrix l of a stack of matrices.
        func matrix(_ stack: Tensor, _ l: Int) throws -> Tensor {
            let shape: Shape = [stack.shape[1], stack.shape[2]]
            return count == 1
                ? try stack.reshaped(shape)
                : try backend.slice(stack, axis: 0, range: l..<(l + 1))
                    .reshaped(shape)
        }
        let products = try (0..<count).map { l in
            let product = try backend.gemm(
                try matrix(left, l), try matrix(right, l), transposeA: transposeX, transposeB: transposeY,
                alpha: 1, beta: 0, accumulator: nil)
            return try product.reshaped(Shape([1] + product.shape.dimensions))
        }
        let joined = products.count == 1 ? products[0] : try backend.concat(products, axis: 0)
        return try joined.reshaped(Shape(leading + Array(joined.shape.dimensions.suffix(2))))
    }

    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        _ = try outputShape(for: inputs.map(\.shape))
        return LayerOutput(
            try Self.product(
                inputs[0], inputs[1], transposeX: transposeLeft, transposeY: transposeRight,
                backend: context.backend))
    }

    /// With G the output gradient: ∂A = G·op(B)ᵀ, or op(B)·Gᵀ when A enters transposed;
    /// ∂B = op(A)ᵀ·G, or Gᵀ·op(A) when B enters transposed.
    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        let backend = step.backend, (a, b, g) = (step.inputs[0], step.inputs[1], step.gradient)
        let gradientA =
            transposeLeft
            ? try Self.product(b, g, transposeX: transposeRight, transposeY: true, backend: backend)
            : try Self.product(g, b, transposeX: false, transposeY: !transposeRight, backend: backend)
        let gradientB =
            transposeRight
            ? try Self.product(g, a, transposeX: true, transposeY: transposeLeft, backend: backend)
            : try Self.product(a, g, transposeX: !transposeLeft, transposeY: false, backend: backend)
        return LayerGradients(inputs: [gradientA, gradientB])
    }
}

extension BatchedMatMul: BilinearLayer {
    /// Always true: both operands are computed values.
    public var multipliesInputs: Bool { true }
}
