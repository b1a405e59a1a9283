import GlassboxConformance
import GlassboxCore
import GlassboxReference
import Testing

/// The reference reductions, shape operations, batch normalisation and memory, by means
/// independent of their loops: reductions of a counting tensor with known sums, means
/// and maxima; broadcast then sum = multiplication by the number of copies; a transpose
/// undone by its inverse permutation, and two transposes composing into one; concat then
/// slice giving back the parts; batch normalisation computed by hand; and the refusals
/// of ``ShapeOperationPlans``.
@Suite("Reference shape operations")
struct ShapeReferenceTests {
    /// 1, 2, …, 24 in a 2×3×4 tensor: element (i, j, k) is 12·i + 4·j + k + 1.
    let counting = (1...24).map(Float.init)

    @Test("reductions of a counting tensor")
    func reductions() throws {
        let x = try tensor(counting, [2, 3, 4])
        #expect(try reference.reduce(x, axes: [0, 1, 2], .sum, keepDimensions: false).toArray() == [300])
        let rows = try reference.reduce(x, axes: [2], .sum, keepDimensions: true)
        #expect(rows.shape == [2, 3, 1])
        #expect(try rows.toArray() == [10, 26, 42, 58, 74, 90])
        // The mean over i of 12·i + 4·j + k + 1 is 4·j + k + 7.
        #expect(try reference.reduce(x, axes: [0], .mean, keepDimensions: false).toArray() == (7...18).map(Float.init))
        // The maximum over i and k is at i = 1, k = 3: 16 + 4·j; negative axes name the same axes.
        for axes in [[0, 2], [2, -3], [-1, 0, 2]] {
            let maxima = try reference.reduce(x, axes: axes, .max, keepDimensions: true)
            #expect(maxima.shape == [1, 3, 1], "axes \(axes)")
            #expect(try maxima.toArray() == [16, 20, 24], "axes \(axes)")
        }
        let negative = try tensor(counting.map { -$0 }, [2, 3, 4])
        #expect(try reference.reduce(negative, axes: [0, 1, 2], .max, keepDimensions: false).toArray() == [-1])
        #expect(try reference.reduce(x, axes: [], .mean, keepDimensions: false).toArray() == counting)
    }

