import Foundation
import GlassboxCore

/// What one epoch of training achieved.
public struct EpochReport: Sendable {
    public var epoch: Int
    /// Mean cross-entropy over the epoch's minibatches (dropout and weight sampling active):
    /// for a Bayesian model, the expected negative log-likelihood per sample.
    public var loss: Double
    /// A Bayesian model's KL(q ‖ prior) over all its layers at the epoch's end (nats); nil without Bayesian layers.
    public var klDivergence: Double?
    /// Top-1 accuracy on the training samples, in inference mode.
    public var trainAccuracy: Double
    /// Top-1 accuracy on the validation samples, in inference mode, when given.
    public var validationAccuracy: Double?
    /// Top-1 accuracy on the test samples, in inference mode, when given.
    public var testAccuracy: Double?
}

/// Minibatch training of a classifier with softmax cross-entropy; for models with
/// ``BayesianLayer``s, Bayes by backprop (Blundell et al. 2015): each step
/// minimises the minibatch's share of the negative ELBO,
/// π_i·KL(q ‖ prior)/B + the mean negative log-likelihood of its B samples, where
/// ``KLWeighting`` gives π_i, and the likelihood is averaged over
/// ``samplesPerStep`` copies of the minibatch, each with its own weight samples
/// (local reparameterisation), run as one batch.
///
/// With validation samples, the run ends with the parameters of the epoch of
/// highest validation accuracy (the earliest of equals): early stopping as model
/// selection (Prechelt 1998, "Early stopping — but when?"), never looking at the test samples.
///
/// Epoch e visits the training samples in the order of a Philox permutation
/// of stream `UInt32.max − e`; dropout in each step draws from the graph's
/// random streams at the running sample count, so a run is reproducible from
/// its seed on every backend.
public struct Trainer<Optimizer: GlassboxNN.Optimizer>: Sendable {
    /// How the KL term of the ELBO is spread over an epoch's M minibatches.
    public enum KLWeighting: String, Sendable, CaseIterable {
        /// π_i = 2^(M−i)/(2^M − 1): most of the KL in the first minibatches (Blundell et al. 2015, eq. 9).
        case blundell
        /// π_i = 1/M.
        case uniform

        /// π_i for minibatch `index` (1-based) of `count`.
        func weight(_ index: Int, of count: Int) -> Double {
            switch self {
            case .blundell: pow(2, -Double(index)) / (1 - pow(2, -Double(count)))
            case .uniform: 1 / Double(count)
            }
        }
    }

    public var optimizer: Optimizer
    public var batchSize: Int
    public var seed: UInt64
    /// Copies of each minibatch per step, each with its own noise: the K of the ELBO's Monte-Carlo estimate.
    public var samplesPerStep: Int
    public var klWeighting: KLWeighting

    public init(
        optimizer: Optimizer, batchSize: Int = 32, seed: UInt64 = 0, samplesPerStep: Int = 1,
        klWeighting: KLWeighting = .blundell
    ) {
        self.optimizer = optimizer
        self.batchSize = batchSize
        self.seed = seed
        self.samplesPerStep = samplesPerStep
        self.klWeighting = klWeighting
    }

