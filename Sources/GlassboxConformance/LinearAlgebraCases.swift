import GlassboxCore

extension ConformanceSuite {
    /// `gemm` (every transpose combination; plain, scaled and accumulating) and `addBias`.
    static func linearAlgebraCases() -> [ConformanceCase] {
        let sizes: [(m: Int, k: Int, n: Int)] = [(1, 1, 1), (3, 7, 5), (33, 65, 7), (65, 33, 127), (127, 127, 65),
                                                 (1, 127, 33), (7, 1, 65)]
        // (alpha, beta): a plain product, then a scaled one accumulating onto c.
        let scalings: [(alpha: Float, beta: Float)] = [(1, 0), (-1.5, 0.5)]
        var cases: [ConformanceCase] = []
        for (index, size) in sizes.enumerated() {
            for transposeA in [false, true] {
                for transposeB in [false, true] {
                    for scaling in scalings where scaling.beta == 0 || index % 2 == 1 || size.m == 1 {
                        cases.append(gemmCase(size, transposeA: transposeA, transposeB: transposeB,
                                              alpha: scaling.alpha, beta: scaling.beta))
                    }
                }
            }
        }
        cases.append(gemmCase((33, 65, 7), transposeA: false, transposeB: true, alpha: 2, beta: 0, ignoredAccumulator: true))
        let biased = [[1, 1], [7, 33], [127, 3], [2, 65, 3, 3], [3, 7, 5]].map { dimensions in
            var random = SplitMix64(name: "addBias \(dimensions)")
            let x = HostTensor(dimensions, random.floats(Shape(dimensions).count))
            let bias = HostTensor([dimensions[1]], random.floats(dimensions[1], -2, 2))
            return ConformanceCase.single("addBias \(x.label)", "addBias", shape: dimensions) { backend in
                try backend.addBias(try backend.upload(x), try backend.upload(bias))
            }
        }
        return cases + biased
    }

    private static func gemmCase(_ size: (m: Int, k: Int, n: Int), transposeA: Bool, transposeB: Bool,
                                 alpha: Float, beta: Float, ignoredAccumulator: Bool = false) -> ConformanceCase {
        let a = Shape(transposeA ? [size.k, size.m] : [size.m, size.k])
        let b = Shape(transposeB ? [size.n, size.k] : [size.k, size.n])
        let name = "gemm \(a.label)\(transposeA ? "ᵀ" : "")·\(b.label)\(transposeB ? "ᵀ" : "") α\(alpha) β\(beta)"
            + (ignoredAccumulator ? " with a NaN accumulator (ignored when β = 0, as in BLAS)" : "")
        var random = SplitMix64(name: name)
        let left = HostTensor(a.dimensions, random.floats(a.count))
        let right = HostTensor(b.dimensions, random.floats(b.count))
        let accumulator = ignoredAccumulator ? HostTensor([size.m, size.n], Array(repeating: .nan, count: size.m * size.n))
            : beta == 0 ? nil : HostTensor([size.m, size.n], random.floats(size.m * size.n, -4, 4))
        return .single(name, "gemm", tolerance: Tolerance.accumulation, shape: [size.m, size.n]) { backend in
            try backend.gemm(try backend.upload(left), try backend.upload(right), transposeA: transposeA,
                             transposeB: transposeB, alpha: alpha, beta: beta,
                             accumulator: try accumulator.map { try backend.upload($0) })
        }
    }
}
