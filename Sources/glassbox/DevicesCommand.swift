import ArgumentParser
import Foundation
import GlassboxCore
import GlassboxOpenCL

/// `glassbox devices`: the compute devices `--device` can name.
struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices", abstract: "List the CPU backend and every OpenCL platform and device.")

    func run() throws {
        let cpu = CPUBackend.shared
        print(
            "cpu        CPU backend, \(ProcessInfo.processInfo.activeProcessorCount) cores, \(Self.bytes(cpu.memoryCapacity)) memory"
        )
        let devices: [OpenCLDevice]
        do {
            devices = try OpenCLDevice.all()
        } catch {
            print("opencl     unavailable: \(error)")
            return
        }
        if devices.isEmpty { print("opencl     no devices") }
        for device in devices {
            print(
                "opencl:\(device.index)   \(device.name) [\(device.type)] on \(device.platformName): \(device.computeUnits) compute units, "
                    + "\(Self.bytes(device.globalMemory)) global, \(Self.bytes(device.localMemory)) local memory, "
                    + "work groups up to \(device.maximumWorkGroupSize)"
                    + (device.correctlyRoundedDivideSqrt ? "" : ", no correctly rounded divide/sqrt")
                    + "; GEMM tiling "
                    + ((try? GEMMTiling.chosen(for: device).description) ?? "invalid GLASSBOX_OPENCL_GEMM"))
        }
        let auto = try DeviceChoice.auto.backend()
        print("auto       → \(auto.name)")
    }

    static func bytes(_ count: Int) -> String {
        let gib = Double(count) / Double(1 << 30)
        return gib >= 1 ? String(format: "%.1f GiB", gib) : String(format: "%.0f KiB", Double(count) / 1024)
    }
}
