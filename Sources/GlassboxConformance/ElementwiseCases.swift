import GlassboxCore

extension BackendOperation {
    /// LRP's stabilised quotient with ε > 0 and ε = 0, on denominators that are
    /// exactly zero in places (where the sign convention sign(0) = +1 and the zero
    /// guard decide), near zero, and of either sign.
    static func stabilizedDivideCases() -> [ConformanceCase] {
        [Float(1e-6), 0.25, 0].flatMap { epsilon in
            [[127], [7, 33, 5]].map { dimensions in
                let name = "stabilizedDivide ε \(epsilon) \(Shape(dimensions).label)"
                var random = SplitMix64(name: name)
                let count = Shape(dimensions).count
                let numerator = HostTensor(dimensions, random.floats(count, -3, 3))
                let denominator = HostTensor(dimensions, random.floats(count, -2, 2, zeroEvery: 5))
                return ConformanceCase.single(name, .stabilizedDivide, shape: dimensions) { backend in
                    try backend.stabilizedDivide(
                        try backend.upload(numerator), try backend.upload(denominator), epsilon: epsilon)
                }
            }
        }
    }

    /// Every operation on equal and broadcasting shapes, and power and equal on their
    /// special values.
    static func binaryCases() -> [ConformanceCase] {
        let pairs: [([Int], [Int])] = [
            ([1], [1]), ([127], [127]), ([3, 5, 33], [3, 5, 33]),
            ([3, 1, 7], [1, 5, 1]), ([33, 65], [65]), ([2, 3, 4, 5], [3, 1, 1]), ([], [7, 3]), ([127, 1], [1, 1]),
            ([2, 3], []), ([1], [2, 3]), ([5, 1], [1, 7]), ([2, 1, 4], [3, 1]), ([1, 3, 1, 5], [2, 1, 4, 1]),
        ]
        return BinaryOperation.allCases.flatMap { operation in
            pairs.map { left, right in
                let output = broadcastShape(left, right)
                let name = "binary \(operation.rawValue) \(Shape(left).label) with \(Shape(right).label)"
                var random = SplitMix64(name: name)
                let (a, b) = binaryOperands(operation, left, right, &random)
                return ConformanceCase.single(name, .binary, shape: output) { backend in
                    try backend.binary(try backend.upload(a), try backend.upload(b), operation)
                }
            }
        } + binarySpecialValueCases()
    }

    /// Random operands of `operation` of the given shapes: in [−2, 2), but divisors stay
    /// away from zero; powers have bases of either sign away from zero (|a| ≥ 0.25, so no
    /// result dwarfs the others) and exponents in [−3, 3) of which every other one is an
    /// integer (negative bases give NaN with the others, real values with those); equal
    /// compares values of {−2, −1, 0, 1}, which are often equal.
    private static func binaryOperands(
        _ operation: BinaryOperation, _ left: [Int], _ right: [Int], _ random: inout SplitMix64
    ) -> (HostTensor, HostTensor) {
        let leftCount = Shape(left).count, rightCount = Shape(right).count
        switch operation {
        case .divide:
            let a = random.floats(leftCount, -2, 2)
            return (HostTensor(left, a), HostTensor(right, random.awayFromZero(rightCount, margin: 0.25, limit: 4)))
        case .power:
            let a = random.awayFromZero(leftCount, margin: 0.25, limit: 3)
            let b = random.floats(rightCount, -3, 3).enumerated().map {
                $0.offset % 2 == 0 ? $0.element.rounded() : $0.element
            }
            return (HostTensor(left, a), HostTensor(right, b))
        case .equal:
            let a = random.floats(leftCount, -2, 2).map { $0.rounded(.down) }
            return (HostTensor(left, a), HostTensor(right, random.floats(rightCount, -2, 2).map { $0.rounded(.down) }))
        case .add, .subtract, .multiply, .maximum, .minimum:
            let a = random.floats(leftCount, -2, 2)
            return (HostTensor(left, a), HostTensor(right, random.floats(rightCount, -2, 2)))
        }
    }

