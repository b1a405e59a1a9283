import Foundation
import GlassboxCore

extension ReferenceBackend {
    public func activation(_ x: Tensor, _ kind: ActivationKind) throws -> Tensor {
        let input = try values(of: x)
        return tensor(x.shape) { Float(kind.value(at: Double(input[$0]))) }
    }

    public func activationBackward(_ gradOutput: Tensor, input: Tensor, output: Tensor, kind: ActivationKind) throws
        -> Tensor
    {
        try checkSameShape(gradOutput, input, output, operation: "activation gradient")
        let g = try values(of: gradOutput), x = try values(of: input), y = try values(of: output)
        return tensor(gradOutput.shape) { i in
            switch kind {
            case .relu: x[i] > 0 ? g[i] : 0
            case .leakyReLU(let slope): x[i] > 0 ? g[i] : slope * g[i]
            case .sigmoid: g[i] * y[i] * (1 - y[i])
            case .tanh: g[i] * (1 - y[i] * y[i])
            case .erf: Float(Double(g[i]) * 2 / Double.pi.squareRoot() * Foundation.exp(-Double(x[i]) * Double(x[i])))
            // The gate is alpha·x + beta as the float32 forward pass computes it, so that every
            // backend agrees on it at the float neighbours of the kinks.
            case .hardSigmoid(let alpha, let beta):
                0 < alpha * x[i] + beta && alpha * x[i] + beta < 1 ? alpha * g[i] : 0
            // PyTorch's hardswish_backward.
            case .hardSwish: x[i] < -3 ? 0 : x[i] <= 3 ? Float(Double(g[i]) * (Double(x[i]) / 3 + 0.5)) : g[i]
            case .gelu(let tanhApproximation):
                Float(Double(g[i]) * Self.geluDerivative(Double(x[i]), tanhApproximation: tanhApproximation))
            }
        }
    }

    /// max(0, min(1, v)), with NaN staying NaN.
    /// d/dx GELU(x): Φ(x) + x·φ(x) exactly; for the tanh form, with t = tanh u and
    /// s = σ(2u) = (1 + t)/2, 0.5·(1 + t) + 0.5·x·(1 − t²)·u′(x) = s + 2·x·s·(1 − s)·u′(x),
    /// u′(x) = √(2/π)·(1 + 3·0.044715·x²); the second term is 0 where s·(1 − s) is.
    private static func geluDerivative(_ x: Double, tanhApproximation: Bool) -> Double {
        guard tanhApproximation else {
            let cdf = 0.5 * Foundation.erfc(-x / 2.0.squareRoot())
            let density = Foundation.exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
            return cdf + x * density
        }
        let u = ActivationKind.geluTanhArgument(x)
        let s = 1 / (1 + Foundation.exp(-2 * u)), complement = 1 / (1 + Foundation.exp(2 * u))
        let spread = s * complement
        return s + (spread == 0 ? 0 : 2 * x * spread * ActivationKind.geluTanhScale * (1 + 3 * 0.044715 * x * x))
    }

    public func reluBackward(_ gradOutput: Tensor, input: Tensor, mode: ReLUBackwardMode) throws -> Tensor {
        try checkSameShape(gradOutput, input, operation: "ReLU gradient")
        let g = try values(of: gradOutput), x = try values(of: input)
        return tensor(gradOutput.shape) { i in
            switch mode {
            case .gradient: x[i] > 0 ? g[i] : 0
            case .guided: x[i] > 0 && g[i] > 0 ? g[i] : 0
            case .deconvnet: max(g[i], 0)
            }
        }
    }

