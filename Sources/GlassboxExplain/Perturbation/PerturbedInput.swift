import GlassboxCore
import GlassboxNN

/// One input made ready for the perturbation methods: its features, and on the device the
/// feature numbers and the rows absent features take. Copies of it for any coalitions of features
/// are then made on the device from a mask matrix (`Backend.maskedBatch(_:features:fill:masks:)`),
/// and the model's outputs over them come back as one number per coalition.
public struct PerturbedInput: Sendable {
    /// The input, one sample (1, …).
    public let input: Tensor
    /// Its interpretable features.
    public let mask: FeatureMask
    /// What absent features become.
    public let absence: Absence
    /// The feature number of each element, on the device.
    let features: Tensor
    /// The rows absent features take (R, …), on the device.
    let fill: Tensor

    /// Sample `index` of a batch being explained, `input` (1, …), with features `mask` whose
    /// absence is `absence`.
    public init(_ input: Tensor, index: Int = 0, mask: FeatureMask, absence: Absence) throws {
        guard input.shape.rank >= 2, input.shape[0] == 1 else {
            throw GlassboxError.shapeMismatch("a perturbed input is one sample (1, …), got \(input.shape)")
        }
        guard mask.elementFeatures.count == input.count else {
            throw GlassboxError.shapeMismatch(
                "the feature mask covers \(mask.elementFeatures.count) elements, the input has \(input.count)")
        }
        self.input = input
        self.mask = mask
        self.absence = absence
        features = try mask.upload(to: input.backend, shape: input.shape)
        fill = try absence.fill(for: input, index: index, mask: mask)
    }

    /// How many rows absent features take in turn (a background set's size, else 1).
    public var fillRows: Int { fill.shape[0] }

    /// The copies for the coalitions `masks` (n×F on the device, nonzero = present), each with
    /// fill rows `rows`: (n·rows.count, …), copy `i·rows.count + j` for coalition i and row j.
    func copies(_ masks: Tensor, rows: Range<Int>? = nil) throws -> Tensor {
        let backend = input.backend
        let fillRows = try rows.map { try backend.slice(fill, axis: 0, range: $0) } ?? fill
        let copies = try backend.maskedBatch(input, features: features, fill: fillRows, masks: masks)
        guard let padding = absence.packingPadding else { return copies }
        return try backend.packRows(copies, removing: Absence.removedMark, padding: padding)
    }

    /// The model's output at `target` (as `pass` explains it) for each coalition of `masks`
    /// (N×F on the device), averaged over the fill rows; the copies run in chunks of `pass`.
    func values(of masks: Tensor, target: Int, pass: TargetPass) throws -> [Double] {
        let backend = input.backend, rows = fillRows, count = masks.shape[0]
        guard masks.shape.rank == 2, masks.shape[1] == mask.count else {
            throw GlassboxError.shapeMismatch(
                "coalitions \(masks.shape) do not have one column per feature (\(mask.count))")
        }
        var sums = [Double](repeating: 0, count: count)
        try pass.run(
            total: count * rows, target: { _ in target },
            makeBatch: { range in
                if rows == 1 { return try copies(try backend.slice(masks, axis: 0, range: range)) }
                let coalitions = (range.lowerBound / rows)...((range.upperBound - 1) / rows)
                return try coalitions.map { coalition in
                    let start = max(range.lowerBound - coalition * rows, 0)
                    let end = min(range.upperBound - coalition * rows, rows)
                    return try copies(
                        try backend.slice(masks, axis: 0, range: coalition..<(coalition + 1)), rows: start..<end)
                }.joinedAlongBatch()
            }
        ) { chunk in
            for (sample, score) in zip(chunk.range, chunk.scores) { sums[sample / rows] += Double(score) }
        }
        return sums.map { $0 / Double(rows) }
    }

    /// The model's output at `target` for the `count` coalitions `masks` (count × F, row-major, 0 or 1).
    func values(of masks: [Float], count: Int, target: Int, pass: TargetPass) throws -> [Double] {
        try values(count: count, target: target, pass: pass) {
            Array(masks[($0.lowerBound * mask.count)..<($0.upperBound * mask.count)])
        }
    }

    /// The model's output at `target` for `count` coalitions whose masks (rows × F, row-major, 0
    /// or 1) `masks` makes on the host for a range of coalition numbers; the masks are made and
    /// uploaded a block at a time, so 2^20 coalitions are never held at once.
    func values(count: Int, target: Int, pass: TargetPass, masks: (Range<Int>) throws -> [Float]) throws -> [Double] {
        var values = [Double]()
        values.reserveCapacity(count)
        for start in stride(from: 0, to: count, by: Self.maskBlock) {
            let range = start..<min(start + Self.maskBlock, count)
            let block = try input.backend.upload(try masks(range), shape: [range.count, mask.count])
            values += try self.values(of: block, target: target, pass: pass)
        }
        return values
    }

    /// The most coalitions whose masks are made and uploaded at once (the device batches within a
    /// block are sized by the pass).
    static let maskBlock = 1 << 14

    /// Which features can change the input: those with an element whose fill differs from the
    /// input's value in some fill row (shap's `varying_groups`); every word when words are removed.
    func varyingFeatures() throws -> [Int] {
        if absence.packingPadding != nil { return Array(0..<mask.count) }
        let values = try input.toArray(), rows = try fill.toArray()
        var varies = [Bool](repeating: false, count: mask.count)
        for (element, feature) in mask.elementFeatures.enumerated() where feature != FeatureMask.unperturbed {
            if !varies[feature],
                stride(from: element, to: rows.count, by: values.count).contains(where: { rows[$0] != values[element] })
            {
                varies[feature] = true
            }
        }
        return varies.indices.filter { varies[$0] }
    }
}
