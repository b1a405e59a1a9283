import Testing

@testable import GlassboxCore

@Suite("Host memory pool")
struct HostMemoryPoolTests {
    @Test("a given-back array is reused for the same length, never for another")
    func reuseByLength() {
        let pool = HostMemoryPool(retainedLimit: 1 << 20)
        let first = pool.take(1000)
        pool.give(first, count: 1000)
        let other = pool.take(999)
        #expect(other != first)
        let again = pool.take(1000)
        #expect(again == first)
        pool.give(other, count: 999)
        pool.give(again, count: 1000)
        pool.drain()
    }

    @Test("arrays beyond the retained limit are freed, not kept")
    func retainedLimit() {
        let pool = HostMemoryPool(retainedLimit: 4096)
        let small = pool.take(512), large = pool.take(2048)
        pool.give(small, count: 512)  // 2 KiB: kept
        pool.give(large, count: 2048)  // 8 KiB: over the limit, freed
        #expect(pool.take(512) == small)
        let fresh = pool.take(2048)
        pool.give(fresh, count: 2048)
        pool.drain()
    }

    @Test("tensors released by the CPU backend come back zeroed when reused")
    func recycledTensorsAreZeroed() throws {
        let backend = CPUBackend()
        do { _ = try backend.upload([Float](repeating: 7, count: 4099), shape: [4099]) }
        let zeros = try backend.filled([4099], value: 0)
        #expect(try zeros.toArray().allSatisfy { $0 == 0 })
    }

    @Test("a buffer makes each derived array once and returns it for the same key")
    func derivedArraysAreMadeOnce() throws {
        let backend = CPUBackend()
        let tensor = try backend.upload([1, 2, 3], shape: [3])
        let buffer = try backend.buffer(of: tensor)
        var made = 0
        let doubled = buffer.derived("doubled", count: 3) { target in
            made += 1
            for index in 0..<3 { target[index] = 2 * buffer.storage[index] }
        }
        let again = buffer.derived("doubled", count: 3) { _ in made += 1 }
        let other = buffer.derived("negated", count: 3) { target in
            made += 1
            for index in 0..<3 { target[index] = -buffer.storage[index] }
        }
        #expect(made == 2 && again == doubled && other != doubled)
        #expect(Array(UnsafeBufferPointer(start: doubled, count: 3)) == [2, 4, 6])
        #expect(Array(UnsafeBufferPointer(start: other, count: 3)) == [-1, -2, -3])
    }
}
