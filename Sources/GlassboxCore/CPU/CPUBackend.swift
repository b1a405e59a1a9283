import Foundation

/// The fast pure-Swift backend on the host: packed matrix products with an FMA
/// microkernel where the CPU has one, convolutions that read their patches in place,
/// every core for the heavy operations, and a pool of recycled host memory.
///
/// Like every backend it is checked, operation by operation, against the readable
/// `ReferenceBackend` by the conformance suite (`glassbox conformance --device cpu`).
public final class CPUBackend: Backend {
    /// The shared instance; the backend holds no state.
    public static let shared = CPUBackend()

    public init() {}

    public var name: String { "cpu" }

    public var memoryCapacity: Int { Int(clamping: ProcessInfo.processInfo.physicalMemory) }

    public func upload(_ values: [Float], shape: Shape) throws -> Tensor {
        guard values.count == shape.count else {
            throw GlassboxError.shapeMismatch("\(values.count) values for shape \(shape)")
        }
        return Tensor(shape: shape, buffer: CPUBuffer(copying: values), backend: self)
    }

    /// Operations run on the calling thread, so there is nothing to wait for.
    public func synchronize() throws {}

    public func download(_ tensor: Tensor) throws -> [Float] {
        Array(try storage(of: tensor))
    }

    public func filled(_ shape: Shape, value: Float) throws -> Tensor {
        let buffer = CPUBuffer(zeroed: shape.count)
        if value != 0 { buffer.storage.update(repeating: value) }
        return Tensor(shape: shape, buffer: buffer, backend: self)
    }

    /// Frees the host memory kept for reuse by released tensors and packing buffers
    /// (at most 1 GiB, kept so repeated passes reuse warm pages), e.g. before measuring peak memory.
    public func releaseCachedMemory() {
        HostMemoryPool.shared.drain()
    }

    /// The host values of a tensor owned by this backend.
    func storage(of tensor: Tensor) throws -> UnsafeMutableBufferPointer<Float> {
        try buffer(of: tensor).storage
    }

    /// The host buffer of a tensor owned by this backend.
    func buffer(of tensor: Tensor) throws -> CPUBuffer {
        guard let buffer = tensor.buffer as? CPUBuffer else {
            throw GlassboxError.backend("a tensor of backend '\(tensor.backend.name)' was passed to the CPU backend")
        }
        return buffer
    }

    /// A new zero tensor and its storage, for an operation to fill.
    func makeOutput(_ shape: Shape) -> (Tensor, UnsafeMutableBufferPointer<Float>) {
        let buffer = CPUBuffer(zeroed: shape.count)
        return (Tensor(shape: shape, buffer: buffer, backend: self), buffer.storage)
    }

    /// Applies `transform` to every element of `x` into a new tensor.
    func map(_ x: Tensor, _ transform: (Float) -> Float) throws -> Tensor {
        let input = try storage(of: x)
        let (result, output) = makeOutput(x.shape)
        for index in 0..<input.count { output[index] = transform(input[index]) }
        return result
    }

    /// Combines two equal-shaped tensors element by element into a new tensor.
    func zip(_ a: Tensor, _ b: Tensor, _ combine: (Float, Float) -> Float) throws -> Tensor {
        guard a.shape == b.shape else {
            throw GlassboxError.shapeMismatch("elementwise operation on \(a.shape) and \(b.shape)")
        }
        let left = try storage(of: a), right = try storage(of: b)
        let (result, output) = makeOutput(a.shape)
        for index in 0..<left.count { output[index] = combine(left[index], right[index]) }
        return result
    }
}
