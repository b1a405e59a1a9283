import GlassboxCore
import GlassboxNN

/// The input gradient with every ReLU's backward pass replaced: Guided
/// Backpropagation (Springenberg et al. 2015, "Striving for simplicity: the
/// all convolutional net") passes only positive gradients where the input was
/// positive; Deconvnet (Zeiler & Fergus 2014, "Visualizing and understanding
/// convolutional networks") passes positive gradients whatever the input.
/// Equal to Captum's `GuidedBackprop` and `Deconvolution` (signed maps).
public struct ModifiedReLUGradient: AttributionMethod {
    public var name: String {
        switch mode {
        case .gradient: "saliency-signed"
        case .guided: "guided-backprop"
        case .deconvnet: "deconvnet"
        }
    }
    /// `.guided` or `.deconvnet`.
    public var mode: ReLUBackwardMode
    /// The most samples per chunk; nil chooses by ``MemoryBudget``.
    public var batchSize: Int?

    /// The method for a ReLU backward `mode` (`.guided` or `.deconvnet`).
    public init(_ mode: ReLUBackwardMode, batchSize: Int? = nil) {
        self.mode = mode
        self.batchSize = batchSize
    }

    /// Guided Backpropagation (Springenberg et al. 2015).
    public static let guidedBackprop = ModifiedReLUGradient(.guided)
    /// Deconvnet (Zeiler & Fergus 2014).
    public static let deconvnet = ModifiedReLUGradient(.deconvnet)

    public func attribute(_ inputs: Tensor, targets: [Int], model: Graph) throws -> Attribution {
        try checkTargets(targets, for: inputs)
        return Attribution(values: try inputGradient.of(inputs, targets: targets, model: model))
    }

    public func noisyStatistics(_ batch: NoisyBatch, target: Int, model: Graph) throws -> SampleStatistics {
        try inputGradient.statistics(of: batch, target: target, model: model, absolute: false)
    }

    /// The input gradient with every ReLU passed by `mode`.
    private var inputGradient: InputGradient {
        InputGradient(composite: Composite([(.relu, ReLURule(mode))]), batchSize: batchSize)
    }
}
