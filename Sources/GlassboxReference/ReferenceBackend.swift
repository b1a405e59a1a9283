import Foundation
import GlassboxCore

/// The oracle every backend is checked against: the whole `Backend` protocol as the
/// simplest correct loops over Swift arrays, slow on purpose and short enough to read
/// in one sitting (as tinygrad's `ops_python.py` is for tinygrad).
///
/// Each operation is written as its definition, not as an algorithm: a convolution is
/// the sum over its taps, a matrix product the sum over its inner index, sample
/// statistics the two-pass mean and sum of squared deviations. Sums accumulate in
/// Float64 and round once; elementwise operations compute in Float32 as their
/// definitions do. Random numbers are `Philox` draws taken one at a time. Shapes are
/// validated by the same plans (`GEMMPlan`, `ConvolutionPlan`, `PoolingPlan`,
/// `OcclusionPlan`, `SamplingPlans`, `PerturbationPlans`, `RISEMaskPlan`,
/// `ShapeOperationPlans`) every backend uses, so all backends accept and reject the
/// same calls. The fused operations are the compositions of `Backend+Fusions.swift`.
///
/// The conformance suite (`GlassboxConformance`) runs every operation on a candidate
/// backend and on this one and compares the results.
public final class ReferenceBackend: Backend {
    /// The shared instance; the backend holds no state.
    public static let shared = ReferenceBackend()

    /// A reference backend.
    public init() {}

    public var name: String { "reference" }

    public var memoryCapacity: Int { Int(clamping: ProcessInfo.processInfo.physicalMemory) }

    public func upload(_ values: [Float], shape: Shape) throws -> Tensor {
        guard values.count == shape.count else {
            throw GlassboxError.shapeMismatch("\(values.count) values for shape \(shape)")
        }
        return tensor(values, shape)
    }

    public func download(_ tensor: Tensor) throws -> [Float] { try values(of: tensor) }

    public func filled(_ shape: Shape, value: Float) throws -> Tensor {
        tensor(Array(repeating: value, count: shape.count), shape)
    }

    /// Operations run on the calling thread, so there is nothing to wait for.
    public func synchronize() throws {}

    /// The values of a tensor this backend owns.
    func values(of tensor: Tensor) throws -> [Float] {
        guard let buffer = tensor.buffer as? ReferenceBuffer else {
            throw GlassboxError.backend(
                "a tensor of backend '\(tensor.backend.name)' was passed to the reference backend")
        }
        return buffer.values
    }

    /// A tensor of this backend holding `values`.
    func tensor(_ values: [Float], _ shape: Shape) -> Tensor {
        Tensor(shape: shape, buffer: ReferenceBuffer(values), backend: self)
    }

    /// A tensor of `shape` whose element i is `value(i)`.
    func tensor(_ shape: Shape, _ value: (Int) throws -> Float) rethrows -> Tensor {
        tensor(try (0..<shape.count).map(value), shape)
    }

    /// Throws unless the tensors have one shape; `operation` names the call in the message.
    func checkSameShape(_ tensors: Tensor..., operation: String) throws {
        guard let first = tensors.first, tensors.allSatisfy({ $0.shape == first.shape }) else {
            throw GlassboxError.shapeMismatch(
                "\(operation) of \(tensors.map { "\($0.shape)" }.joined(separator: " and "))")
        }
    }
}

/// The values of a ``ReferenceBackend`` tensor: a Swift array, never changed once made.
final class ReferenceBuffer: DeviceBuffer {
    let values: [Float]

    var count: Int { values.count }

    init(_ values: [Float]) { self.values = values }
}

extension Shape {
    /// The multi-index of row-major offset `offset`.
    func coordinates(of offset: Int) -> [Int] {
        var remainder = offset
        var result = [Int](repeating: 0, count: rank)
        for axis in (0..<rank).reversed() where dimensions[axis] > 0 {
            result[axis] = remainder % dimensions[axis]
            remainder /= dimensions[axis]
        }
        return result
    }

    /// The row-major offset of the multi-index `coordinates`.
    func offset(of coordinates: [Int]) -> Int {
        zip(coordinates, dimensions).reduce(0) { $0 * $1.1 + $1.0 }
    }
}
