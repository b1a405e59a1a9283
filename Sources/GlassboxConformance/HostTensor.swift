import GlassboxCore

/// Host values and a shape: a case's input before it is uploaded to a backend.
struct HostTensor: Sendable {
    let shape: Shape
    let values: [Float]

    init(_ dimensions: [Int], _ values: [Float]) {
        precondition(values.count == Shape(dimensions).count, "\(values.count) values for \(dimensions)")
        shape = Shape(dimensions)
        self.values = values
    }

    /// The dimensions joined by "×" ("scalar" for rank 0), as used in case names.
    var label: String { shape.label }
}

extension Shape {
    /// The dimensions joined by "×" ("scalar" for rank 0), as used in case names.
    var label: String { rank == 0 ? "scalar" : dimensions.map(String.init).joined(separator: "×") }
}

extension Backend {
    /// Uploads a case's host input.
    func upload(_ host: HostTensor) throws -> Tensor { try upload(host.values, shape: host.shape) }
}

extension ConformanceCase {
    /// A case whose operation returns one tensor of a known shape: a result of
    /// another shape fails the case with a ``GlassboxError/shapeMismatch(_:)``.
    static func single(_ name: String, _ operation: String, tolerance: Double = Tolerance.elementwise,
                       exact: Bool = false, shape: [Int],
                       _ body: @escaping @Sendable (any Backend) throws -> Tensor) -> ConformanceCase {
        let expected = Shape(shape)
        return ConformanceCase(name: name, operation: operation, tolerance: tolerance, exact: exact) { backend in
            let result = try body(backend)
            guard result.shape == expected else {
                throw GlassboxError.shapeMismatch("the result has shape \(result.shape), expected \(expected)")
            }
            return try backend.download(result)
        }
    }

    /// A case whose operation returns the ``SampleStatistics`` of a batch of shape
    /// `batch`: the mean, then the sum of squared deviations, each `(1, …)`. Other
    /// shapes or counts fail the case with a ``GlassboxError/shapeMismatch(_:)``.
    static func statistics(_ name: String, _ operation: String, batch: [Int],
                           _ body: @escaping @Sendable (any Backend) throws -> SampleStatistics) -> ConformanceCase {
        let expected = Shape([1] + batch.dropFirst())
        return ConformanceCase(name: name, operation: operation, tolerance: Tolerance.accumulation) { backend in
            let statistics = try body(backend)
            guard statistics.count == batch[0], statistics.mean.shape == expected,
                  statistics.sumOfSquaredDeviations.shape == expected else {
                throw GlassboxError.shapeMismatch("statistics of \(statistics.count) samples, shapes \(statistics.mean.shape) "
                                                  + "and \(statistics.sumOfSquaredDeviations.shape); expected \(batch[0]) and \(expected)")
            }
            return try backend.download(statistics.mean) + backend.download(statistics.sumOfSquaredDeviations)
        }
    }
}
