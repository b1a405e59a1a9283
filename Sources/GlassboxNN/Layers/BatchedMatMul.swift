import GlassboxCore

/// The per-sample matrix product of two computed values (ONNX `MatMul` of two
/// N×a×k and N×k×b tensors, as attention layers use): sample n of the output is
/// A[n]·B[n]. The gradients are g·Bᵀ and Aᵀ·g, sample by sample.
public struct BatchedMatMul: Layer, Hashable {
    public static let typeName = "batched-matmul"

    public init() {}

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        guard inputShapes.count == 2 else {
            throw GlassboxError.invalidModel("matmul takes two inputs, got \(inputShapes.count)")
        }
        let (a, b) = (inputShapes[0], inputShapes[1])
        guard a.rank == 3, b.rank == 3, a[0] == b[0], a[2] == b[1] else {
            throw GlassboxError.shapeMismatch("matmul of \(a) and \(b) needs N×a×k and N×k×b")
        }
        return [a[0], a[1], b[2]]
    }

    /// `op(x[n])·op(y[n])` for every sample n, joined along the batch axis.
    static func product(_ x: Tensor, _ y: Tensor, transposeX: Bool, transposeY: Bool, backend: any Backend) throws
        -> Tensor
    {
        let matrices = try (0..<x.shape[0]).map { n in
            let left = try backend.slice(x, axis: 0, range: n..<(n + 1)).reshaped(x.shape.sampleShape)
            let right = try backend.slice(y, axis: 0, range: n..<(n + 1)).reshaped(y.shape.sampleShape)
            let product = try backend.gemm(
                left, right, transposeA: transposeX, transposeB: transposeY, alpha: 1, beta: 0, accumulator: nil)
            return try product.reshaped(Shape([1] + product.shape.dimensions))
        }
        return try backend.concat(matrices, axis: 0)
    }

    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        LayerOutput(
            try Self.product(inputs[0], inputs[1], transposeX: false, transposeY: false, backend: context.backend))
    }

    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        let backend = step.backend, (a, b) = (step.inputs[0], step.inputs[1])
        return LayerGradients(inputs: [
            try Self.product(step.gradient, b, transposeX: false, transposeY: true, backend: backend),
            try Self.product(a, step.gradient, transposeX: true, transposeY: false, backend: backend),
        ])
    }
}
