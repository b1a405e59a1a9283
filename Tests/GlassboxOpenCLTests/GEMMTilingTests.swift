import GlassboxConformance
import GlassboxCore
import Testing

@testable import GlassboxOpenCL

@Suite("GEMM tiling per device")
struct GEMMTilingTests {
    @Test("a tiling fits only within the work-group size and half the local memory")
    func limits() {
        let tiling = GEMMTiling(group: 16, block: 4, depth: 16)
        #expect(tiling.tile == 64 && tiling.workGroupSize == 256)
        #expect(tiling.localMemoryBytes == 2 * 16 * 65 * 4)
        #expect(tiling.fits(maximumWorkGroupSize: 256, localMemory: 32 * 1024))
        #expect(!tiling.fits(maximumWorkGroupSize: 128, localMemory: 32 * 1024))
        #expect(!tiling.fits(maximumWorkGroupSize: 1024, localMemory: 16 * 1024))
    }

    @Test("overrides parse as group,block,depth; malformed ones are rejected")
    func parsing() {
        #expect(GEMMTiling.parse("8, 4,32") == GEMMTiling(group: 8, block: 4, depth: 32))
        for bad in ["", "8,4", "8,4,0", "8,4,-1", "a,b,c", "8,4,16,2", "8,4,65"] {
            #expect(GEMMTiling.parse(bad) == nil, "\(bad)")
        }
    }

    @Test(
        "each device gets a tiling within its limits; a bad override fails with a clear message",
        .enabled(if: !openCLDevices.isEmpty, "no OpenCL device on this machine"))
    func chosen() throws {
        for device in openCLDevices {
            let tiling = try GEMMTiling.chosen(for: device, environment: [:])
            #expect(tiling.fits(maximumWorkGroupSize: device.maximumWorkGroupSize, localMemory: device.localMemory))
            #expect(
                try GEMMTiling.chosen(for: device, environment: ["GLASSBOX_OPENCL_GEMM": "2,2,4"])
                    == GEMMTiling(group: 2, block: 2, depth: 4))
            #expect(throws: GlassboxError.self) {
                try GEMMTiling.chosen(for: device, environment: ["GLASSBOX_OPENCL_GEMM": "16x4"])
            }
            #expect(throws: GlassboxError.self) {
                try GEMMTiling.chosen(for: device, environment: ["GLASSBOX_OPENCL_GEMM": "64,64,64"])
            }
        }
    }

    /// CI has only PoCL, so every tiling a GPU could get is run here too, through the
    /// conformance suite's matrix products.
    @Test(
        "every candidate tiling computes the reference's products",
        .enabled(if: !openCLDevices.isEmpty, "no OpenCL device on this machine"),
        arguments: Set(GEMMTiling.gpuCandidates + GEMMTiling.cpuCandidates).sorted {
            ($0.group, $0.block, $0.depth) < ($1.group, $1.block, $1.depth)
        })
    func candidates(tiling: GEMMTiling) throws {
        let device = try #require(openCLDevices.first)
        guard tiling.fits(maximumWorkGroupSize: device.maximumWorkGroupSize, localMemory: device.localMemory) else {
            return
        }
        let report = ConformanceSuite.run(
            candidate: try OpenCLBackend(device: device, gemmTiling: tiling), filter: "gemm")
        #expect(report.results.count > 100)
        for failure in report.failures { Issue.record("\(tiling): \(failure)") }
    }
}
