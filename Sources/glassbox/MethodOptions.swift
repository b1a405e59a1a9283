import ArgumentParser
import Foundation
import GlassboxCore
import GlassboxExplain
import GlassboxIO
import GlassboxNN

/// The attribution methods `glassbox explain --method` offers.
enum MethodName: String, ExpressibleByArgument, CaseIterable {
    case saliency
    case inputXGradient = "input-x-gradient"
    case smoothgrad
    case smoothgradSquared = "smoothgrad-sq"
    case vargrad
    case integratedGradients = "integrated-gradients"
    case guidedBackprop = "guided-backprop"
    case deconvnet
    case cam
    case gradCAM = "grad-cam"
    case gradCAMPlusPlus = "grad-cam++"
    case guidedGradCAM = "guided-grad-cam"
    case occlusion
    case lrp
    case lime
    case kernelShap = "kernel-shap"
    case shapleyExact = "shapley-exact"
    case shapleySampling = "shapley-sampling"
    case rise
    case scoreCAM = "score-cam"

    /// The noise-tunnel statistic this name stands for, if it is one.
    var noiseStatistic: NoiseTunnel.Statistic? { NoiseTunnel.Statistic(rawValue: rawValue) }

    /// Whether the method explains by interpretable features (superpixels, words, columns).
    var isFeatureMethod: Bool { [.lime, .kernelShap, .shapleyExact, .shapleySampling].contains(self) }
}

/// The `--method` value: one method name, or several separated by commas (the panel and the text
/// report show them side by side).
struct MethodList: ExpressibleByArgument {
    /// The methods, in the order given.
    var names: [MethodName]

    init?(argument: String) {
        let names = argument.split(separator: ",", omittingEmptySubsequences: false).map {
            MethodName(rawValue: $0.trimmingCharacters(in: .whitespaces))
        }
        guard !names.isEmpty, names.allSatisfy({ $0 != nil }) else { return nil }
        self.names = names.compactMap { $0 }
    }

    static var allValueStrings: [String] { MethodName.allValueStrings }
}

extension IntegrationRule: ExpressibleByArgument {}
extension Resampling: ExpressibleByArgument {}

/// The options of every attribution method, and the method they describe.
struct MethodOptions: ParsableArguments {
    @Option(
        help:
            "The method: \(MethodName.allCases.map(\.rawValue).joined(separator: ", ")); several separated by commas are drawn side by side (the panel, or the text report)."
    )
    var method: MethodList

    @Flag(help: "saliency / smoothgrad: keep the gradient's sign instead of its absolute value.")
    var signed = false

    @Option(
        help:
            "smoothgrad, smoothgrad-sq, vargrad: the method applied to each noisy copy (saliency, input-x-gradient, integrated-gradients, guided-backprop, deconvnet, grad-cam, …)."
    )
    var base: MethodName = .saliency

    @Option(
        help:
            "The number of samples: smoothgrad family noisy copies (default 50), lime samples (1000), kernel-shap coalitions (2M + 2048), shapley-sampling permutations (25), rise masks (4000)."
    )
    var samples: Int?

    @Option(
        help: "smoothgrad family: noise σ as a fraction of each input's range, σ = level·(max − min) (Smilkov et al.).")
    var noise: Float?

    @Option(help: "smoothgrad family: absolute noise σ (Captum's stdevs); overrides --noise.")
    var sigma: Float?

    @Option(help: "integrated-gradients: the number of points on the path.")
    var steps = 50

    @Option(help: "integrated-gradients: \(IntegrationRule.allCases.map(\.rawValue).joined(separator: ", ")).")
    var integration: IntegrationRule = .gaussLegendre

    @Option(
        help:
            "integrated-gradients: zero, a number, blurred[:SIGMA] (Gaussian blur of the input, σ in pixels, default 2), uniform-noise, or a .npy file. occlusion: the number the window is set to."
    )
    var baseline = "zero"

    @Option(
        help:
            "cam family: the node whose output is weighted (see `glassbox info`); default the last convolution block's output (the last convolution followed through its activation and batch norm)."
    )
    var layer: String?

    @Flag(name: .customLong("no-relu"), help: "cam family: keep the negative part of the map.")
    var noReLU = false

    @Flag(help: "cam family: upsample the map to the input's H×W (guided-grad-cam always does).")
    var upsample = false

    @Option(help: "cam family: how to upsample, bilinear or nearest (Captum's GuidedGradCam uses nearest).")
    var interpolation: Resampling = .bilinear

    @Option(help: "occlusion: the window per sample axis, e.g. 1,3,3 for C,H,W.")
    var window: String?

    @Option(help: "occlusion: the step per sample axis, e.g. 1,1,1 (default: the window, no overlap).")
    var stride: String?

    @OptionGroup var lrpOptions: LRPOptions

    @OptionGroup var perturbation: PerturbationOptions

    @Option(
        name: .customLong("batch-size"), help: "The most samples per device batch (default: from the memory budget).")
    var batchSize: Int?

    @Option(help: "Seed of the noise (smoothgrad family) and noise baselines; input n draws from stream n.")
    var seed: UInt64 = 0

    func validate() throws {
        if let samples, samples <= 0 { throw ValidationError("--samples must be positive") }
        guard steps > 0 else { throw ValidationError("--steps must be positive") }
        if let batchSize, batchSize <= 0 { throw ValidationError("--batch-size must be positive") }
        if method.names.contains(where: { $0.noiseStatistic != nil }), base.noiseStatistic != nil {
            throw ValidationError("--base cannot itself be a noise method")
        }
    }

