import GlassboxConformance
import GlassboxCore
import GlassboxNN
import GlassboxOpenCL
import Testing

@testable import GlassboxExplain

/// The OpenCL devices of this machine (PoCL in CI).
let openCLDevices: [OpenCLDevice] = (try? OpenCLDevice.all()) ?? []

/// Every method gives the CPU's map on OpenCL; the sampling ones draw the same noise from the same seed.
@Suite("Methods on OpenCL", .enabled(if: !openCLDevices.isEmpty, "no OpenCL device on this machine"))
struct BackendAgreementTests {
    static let methods: [any AttributionMethod] =
        [
            Saliency(), Saliency(absolute: false), InputXGradient(), ModifiedReLUGradient.guidedBackprop,
            ModifiedReLUGradient.deconvnet,
            IntegratedGradients(steps: 12, baseline: .uniformNoise(seed: 3)),
            IntegratedGradients(steps: 6, baseline: .blurred(sigma: 1)),
            NoiseTunnel(Saliency(), samples: 16, noise: .relative(0.2), seed: 4),
            NoiseTunnel(
                Saliency(absolute: false, batchSize: 5), statistic: .varGrad, samples: 16, noise: .absolute(0.3),
                seed: 4),
            NoiseTunnel(IntegratedGradients(steps: 4), statistic: .smoothGradSquared, samples: 4),
            NoiseTunnel(
                ModifiedReLUGradient(.guided, batchSize: 3), statistic: .varGrad, samples: 8, noise: .absolute(0.2),
                seed: 6),
            ClassActivationMap(.cam), ClassActivationMap(.gradCAM, upsampling: .bilinear),
            ClassActivationMap(.gradCAMPlusPlus),
            GuidedGradCAM(upsampling: .nearest), Occlusion(window: [2, 3, 3], strides: [1, 2, 2], baseline: 0.5),
            ClassActivationMap(.scoreCAM, upsampling: .bilinear), Rise(samples: 48, cells: 3, batchSize: 20),
            Lime(features: .mask(perturbationGrid), samples: 64, batchSize: 30),
            KernelShap(features: .mask(perturbationGrid), absence: .baseline(.blurred(sigma: 1)), samples: 40),
            ShapleyValues(features: .mask(perturbationGrid), absence: .baseline(.constant(0.5))),
            ShapleyValues(features: .mask(perturbationGrid), estimator: .sampling(permutations: 3)),
        ] + lrpMethods

    /// A 3×3 grid of superpixels over the 2×6×6 inputs.
    static let perturbationGrid = try! FeatureMask(
        pixelLabels: (0..<36).map { ($0 / 12) * 3 + ($0 % 6) / 2 }, channels: 2)

    /// LRP with every standard composite (and proportional max pooling).
    static let lrpMethods: [LayerwiseRelevancePropagation] = {
        var proportional = LRPComposite.epsilonPlusFlat()
        proportional.maxPooling = .proportional
        let composites = [
            LRPComposite.epsilonPlus(epsilon: 0.1), try! .epsilonAlphaBeta(), .epsilonPlusFlat(), proportional,
            try! .epsilonGammaBox(low: [-1, -1.5], high: [1, 1.5]),
        ]
        return composites.map { LayerwiseRelevancePropagation(composite: $0) }
    }()

    @Test(arguments: 0..<methods.count)
    func methodMatchesTheCPU(_ index: Int) throws {
        let method = Self.methods[index]
        let opencl = try OpenCLBackend.shared(deviceIndex: 0)
        let onCPU = try TestModels.pooledCNN()
        let onDevice = try onCPU.moved(to: opencl)
        let x = try TestModels.inputs([2, 2, 6, 6])
        let reference = try method.attribute(x, targets: [0, 2], model: onCPU)
        let candidate = try method.attribute(
            try opencl.upload(try x.toArray(), shape: x.shape), targets: [0, 2], model: onDevice)
        #expect(candidate.values.shape == reference.values.shape)
        #expect(
            normalisedError(try candidate.values.toArray(), try reference.values.toArray()) < 1e-4, "\(method.name)")
        if let conservation = reference.conservation {
            #expect(
                zip(conservation, candidate.conservation!).allSatisfy { abs($0.relevanceSum - $1.relevanceSum) < 1e-4 })
        }
        if let deltas = reference.convergenceDeltas {
            #expect(zip(deltas, candidate.convergenceDeltas!).allSatisfy { abs($0 - $1) < 1e-4 })
        }
    }

    /// LRP on a residual net with batch norms (folded on the device) and max pooling.
    @Test(arguments: 0..<lrpMethods.count)
    func lrpOnAResidualNetMatchesTheCPU(_ index: Int) throws {
        let method = Self.lrpMethods[index]
        let opencl = try OpenCLBackend.shared(deviceIndex: 0)
        let onCPU = try TestModels.residualCNN()
        let x = try TestModels.inputs([2, 2, 6, 6])
        let reference = try method.attribute(x, targets: [0, 2], model: onCPU).values.toArray()
        let candidate = try method.attribute(
            try opencl.upload(try x.toArray(), shape: x.shape), targets: [0, 2],
            model: try onCPU.moved(to: opencl)
        ).values.toArray()
        #expect(normalisedError(candidate, reference.map(Double.init)) < 1e-4, "\(method.composite.name)")
    }
}
