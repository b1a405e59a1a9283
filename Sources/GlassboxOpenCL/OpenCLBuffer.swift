import COpenCL
import GlassboxCore

/// A device buffer holding a tensor's float32 values; released when the last
/// tensor using it goes away.
public final class OpenCLBuffer: DeviceBuffer, @unchecked Sendable {
    let memory: cl_mem
    public let count: Int

    init(memory: cl_mem, count: Int) {
        self.memory = memory
        self.count = count
    }

    deinit { clReleaseMemObject(memory) }
}
