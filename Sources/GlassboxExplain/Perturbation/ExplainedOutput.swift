/// Which number of a classifier the perturbation methods explain.
///
/// `lime` and `shap` explain whatever function they are given, usually `predict_proba`; Captum
/// explains the model's forward output, usually logits.
public enum ExplainedOutput: String, Sendable, CaseIterable, Codable {
    /// The model's output at the target class as it is (logits for most classifiers).
    case raw
    /// The target class's probability: the softmax of the output (or the output itself when the
    /// model ends in softmax), as `Graph.probabilities(from:)` computes it.
    case probabilities
}
