/// Host memory holding a tensor's values for the ``CPUBackend``, recycled through
/// the ``HostMemoryPool`` when released.
public final class CPUBuffer: DeviceBuffer, @unchecked Sendable {
    /// The values; written only while the buffer is being produced by an operation.
    public let storage: UnsafeMutableBufferPointer<Float>

    public var count: Int { storage.count }

    /// `count` floats, all zero.
    init(zeroed count: Int) {
        storage = UnsafeMutableBufferPointer(start: HostMemoryPool.shared.take(count), count: count)
        storage.initialize(repeating: 0)
    }

    /// A copy of `values`.
    init(copying values: some Collection<Float>) {
        storage = UnsafeMutableBufferPointer(start: HostMemoryPool.shared.take(values.count), count: values.count)
        _ = storage.initialize(from: values)
    }

    deinit { HostMemoryPool.shared.give(storage.baseAddress!, count: storage.count) }
}
