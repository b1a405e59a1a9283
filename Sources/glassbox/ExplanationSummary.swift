import Foundation
import GlassboxExplain

/// The JSON summary `glassbox explain --summary` writes.
struct ExplanationSummary: Codable {
    /// One explained (input, target) pair.
    struct Row: Codable {
        var input: Int
        var target: Int
        /// The target's class name, from `--labels`.
        var label: String?
        var probability: Float
        var convergenceDelta: Float?
        /// LRP: the input relevance's sum against the explained score.
        var conservation: RelevanceConservation?
        /// LIME, KernelSHAP, Shapley values: every number of the explanation, with the features' labels.
        var features: FeatureExplanationOutputs.Summary?
    }

    var model: String
    var input: String
    var method: String
    var parameters: [String: String]
    var device: String
    var seconds: Double
    var outputShape: [Int]
    var rows: [Row]
    /// `--pick`: the explanations SP-LIME picks.
    var submodularPick: PickedExplanations?
}
