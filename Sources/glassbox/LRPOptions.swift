import ArgumentParser
import GlassboxCore
import GlassboxExplain

/// The standard LRP composites `glassbox explain --method lrp --composite` offers.
enum CompositeName: String, ExpressibleByArgument, CaseIterable {
    case epsilon
    case epsilonPlus = "epsilon-plus"
    case epsilonAlpha2Beta1 = "epsilon-alpha2-beta1"
    case epsilonPlusFlat = "epsilon-plus-flat"
    case epsilonGammaBox = "epsilon-gamma-box"
}

extension MaxPoolingRelevance: ExpressibleByArgument {}

/// The options of `--method lrp`, and the composite they describe.
struct LRPOptions: ParsableArguments {
    @Option(help: "lrp: the composite of rules: \(CompositeName.allCases.map(\.rawValue).joined(separator: ", ")).")
    var composite: CompositeName = .epsilonPlus

    @Option(help: "lrp: ε of the ε rule on dense layers (and on convolutions with --composite epsilon, AttnLRP).")
    var epsilon: Float = 1e-6

    @Option(help: "lrp: γ of the γ rule on convolutions (epsilon-gamma-box).")
    var gamma: Float = 0.25

    @Option(help: "lrp: α of the α β rule on convolutions (epsilon-alpha2-beta1); α − β must be 1.")
    var alpha: Float = 2

    @Option(help: "lrp: β of the α β rule on convolutions (epsilon-alpha2-beta1).")
    var beta: Float = 1

    @Option(
        name: .customLong("box-low"),
        help:
            "lrp epsilon-gamma-box: the lowest input value, one or one per channel (default: pixel value 0 after --mean/--std)."
    )
    var boxLow: String?

    @Option(
        name: .customLong("box-high"),
        help:
            "lrp epsilon-gamma-box: the highest input value, one or one per channel (default: pixel value 1 after --mean/--std)."
    )
    var boxHigh: String?

    @Option(
        name: .customLong("max-pooling"),
        help:
            "lrp: relevance through max pooling, winner-take-all (the gradient) or proportional (to the window's inputs)."
    )
    var maxPooling: MaxPoolingRelevance = .winnerTakeAll

    func validate() throws {
        guard epsilon >= 0, epsilon.isFinite else { throw ValidationError("--epsilon must be a finite number ≥ 0") }
        guard gamma >= 0, gamma.isFinite else { throw ValidationError("--gamma must be a finite number ≥ 0") }
    }

    /// The composite, with the z^B bounds defaulting to `pixelBounds` (one value or one per channel).
    func lrpComposite(pixelBounds: (low: [Float], high: [Float])) throws -> LRPComposite {
        var result: LRPComposite =
            switch composite {
            case .epsilon: .epsilon(epsilon: epsilon)
            case .epsilonPlus: .epsilonPlus(epsilon: epsilon)
            case .epsilonAlpha2Beta1: try .epsilonAlphaBeta(epsilon: epsilon, alpha: alpha, beta: beta)
            case .epsilonPlusFlat: .epsilonPlusFlat(epsilon: epsilon)
            case .epsilonGammaBox:
                try .epsilonGammaBox(
                    low: try boxLow.map { try Self.bound($0, option: "--box-low") } ?? pixelBounds.low,
                    high: try boxHigh.map { try Self.bound($0, option: "--box-high") } ?? pixelBounds.high,
                    epsilon: epsilon, gamma: gamma)
            }
        result.maxPooling = maxPooling
        return result
    }

    /// A comma-separated list of finite numbers.
    private static func bound(_ text: String, option: String) throws -> [Float] {
        guard let values = CommaSeparated.values(text, as: Float.self), values.allSatisfy(\.isFinite) else {
            throw GlassboxError.invalidArgument(
                "\(option) needs numbers separated by commas (one, or one per input channel), got '\(text)'")
        }
        return values
    }
}
