import GlassboxConformance
import GlassboxCore
import GlassboxReference
import Testing

/// The reference perturbation batches by means independent of its loops: masked batches
/// and packed rows computed by hand; RISE masks against scikit-image's `resize` (values
/// recorded from Python, for grids and shifts read from the Philox draws here), masks of
/// one cell and of probability 0 and 1 in closed form, and chunks; and the refusals of
/// ``PerturbationPlans`` and ``RISEMaskPlan``.
@Suite("Reference perturbations")
struct PerturbationReferenceTests {
    @Test("masked batch by hand: features switched off per mask row and fill row")
    func maskedBatch() throws {
        // Features 0 and 1; −1, 2 (= F), 0.5 and NaN never switch off; −0 is feature 0.
        let features: [Float] = [0, 1, 1, -1, 2, 0.5, .nan, -0.0]
        let fill: [Float] = [-1, -2, -3, -4, -5, -6, -7, -8, 10, 20, 30, 40, 50, 60, 70, 80]
        // Mask row 0: feature 0 present, feature 1 absent (−0); row 1: feature 0 absent, feature 1 present (NaN).
        let batch = try reference.maskedBatch(
            try tensor([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 4]), features: try tensor(features, [8]),
            fill: try tensor(fill, [2, 2, 4]), masks: try tensor([1, -0.0, 0, .nan], [2, 2]))
        #expect(batch.shape == [4, 2, 4])
        #expect(
            try batch.toArray() == [
                1, -2, -3, 4, 5, 6, 7, 8,  // mask 0, fill row 0
                1, 20, 30, 4, 5, 6, 7, 8,  // mask 0, fill row 1
                -1, 2, 3, 4, 5, 6, 7, -8,  // mask 1, fill row 0
                10, 2, 3, 4, 5, 6, 7, 80,  // mask 1, fill row 1
            ])
    }

    @Test("packed rows by hand: removed elements taken out, the rest in order, padding at the end")
    func packRows() throws {
        let rows = try reference.packRows(
            try tensor([3, 0, 4, 0, 5, 0, 0, 0, 0, 0], [2, 5]), removing: 0, padding: -1)
        #expect(rows.shape == [2, 5])
        #expect(try rows.toArray() == [3, 4, 5, -1, -1, -1, -1, -1, -1, -1])
        let one = try reference.packRows(try tensor([7, 1, 7, 2], [4]), removing: 7, padding: 0)
        #expect(try one.toArray() == [1, 2, 0, 0])
        // −0 equals 0; each row of the last axis is packed on its own.
        let signed = try reference.packRows(try tensor([-0.0, 1, 0, 2, 2, 3], [1, 2, 3]), removing: 0, padding: 9)
        #expect(signed.shape == [1, 2, 3])
        #expect(try signed.toArray() == [1, 9, 9, 2, 2, 3])
        // A NaN value equals nothing, so nothing is removed.
        #expect(try reference.packRows(try tensor([1, 2, 3], [3]), removing: .nan, padding: 0).toArray() == [1, 2, 3])
    }

    /// The grid and the row and column shifts of RISE mask n read from Philox draws
    /// `offset + n·(cells² + 2) + k`, as the operation's definition states them.
    static func gridAndShifts(
        _ stream: RandomStream, mask n: Int, cells: Int, probability: Float, cellHeight: Int, cellWidth: Int
    ) -> (grid: [[Int]], rowShift: Int, columnShift: Int) {
        let draws = (0..<cells * cells + 2).map {
            Double(Philox.uniform(stream, index: UInt64(n * (cells * cells + 2) + $0)))
        }
        let grid = (0..<cells).map { i in (0..<cells).map { j in draws[i * cells + j] < Double(probability) ? 1 : 0 } }
        return (grid, Int(draws[cells * cells] * Double(cellHeight)), Int(draws[cells * cells + 1] * Double(cellWidth)))
    }

    @Test("RISE masks equal scikit-image's resize of their grid, cut at their shift (dyadic coordinates)")
    func riseMasksDyadic() throws {
        // 7×5 masks of 3×3 cells: cells 3×2 pixels, upsampled to 12×8, where every coordinate
        // and weight is a multiple of 1/128, so float32 meets scikit-image's Float64 exactly.
        let stream = RandomStream(seed: 2018)
        let cuts = (0..<2).map {
            Self.gridAndShifts(stream, mask: $0, cells: 3, probability: 0.5, cellHeight: 3, cellWidth: 2)
        }
        #expect(
            cuts[0].grid == [[0, 0, 1], [0, 0, 1], [1, 0, 0]] && cuts[0].rowShift == 0 && cuts[0].columnShift == 1)
        #expect(
            cuts[1].grid == [[0, 0, 0], [0, 0, 1], [0, 1, 1]] && cuts[1].rowShift == 2 && cuts[1].columnShift == 1)
        // python3 -c "import numpy as np; from skimage.transform import resize;
        //   g=[[0,0,1],[0,0,1],[1,0,0]],[[0,0,0],[0,0,1],[0,1,1]]; s=[(0,1),(2,1)];
        //   print([(resize(np.array(x,np.float32),(12,8),order=1,mode='reflect',anti_aliasing=False)
        //   [a:a+7,b:b+5]*128).tolist() for x,(a,b) in zip(g,s)])"   (scikit-image 0.26.0, scipy 1.17.1)
        let scikitImage: [Float] = [
            0, 0, 0, 24, 72, 0, 0, 0, 24, 72, 0, 0, 0, 24, 72, 0, 0, 0, 24, 72, 0, 0, 0, 24, 72, 0, 0, 0, 24, 72,
            15, 9, 3, 21, 63,
            0, 0, 0, 3, 9, 0, 0, 0, 9, 27, 0, 0, 0, 15, 45, 0, 0, 0, 21, 63, 1, 7, 13, 37, 79, 3, 21, 39, 63, 93,
            5, 35, 65, 89, 107,
        ]
        let masks = try reference.riseMasks(
            height: 7, width: 5, cells: 3, probability: 0.5, stream: stream, samples: 0..<2)
        #expect(masks.shape == [2, 1, 7, 5])
        #expect(try masks.toArray() == scikitImage.map { $0 / 128 })
    }

    @Test("RISE masks equal scikit-image's resize within a float32 rounding, mirrored at both ends")
    func riseMasksMirrored() throws {
        // 5×4 masks of 2×2 cells: cells 3×2 pixels, upsampled to 9×6 (coordinates in ninths and thirds);
        // mask 1 of a stream starting at draw 5, made alone as a chunk.
        let stream = RandomStream(seed: 7, stream: 1, offset: 5)
        let cut = Self.gridAndShifts(stream, mask: 1, cells: 2, probability: 0.5, cellHeight: 3, cellWidth: 2)
        #expect(cut.grid == [[0, 1], [1, 1]] && cut.rowShift == 1 && cut.columnShift == 0)
        // python3 -c "import numpy as np; from skimage.transform import resize;
        //   print(resize(np.array([[0,1],[1,1]],np.float32),(9,6),order=1,mode='reflect',
        //   anti_aliasing=False)[1:6,0:4].tolist())"   (scikit-image 0.26.0, scipy 1.17.1)
        let scikitImage: [Float] = [
            0.4444444477558136, 0.1666666716337204, 0.4444444477558136, 0.7222222089767456,
            0.37037035822868347, 0.0555555559694767, 0.37037035822868347, 0.6851851940155029,
            0.5185185074806213, 0.2777777910232544, 0.5185185074806213, 0.7592592835426331,
            0.6666666865348816, 0.5, 0.6666666865348816, 0.8333333134651184,
            0.8148148059844971, 0.7222222089767456, 0.8148148059844971, 0.9074074029922485,
        ]
        let mask = try reference.riseMasks(
            height: 5, width: 4, cells: 2, probability: 0.5, stream: stream, samples: 1..<2)
        #expect(mask.shape == [1, 1, 5, 4])
        for (value, expected) in zip(try mask.toArray(), scikitImage) {
            #expect(abs(value - expected) <= 2e-7, "\(value) against scikit-image's \(expected)")
        }
    }

    @Test("RISE masks of one cell are constant, probabilities 0 and 1 give zeros and ones, chunks equal the batch")
    func riseMasksClosedForms() throws {
        let stream = RandomStream(seed: 11, stream: 2, offset: 1)
        let single = try reference.riseMasks(
            height: 6, width: 9, cells: 1, probability: 0.5, stream: stream, samples: 0..<8
        ).toArray()
        for n in 0..<8 {
            // Mask n reads draws 3n (its one cell), 3n + 1 and 3n + 2 (the shifts, which change nothing).
            let cell: Float = Philox.uniform(stream, index: UInt64(3 * n)) < 0.5 ? 1 : 0
            #expect(single[(54 * n)..<(54 * (n + 1))].allSatisfy { $0 == cell }, "mask \(n)")
        }
        #expect(Set(single) == [0, 1])
        for probability: Float in [0, 1] {
            let masks = try reference.riseMasks(
                height: 8, width: 8, cells: 3, probability: probability, stream: stream, samples: 0..<4)
            #expect(try masks.toArray() == Array(repeating: probability, count: 256))
        }
        let whole = try reference.riseMasks(
            height: 10, width: 7, cells: 4, probability: 0.3, stream: stream, samples: 0..<5
        ).toArray()
        let chunk = try reference.riseMasks(
            height: 10, width: 7, cells: 4, probability: 0.3, stream: stream, samples: 2..<5
        ).toArray()
        #expect(chunk == Array(whole[140...]))
    }

    @Test("refuses what the perturbation plans refuse")
    func refusals() throws {
        // (input, features, fill, masks)
        let shapes: [(Shape, Shape, Shape, Shape)] = [
            ([2, 3], [3], [1, 3], [2, 2]), ([], [1], [1], [2, 2]), ([1, 0], [0], [1, 0], [2, 2]),
            ([1, 3], [4], [1, 3], [2, 2]), ([1, 3], [3], [2, 4], [2, 2]), ([1, 3], [3], [0, 3], [2, 2]),
            ([1, 3], [3], [1, 3], [4]), ([1, 3], [3], [1, 3], [2, 0]), ([1, 3], [3], [1, 3], [0, 2]),
        ]
        for (input, features, fill, masks) in shapes {
            expectRefusal(
                as: {
                    _ = try PerturbationPlans.maskedBatchShape(
                        input: input, features: features, fill: fill, masks: masks)
                }, "maskedBatch of \(input), \(features), \(fill), \(masks)"
            ) {
                _ = try reference.maskedBatch(
                    reference.filled(input, value: 1), features: reference.filled(features, value: 0),
                    fill: reference.filled(fill, value: 0), masks: reference.filled(masks, value: 1))
            }
        }
        expectRefusal(as: { _ = try PerturbationPlans.packedRowLength([]) }, "packRows of a scalar") {
            _ = try reference.packRows(reference.filled([], value: 0), removing: 0, padding: 0)
        }
        // (height, width, cells, probability, samples)
        let arguments: [(Int, Int, Int, Float, Range<Int>)] = [
            (8, 8, 0, 0.5, 0..<2), (8, 8, 2, -0.1, 0..<2), (8, 8, 2, 1.1, 0..<2), (8, 8, 2, .nan, 0..<2),
            (8, 8, 2, 0.5, 3..<3), (8, 8, 2, 0.5, -1..<2), (0, 8, 2, 0.5, 0..<2), (8, -1, 2, 0.5, 0..<2),
        ]
        for (height, width, cells, probability, samples) in arguments {
            expectRefusal(
                as: {
                    _ = try RISEMaskPlan(
                        height: height, width: width, cells: cells, probability: probability, samples: samples)
                }, "riseMasks \(height)×\(width) \(cells) cells p\(probability) \(samples)"
            ) {
                _ = try reference.riseMasks(
                    height: height, width: width, cells: cells, probability: probability,
                    stream: RandomStream(seed: 1), samples: samples)
            }
        }
    }
}
