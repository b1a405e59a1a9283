import GlassboxCore

/// What one epoch of training achieved.
public struct EpochReport: Sendable {
    public var epoch: Int
    /// Mean cross-entropy over the epoch's minibatches (dropout active).
    public var loss: Double
    /// Top-1 accuracy on the training samples, in inference mode.
    public var trainAccuracy: Double
    /// Top-1 accuracy on the test samples, in inference mode, when given.
    public var testAccuracy: Double?
}

/// Minibatch training of a classifier with softmax cross-entropy.
///
/// Epoch e visits the training samples in the order of a Philox permutation
/// of stream `UInt32.max − e`; dropout in each step draws from the graph's
/// random streams at the running sample count, so a run is reproducible from
/// its seed on every backend.
public struct Trainer<Optimizer: GlassboxNN.Optimizer>: Sendable {
    public var optimizer: Optimizer
    public var batchSize: Int
    public var seed: UInt64

    public init(optimizer: Optimizer, batchSize: Int = 32, seed: UInt64 = 0) {
        self.optimizer = optimizer
        self.batchSize = batchSize
        self.seed = seed
    }

    /// Trains `graph` for `epochs` epochs, calling `progress` with the fraction
    /// of the epoch done and `report` after each epoch.
    public mutating func train(_ graph: inout Graph, on training: LabeledSamples, testing: LabeledSamples? = nil, epochs: Int,
                               progress: (_ epoch: Int, _ fraction: Double) -> Void = { _, _ in },
                               report: (EpochReport) -> Void = { _ in }) throws {
        guard epochs > 0, batchSize > 0, training.count > 0 else {
            throw GlassboxError.invalidArgument("training needs positive epochs and batch size and at least one sample")
        }
        guard training.sampleShape == graph.inputShape else {
            throw GlassboxError.shapeMismatch("training samples of \(training.sampleShape) for a model that takes \(graph.inputShape)")
        }
        let dropoutStream = RandomStream(seed: seed, stream: 0x1000)
        var samplesSeen = 0
        for epoch in 1...epochs {
            let order = Philox.permutation(count: training.count, stream: RandomStream(seed: seed, stream: UInt32.max - UInt32(epoch)))
            var lossSum = 0.0, batches = 0
            for start in stride(from: 0, to: order.count, by: batchSize) {
                let (input, labels) = try training.batch(order[start..<min(start + batchSize, order.count)], on: graph.backend)
                let record = try graph.forward(input, mode: .stochastic, randomStream: dropoutStream, sampleOffset: samplesSeen)
                let (loss, _, gradient) = try CrossEntropy.evaluate(logits: record.output, labels: labels)
                let result = try graph.backward(record, seeds: [graph.outputName: gradient], parameterGradients: true)
                var parameters = graph.parameters
                let trainable = Set(graph.trainableParameterNames)
                try optimizer.step(parameters: &parameters, gradients: result.parameterGradients.filter { trainable.contains($0.key) })
                try graph.setParameters(parameters)
                samplesSeen += labels.count
                lossSum += loss
                batches += 1
                progress(epoch, Double(min(start + batchSize, order.count)) / Double(order.count))
            }
            report(EpochReport(epoch: epoch, loss: lossSum / Double(batches),
                               trainAccuracy: try Self.accuracy(of: graph, on: training),
                               testAccuracy: try testing.map { try Self.accuracy(of: graph, on: $0) }))
        }
    }

    /// Top-1 accuracy of `graph` on `samples`, in inference mode.
    public static func accuracy(of graph: Graph, on samples: LabeledSamples, batchSize: Int = 256) throws -> Double {
        guard samples.count > 0 else { return 0 }
        var correct = 0
        for start in stride(from: 0, to: samples.count, by: batchSize) {
            let (input, labels) = try samples.batch(start..<min(start + batchSize, samples.count), on: graph.backend)
            correct += try CrossEntropy.evaluate(logits: try graph.predict(input), labels: labels).correct
        }
        return Double(correct) / Double(samples.count)
    }
}
