import GlassboxCore

/// The built-in model architectures `glassbox train --arch` offers.
public enum Architecture: String, Sendable, CaseIterable {
    /// conv 16 → ReLU → conv 32 → ReLU → max-pool 2 → dropout 0.25 → dense 64 → ReLU →
    /// dropout 0.5 → dense (classes): a small CNN for 8×8 digits.
    case smallCNN = "small-cnn"
    /// dense 128 → ReLU → dropout 0.25 → dense 64 → ReLU → dense (classes).
    case mlp
    /// ``smallCNN`` with ``BayesianConv2D`` and ``BayesianDense`` layers and no dropout:
    /// the weights themselves are uncertain (Blundell et al. 2015).
    case bayesCNN = "bayes-cnn"
    /// ``mlp`` with ``BayesianDense`` layers and no dropout.
    case bayesMLP = "bayes-mlp"
    /// A VGG-style CNN for 32×32 images (Simonyan & Zisserman 2015, scaled down):
    /// conv 32 → conv 32 → max-pool → conv 64 → conv 64 → max-pool → conv 128 →
    /// max-pool → dense 256 → dropout 0.5 → dense (classes), ReLU after every conv
    /// and the first dense. Needs H and W divisible by 8.
    case cifarCNN = "cifar-cnn"


    /// Whether the architecture has Bayesian layers (trained by Bayes by backprop).
    public var isBayesian: Bool { self == .bayesCNN || self == .bayesMLP }

    /// The nodes for inputs of `inputShape` (C×H×W) and `classes` outputs (logits);
    /// `prior` is the weight prior of the Bayesian architectures.
    public func nodes(inputShape: Shape, classes: Int, prior: WeightPrior = .blundell) throws -> [Node] {
        guard inputShape.rank == 3 else {
            throw GlassboxError.invalidArgument("architecture \(rawValue) needs C×H×W inputs, got \(inputShape)")
        }
        let (channels, height, width) = (inputShape[0], inputShape[1], inputShape[2])
        switch self {
        case .smallCNN:
            let pooled = 32 * (height / 2) * (width / 2)
            return Graph.sequentialNodes([
                ("conv1", Conv2D(channels, 16, kernel: 3, padding: 1)),
                ("relu1", Activation.relu),
                ("conv2", Conv2D(16, 32, kernel: 3, padding: 1)),
                ("relu2", Activation.relu),
                ("pool", Pool2D.max(2)),
                ("dropout1", Dropout(0.25)),
                ("flatten", Reshape.flatten),
                ("fc1", Dense(pooled, 64)),
                ("relu3", Activation.relu),
                ("dropout2", Dropout(0.5)),
                ("logits", Dense(64, classes)),
            ])
        case .mlp:
            return Graph.sequentialNodes([
                ("flatten", Reshape.flatten),
                ("fc1", Dense(inputShape.count, 128)),
                ("relu1", Activation.relu),
                ("dropout", Dropout(0.25)),
                ("fc2", Dense(128, 64)),
                ("relu2", Activation.relu),
                ("logits", Dense(64, classes)),
            ])
        case .bayesCNN:
            let pooled = 32 * (height / 2) * (width / 2)
            return Graph.sequentialNodes([
                ("conv1", BayesianConv2D(channels, 16, kernel: 3, padding: 1, prior: prior)),
                ("relu1", Activation.relu),
                ("conv2", BayesianConv2D(16, 32, kernel: 3, padding: 1, prior: prior)),
                ("relu2", Activation.relu),
                ("pool", Pool2D.max(2)),
                ("flatten", Reshape.flatten),
                ("fc1", BayesianDense(pooled, 64, prior: prior)),
                ("relu3", Activation.relu),
                ("logits", BayesianDense(64, classes, prior: prior)),
            ])
        case .cifarCNN:
            guard height % 8 == 0, width % 8 == 0 else {
                throw GlassboxError.invalidArgument("architecture cifar-cnn needs H and W divisible by 8, got \(inputShape)")
            }
            return Graph.sequentialNodes([
                ("conv1", Conv2D(channels, 32, kernel: 3, padding: 1)), ("relu1", Activation.relu),
                ("conv2", Conv2D(32, 32, kernel: 3, padding: 1)), ("relu2", Activation.relu), ("pool1", Pool2D.max(2)),
                ("conv3", Conv2D(32, 64, kernel: 3, padding: 1)), ("relu3", Activation.relu),
                ("conv4", Conv2D(64, 64, kernel: 3, padding: 1)), ("relu4", Activation.relu), ("pool2", Pool2D.max(2)),
                ("conv5", Conv2D(64, 128, kernel: 3, padding: 1)), ("relu5", Activation.relu), ("pool3", Pool2D.max(2)),
                ("flatten", Reshape.flatten),
                ("fc1", Dense(128 * (height / 8) * (width / 8), 256)), ("relu6", Activation.relu), ("dropout", Dropout(0.5)),
                ("logits", Dense(256, classes)),
            ])
        case .bayesMLP:
            return Graph.sequentialNodes([
                ("flatten", Reshape.flatten),
                ("fc1", BayesianDense(inputShape.count, 128, prior: prior)),
                ("relu1", Activation.relu),
                ("fc2", BayesianDense(128, 64, prior: prior)),
                ("relu2", Activation.relu),
                ("logits", BayesianDense(64, classes, prior: prior)),
            ])
        }
    }
}
