import GlassboxCore

/// The built-in model architectures `glassbox train --arch` offers.
public enum Architecture: String, Sendable, CaseIterable {
    /// conv 16 → ReLU → conv 32 → ReLU → max-pool 2 → dropout 0.25 → dense 64 → ReLU →
    /// dropout 0.5 → dense (classes): a small CNN for 8×8 digits.
    case smallCNN = "small-cnn"
    /// dense 128 → ReLU → dropout 0.25 → dense 64 → ReLU → dense (classes), on C×H×W images or
    /// on feature vectors (a table's rows).
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
    /// ResNet-18 (He et al. 2016, "Deep residual learning for image recognition"),
    /// laid out as torchvision's: a 7×7/2 convolution and 3×3/2 max pooling, four
    /// stages of two basic blocks (64, 128, 256, 512 channels; batch norms; a 1×1/2
    /// convolution on the shortcut where a stage starts with stride 2), global
    /// average pooling and a dense layer. Meant for 3×224×224 inputs.
    case resnet18

    /// Whether the architecture has Bayesian layers (trained by Bayes by backprop).
    public var isBayesian: Bool { self == .bayesCNN || self == .bayesMLP }

    /// Whether the architecture takes a feature vector (a table's row) as well as C×H×W images:
    /// ``mlp`` and ``bayesMLP``, which flatten their input first.
    public var takesFeatureVectors: Bool { self == .mlp || self == .bayesMLP }

    /// The nodes for inputs of `inputShape` (C×H×W, or F features for the architectures that
    /// ``takesFeatureVectors``) and `classes` outputs (logits); `prior` is the weight prior of
    /// the Bayesian architectures.
    public func nodes(inputShape: Shape, classes: Int, prior: WeightPrior = .blundell) throws -> [Node] {
        guard inputShape.rank == 3 || (inputShape.rank == 1 && takesFeatureVectors) else {
            let accepted = takesFeatureVectors ? "C×H×W inputs or a feature vector" : "C×H×W inputs"
            throw GlassboxError.invalidArgument("architecture \(rawValue) needs \(accepted), got \(inputShape)")
        }
        // A feature vector of F values reaches only the MLPs, which read it as 1×1×F.
        let (channels, height, width) =
            inputShape.rank == 3 ? (inputShape[0], inputShape[1], inputShape[2]) : (1, 1, inputShape[0])
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
                throw GlassboxError.invalidArgument(
                    "architecture cifar-cnn needs H and W divisible by 8, got \(inputShape)")
            }
            return Graph.sequentialNodes([
                ("conv1", Conv2D(channels, 32, kernel: 3, padding: 1)), ("relu1", Activation.relu),
                ("conv2", Conv2D(32, 32, kernel: 3, padding: 1)), ("relu2", Activation.relu), ("pool1", Pool2D.max(2)),
                ("conv3", Conv2D(32, 64, kernel: 3, padding: 1)), ("relu3", Activation.relu),
                ("conv4", Conv2D(64, 64, kernel: 3, padding: 1)), ("relu4", Activation.relu), ("pool2", Pool2D.max(2)),
                ("conv5", Conv2D(64, 128, kernel: 3, padding: 1)), ("relu5", Activation.relu), ("pool3", Pool2D.max(2)),
                ("flatten", Reshape.flatten),
                ("fc1", Dense(128 * (height / 8) * (width / 8), 256)), ("relu6", Activation.relu),
                ("dropout", Dropout(0.5)),
                ("logits", Dense(256, classes)),
            ])
        case .resnet18:
            return Self.resNet18Nodes(channels: channels, classes: classes)
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

    /// The nodes of ``resnet18``.
    private static func resNet18Nodes(channels: Int, classes: Int) -> [Node] {
        var nodes = [Node]()
        /// conv (no bias) → batch norm, reading `input`; returns the batch norm's name.
        func convolution(_ name: String, _ input: String, _ from: Int, _ to: Int, kernel: Int, stride: Int) -> String {
            let window = Window2D(kernel: kernel, stride: stride, padding: kernel / 2)
            nodes.append(
                Node(
                    name, Conv2D(inputChannels: from, outputChannels: to, window: window, hasBias: false),
                    inputs: [input]))
            nodes.append(Node("\(name).bn", BatchNorm(channels: to), inputs: [name]))
            return "\(name).bn"
        }
        var current = convolution("conv1", "input", channels, 64, kernel: 7, stride: 2)
        nodes.append(Node("relu", Activation.relu, inputs: [current]))
        nodes.append(Node("maxpool", Pool2D.max(3, stride: 2, padding: 1), inputs: ["relu"]))
        current = "maxpool"
        var width = 64
        for (stage, outputs) in [64, 128, 256, 512].enumerated() {
            for block in 0..<2 {
                let name = "layer\(stage + 1).\(block)", stride = stage > 0 && block == 0 ? 2 : 1
                let first = convolution("\(name).conv1", current, width, outputs, kernel: 3, stride: stride)
                nodes.append(Node("\(name).relu1", Activation.relu, inputs: [first]))
                let second = convolution("\(name).conv2", "\(name).relu1", outputs, outputs, kernel: 3, stride: 1)
                let shortcut =
                    stride != 1 || width != outputs
                    ? convolution("\(name).downsample", current, width, outputs, kernel: 1, stride: stride) : current
                nodes.append(Node("\(name).add", Add(), inputs: [second, shortcut]))
                nodes.append(Node("\(name).relu2", Activation.relu, inputs: ["\(name).add"]))
                current = "\(name).relu2"
                width = outputs
            }
        }
        nodes.append(Node("avgpool", GlobalAveragePool(), inputs: [current]))
        nodes.append(Node("flatten", Reshape.flatten, inputs: ["avgpool"]))
        nodes.append(Node("fc", Dense(512, classes), inputs: ["flatten"]))
        return nodes
    }
}