    /// Trains `graph` for `epochs` epochs, calling `progress` with the fraction
    /// of the epoch done and `report` after each epoch; with `validation`, leaves
    /// `graph` with the parameters of the epoch of best validation accuracy. Returns
    /// the report of the epoch whose parameters `graph` holds.
    @discardableResult
    public mutating func train(
        _ graph: inout Graph, on training: LabeledSamples, validation: LabeledSamples? = nil,
        testing: LabeledSamples? = nil, epochs: Int,
        progress: (_ epoch: Int, _ fraction: Double) -> Void = { _, _ in },
        report: (EpochReport) -> Void = { _ in }
    ) throws -> EpochReport {
        guard epochs > 0, batchSize > 0, samplesPerStep > 0, training.count > 0 else {
            throw GlassboxError.invalidArgument(
                "training needs positive epochs, batch size and samples per step and at least one sample")
        }
        guard training.sampleShape == graph.inputShape else {
            throw GlassboxError.shapeMismatch(
                "training samples of \(training.sampleShape) for a model that takes \(graph.inputShape)")
        }
        let dropoutStream = RandomStream(seed: seed, stream: 0x1000)
        var samplesSeen = 0, steps = 0
        let minibatches = (training.count + batchSize - 1) / batchSize
        var klDivergence: Double?
        var selected: (report: EpochReport, parameters: [String: Tensor])?
        for epoch in 1...epochs {
            let order = Philox.permutation(
                count: training.count, stream: RandomStream(seed: seed, stream: UInt32.max - UInt32(epoch)))
            var lossSum = 0.0, batches = 0
            for start in stride(from: 0, to: order.count, by: batchSize) {
                var (input, labels) = try training.batch(
                    order[start..<min(start + batchSize, order.count)], on: graph.backend)
                let distinct = labels.count
                if samplesPerStep > 1 {
                    input = try graph.backend.concat(Array(repeating: input, count: samplesPerStep), axis: 0)
                    labels = Array(Array(repeating: labels, count: samplesPerStep).joined())
                }
                let record = try graph.forward(
                    input, mode: .stochastic, randomStream: dropoutStream, sampleOffset: samplesSeen)
                let (loss, _, gradient) = try CrossEntropy.evaluate(logits: record.output, labels: labels)
                let result = try graph.backward(record, seeds: [graph.outputName: gradient], parameterGradients: true)
                var gradients = result.parameterGradients
                let complexity = try Self.addKLGradients(
                    of: graph, to: &gradients,
                    scale: klWeighting.weight(batches + 1, of: minibatches) / Double(distinct),
                    stream: RandomStream(seed: seed &+ UInt64(steps), stream: 0x2000))
                if let complexity { klDivergence = complexity }
                var parameters = graph.parameters
                let trainable = Set(graph.trainableParameterNames)
                try optimizer.step(parameters: &parameters, gradients: gradients.filter { trainable.contains($0.key) })
                try graph.setParameters(parameters)
                samplesSeen += labels.count
                steps += 1
                lossSum += loss
                batches += 1
                progress(epoch, Double(min(start + batchSize, order.count)) / Double(order.count))
            }
            let epochReport = EpochReport(
                epoch: epoch, loss: lossSum / Double(batches), klDivergence: klDivergence,
                trainAccuracy: try Self.accuracy(of: graph, on: training),
                validationAccuracy: try validation.map { try Self.accuracy(of: graph, on: $0) },
                testAccuracy: try testing.map { try Self.accuracy(of: graph, on: $0) })
            report(epochReport)
            if validation == nil || epochReport.validationAccuracy! > selected?.report.validationAccuracy ?? -1 {
                selected = (epochReport, graph.parameters)
            }
        }
        let (chosen, parameters) = selected!
        try graph.setParameters(parameters)
        return chosen
    }

    /// Adds `scale`·∇KL of every Bayesian layer of `graph` to `gradients` and
    /// returns the total KL, or nil when the graph has no Bayesian layer. Node k
    /// draws the scale mixture's sample from substreams `stream.stream + 2k` and `+ 2k + 1`.
    static func addKLGradients(
        of graph: Graph, to gradients: inout [String: Tensor], scale: Double,
        stream: RandomStream
    ) throws -> Double? {
        var total: Double?
        for (index, node) in graph.nodes.enumerated() {
            guard let layer = node.layer as? any BayesianLayer else { continue }
            let kl = try layer.klDivergence(
                parameters: graph.parameters(of: node),
                stream: stream.substream(stream.stream &+ UInt32(2 * index)))
            total = (total ?? 0) + kl.value
            for (name, value) in kl.gradients {
                let full = node.parameterName(name)
                gradients[full] =
                    try gradients[full].map { try graph.backend.axpy(alpha: Float(scale), value, $0) }
                    ?? graph.backend.affine(value, scale: Float(scale), shift: 0)
            }
        }
        return total
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
