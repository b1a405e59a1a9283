import Foundation
import GlassboxCore

/// The OpenCL C sources of the backend: the `.cl` files of the repository's
/// `Kernels/` folder, embedded at build time, or — for development — the files
/// of the folder named by the `GLASSBOX_KERNELS` environment variable, which
/// replace embedded files of the same name.
enum KernelSources {
    /// The environment variable naming a folder of `.cl` files to use instead of the embedded ones.
    static let overrideVariable = "GLASSBOX_KERNELS"

    /// Every kernel source by file name.
    static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [String: String] {
        var sources = [String: String]()
        for name in EmbeddedResources.files.keys where name.hasSuffix(".cl") {
            sources[name] = EmbeddedResources.text(named: name)
        }
        guard let folder = environment[overrideVariable], !folder.isEmpty else { return sources }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".cl") }
        } catch {
            throw GlassboxError.invalidFile(
                path: folder, reason: "\(overrideVariable) names a folder that cannot be read")
        }
        for name in names {
            let path = (folder as NSString).appendingPathComponent(name)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw GlassboxError.invalidFile(path: path, reason: "cannot read the kernel source")
            }
            sources[name] = text
        }
        return sources
    }

    /// One program text: `common.cl` (shared helpers: Philox, deterministic
    /// math, index arithmetic) first, then the other files in name order.
    static func program(from sources: [String: String]) -> String {
        let order = sources.keys.sorted { ($0 == "common.cl" ? "" : $0) < ($1 == "common.cl" ? "" : $1) }
        return order.map { "// ---- \($0)\n\(sources[$0]!)" }.joined(separator: "\n")
    }
}
