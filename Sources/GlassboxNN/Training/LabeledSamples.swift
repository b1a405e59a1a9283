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
