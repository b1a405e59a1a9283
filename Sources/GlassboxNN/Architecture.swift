import GlassboxCore

/// The built-in model architectures `glassbox train --arch` offers.
public enum Architecture: String, Sendable, CaseIterable {
    /// conv 16 → ReLU → conv 32 → ReLU → max-pool 2 → dropout 0.25 → dense 64 → ReLU →
    /// dropout 0.5 → dense (classes): a small CNN for 8×8 digits.
    case smallCNN = "small-cnn"
    /// dense 128 → ReLU → dropout 0.25 → dense 64 → ReLU → dense (classes).
    case mlp

    /// The nodes for inputs of `inputShape` (C×H×W) and `classes` outputs (logits).
    public func nodes(inputShape: Shape, classes: Int) throws -> [Node] {
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
        }
    }
}