    /// NumPy broadcasting: output element (i₀, …) reads each operand at the same index,
    /// with 0 along its axes of extent 1 (and its missing leading axes).
    public func binary(_ a: Tensor, _ b: Tensor, _ operation: BinaryOperation) throws -> Tensor {
        let shape = try BroadcastLayout(a.shape, b.shape).shape
        let left = try values(of: a), right = try values(of: b)
        /// The offset in an operand of `operandShape` read by output coordinates `index`.
        func offset(in operandShape: Shape, _ index: [Int]) -> Int {
            let aligned = index.suffix(operandShape.rank)
            return operandShape.offset(of: zip(aligned, operandShape.dimensions).map { $1 == 1 ? 0 : $0 })
        }
        return tensor(shape) { index in
            let coordinates = shape.coordinates(of: index)
            let x = left[offset(in: a.shape, coordinates)], y = right[offset(in: b.shape, coordinates)]
            return switch operation {
            case .add: x + y
            case .subtract: x - y
            case .multiply: x * y
            case .divide: x / y
            case .maximum: max(x, y)
            case .minimum: min(x, y)
            case .power: Float(Foundation.pow(Double(x), Double(y)))
            case .equal: x == y ? 1 : 0
            }
        }
    }

    public func unary(_ x: Tensor, _ operation: UnaryOperation) throws -> Tensor {
        let input = try values(of: x)
        return tensor(x.shape) { Float(operation.value(at: Double(input[$0]))) }
    }

    public func affine(_ x: Tensor, scale: Float, shift: Float) throws -> Tensor {
        let input = try values(of: x)
        return tensor(x.shape) { scale * input[$0] + shift }
    }

    public func axpy(alpha: Float, _ x: Tensor, _ y: Tensor) throws -> Tensor {
        try checkSameShape(x, y, operation: "axpy")
        let xs = try values(of: x), ys = try values(of: y)
        return tensor(x.shape) { alpha * xs[$0] + ys[$0] }
    }

    public func stabilizedDivide(_ numerator: Tensor, _ denominator: Tensor, epsilon: Float) throws -> Tensor {
        try checkSameShape(numerator, denominator, operation: "stabilized division")
        let n = try values(of: numerator), d = try values(of: denominator)
        return tensor(numerator.shape) { i in
            let stabilized = d[i] + (d[i] >= 0 ? epsilon : -epsilon)
            return stabilized == 0 ? 0 : n[i] / stabilized
        }
    }

    /// Along each lane of `axis`: `exp(x − max)/Σ exp(x − max)`, or `x − max − log Σ exp(x − max)`, in Float64.
    public func softmax(_ x: Tensor, axis: Int, logarithm: Bool) throws -> Tensor {
        let input = try values(of: x)
        var output = [Float](repeating: 0, count: input.count)
        for lane in try Self.lanes(of: x.shape, axis: axis) {
            let largest = lane.map { Double(input[$0]) }.max() ?? 0
            let total = lane.reduce(0.0) { $0 + Foundation.exp(Double(input[$1]) - largest) }
            for index in lane {
                let shifted = Double(input[index]) - largest
                output[index] = Float(logarithm ? shifted - Foundation.log(total) : Foundation.exp(shifted) / total)
            }
        }
        return tensor(output, x.shape)
    }

    /// For y = softmax(x): dx = y·(dy − Σ dy·y); for y = log softmax(x): dx = dy − exp(y)·Σ dy; in Float64.
    public func softmaxBackward(_ gradOutput: Tensor, output: Tensor, axis: Int, logarithm: Bool) throws -> Tensor {
        try checkSameShape(gradOutput, output, operation: "softmax gradient")
        let dy = try values(of: gradOutput), y = try values(of: output)
        var dx = [Float](repeating: 0, count: dy.count)
        for lane in try Self.lanes(of: output.shape, axis: axis) {
            if logarithm {
                let total = lane.reduce(0.0) { $0 + Double(dy[$1]) }
                for i in lane { dx[i] = Float(Double(dy[i]) - Foundation.exp(Double(y[i])) * total) }
            } else {
                let dot = lane.reduce(0.0) { $0 + Double(dy[$1]) * Double(y[$1]) }
                for i in lane { dx[i] = Float(Double(y[i]) * (Double(dy[i]) - dot)) }
            }
        }
        return tensor(dx, output.shape)
    }

    /// The element offsets of each one-dimensional lane of `shape` along `axis`.
    private static func lanes(of shape: Shape, axis: Int) throws -> [[Int]] {
        let lanes = try AxisLanes(shape, axis: axis)
        return (0..<lanes.outer).flatMap { outer in
            (0..<lanes.inner).map { inner in
                (0..<lanes.extent).map { (outer * lanes.extent + $0) * lanes.inner + inner }
            }
        }
    }
}
