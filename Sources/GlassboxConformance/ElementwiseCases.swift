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

    /// Every operation on equal and broadcasting shapes.
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
                let a = HostTensor(left, random.floats(Shape(left).count, -2, 2))
                // Divisors stay away from zero; the other operations see the full range.
                let b = HostTensor(
                    right,
                    operation == .divide
                        ? random.awayFromZero(Shape(right).count, margin: 0.25, limit: 4)
                        : random.floats(Shape(right).count, -2, 2))
                return ConformanceCase.single(name, .binary, shape: output) { backend in
                    try backend.binary(try backend.upload(a), try backend.upload(b), operation)
                }
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

    /// Every operation on inputs in its domain.
    static func unaryCases() -> [ConformanceCase] {
        let shapes = [[1], [127], [7, 33, 5]]
        return UnaryOperation.allCases.flatMap { operation in
            shapes.map { dimensions in
                let name = "unary \(operation.rawValue) \(Shape(dimensions).label)"
                var random = SplitMix64(name: name)
                let count = Shape(dimensions).count
                let values: [Float] =
                    switch operation {
                    case .negate, .abs, .square, .positiveIndicator, .positivePart, .negativePart:
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
