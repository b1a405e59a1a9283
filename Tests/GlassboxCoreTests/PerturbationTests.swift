import GlassboxConformance
import Testing

@testable import GlassboxCore

/// The CPU's perturbation batches by hand: every coalition of six features over background
/// rows (a batch split over the cores), packed token rows, RISE masks in closed form (one
/// cell; probabilities 0 and 1); and the arguments they refuse. Values over many shapes are
/// the conformance suite's (`Sources/GlassboxConformance/SamplingCases.swift`).
@Suite("Perturbations")
struct PerturbationTests {
    @Test("masked batch of every coalition over two fill rows: present features keep the input")
    func everyCoalition() throws {
        // Element e is feature e mod 6; mask n holds feature f when bit f of n is set; fill row r is −(r + 1).
        let size = 768, features = 6, coalitions = 64
        let masks = (0..<coalitions).flatMap { n in (0..<features).map { Float((n >> $0) & 1) } }
        let batch = try backend.maskedBatch(
            try makeTensor(Array(repeating: 1, count: size), [1, 3, 16, 16]),
            features: try makeTensor((0..<size).map { Float($0 % features) }, [16, 48]),
            fill: try makeTensor((0..<2 * size).map { -Float($0 / size + 1) }, [2, 3, 16, 16]),
            masks: try makeTensor(masks, [coalitions, features]))
        #expect(batch.shape == [2 * coalitions, 3, 16, 16])
        let expected = (0..<2 * coalitions * size).map { index -> Float in
            let (sample, e) = index.quotientAndRemainder(dividingBy: size)
            return ((sample / 2) >> (e % features)) & 1 == 1 ? 1 : -Float(sample % 2 + 1)
        }
        #expect(try batch.toArray() == expected)
    }

    @Test("packed rows keep the order of what is left")
    func packedRows() throws {
        let rows = try backend.packRows(
            try makeTensor([5, 1, 5, 5, 2, 3, 5, 5, 5, 5, 4, 5], [3, 4]), removing: 5, padding: 0)
        #expect(try rows.toArray() == [1, 0, 0, 0, 2, 3, 0, 0, 4, 0, 0, 0])
    }

    @Test("RISE masks of one cell are constant; probabilities 0 and 1 give zeros and ones")
    func riseClosedForms() throws {
        let stream = RandomStream(seed: 4, stream: 1)
        let masks = try backend.riseMasks(
            height: 5, width: 3, cells: 1, probability: 0.5, stream: stream, samples: 2..<6
        ).toArray()
        for n in 0..<4 {
            // Mask 2 + n reads its one cell at draw 3·(2 + n).
            let cell: Float = Philox.uniform(stream, index: UInt64(3 * (2 + n))) < 0.5 ? 1 : 0
            #expect(masks[(15 * n)..<(15 * (n + 1))].allSatisfy { $0 == cell })
        }
        #expect(Set(masks) == [0, 1])
        for probability: Float in [0, 1] {
            let constant = try backend.riseMasks(
                height: 9, width: 7, cells: 4, probability: probability, stream: stream, samples: 0..<3)
            #expect(try constant.toArray() == Array(repeating: probability, count: 189))
        }
    }

    @Test("perturbation errors throw")
    func errors() throws {
        let input = try backend.filled([1, 4], value: 1), features = try backend.filled([4], value: 0)
        let fill = try backend.filled([1, 4], value: 0), masks = try backend.filled([3, 2], value: 1)
        expectShapeMismatch("batch of two") {
            _ = try backend.maskedBatch(
                try backend.filled([2, 4], value: 1), features: features, fill: fill, masks: masks)
        }
        expectShapeMismatch("features of another size") {
            _ = try backend.maskedBatch(
                input, features: try backend.filled([5], value: 0), fill: fill, masks: masks)
        }
        expectShapeMismatch("fill rows of another size") {
            _ = try backend.maskedBatch(
                input, features: features, fill: try backend.filled([2, 3], value: 0), masks: masks)
        }
        expectShapeMismatch("masks of rank 1") {
            _ = try backend.maskedBatch(input, features: features, fill: fill, masks: try backend.filled([6], value: 1))
        }
        expectShapeMismatch("no features") {
            _ = try backend.maskedBatch(
                input, features: features, fill: fill, masks: try backend.filled([3, 0], value: 1))
        }
        expectShapeMismatch("no masks") {
            _ = try backend.maskedBatch(
                input, features: features, fill: fill, masks: try backend.filled([0, 2], value: 1))
        }
        expectShapeMismatch("packRows of a scalar") {
            _ = try backend.packRows(try backend.filled([], value: 0), removing: 0, padding: 0)
        }
        func rise(_ cells: Int, _ probability: Float, _ samples: Range<Int>, size: Int = 8) throws {
            _ = try backend.riseMasks(
                height: size, width: 8, cells: cells, probability: probability, stream: RandomStream(seed: 1),
                samples: samples)
        }
        expectInvalidArgument("no cells") { try rise(0, 0.5, 0..<2) }
        expectInvalidArgument("probability above 1") { try rise(2, 1.5, 0..<2) }
        expectInvalidArgument("NaN probability") { try rise(2, .nan, 0..<2) }
        expectInvalidArgument("no samples") { try rise(2, 0.5, 4..<4) }
        expectInvalidArgument("zero height") { try rise(2, 0.5, 0..<2, size: 0) }
    }
}
