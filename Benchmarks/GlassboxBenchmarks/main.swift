// glassbox-bench: throughput of the heavy operations on every available backend.
// Run in release: swift run -c release glassbox-bench [--json]
import Foundation
import GlassboxCore
import GlassboxNN
import GlassboxOpenCL

/// One measured row: what ran where, how fast, in work units per second.
struct Measurement: Codable {
    var backend: String
    var name: String
    var seconds: Double
    var gflops: Double?
    var samplesPerSecond: Double?
}

/// Seconds per run of `body` (one warm-up, then repeated for at least `minimum`
/// seconds), waiting for the backend to finish each run.
func time(on backend: any Backend, minimum: Double = 0.5, _ body: () throws -> Void) throws -> Double {
    try body()
    try backend.synchronize()
    var runs = 0
    let start = Date()
    repeat {
        try body()
        try backend.synchronize()
        runs += 1
    } while Date().timeIntervalSince(start) < minimum
    return Date().timeIntervalSince(start) / Double(runs)
}

func measure(_ backend: any Backend) throws -> [Measurement] {
    var results = [Measurement]()
    for size in [256, 512, 1024] {
        let a = try backend.randomNormal([size, size], mean: 0, standardDeviation: 1, stream: RandomStream(seed: 1))
        let b = try backend.randomNormal([size, size], mean: 0, standardDeviation: 1, stream: RandomStream(seed: 2))
        let seconds = try time(on: backend) {
            _ = try backend.gemm(a, b, transposeA: false, transposeB: false, alpha: 1, beta: 0, accumulator: nil)
        }
        results.append(Measurement(backend: backend.name, name: "gemm \(size)", seconds: seconds,
                                   gflops: 2 * pow(Double(size), 3) / seconds / 1e9))
    }
    for (batch, channels, size) in [(32, 32, 32), (1, 64, 56)] {
        let input = try backend.randomNormal([batch, channels, size, size], mean: 0, standardDeviation: 1, stream: RandomStream(seed: 3))
        let weight = try backend.randomNormal([channels, channels, 3, 3], mean: 0, standardDeviation: 0.1, stream: RandomStream(seed: 4))
        let window = Window2D(kernel: 3, padding: 1)
        let flops = 2.0 * Double(batch * channels * channels * 9 * size * size)
        let label = "\(batch)×\(channels)×\(size)×\(size) 3×3"
        let forward = try time(on: backend) { _ = try backend.conv2d(input, weight: weight, bias: nil, window: window, groups: 1) }
        results.append(Measurement(backend: backend.name, name: "conv2d forward \(label)", seconds: forward, gflops: flops / forward / 1e9))
        let gradient = try backend.conv2d(input, weight: weight, bias: nil, window: window, groups: 1)
        let data = try time(on: backend) {
            _ = try backend.conv2dBackwardData(gradient, weight: weight, inputShape: input.shape, window: window, groups: 1)
        }
        results.append(Measurement(backend: backend.name, name: "conv2d backward-data \(label)", seconds: data, gflops: flops / data / 1e9))
    }
    let nodes = try Architecture.smallCNN.nodes(inputShape: [1, 8, 8], classes: 10)
    let graph = try Graph.initialized(inputShape: [1, 8, 8], nodes: nodes, seed: 0, backend: backend)
    let batch = try backend.randomNormal([64, 1, 8, 8], mean: 0, standardDeviation: 1, stream: RandomStream(seed: 5))
    let seed = try graph.oneHotSeed(targets: Array(repeating: 3, count: 64), classes: 10)
    let step = try time(on: backend) {
        let record = try graph.forward(batch)
        _ = try graph.backward(record, seeds: [graph.outputName: seed])
    }
    results.append(Measurement(backend: backend.name, name: "small-cnn forward+backward, batch 64", seconds: step,
                               samplesPerSecond: 64 / step))
    return results
}

var backends: [any Backend] = [CPUBackend.shared]
for device in (try? OpenCLDevice.all()) ?? [] {
    backends.append(try OpenCLBackend.shared(deviceIndex: device.index))
}
var results = [Measurement]()
for backend in backends { results += try measure(backend) }

if CommandLine.arguments.contains("--json") {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    print(String(decoding: try encoder.encode(results), as: UTF8.self))
} else {
    print("\(ProcessInfo.processInfo.activeProcessorCount) host cores")
    for row in results {
        let rate = row.gflops.map { String(format: "%8.2f GFLOP/s", $0) }
            ?? row.samplesPerSecond.map { String(format: "%8.0f samples/s", $0) } ?? ""
        print(row.backend.prefix(28).padding(toLength: 30, withPad: " ", startingAt: 0)
              + row.name.padding(toLength: 46, withPad: " ", startingAt: 0),
              String(format: "%10.3f ms", row.seconds * 1000), rate)
    }
}
