import GlassboxCore

extension BackendOperation {
    /// Matrix-product sizes (m, k, n) straddling the tiles of the OpenCL kernel (64 wide,
    /// 16 and 32 deep) and the CPU's 6×16 microkernel: every pair of the extents
    /// 1, 3, 7, 33, 65, 127 in turn, and a long inner dimension.
    private static let productSizes: [(m: Int, k: Int, n: Int)] = {
        let extents = [1, 3, 7, 33, 65, 127]
        var sizes: [(m: Int, k: Int, n: Int)] = []
        for (i, m) in extents.enumerated() {
            for (j, n) in extents.enumerated() where (i + j) % 2 == 0 || m == 1 || n == 1 {
                sizes.append((m, extents[(i + 2 * j) % extents.count], n))
            }
        }
        return sizes + [
            (127, 127, 127), (65, 300, 33), (33, 65, 7),
            // Across the CPU's 128-deep and 512-wide blocks.
            (3, 130, 513), (513, 33, 7), (7, 513, 130), (33, 130, 513),
        ]
    }()

    /// Every transpose combination of every size: plain products, and on every other
    /// size (and rows of one) a scaled product accumulating onto c; an accumulator full of
    /// NaN that β = 0 ignores (as in BLAS); an empty inner dimension that leaves β·c; and
    /// the shapes every backend refuses.
    static func gemmCases() -> [ConformanceCase] {
        var cases: [ConformanceCase] = []
        for (index, size) in productSizes.enumerated() {
            for transposeA in [false, true] {
                for transposeB in [false, true] {
                    cases.append(gemmCase(size, transposeA: transposeA, transposeB: transposeB, alpha: 1, beta: 0))
                    if index % 2 == 1 || size.m == 1 {
                        cases.append(
                            gemmCase(size, transposeA: transposeA, transposeB: transposeB, alpha: -1.5, beta: 0.5))
                    }
                }
            }
        }
        cases.append(gemmCase((33, 65, 7), transposeA: false, transposeB: true, alpha: 2, beta: 0, accumulator: .nan))
        cases.append(gemmCase((3, 0, 5), transposeA: false, transposeB: false, alpha: 1, beta: 2, accumulator: 1.5))
        // (a, b, transpose a, accumulator): inner dimensions that differ, a vector, an accumulator of the wrong shape.
        let refused: [([Int], [Int], Bool, [Int])] = [
            ([3, 7], [5, 7], false, [3, 5]), ([3, 7], [7, 5], true, [3, 5]), ([21], [7, 5], false, [3, 5]),
            ([3, 7], [7, 5], false, [5, 3]),
        ]
        return cases
            + refused.map { a, b, transposeA, c in
                .rejection(
                    "gemm refuses \(Shape(a).label)\(transposeA ? "ᵀ" : "")·\(Shape(b).label) onto \(Shape(c).label)",
                    .gemm
                ) {
                    backend in
                    _ = try backend.gemm(
                        backend.filled(Shape(a), value: 1), backend.filled(Shape(b), value: 1),
                        transposeA: transposeA, transposeB: false, alpha: 1, beta: 1,
                        accumulator: backend.filled(Shape(c), value: 0))
                }
            }
    }

    /// One product; `accumulator`, when given, fills c with that value instead of random values.
    private static func gemmCase(
        _ size: (m: Int, k: Int, n: Int), transposeA: Bool, transposeB: Bool,
        alpha: Float, beta: Float, accumulator fill: Float? = nil
    ) -> ConformanceCase {
        let a = Shape(transposeA ? [size.k, size.m] : [size.m, size.k])
        let b = Shape(transposeB ? [size.n, size.k] : [size.k, size.n])
        let name =
            "gemm \(a.label)\(transposeA ? "ᵀ" : "")·\(b.label)\(transposeB ? "ᵀ" : "") α\(alpha) β\(beta)"
            + (fill.map { " onto a c of \($0)" } ?? "")
        var random = SplitMix64(name: name)
        let left = HostTensor(a.dimensions, random.floats(a.count))
        let right = HostTensor(b.dimensions, random.floats(b.count))
        let count = size.m * size.n
        let accumulator =
            fill.map { HostTensor([size.m, size.n], Array(repeating: $0, count: count)) }
            ?? (beta == 0 ? nil : HostTensor([size.m, size.n], random.floats(count, -4, 4)))
        return .single(name, .gemm, shape: [size.m, size.n]) { backend in
            try backend.gemm(
                try backend.upload(left), try backend.upload(right), transposeA: transposeA,
                transposeB: transposeB, alpha: alpha, beta: beta,
                accumulator: try accumulator.map { try backend.upload($0) })
        }
    }

    static func addBiasCases() -> [ConformanceCase] {
        [[1, 1], [7, 33], [127, 3], [2, 65, 3, 3], [3, 7, 5]].map { dimensions in
            var random = SplitMix64(name: "addBias \(dimensions)")
            let x = HostTensor(dimensions, random.floats(Shape(dimensions).count))
            let bias = HostTensor([dimensions[1]], random.floats(dimensions[1], -2, 2))
            return .single("addBias \(x.label)", .addBias, shape: dimensions) { backend in
                try backend.addBias(try backend.upload(x), try backend.upload(bias))
            }
        }
    }
}
