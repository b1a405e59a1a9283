import ArgumentParser
import GlassboxCore
import GlassboxNN

/// Which (input, target) pairs one `glassbox explain` call explains.
///
/// N inputs and T targets pair up as NumPy broadcasts: T = 0 explains each
/// input's top class, T = 1 gives every input the same target, T = N pairs them
/// in order, and N = 1 explains the single input for each of the T targets.
struct ExplanationTargets {
    /// The inputs, one row per explanation.
    let inputs: Tensor
    /// Which input of the batch each row explains.
    let inputIndices: [Int]
    /// The target class of each row.
    let targets: [Int]
    /// The model's probabilities for each row's target.
    let probabilities: [Float]
    /// The model's raw output (logit) for each row's target.
    let scores: [Float]
    /// The model's class probabilities for each input of the batch.
    let distributions: [[Float]]

    init(inputs batch: Tensor, requested: [Int], model: Graph) throws {
        let backend = batch.backend, count = batch.shape[0]
        let outputs = try model.predict(batch)
        guard outputs.shape.rank == 2 else {
            throw GlassboxError.invalidModel(
                "explaining needs a model whose output is N×classes, this one gives \(outputs.shape)")
        }
        let classes = outputs.shape[1]
        let distribution = try model.probabilities(from: outputs).toArray(), logits = try outputs.toArray()
        let rows = stride(from: 0, to: distribution.count, by: classes).map { Array(distribution[$0..<($0 + classes)]) }
        for target in requested where !(0..<classes).contains(target) {
            throw GlassboxError.invalidArgument("--target \(target) is not a class of this model (0…\(classes - 1))")
        }
        let pairs: [(input: Int, target: Int)]
        switch (count, requested.count) {
        case (_, 0): pairs = (0..<count).map { row in (row, rows[row].indices.max { rows[row][$0] < rows[row][$1] }!) }
        case (_, 1): pairs = (0..<count).map { ($0, requested[0]) }
        case (let n, let t) where n == t: pairs = (0..<n).map { ($0, requested[$0]) }
        case (1, _): pairs = requested.map { (0, $0) }
        default:
            throw GlassboxError.invalidArgument(
                "\(requested.count) targets for \(count) inputs: give one target, one per input, or several for a single input"
            )
        }
        let needsRepeat = pairs.map(\.input) != Array(0..<count)
        inputs =
            needsRepeat
            ? try backend.concat(
                try pairs.map { try backend.slice(batch, axis: 0, range: $0.input..<($0.input + 1)) }, axis: 0) : batch
        inputIndices = pairs.map(\.input)
        targets = pairs.map(\.target)
        probabilities = pairs.map { rows[$0.input][$0.target] }
        scores = pairs.map { logits[$0.input * classes + $0.target] }
        distributions = rows
    }
}
