import Synchronization

/// Host memory holding a tensor's values for the ``CPUBackend``, recycled through
/// the `HostMemoryPool` when released.
public final class CPUBuffer: DeviceBuffer, @unchecked Sendable {
    /// The values; written only while the buffer is being produced by an operation.
    public let storage: UnsafeMutableBufferPointer<Float>

    public var count: Int { storage.count }

    /// Arrays computed from the values (a convolution's packed weights) by key, as
    /// (address, count); made once, kept while the buffer lives.
    private let derived = Mutex<[String: (address: UInt, count: Int)]>([:])

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

    /// The `count` floats that `make` writes from these values, made on the first
    /// request for `key` and reused after: the values do not change once produced,
    /// so a model's weights are, for instance, packed for the GEMM once, not once per pass.
    func derived(_ key: String, count: Int, _ make: (UnsafeMutablePointer<Float>) -> Void) -> UnsafePointer<Float> {
        let address = derived.withLock { cache -> UInt in
            if let entry = cache[key] { return entry.address }
            let values = HostMemoryPool.shared.take(count)
            make(values)
            cache[key] = (UInt(bitPattern: values), count)
            return UInt(bitPattern: values)
        }
        return UnsafePointer(bitPattern: address)!
    }

    deinit {
        for entry in derived.withLock({ $0.values }) {
            HostMemoryPool.shared.give(UnsafeMutablePointer(bitPattern: entry.address)!, count: entry.count)
        }
        HostMemoryPool.shared.give(storage.baseAddress!, count: storage.count)
    }
}