    @Test("broadcast then sum over the copies multiplies by their number")
    func broadcastThenSum() throws {
        var random = SplitMix64(name: "broadcast then sum")
        let values = random.floats(3)
        let copies = try reference.broadcast(try tensor(values, [3, 1]), to: [5, 3, 4])
        #expect(copies.shape == [5, 3, 4])
        #expect(
            try reference.reduce(copies, axes: [0, 2], .sum, keepDimensions: false).toArray() == values.map { 20 * $0 })
        #expect(try reference.reduce(copies, axes: [0, 2], .max, keepDimensions: true).toArray() == values)
        #expect(try reference.broadcast(try tensor([4], []), to: [2, 3]).toArray() == Array(repeating: 4, count: 6))
    }

    @Test("a transpose by hand, undone by its inverse, composed with another")
    func transposes() throws {
        #expect(
            try reference.transpose(try tensor([1, 2, 3, 4, 5, 6], [2, 3]), permutation: [1, 0]).toArray() == [
                1, 4, 2, 5, 3, 6,
            ])
        let x = try tensor((0..<120).map(Float.init), [2, 3, 4, 5])
        for permutation in [[0, 1, 2, 3], [3, 2, 1, 0], [1, 3, 0, 2], [2, 0, 3, 1]] {
            let inverse = (0..<4).map { axis in permutation.firstIndex(of: axis)! }
            let moved = try reference.transpose(x, permutation: permutation)
            #expect(moved.shape == Shape(permutation.map { x.shape[$0] }))
            #expect(try reference.transpose(moved, permutation: inverse).toArray() == x.toArray(), "\(permutation)")
            // Transposing by p, then by q, is transposing by p∘q: axis i of the result is axis p[q[i]] of x.
            let q = [2, 0, 3, 1]
            #expect(
                try reference.transpose(moved, permutation: q).toArray()
                    == reference.transpose(x, permutation: q.map { permutation[$0] }).toArray(),
                "\(permutation) then \(q)")
        }
    }

    @Test("concat then slice gives back the parts")
    func concatThenSlice() throws {
        var random = SplitMix64(name: "concat then slice")
        let extents = [1, 3, 0, 2]
        let parts = try extents.map { try tensor(random.floats(2 * $0 * 4), [2, $0, 4]) }
        let joined = try reference.concat(parts, axis: -2)
        #expect(joined.shape == [2, 6, 4])
        var start = 0
        for (part, extent) in zip(parts, extents) {
            #expect(try reference.slice(joined, axis: 1, range: start..<(start + extent)).toArray() == part.toArray())
            start += extent
        }
        #expect(
            try reference.concat([tensor([1, 2], [2, 1]), tensor([3, 4, 5, 6], [2, 2])], axis: 1).toArray() == [
                1, 3, 4, 2, 5, 6,
            ])
        #expect(try reference.slice(joined, axis: 0, range: 0..<2).toArray() == joined.toArray())
    }

    /// A 4×2 table read at ids 2, 0, 2, 3.5, −1, 4, NaN and 3 (the last five name no row but the last).
    @Test("row gathers and scatters by hand")
    func rowsByHand() throws {
        let table = try tensor([10, 11, 20, 21, 30, 31, 40, 41], [4, 2])
        let ids = try tensor([2, 0, 2, 3.5, -1, 4, .nan, 3], [2, 4])
        let gathered = try reference.gatherRows(table, indices: ids)
        #expect(gathered.shape == [2, 4, 2])
        #expect(try gathered.toArray() == [30, 31, 10, 11, 30, 31, 0, 0, 0, 0, 0, 0, 0, 0, 40, 41])
        let values = try tensor((1...16).map(Float.init), [2, 4, 2])
        let sums = try reference.scatterAddRows(values, indices: ids, rows: 5)
        #expect(sums.shape == [5, 2])
        // Row 0 gets position 1, row 2 positions 0 and 2, row 3 position 7, row 4 (a row of these five) position 5.
        #expect(try sums.toArray() == [3, 4, 0, 0, 6, 8, 15, 16, 11, 12])
        #expect(try reference.gatherRows(table, indices: tensor([1], [])).toArray() == [20, 21])
    }

    /// The scatter is the adjoint of the gather: ⟨gather(T, i), G⟩ = ⟨T, scatter(G, i)⟩ for every T and G.
    @Test("scatterAddRows is the adjoint of gatherRows")
    func scatterIsTheAdjointOfGather() throws {
        var random = SplitMix64(name: "row adjoint")
        let ids = (0..<30).map { _ in Float(Int(random.floats(1, 0, 9)[0].rounded(.down))) }
        let table = gridFloats(7 * 5, &random), gradient = gridFloats(30 * 5, &random)
        let gathered = try reference.gatherRows(try tensor(table, [7, 5]), indices: try tensor(ids, [3, 10]))
        let scattered = try reference.scatterAddRows(
            try tensor(gradient, [3, 10, 5]), indices: try tensor(ids, [3, 10]), rows: 7)
        let left = dot(try gathered.toArray(), gradient), right = dot(table, try scattered.toArray())
        #expect(abs(left - right) <= 1e-6 * absoluteDot(try gathered.toArray(), gradient))
        #expect(ids.contains { $0 >= 7 }, "some ids name no row")
    }

    /// Channel 0: (x − 1)/√(3 + 1)·2 + 0.5; channel 1: (x − 10)/√(15 + 1)·4 − 1.
    @Test("batch normalisation by hand")
    func batchNorm() throws {
        let x = try tensor([1, 3, 10, 20, 5, 7, 6, 14], [2, 2, 1, 2])
        let y = try reference.batchNorm(
            x, mean: tensor([1, 10], [2]), variance: tensor([3, 15], [2]), scale: tensor([2, 4], [2]),
            offset: tensor([0.5, -1], [2]), epsilon: 1)
        #expect(try y.toArray() == [0.5, 2.5, -1, 9, 4.5, 6.5, -5, 3])
    }

    @Test("memory: values come back as uploaded, fills fill, views reshape")
    func memory() throws {
        let special: [Float] = [0, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        #expect(try reference.download(tensor(special, [2, 3])).map(\.bitPattern) == special.map(\.bitPattern))
        #expect(try reference.filled([2, 0], value: 1).toArray() == [])
        #expect(try reference.filled([], value: 2.5).toArray() == [2.5])
        #expect(try tensor([1, 2, 3, 4, 5, 6], [2, 3]).reshaped([3, 2]).toArray() == [1, 2, 3, 4, 5, 6])
        #expect(throws: GlassboxError.self) { try reference.upload([1, 2, 3], shape: [2, 2]) }
    }

    @Test("refuses what the shape plans refuse")
    func refusals() throws {
        let x = try reference.filled([2, 3], value: 1)
        for axes in [[2], [-3]] {
            expectRefusal(
                as: { _ = try ShapeOperationPlans.Reduction(x.shape, axes: axes, keepDimensions: true) }, "axes \(axes)"
            ) {
                _ = try reference.reduce(x, axes: axes, .sum, keepDimensions: true)
            }
        }
        for (shapes, axis) in [
            ([[2, 3], [3, 3]], 1), ([[2, 3], [2, 3, 1]], 0), ([], 0), ([[2, 3], [2, 3]], 2),
        ] as [([Shape], Int)] {
            expectRefusal(
                as: { _ = try ShapeOperationPlans.concatenation(of: shapes, axis: axis) }, "concat of \(shapes)"
            ) {
                _ = try reference.concat(try shapes.map { try reference.filled($0, value: 1) }, axis: axis)
            }
        }
        for (axis, range) in [(1, 2..<4), (0, -1..<1), (2, 0..<1)] {
            expectRefusal(
                as: { _ = try ShapeOperationPlans.slice(of: x.shape, axis: axis, range: range) },
                "slice \(axis) \(range)"
            ) {
                _ = try reference.slice(x, axis: axis, range: range)
            }
        }
        for permutation in [[0], [0, 0], [1, 2]] {
            expectRefusal(
                as: { _ = try ShapeOperationPlans.transpose(of: x.shape, permutation: permutation) }, "\(permutation)"
            ) {
                _ = try reference.transpose(x, permutation: permutation)
            }
        }
        let good = try reference.filled([3], value: 1), bad = try reference.filled([2], value: 1)
        expectRefusal(
            as: { _ = try ShapeOperationPlans.batchNormChannels(x.shape, parameters: [[3], [3], [2], [3]]) }, "scale"
        ) {
            _ = try reference.batchNorm(x, mean: good, variance: good, scale: bad, offset: good, epsilon: 0)
        }
        for (table, ids) in [([3], [2]), ([2, 3, 1], [2])] as [(Shape, Shape)] {
            expectRefusal(
                as: { _ = try ShapeOperationPlans.RowIndexing(gathering: table, indices: ids) }, "gather \(table)"
            ) {
                _ = try reference.gatherRows(
                    try reference.filled(table, value: 1), indices: reference.filled(ids, value: 0))
            }
        }
        for (values, ids, rows) in [([2, 3], [3], 4), ([], [], 4), ([2, 3], [2], -1)] as [(Shape, Shape, Int)] {
            expectRefusal(
                as: { _ = try ShapeOperationPlans.RowIndexing(scattering: values, indices: ids, rows: rows) },
                "scatter \(values) at \(ids) to \(rows)"
            ) {
                _ = try reference.scatterAddRows(
                    try reference.filled(values, value: 1), indices: reference.filled(ids, value: 0), rows: rows)
            }
        }
        #expect(throws: GlassboxError.self) { try reference.broadcast(x, to: [3]) }
        #expect(throws: GlassboxError.self) { try reference.broadcast(x, to: [3, 2]) }
    }
}
