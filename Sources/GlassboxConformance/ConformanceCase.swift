import GlassboxCore

/// One check of the backend-conformance suite: a `Backend` operation on
/// fixed inputs, run on a candidate backend and on the reference and compared.
///
/// A case builds its inputs on the backend it is given from deterministic host values
/// (the same on every run and every machine), runs one operation and downloads its
/// result; operations that return several tensors concatenate them in a documented order
/// (`statistics(_:_:batch:_:)`). A *rejection* case passes when both backends refuse the
/// call with the same error: every backend accepts and rejects the same shapes.
public struct ConformanceCase: Sendable {
    /// What the candidate must do.
    public enum Expectation: Sendable, Equatable {
        /// Return the reference's values, agreeing as the ``Agreement`` says.
        case values(Agreement)
        /// Throw the error the reference throws.
        case rejection
    }

    /// A readable description of the operation and its arguments,
    /// e.g. "conv2dBackwardData 2×4×7×7 → 6 k3 s2 p(1,0,2,1) d1 g2".
    public let name: String
    /// The operation the case exercises.
    public let operation: BackendOperation
    /// What the candidate must do.
    public let expectation: Expectation
    /// Builds the inputs on a backend, runs the operation and downloads its result.
    public let run: @Sendable (any Backend) throws -> [Float]

    /// A case whose values must agree as `agreement` says (by default, as its operation's do).
    public init(
        name: String, operation: BackendOperation, agreement: Agreement? = nil,
        run: @escaping @Sendable (any Backend) throws -> [Float]
    ) {
        self.init(name: name, operation: operation, expectation: .values(agreement ?? operation.agreement), run: run)
    }

    /// A case with any expectation.
    public init(
        name: String, operation: BackendOperation, expectation: Expectation,
        run: @escaping @Sendable (any Backend) throws -> [Float]
    ) {
        self.name = name
        self.operation = operation
        self.expectation = expectation
        self.run = run
    }
}

extension ConformanceCase {
    /// A case whose operation returns one tensor of a known shape: a result of
    /// another shape fails the case with a `GlassboxError.shapeMismatch`.
    static func single(
        _ name: String, _ operation: BackendOperation, agreement: Agreement? = nil, shape: [Int],
        _ body: @escaping @Sendable (any Backend) throws -> Tensor
    ) -> ConformanceCase {
        let expected = Shape(shape)
        return ConformanceCase(name: name, operation: operation, agreement: agreement) { backend in
            let result = try body(backend)
            guard result.shape == expected else {
                throw GlassboxError.shapeMismatch("the result has shape \(result.shape), expected \(expected)")
            }
            return try backend.download(result)
        }
    }

    /// A case whose operation returns the `SampleStatistics` of a batch of
    /// shape `batch`: the mean, then the sum of squared deviations, each `(1, …)`. Other
    /// shapes or counts fail the case with a `GlassboxError.shapeMismatch`.
    static func statistics(
        _ name: String, _ operation: BackendOperation, batch: [Int],
        _ body: @escaping @Sendable (any Backend) throws -> SampleStatistics
    ) -> ConformanceCase {
        let expected = Shape([1] + batch.dropFirst())
        return ConformanceCase(name: name, operation: operation) { backend in
            let statistics = try body(backend)
            guard statistics.count == batch[0], statistics.mean.shape == expected,
                statistics.sumOfSquaredDeviations.shape == expected
            else {
                throw GlassboxError.shapeMismatch(
                    "statistics of \(statistics.count) samples, shapes \(statistics.mean.shape) "
                        + "and \(statistics.sumOfSquaredDeviations.shape); expected \(batch[0]) and \(expected)")
            }
            return try backend.download(statistics.mean) + backend.download(statistics.sumOfSquaredDeviations)
        }
    }

    /// A case that both backends must refuse with the same error.
    static func rejection(
        _ name: String, _ operation: BackendOperation,
        _ body: @escaping @Sendable (any Backend) throws -> Void
    ) -> ConformanceCase {
        ConformanceCase(name: name, operation: operation, expectation: .rejection) { backend in
            try body(backend)
            return []
        }
    }
}
