/// Host memory holding a tensor's values for the ``CPUBackend``.
public final class CPUBuffer: DeviceBuffer, @unchecked Sendable {
    /// The values; written only while the buffer is being produced by an operation.
    public let storage: UnsafeMutableBufferPointer<Float>

    public var count: Int { storage.count }

    /// Allocates `count` floats, all zero.
    init(zeroed count: Int) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: 0)
    }

    /// Allocates a copy of `values`.
    init(copying values: some Collection<Float>) {
        storage = .allocate(capacity: values.count)
        _ = storage.initialize(from: values)
    }

    deinit { storage.deallocate() }
}
