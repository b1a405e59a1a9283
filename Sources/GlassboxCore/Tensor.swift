/// A float32 array of any rank that lives on a ``Backend``.
///
/// Tensors are values: operations return new tensors and never change their
/// arguments. Reshaping shares the buffer, since the layout is always
/// row-major (C order).
public struct Tensor: Sendable {
    /// The dimensions of the tensor.
    public let shape: Shape
    /// The backend-specific storage holding `shape.count` floats.
    public let buffer: any DeviceBuffer
    /// The backend that owns ``buffer`` and runs operations on it.
    public let backend: any Backend

    /// Wraps a buffer the backend created; used by backend implementations.
    public init(shape: Shape, buffer: any DeviceBuffer, backend: any Backend) {
        precondition(buffer.count == shape.count, "buffer of \(buffer.count) floats for shape \(shape)")
        self.shape = shape
        self.buffer = buffer
        self.backend = backend
    }

    /// The number of elements.
    public var count: Int { shape.count }

    /// Copies the values to the host, in row-major order.
    public func toArray() throws -> [Float] { try backend.download(self) }

    /// The same values viewed with another shape of the same element count.
    public func reshaped(_ newShape: Shape) throws -> Tensor {
        guard newShape.count == shape.count else {
            throw GlassboxError.shapeMismatch("cannot reshape \(shape) to \(newShape)")
        }
        return Tensor(shape: newShape, buffer: buffer, backend: backend)
    }
}

/// Storage for a tensor's values on one backend (host memory, a device buffer).
public protocol DeviceBuffer: AnyObject, Sendable {
    /// The number of float32 values the buffer holds.
    var count: Int { get }
}