    /// Power on IEEE `pow`'s special cases (negative bases with integer and non-integer
    /// exponents, zeros of either sign, NaN and infinite operands) and equal on equal and
    /// unequal values (signed zeros equal, NaN equals nothing, infinities equal themselves).
    private static func binarySpecialValueCases() -> [ConformanceCase] {
        let power: [(Float, Float)] = [
            (-2, 3), (-2, 2), (-2, -1), (-2, 0.5), (-8, 1.0 / 3), (-0.5, -2.5), (0, 0), (0, 2), (0, -1), (-0.0, -1),
            (-0.0, -2), (2, -1), (4, 0.5), (1.5, 2.25), (.nan, 0), (1, .nan), (.nan, 2), (2, .nan), (.infinity, -1),
            (.infinity, 0.5), (-.infinity, 3), (-.infinity, 2), (0.5, .infinity), (2, -.infinity), (-1, .infinity),
        ]
        let equal: [(Float, Float)] = [
            (1, 1), (1, 2), (0, -0.0), (-1.5, -1.5), (1e-30, 0), (.nan, .nan), (.nan, 1), (.infinity, .infinity),
            (-.infinity, .infinity), (3, 3.0000002),
        ]
        return [(BinaryOperation.power, power), (.equal, equal)].map { operation, pairs in
            let name = "binary \(operation.rawValue) of special values"
            let a = HostTensor([pairs.count], pairs.map(\.0)), b = HostTensor([pairs.count], pairs.map(\.1))
            return ConformanceCase.single(name, .binary, shape: [pairs.count]) { backend in
                try backend.binary(try backend.upload(a), try backend.upload(b), operation)
            }
        }
    }

    /// The NumPy broadcast of two shapes that broadcast.
    private static func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int] {
        let rank = max(a.count, b.count)
        let left = Array(repeating: 1, count: rank - a.count) + a,
            right = Array(repeating: 1, count: rank - b.count) + b
        return zip(left, right).map { max($0, $1) }
    }

    /// Every operation on inputs in its domain, and sign on its special values.
    static func unaryCases() -> [ConformanceCase] {
        let shapes = [[1], [127], [7, 33, 5]]
        return UnaryOperation.allCases.flatMap { operation in
            shapes.map { dimensions in
                let name = "unary \(operation.rawValue) \(Shape(dimensions).label)"
                var random = SplitMix64(name: name)
                let count = Shape(dimensions).count
                let values: [Float] =
                    switch operation {
                    case .negate, .abs, .square, .positiveIndicator, .positivePart, .negativePart, .sign:
                        random.floats(count, -3, 3, zeroEvery: 9)
                    case .sqrt: random.floats(count, 0, 10, zeroEvery: 9)
                    case .exp: random.floats(count, -10, 10)
                    case .log: random.floats(count, 0.01, 10)
                    case .reciprocal: random.awayFromZero(count, margin: 0.1, limit: 10)
                    }
                let input = HostTensor(dimensions, values)
                return ConformanceCase.single(name, .unary, shape: dimensions) { backend in
                    try backend.unary(try backend.upload(input), operation)
                }
            }
        } + [signSpecialValueCase()]
    }

    /// Sign of signed zeros (both give 0), tiny and huge values, the infinities and NaN (kept).
    private static func signSpecialValueCase() -> ConformanceCase {
        let values: [Float] = [0, -0.0, 1e-30, -1e-30, 1e30, -1e30, .infinity, -.infinity, .nan, 2.5, -2.5]
        let input = HostTensor([values.count], values)
        return ConformanceCase.single("unary sign of special values", .unary, shape: [values.count]) { backend in
            try backend.unary(try backend.upload(input), .sign)
        }
    }

    private static let affineShapes = [[1], [127], [7, 33, 5]]

    static func affineCases() -> [ConformanceCase] {
        [(Float(2.5), Float(-0.75)), (-0.5, 0)].flatMap { scale, shift in
            affineShapes.map { dimensions in
                let name = "affine \(scale)·x + \(shift) \(Shape(dimensions).label)"
                var random = SplitMix64(name: name)
                let input = HostTensor(dimensions, random.floats(Shape(dimensions).count, -4, 4))
                return ConformanceCase.single(name, .affine, shape: dimensions) { backend in
                    try backend.affine(try backend.upload(input), scale: scale, shift: shift)
                }
            }
        }
    }

    static func axpyCases() -> [ConformanceCase] {
        [Float(0.5), -3].flatMap { alpha in
            affineShapes.map { dimensions in
                let name = "axpy \(alpha)·x + y \(Shape(dimensions).label)"
                var random = SplitMix64(name: name)
                let x = HostTensor(dimensions, random.floats(Shape(dimensions).count, -4, 4))
                let y = HostTensor(dimensions, random.floats(Shape(dimensions).count, -4, 4))
                return ConformanceCase.single(name, .axpy, shape: dimensions) { backend in
                    try backend.axpy(alpha: alpha, try backend.upload(x), try backend.upload(y))
                }
            }
        }
    }
}
