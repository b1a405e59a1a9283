// glassbox-bench: throughput of the kernels and of end-to-end explanations on every available backend.
// Run in release: swift run -c release glassbox-bench [--quick] [--json]
import Foundation
import GlassboxCore
import GlassboxOpenCL

let arguments = Set(CommandLine.arguments.dropFirst())
let unknown = arguments.subtracting(["--quick", "--json"])
guard unknown.isEmpty else {
    FileHandle.standardError.write(Data("glassbox-bench: unknown argument \(unknown.sorted().joined(separator: ", ")); use --quick and/or --json\n".utf8))
    exit(64)
}
let quick = arguments.contains("--quick")

var backends: [any Backend] = [CPUBackend.shared]
var deviceIsHost = [false]
for device in (try? OpenCLDevice.all()) ?? [] {
    guard let backend = try? OpenCLBackend.shared(deviceIndex: device.index) else { continue }
    backends.append(backend)
    deviceIsHost.append(device.type == "CPU")
}

let hostPeak = PeakThroughput.hostGFLOPS(seconds: quick ? 0.3 : 1)
var results = [Measurement(backend: "cpu", group: "peak", name: "measured multiply-add peak, all cores", seconds: 0, gflops: hostPeak,
                           ratioToPeak: 1)]
do {
    for (backend, onHost) in zip(backends, deviceIsHost) {
        // A device on the host CPU (PoCL) is compared with the host's peak; a GPU's peak is not measured yet.
        let peak = backend is CPUBackend || onHost ? hostPeak : nil
        results += try KernelBenchmarks.measure(backend, peak: peak, quick: quick)
        for model in try MethodBenchmarks.models(on: backend) {
            results += try MethodBenchmarks.measure(model, backend: backend, peak: peak, quick: quick)
        }
    }
} catch {
    FileHandle.standardError.write(Data("glassbox-bench: \(error)\n".utf8))
    exit(1)
}

if arguments.contains("--json") {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    print(String(decoding: try encoder.encode(results), as: UTF8.self))
} else {
    print("\(ProcessInfo.processInfo.activeProcessorCount) host cores; \(quick ? "quick" : "full") run")
    for row in results { print(row.tableLine) }
}
