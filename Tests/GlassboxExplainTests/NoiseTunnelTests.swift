import GlassboxConformance
import GlassboxCore
import GlassboxNN
import Testing

@testable import GlassboxExplain

@Suite("SmoothGrad, SmoothGrad², VarGrad")
struct NoiseTunnelTests {
    @Test func withoutNoiseSmoothGradIsSaliencyAndVarGradIsZero() throws {
        let model = try TestModels.pooledCNN()
        let x = try TestModels.inputs([2, 2, 6, 6])
        let saliency = try Saliency().attribute(x, targets: [1, 2], model: model).values.toArray()
        for noise in [NoiseTunnel.NoiseScale.absolute(0), .relative(0)] {
            let smooth = try NoiseTunnel(Saliency(), samples: 7, noise: noise).attribute(
                x, targets: [1, 2], model: model)
            #expect(normalisedError(try smooth.values.toArray(), saliency) < 1e-6)
            let squared = try NoiseTunnel(Saliency(), statistic: .smoothGradSquared, samples: 7, noise: noise)
                .attribute(x, targets: [1, 2], model: model).values.toArray()
            #expect(normalisedError(squared, saliency.map { $0 * $0 }) < 1e-5)
            let variance = try NoiseTunnel(Saliency(), statistic: .varGrad, samples: 7, noise: noise)
                .attribute(x, targets: [1, 2], model: model).values.toArray()
            #expect(variance.allSatisfy { abs($0) < 1e-9 })
        }
    }

    @Test func chunksDrawTheNoiseOfOneBatch() throws {
        let model = try TestModels.pooledCNN()
        let x = try TestModels.inputs([1, 2, 6, 6])
        let method = NoiseTunnel(
            Saliency(absolute: false), statistic: .varGrad, samples: 20, noise: .relative(0.2), seed: 9)
        var chunked = method
        chunked.method = Saliency(absolute: false, batchSize: 6)
        let whole = try method.attribute(x, targets: [0], model: model).values.toArray()
        #expect(normalisedError(try chunked.attribute(x, targets: [0], model: model).values.toArray(), whole) < 1e-4)
        var reseeded = method
        reseeded.seed = 10
        #expect(normalisedError(try reseeded.attribute(x, targets: [0], model: model).values.toArray(), whole) > 1e-3)
    }

    /// SmoothGrad is the mean over noisy copies: it equals the mean of saliency
    /// maps of copies made by the same noisy-batch operation.
    @Test func smoothGradIsTheMeanOfTheNoisyCopiesGradients() throws {
        let backend = CPUBackend.shared
        let model = try TestModels.pooledCNN()
        let x = try TestModels.inputs([1, 2, 6, 6])
        let sigma: Float = 0.3
        let copies = try backend.noisyBatch(
            x, count: 12, standardDeviation: sigma, stream: RandomStream(seed: 2, stream: 0))
        let maps = try Saliency(absolute: false).attribute(
            copies, targets: Array(repeating: 1, count: 12), model: model
        ).values.toArray()
        let mean = (0..<x.count).map { index in (0..<12).reduce(Float(0)) { $0 + maps[$1 * x.count + index] } / 12 }
        let smooth = try NoiseTunnel(Saliency(absolute: false), samples: 12, noise: .absolute(sigma), seed: 2)
            .attribute(x, targets: [1], model: model).values.toArray()
        #expect(normalisedError(smooth, mean) < 1e-5)
    }

    @Test func theNoiseWrapsOtherMethods() throws {
        let model = try TestModels.pooledCNN()
        let x = try TestModels.inputs([1, 2, 6, 6])
        let inner = IntegratedGradients(steps: 4, integration: .riemannMiddle)
        let plain = try inner.attribute(x, targets: [2], model: model).values.toArray()
        let smoothIG = try NoiseTunnel(inner, samples: 3, noise: .absolute(0)).attribute(x, targets: [2], model: model)
        #expect(normalisedError(try smoothIG.values.toArray(), plain) < 1e-5)
        let guided = try NoiseTunnel(ModifiedReLUGradient.guidedBackprop, samples: 5, noise: .relative(0.1)).attribute(
            x, targets: [2], model: model)
        #expect(guided.values.shape == x.shape)
        #expect(NoiseTunnel(inner).name == "smoothgrad of integrated-gradients")
    }

    @Test func badArgumentsAreRefused() throws {
        let model = try TestModels.pooledCNN()
        let x = try TestModels.inputs([1, 2, 6, 6])
        #expect(throws: GlassboxError.self) {
            _ = try NoiseTunnel(Saliency(), samples: 0).attribute(x, targets: [0], model: model)
        }
        #expect(throws: GlassboxError.self) {
            _ = try NoiseTunnel(Saliency(), noise: .relative(-1)).attribute(x, targets: [0], model: model)
        }
        #expect(throws: GlassboxError.self) {
            _ = try NoiseTunnel(Saliency()).attribute(x, targets: [0, 1], model: model)
        }
        #expect(throws: GlassboxError.self) { _ = try Saliency().attribute(x, targets: [3], model: model) }
    }
}
