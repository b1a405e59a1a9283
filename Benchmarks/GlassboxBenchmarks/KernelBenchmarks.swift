import Foundation
import GlassboxCore

/// GEMM and convolution rows on one backend.
enum KernelBenchmarks {
    static func measure(_ backend: any Backend, peak: Double?, quick: Bool, selects: (String) -> Bool) throws
        -> [Measurement]
    {
        let minimum = quick ? 0.1 : 0.5
        var results = [Measurement]()
        let sizes = (quick ? [256, 512, 1024] : [256, 512, 1024, 2048]).filter { selects("gemm \($0)×\($0)×\($0)") }
        let openBLAS =
            backend is CPUBackend && !sizes.isEmpty ? OpenBLASReference.gflops(sizes: sizes, minimum: minimum) : nil
        for size in sizes {
            let a = try backend.randomNormal(
                [size, size], mean: 0, standardDeviation: 1, stream: RandomStream(seed: 1))
            let b = try backend.randomNormal(
                [size, size], mean: 0, standardDeviation: 1, stream: RandomStream(seed: 2))
            let seconds = try time(on: backend, minimum: minimum) {
                _ = try backend.gemm(a, b, transposeA: false, transposeB: false, alpha: 1, beta: 0, accumulator: nil)
            }
            let gflops = 2 * pow(Double(size), 3) / seconds / 1e9
            results.append(
                Measurement(
                    backend: backend.name, group: "gemm", name: "\(size)×\(size)×\(size)", seconds: seconds,
                    gflops: gflops, ratioToPeak: peak.map { gflops / $0 },
                    ratioToOpenBLAS: openBLAS?[size].map { gflops / $0 }))
        }
        for size in sizes {
            guard let reference = openBLAS?[size] else { continue }
            results.append(
                Measurement(
                    backend: "openblas (numpy)", group: "gemm", name: "\(size)×\(size)×\(size)",
                    seconds: 2 * pow(Double(size), 3) / reference / 1e9, gflops: reference,
                    ratioToPeak: peak.map { reference / $0 }))
        }
        // Typical layers: the CIFAR CNN's second convolution (batch 32) and a ResNet-18 stage-1 convolution (batch 1).
        for (batch, channels, size) in [(32, 32, 32), (1, 64, 56)]
        where selects("conv2d \(batch)×\(channels)×\(size)×\(size)") {
            let input = try backend.randomNormal(
                [batch, channels, size, size], mean: 0, standardDeviation: 1, stream: RandomStream(seed: 3))
            let weight = try backend.randomNormal(
                [channels, channels, 3, 3], mean: 0, standardDeviation: 0.1, stream: RandomStream(seed: 4))
            let window = Window2D(kernel: 3, padding: 1)
            let flops = 2.0 * Double(batch * channels * channels * 9 * size * size)
            let label = "\(batch)×\(channels)×\(size)×\(size), 3×3"
            let forward = try time(on: backend, minimum: minimum) {
                _ = try backend.conv2d(input, weight: weight, bias: nil, window: window, groups: 1)
            }
            results.append(
                Measurement(
                    backend: backend.name, group: "conv2d", name: "forward \(label)", seconds: forward,
                    gflops: flops / forward / 1e9, ratioToPeak: peak.map { flops / forward / 1e9 / $0 }))
            let gradient = try backend.conv2d(input, weight: weight, bias: nil, window: window, groups: 1)
            let data = try time(on: backend, minimum: minimum) {
                _ = try backend.conv2dBackwardData(
                    gradient, weight: weight, inputShape: input.shape, window: window, groups: 1)
            }
            results.append(
                Measurement(
                    backend: backend.name, group: "conv2d", name: "backward-data \(label)", seconds: data,
                    gflops: flops / data / 1e9, ratioToPeak: peak.map { flops / data / 1e9 / $0 }))
        }
        return results
    }
}
