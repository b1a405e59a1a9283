import GlassboxCore

/// Samples of one shape with integer class labels, held on the host.
public struct LabeledSamples: Sendable {
    /// All samples' values, one after another in row-major order.
    public var values: [Float]
    public var labels: [Int]
    /// The shape of one sample (C×H×W for images).
    public var sampleShape: Shape

    public init(values: [Float], labels: [Int], sampleShape: Shape) throws {
        guard values.count == labels.count * sampleShape.count else {
            throw GlassboxError.shapeMismatch("\(values.count) values for \(labels.count) samples of \(sampleShape)")
        }
        self.values = values
        self.labels = labels
        self.sampleShape = sampleShape
    }

    public var count: Int { labels.count }

    /// The samples at `indices`, in that order.
    public func subset(_ indices: some Collection<Int>) throws -> LabeledSamples {
        let size = sampleShape.count
        return try LabeledSamples(
            values: indices.flatMap { values[($0 * size)..<(($0 + 1) * size)] }, labels: indices.map { labels[$0] },
            sampleShape: sampleShape)
    }

    /// A stratified split, as scikit-learn's `train_test_split(stratify=labels)`: of each
    /// class's n samples, round(`fraction`·n) — chosen by a Philox permutation of stream
    /// `0x5EED_0000 + class` under `seed` — are held out; both parts keep the samples' order.
    public func stratifiedSplit(holdingOut fraction: Double, seed: UInt64) throws -> (
        kept: LabeledSamples, heldOut: LabeledSamples
    ) {
        guard fraction > 0, fraction < 1 else {
            throw GlassboxError.invalidArgument("a held-out fraction must lie in (0, 1), got \(fraction)")
        }
        var held = Set<Int>()
        for label in Set(labels).sorted() {
            let members = labels.indices.filter { labels[$0] == label }
            let order = Philox.permutation(
                count: members.count,
                stream: RandomStream(seed: seed, stream: 0x5EED_0000 &+ UInt32(truncatingIfNeeded: label)))
            held.formUnion(order.prefix(Int((fraction * Double(members.count)).rounded())).map { members[$0] })
        }
        guard !held.isEmpty, held.count < count else {
            throw GlassboxError.invalidArgument(
                "holding out \(fraction) of \(count) samples leaves one part empty")
        }
        return (try subset(labels.indices.filter { !held.contains($0) }), try subset(held.sorted()))
    }

    /// The samples at `indices` as one batch tensor and their labels.
    public func batch(_ indices: some Collection<Int>, on backend: any Backend) throws -> (Tensor, [Int]) {
        let size = sampleShape.count
        var batch = [Float]()
        batch.reserveCapacity(indices.count * size)
        for index in indices { batch += values[(index * size)..<((index + 1) * size)] }
        return (
            try backend.upload(batch, shape: Shape([indices.count] + sampleShape.dimensions)),
            indices.map { labels[$0] }
        )
    }
}
