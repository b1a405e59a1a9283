import GlassboxCore
import Testing

@testable import GlassboxOpenCL

/// The backend knows its device's memory, and an allocation the device cannot
/// hold becomes a typed out-of-memory error that chunked work recovers from.
@Suite("OpenCL memory", .enabled(if: !openCLDevices.isEmpty, "no OpenCL device on this machine"))
struct MemoryTests {
    @Test func capacityIsTheDevicesGlobalMemory() throws {
        let backend = try OpenCLBackend.shared(deviceIndex: 0)
        #expect(backend.memoryCapacity == backend.device.globalMemory)
        #expect(backend.memoryCapacity > 0)
    }

    @Test func anAllocationBeyondTheDeviceLimitIsOutOfMemory() throws {
        let backend = try OpenCLBackend.shared(deviceIndex: 0)
        let tooMany = backend.device.maximumAllocation / MemoryLayout<Float>.size + 1
        #expect(throws: GlassboxError.self) { _ = try backend.makeOutput([tooMany]) }
        do {
            _ = try backend.makeOutput([tooMany])
        } catch GlassboxError.outOfMemory {
        } catch {
            Issue.record("expected an out-of-memory error, got \(error)")
        }
    }

    @Test func chunkedWorkShrinksUntilItFits() throws {
        let backend = try OpenCLBackend.shared(deviceIndex: 0)
        let floatsPerSample = backend.device.maximumAllocation / MemoryLayout<Float>.size / 4 + 1
        var chunks = [Int]()
        let used = try BatchChunking.forEachChunk(total: 6, maximumChunk: 6) { range in
            _ = try backend.makeOutput([range.count, floatsPerSample])
            chunks.append(range.count)
        }
        // 6 and 4 samples exceed the largest allocation; halving 6 gives 3, which fits.
        #expect(used == 3)
        #expect(chunks == [3, 3])
    }
}