    /// The method with its parameters, on `backend` (for a baseline read from a file); `pixelBounds`
    /// are the lowest and highest input values (LRP's z^B rule).
    /// Method `name`; the perturbation methods over interpretable features need `features`.
    func attributionMethod(
        _ name: MethodName, inputShape: Shape, pixelBounds: (low: [Float], high: [Float]),
        backend: any Backend, features: FeatureContext? = nil
    ) throws -> any AttributionMethod {
        let upsampling = upsample ? interpolation : nil
        switch name {
        case .saliency: return Saliency(absolute: !signed, batchSize: batchSize)
        case .inputXGradient: return InputXGradient(batchSize: batchSize)
        case .smoothgrad, .smoothgradSquared, .vargrad:
            let inner = try attributionMethod(base, inputShape: inputShape, pixelBounds: pixelBounds, backend: backend)
            let scale: NoiseTunnel.NoiseScale = sigma.map { .absolute($0) } ?? .relative(noise ?? 0.15)
            return NoiseTunnel(
                inner, statistic: name.noiseStatistic!, samples: samples ?? 50, noise: scale, seed: seed)
        case .integratedGradients:
            return IntegratedGradients(
                steps: steps, integration: integration,
                baseline: try parsedBaseline(inputShape: inputShape, backend: backend),
                batchSize: batchSize)
        case .guidedBackprop: return ModifiedReLUGradient(.guided, batchSize: batchSize)
        case .deconvnet: return ModifiedReLUGradient(.deconvnet, batchSize: batchSize)
        case .cam:
            return ClassActivationMap(.cam, layer: layer, relu: !noReLU, upsampling: upsampling, batchSize: batchSize)
        case .gradCAM:
            return ClassActivationMap(
                .gradCAM, layer: layer, relu: !noReLU, upsampling: upsampling, batchSize: batchSize)
        case .gradCAMPlusPlus:
            return ClassActivationMap(
                .gradCAMPlusPlus, layer: layer, relu: !noReLU, upsampling: upsampling, batchSize: batchSize)
        case .guidedGradCAM: return GuidedGradCAM(layer: layer, upsampling: interpolation, batchSize: batchSize)
        case .occlusion:
            guard let window else {
                throw GlassboxError.invalidArgument("occlusion needs --window, e.g. 1,3,3 for C,H,W")
            }
            let windowSizes = try Self.axisList(window, option: "--window", rank: inputShape.rank)
            let strides =
                try stride.map { try Self.axisList($0, option: "--stride", rank: inputShape.rank) } ?? windowSizes
            guard let value = Float(baseline == "zero" ? "0" : baseline), value.isFinite else {
                throw GlassboxError.invalidArgument("occlusion needs a number for --baseline, got '\(baseline)'")
            }
            return Occlusion(window: windowSizes, strides: strides, baseline: value, batchSize: batchSize)
        case .lrp:
            return LayerwiseRelevancePropagation(
                composite: try lrpOptions.lrpComposite(pixelBounds: pixelBounds), batchSize: batchSize)
        case .lime, .kernelShap, .shapleyExact, .shapleySampling:
            guard let features else {
                throw GlassboxError.invalidArgument(
                    "\(name.rawValue) explains images (C×H×W), texts or table rows by their features; this input is none of them"
                )
            }
            return try perturbation.featureMethod(
                name, context: features, samples: samples, seed: seed, batchSize: batchSize)
        case .rise:
            return Rise(
                samples: samples ?? 4000, cells: perturbation.cells, probability: perturbation.keepProbability,
                seed: seed,
                output: perturbation.scores ?? .probabilities, batchSize: batchSize)
        case .scoreCAM:
            return ClassActivationMap(
                .scoreCAM, layer: layer, relu: !noReLU, upsampling: upsampling, batchSize: batchSize)
        }
    }

    /// `--baseline` for Integrated Gradients.
    func parsedBaseline(inputShape: Shape, backend: any Backend) throws -> Baseline {
        switch baseline {
        case "zero": return .zero
        case "uniform-noise": return .uniformNoise(seed: seed)
        case "blurred": return .blurred(sigma: 2)
        default:
            if baseline.hasPrefix("blurred:") {
                guard let sigma = Float(baseline.dropFirst("blurred:".count)), sigma > 0, sigma.isFinite else {
                    throw GlassboxError.invalidArgument(
                        "--baseline blurred:SIGMA needs a positive σ, got '\(baseline)'")
                }
                return .blurred(sigma: sigma)
            }
            if let value = Float(baseline), value.isFinite { return .constant(value) }
            let array = try NumpyArray.read(from: URL(fileURLWithPath: baseline))
            guard
                array.shape == inputShape
                    || (array.shape.rank == inputShape.rank + 1 && array.shape.sampleShape == inputShape)
            else {
                throw GlassboxError.invalidFile(
                    path: baseline,
                    reason: "baseline of shape \(array.shape) does not match the model input \(inputShape)")
            }
            guard array.values.allSatisfy(\.isFinite) else {
                throw GlassboxError.invalidFile(path: baseline, reason: "contains NaN or infinite values")
            }
            let shape = array.shape == inputShape ? Shape([1] + inputShape.dimensions) : array.shape
            return .tensor(try backend.upload(array.values, shape: shape))
        }
    }

    /// A comma-separated list of one positive size per sample axis.
    static func axisList(_ text: String, option: String, rank: Int) throws -> [Int] {
        guard let values = CommaSeparated.values(text, as: Int.self), values.count == rank,
            values.allSatisfy({ $0 > 0 })
        else {
            throw GlassboxError.invalidArgument(
                "\(option) needs \(rank) positive integers separated by commas (one per sample axis), got '\(text)'")
        }
        return values
    }
}
