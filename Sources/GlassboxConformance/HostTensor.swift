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
