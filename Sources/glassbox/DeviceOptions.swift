import ArgumentParser
import GlassboxCore

/// The `--device` option every computing command takes.
struct DeviceOptions: ParsableArguments {
    @Option(help: "Compute device: auto (the best available) or cpu.")
    var device: DeviceChoice = .auto

    /// The backend the choice names.
    func backend() throws -> any Backend {
        switch device {
        case .auto, .cpu: CPUBackend.shared
        }
    }
}

/// The devices `--device` accepts.
enum DeviceChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, cpu
}
