import Foundation
import GlassboxCore

extension ReferenceBackend {
    public func activation(_ x: Tensor, _ kind: ActivationKind) throws -> Tensor {
        let input = try values(of: x)
        return tensor(x.shape) { index in
            let value = input[index]
            return switch kind {
            case .relu: max(value, 0)
            case .leakyReLU(let slope): value > 0 ? value : slope * value
            case .sigmoid: 1 / (1 + Foundation.exp(-value))
            case .tanh: Foundation.tanh(value)
            }
        }
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
            }
        }
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
            }
        }
    }

    public func unary(_ x: Tensor, _ operation: UnaryOperation) throws -> Tensor {
        let input = try values(of: x)
        return tensor(x.shape) { index in
            let value = input[index]
            return switch operation {
            case .negate: -value
            case .abs: abs(value)
            case .square: value * value
            case .sqrt: value.squareRoot()
            case .exp: Foundation.exp(value)
            case .log: Foundation.log(value)
            case .reciprocal: 1 / value
            case .positiveIndicator: value > 0 ? 1 : 0
            case .positivePart: max(value, 0)
            case .negativePart: min(value, 0)
            }
        }
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
