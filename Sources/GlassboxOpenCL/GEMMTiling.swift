import Foundation
import GlassboxCore

/// The blocking of `kernel_gemm` (`Kernels/gemm.cl`) on one device: work-groups
/// of `group × group` work items, each holding a `block × block` piece of C in
/// registers, so a work-group computes a `tile × tile` tile of C from depth slices
/// of `depth` staged in local memory (Volkov & Demmel 2008, "Benchmarking GPUs to
/// tune dense linear algebra"; the register blocking of CLBlast's xgemm, Nugteren 2018).
///
/// ``chosen(for:environment:)`` takes the first candidate the device's queried limits admit:
/// work-group size, local memory (a staged pair of slices may use at most half of
/// it, leaving room for a second resident work-group), and for CPU devices such
/// as PoCL smaller groups with more work per item, since a CPU runs a group's work
/// items as loops over SIMD lanes. `GLASSBOX_OPENCL_GEMM=group,block,depth`
/// overrides the choice, for tuning on a new device.
public struct GEMMTiling: Sendable, Hashable, CustomStringConvertible {
    /// Work items along each side of a work-group.
    public let group: Int
    /// Rows and columns of C each work item accumulates.
    public let block: Int
    /// Depth of one staged slice of A and B.
    public let depth: Int

    /// Rows and columns of C per work-group.
    public var tile: Int { group * block }
    /// Work items per work-group.
    public var workGroupSize: Int { group * group }
    /// Local memory the two staged slices take (rows padded by one against bank conflicts).
    public var localMemoryBytes: Int { 2 * depth * (tile + 1) * MemoryLayout<Float>.size }
    /// The `-D` options that set the kernel's macros.
    var buildOptions: String { "-D GEMM_GROUP=\(group) -D GEMM_BLOCK=\(block) -D GEMM_DEPTH=\(depth)" }

    public var description: String {
        "\(group)×\(group) work items × \(block)×\(block) each (tile \(tile)), depth \(depth)"
    }

    public init(group: Int, block: Int, depth: Int) {
        (self.group, self.block, self.depth) = (group, block, depth)
    }

    /// Whether a device with these limits can run this tiling.
    func fits(maximumWorkGroupSize: Int, localMemory: Int) -> Bool {
        workGroupSize <= maximumWorkGroupSize && localMemoryBytes <= localMemory / 2
    }

    /// Candidates in order of preference for GPUs: 64×64 tiles of 16×16 work items
    /// with 4×4 each (untested on a GPU so far: no GPU was lent), then smaller.
    static let gpuCandidates = [
        GEMMTiling(group: 16, block: 4, depth: 16), GEMMTiling(group: 8, block: 4, depth: 16),
        GEMMTiling(group: 4, block: 2, depth: 8), GEMMTiling(group: 1, block: 1, depth: 1),
    ]
    /// Candidates for CPU devices. With PoCL on 2 cores, 4×4 work items of 16×16 each
    /// with depth 32 ran GEMM 1024 at 27 GFLOP/s, against 20 for 4×4 × 8×8 and 8–10
    /// for the 16×16 × 4×4 GPU tiling (the sweep is in BENCHMARKS.md).
    static let cpuCandidates = [
        GEMMTiling(group: 4, block: 16, depth: 32), GEMMTiling(group: 4, block: 8, depth: 16),
        GEMMTiling(group: 1, block: 1, depth: 1),
    ]

    /// The tiling for `device`: the override in `GLASSBOX_OPENCL_GEMM`, else the
    /// first candidate for the device's type that its limits admit. Throws
    /// `GlassboxError.invalidArgument(_:)` for an override that is malformed or
    /// beyond the device's limits.
    public static func chosen(
        for device: OpenCLDevice,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> GEMMTiling {
        let fits = { (tiling: GEMMTiling) in
            tiling.fits(maximumWorkGroupSize: device.maximumWorkGroupSize, localMemory: device.localMemory)
        }
        if let text = environment["GLASSBOX_OPENCL_GEMM"] {
            guard let override = parse(text) else {
                throw GlassboxError.invalidArgument(
                    "GLASSBOX_OPENCL_GEMM='\(text)' is not three positive numbers group,block,depth up to 64")
            }
            guard fits(override) else {
                throw GlassboxError.invalidArgument(
                    "GLASSBOX_OPENCL_GEMM=\(text) needs \(override.workGroupSize) work items and "
                        + "\(override.localMemoryBytes) bytes of local memory; \(device.name) allows \(device.maximumWorkGroupSize) "
                        + "and half of \(device.localMemory)")
            }
            return override
        }
        let candidates = device.isGPU ? gpuCandidates : cpuCandidates
        return candidates.first(where: fits) ?? GEMMTiling(group: 1, block: 1, depth: 1)
    }

    /// "group,block,depth" with every part positive, else nil.
    static func parse(_ text: String) -> GEMMTiling? {
        let parts = text.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, parts.allSatisfy({ $0 > 0 && $0 <= 64 }) else { return nil }
        return GEMMTiling(group: parts[0], block: parts[1], depth: parts[2])
    }
}
