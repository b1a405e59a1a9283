import GlassboxCore
import GlassboxNN

/// One chunk of a ``TargetPass``: samples `range` of the whole batch.
struct TargetPassChunk {
    /// The sample numbers this chunk covers.
    let range: Range<Int>
    /// The chunk's inputs, (range.count, …).
    let inputs: Tensor
    /// The model's output at each sample's target class.
    let scores: [Float]
    /// The gradient of each sample's target score at the input (when backward runs
    /// and no layer is watched).
    let inputGradient: Tensor?
    /// The output of the watched layer.
    let layerActivation: Tensor?
    /// The gradient of each sample's target score at the watched layer (when backward runs).
    let layerGradient: Tensor?
}

/// Runs a batch of samples that is made on the device chunk by chunk through a
/// model, forward and (optionally) backward from the target classes, keeping
/// each chunk within the memory budget of ``MemoryBudget``.
///
/// Every sampling method (noisy copies, interpolation steps, occluded copies)
/// is one such pass: the samples are made on the device from a chunk range,
/// and the caller reduces each chunk's results on the device.
struct TargetPass {
    var model: Graph
    /// The backward rules (gradient, guided, deconvnet).
    var composite: Composite = .gradient
    /// Whether the backward pass runs (occlusion needs only scores).
    var backward = true
    /// Whether the backward pass starts from the target score itself (LRP's
    /// relevance) rather than from 1 (the gradient's one-hot seed).
    var seedsScore = false
    /// A node whose output and gradient each chunk returns (Grad-CAM); the backward
    /// pass then stops at it, so chunks carry no input gradient.
    var layer: String?
    /// The most samples per chunk; nil chooses by ``MemoryBudget``.
    var batchSize: Int?
    /// Which number each chunk's `scores` hold: the output at the target, or its probability.
    var explainedOutput = ExplainedOutput.raw

    /// How the samples split into chunks.
    private var chunks: SampleChunks { SampleChunks(model: model, backward: backward, batchSize: batchSize) }

    /// Runs `total` samples made by `makeBatch` toward `target(sample)` and hands each chunk to `body`.
    func run(
        total: Int, target: (Int) -> Int, makeBatch: (Range<Int>) throws -> Tensor,
        _ body: (TargetPassChunk) throws -> Void
    ) throws {
        let classes = try outputClasses()
        try chunks.forEach(total: total) { range in
            let inputs = try makeBatch(range)
            let targets = range.map(target)
            try check(targets, classes: classes)
            let record = try model.forward(inputs)
            let output = try
                (explainedOutput == .probabilities
                ? model.probabilities(from: record.output) : record.output).toArray()
            let scores = targets.enumerated().map { output[$0.offset * classes + $0.element] }
            var gradients: BackwardResult?
            if backward {
                gradients = try model.backward(
                    record, seeds: try seeds(record, targets: targets, classes: classes),
                    composite: composite, stoppingAt: layer, fusingReLUs: true)
            }
            try body(
                TargetPassChunk(
                    range: range, inputs: inputs, scores: scores,
                    inputGradient: layer == nil ? try gradients?.gradient(at: model.inputName) : nil,
                    layerActivation: try layer.map { try record.activation($0) },
                    layerGradient: try layer.flatMap { name in try gradients?.gradient(at: name) }))
        }
    }

    /// The statistics over the noisy copies `batch` of their input gradients toward
    /// `target` (of their absolute values when `absolute`), chunk by chunk: the copies are
    /// drawn inside the first layer's input read, and their gradients reduced inside its
    /// backward kernel, when the model allows (``Graph/inputGradientStatistics(_:seeds:composite:absolute:)``).
    func inputGradientStatistics(of batch: NoisyBatch, target: Int, absolute: Bool) throws -> SampleStatistics {
        let classes = try outputClasses()
        try check([target], classes: classes)
        return try chunks.statistics(total: batch.count) { range in
            let record = try model.forward(try batch.samples(range))
            let seeds = try seeds(record, targets: Array(repeating: target, count: range.count), classes: classes)
            return try model.inputGradientStatistics(record, seeds: seeds, composite: composite, absolute: absolute)
        }
    }

    /// The seeds of the backward pass from each sample's target: the one-hot vector,
    /// times the output when ``seedsScore``.
    private func seeds(_ record: ForwardRecord, targets: [Int], classes: Int) throws -> [String: Tensor] {
        var seed = try model.oneHotSeed(targets: targets, classes: classes)
        if seedsScore { seed = try model.backend.binary(seed, record.output, .multiply) }
        return [model.outputName: seed]
    }

    /// Runs the samples of `inputs` (N, …) toward `targets` in chunks and joins the chunks' `part` along the batch axis.
    func joined(_ inputs: Tensor, targets: [Int], _ part: (TargetPassChunk) throws -> Tensor) throws -> Tensor {
        var parts = [Tensor]()
        try run(inputs, targets: targets) { parts.append(try part($0)) }
        return try parts.joinedAlongBatch()
    }

    /// Runs the samples of `inputs` (N, …) toward `targets` in chunks.
    func run(_ inputs: Tensor, targets: [Int], _ body: (TargetPassChunk) throws -> Void) throws {
        try run(
            total: inputs.shape[0], target: { targets[$0] },
            makeBatch: { try inputs.backend.slice(inputs, axis: 0, range: $0) }, body)
    }

    /// The target score of every sample of `inputs` (N, …).
    func scores(of inputs: Tensor, targets: [Int]) throws -> [Float] {
        var scores = [Float]()
        try run(inputs, targets: targets) { scores += $0.scores }
        return scores
    }

    /// Throws unless every target is one of the model's `classes`.
    private func check(_ targets: [Int], classes: Int) throws {
        for value in targets where !(0..<classes).contains(value) {
            throw GlassboxError.invalidArgument("target class \(value) is not in 0..<\(classes)")
        }
    }

    /// The number of classes of the model's N×K output.
    func outputClasses() throws -> Int {
        let output = model.shapes[model.outputName]!
        guard output.rank == 2 else {
            throw GlassboxError.invalidModel(
                "attribution needs a model whose output is N×classes, this one gives \(output)")
        }
        return output[1]
    }
}
