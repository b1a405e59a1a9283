import ArgumentParser
import Foundation
import GlassboxCore
import GlassboxOpenCL

/// The `--device` option every computing command takes.
struct DeviceOptions: ParsableArguments {
    @Option(
        help:
            "Compute device: auto (the first OpenCL GPU, else the CPU), cpu, opencl (the first OpenCL GPU, else the first OpenCL device) or opencl:N (device N of `glassbox devices`)."
    )
    var device: DeviceChoice = .auto

    /// The backend the choice names.
    func backend() throws -> any Backend {
        try device.backend()
    }
}

/// The devices `--device` accepts.
enum DeviceChoice: ExpressibleByArgument, Equatable {
    case auto
    case cpu
    /// An OpenCL device by index, or the preferred one when nil.
    case opencl(Int?)

    init?(argument: String) {
        switch argument {
        case "auto": self = .auto
        case "cpu": self = .cpu
        case "opencl": self = .opencl(nil)
        default:
            guard argument.hasPrefix("opencl:"), let index = Int(argument.dropFirst("opencl:".count)), index >= 0 else {
                return nil
            }
            self = .opencl(index)
        }
    }

    static var allValueStrings: [String] { ["auto", "cpu", "opencl", "opencl:N"] }

    /// Resolves the choice. `auto` falls back to the CPU with a one-line notice
    /// on standard error when OpenCL is absent or fails; an explicit OpenCL
    /// choice fails with the reason instead.
    func backend() throws -> any Backend {
        switch self {
        case .cpu:
            return CPUBackend.shared
        case .opencl(let index):
            return try OpenCLBackend.shared(deviceIndex: index ?? Self.preferredOpenCLIndex(in: try OpenCLDevice.all()))
        case .auto:
            do {
                guard let gpu = try OpenCLDevice.all().first(where: \.isGPU) else { return CPUBackend.shared }
                return try OpenCLBackend.shared(deviceIndex: gpu.index)
            } catch {
                FileHandle.standardError.write(
                    Data("glassbox: OpenCL unavailable (\(error)); using the CPU backend\n".utf8))
                return CPUBackend.shared
            }
        }
    }

    /// The first GPU, else the first device.
    static func preferredOpenCLIndex(in devices: [OpenCLDevice]) throws -> Int {
        guard let first = devices.first else { throw GlassboxError.backend("no OpenCL device found") }
        return (devices.first(where: \.isGPU) ?? first).index
    }
}
