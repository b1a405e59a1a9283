import GlassboxCore
import Testing

@testable import GlassboxOpenCL

/// Whether this machine has an OpenCL device; suites that need one are skipped (not passed) otherwise.
let openCLDevices: [OpenCLDevice] = (try? OpenCLDevice.all()) ?? []

@Suite("OpenCL backend basics", .enabled(if: !openCLDevices.isEmpty, "no OpenCL device on this machine"))
struct OpenCLSmokeTests {
    @Test func uploadDownloadAndFillRoundTrip() throws {
        let backend = try OpenCLBackend.shared(deviceIndex: 0)
        let values: [Float] = [1, -2.5, 3e-8, .infinity, 0]
        #expect(try backend.upload(values, shape: [5]).toArray() == values)
        #expect(try backend.filled([2, 3], value: 1.5).toArray() == Array(repeating: 1.5, count: 6))
        #expect(try backend.filled([0], value: 1).toArray().isEmpty)
    }

    @Test func aBrokenKernelReportsItsBuildLog() throws {
        let device = try #require(openCLDevices.first)
        let error = #expect(throws: GlassboxError.self) {
            _ = try OpenCLBackend(
                device: device,
                sources: ["broken.cl": "kernel void kernel_broken(global float *x) { x[0] = undeclared_name; }"])
        }
        #expect("\(error!)".contains("undeclared_name"))
        #expect("\(error!)".contains("build log"))
    }
}
