/// The dimensions of a ``Tensor``, outermost first (NCHW for image batches).
///
/// A shape of rank 0 describes a scalar and has one element.
public struct Shape: Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByArrayLiteral {
    /// The extent of each axis, outermost first.
    public var dimensions: [Int]

    /// Creates a shape from its dimensions; every dimension must be non-negative.
    public init(_ dimensions: [Int]) {
        precondition(dimensions.allSatisfy { $0 >= 0 }, "negative dimension in shape \(dimensions)")
        self.dimensions = dimensions
    }

    public init(arrayLiteral elements: Int...) { self.init(elements) }

    /// The number of axes.
    public var rank: Int { dimensions.count }

    /// The number of elements (the product of the dimensions).
    public var count: Int { dimensions.reduce(1, *) }

    /// The extent of axis `axis`; negative axes count from the end.
    public subscript(axis: Int) -> Int { dimensions[normalized(axis: axis)] }

    /// Maps a possibly negative axis to its index in ``dimensions``.
    public func normalized(axis: Int) -> Int {
        let index = axis < 0 ? axis + rank : axis
        precondition(index >= 0 && index < rank, "axis \(axis) out of range for shape \(self)")
        return index
    }

    /// The number of elements in one step along `axis` (row-major strides).
    public func stride(of axis: Int) -> Int {
        dimensions[(normalized(axis: axis) + 1)...].reduce(1, *)
    }

    /// The shape with the outermost (batch) axis replaced by `batch`.
    public func withBatch(_ batch: Int) -> Shape { Shape([batch] + dimensions.dropFirst()) }

    /// The shape without its outermost (batch) axis.
    public var sampleShape: Shape { Shape(Array(dimensions.dropFirst())) }

    public var description: String { "(" + dimensions.map(String.init).joined(separator: "×") + ")" }

    public init(from decoder: any Decoder) throws {
        let dimensions = try decoder.singleValueContainer().decode([Int].self)
        guard dimensions.allSatisfy({ $0 >= 0 }) else {
            throw GlassboxError.invalidArgument("negative dimension in shape \(dimensions)")
        }
        self.dimensions = dimensions
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(dimensions)
    }
}
