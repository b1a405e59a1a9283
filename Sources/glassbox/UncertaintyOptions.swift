import ArgumentParser
import GlassboxExplain

/// The ways `glassbox uncertainty` and `evaluate-uncertainty` draw predictions.
enum UncertaintyMethod: String, ExpressibleByArgument, CaseIterable {
    case mcDropout = "mc-dropout"
    case bayes
    case deterministic
}

/// The options shared by the uncertainty commands, and the estimator they describe.
struct UncertaintyOptions: ParsableArguments {
    @Option(
        help:
            "How predictions are drawn: \(UncertaintyMethod.allCases.map(\.rawValue).joined(separator: ", ")) (one pass, no epistemic part)."
    )
    var method: UncertaintyMethod = .mcDropout

    @Option(
        help:
            "mc-dropout, bayes: stochastic passes per input (dropout masks or weight samples), run as one device batch (chunked to the memory budget)."
    )
    var samples = 100

    @Option(help: "Seed of the dropout masks and weight noise; input n draws from stream n·65536.")
    var seed: UInt64 = 0

    @Option(
        name: .customLong("batch-size"), help: "The most passes per device batch (default: from the memory budget).")
    var batchSize: Int?

    func validate() throws {
        guard samples > 0 else { throw ValidationError("--samples must be positive") }
        if let batchSize, batchSize <= 0 { throw ValidationError("--batch-size must be positive") }
    }

    var estimator: any UncertaintyEstimator {
        switch method {
        case .mcDropout: MonteCarloSampling(.dropout, samples: samples, seed: seed, batchSize: batchSize)
        case .bayes: MonteCarloSampling(.weights, samples: samples, seed: seed, batchSize: batchSize)
        case .deterministic: DeterministicPrediction()
        }
    }
}
