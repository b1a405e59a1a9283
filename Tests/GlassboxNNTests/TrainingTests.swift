import Foundation
import GlassboxConformance
import GlassboxCore
import Testing

@testable import GlassboxNN

/// Optimizer steps against their closed forms, the cross-entropy loss, and
/// whole training runs on small problems.
///
/// Runs assert robust outcomes (loss halves, accuracy ≥ 95 %); reproducibility
/// from the seed is checked separately in `DeterminismTests`.
@Suite("Training")
struct TrainingTests {
    // MARK: Optimizers

    static let theta0: [Double] = [1, -2, 0.5, 3]
    static let gradient1: [Double] = [0.1, -0.3, 2, 0]
    static let gradient2: [Double] = [-0.2, 0.4, 1, 0.05]

    static func tensors(_ values: [Double]) throws -> Tensor { try upload(values.map { Float($0) }, [2, 2]) }

    /// Runs two steps of `optimizer` on θ₀ with g₁ then g₂; returns θ after each.
    static func twoSteps(_ optimizer: inout some Optimizer) throws -> ([Double], [Double]) {
        var parameters = ["w": try tensors(theta0), "frozen": try tensors([7, 8, 9, 10])]
        try optimizer.step(
            parameters: &parameters, gradients: ["w": try tensors(gradient1), "unknown": try tensors(gradient1)])
        let after1 = try values(parameters["w"]!).map(Double.init)
        try optimizer.step(parameters: &parameters, gradients: ["w": try tensors(gradient2)])
        let after2 = try values(parameters["w"]!).map(Double.init)
        // Parameters without a gradient stay as they were; gradients without a parameter add nothing.
        #expect(try values(parameters["frozen"]!) == [7, 8, 9, 10])
        #expect(Set(parameters.keys) == ["w", "frozen"])
        return (after1, after2)
    }

    /// Compares updates θ − θ_before rather than θ, so Float rounding of θ does not hide errors in small steps.
    static func expectUpdate(
        _ after: [Double], _ before: [Double], _ expected: [Double], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let update = zip(after, before).map { $0 - $1 }
        let expectedUpdate = zip(expected, before).map { $0 - $1 }
        #expect(
            normalisedError(update, expectedUpdate) < 1e-4, "\(update) vs \(expectedUpdate)",
            sourceLocation: sourceLocation)
    }

    @Test("SGD with momentum and weight decay: two steps equal the closed form")
    func sgd() throws {
        let (lr, mu, lambda) = (0.1, 0.9, 0.01)
        var optimizer = SGD(learningRate: Float(lr), momentum: Float(mu), weightDecay: Float(lambda))
        let (after1, after2) = try Self.twoSteps(&optimizer)
        // v₁ = g₁ + λθ₀, θ₁ = θ₀ − η·v₁; v₂ = μ·v₁ + g₂ + λθ₁, θ₂ = θ₁ − η·v₂ (PyTorch's SGD).
        let v1 = zip(Self.gradient1, Self.theta0).map { $0 + lambda * $1 }
        let theta1 = zip(Self.theta0, v1).map { $0 - lr * $1 }
        let v2 = (0..<4).map { mu * v1[$0] + Self.gradient2[$0] + lambda * theta1[$0] }
        let theta2 = zip(theta1, v2).map { $0 - lr * $1 }
        Self.expectUpdate(after1, Self.theta0, theta1)
        Self.expectUpdate(after2, after1, theta2)
    }

    @Test("SGD without momentum is plain gradient descent")
    func plainSGD() throws {
        var optimizer = SGD(learningRate: 0.5, momentum: 0)
        let (after1, after2) = try Self.twoSteps(&optimizer)
        let theta1 = zip(Self.theta0, Self.gradient1).map { $0 - 0.5 * $1 }
        Self.expectUpdate(after1, Self.theta0, theta1)
        Self.expectUpdate(after2, after1, zip(after1, Self.gradient2).map { $0 - 0.5 * $1 })
    }

    @Test(
        "Adam and AdamW: two steps equal the bias-corrected closed form, the decay applied to θ",
        arguments: [0.0, 0.5])
    func adam(weightDecay lambda: Double) throws {
        let (lr, beta1, beta2, epsilon) = (0.01, 0.9, 0.999, 1e-8)
        var optimizer = Adam(
            learningRate: Float(lr), beta1: Float(beta1), beta2: Float(beta2), epsilon: Float(epsilon),
            weightDecay: Float(lambda))
        let (after1, after2) = try Self.twoSteps(&optimizer)
        var m = [Double](repeating: 0, count: 4), v = m, theta = Self.theta0
        var expected = [[Double]]()
        for (t, g) in [Self.gradient1, Self.gradient2].enumerated() {
            let step = Double(t + 1)
            for i in 0..<4 {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i]
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
                let mHat = m[i] / (1 - Foundation.pow(beta1, step)), vHat = v[i] / (1 - Foundation.pow(beta2, step))
                // Loshchilov & Hutter 2019, Algorithm 2 with a schedule multiplier of 1 (PyTorch's AdamW).
                theta[i] = theta[i] * (1 - lr * lambda) - lr * mHat / (vHat.squareRoot() + epsilon)
            }
            expected.append(theta)
        }
        // The first step moves every parameter with a nonzero gradient by η against its sign, plus −ηλθ₀.
        #expect(
            normalisedError(
                zip(after1, Self.theta0).map { $0 - $1 },
                zip([-0.01, 0.01, -0.01, 0], Self.theta0).map { $0 - lr * lambda * $1 }) < 1e-4)
        Self.expectUpdate(after1, Self.theta0, expected[0])
        // Step two from where step one really landed: θ₁ + (θ₂ − θ₁) of the closed form.
        Self.expectUpdate(after2, after1, (0..<4).map { after1[$0] + expected[1][$0] - expected[0][$0] })
    }

    // MARK: Cross-entropy

    @Test("cross-entropy loss, correct count and gradient in closed form")
    func crossEntropy() throws {
        let logits: [Double] = [0, Foundation.log(3), -1, 2, 1, 0.5]
        let labels = [1, 2]
        let (loss, correct, gradient) = try CrossEntropy.evaluate(
            logits: try upload(logits.map { Float($0) }, [2, 3]), labels: labels)
        var expectedLoss = 0.0, expectedGradient = [Double]()
        for sample in 0..<2 {
            let row = Array(logits[(sample * 3)..<(sample * 3 + 3)])
            let total = row.map { Foundation.exp($0) }.reduce(0, +)
            let p = row.map { Foundation.exp($0) / total }
            expectedLoss -= Foundation.log(p[labels[sample]]) / 2
            expectedGradient += (0..<3).map { (p[$0] - ($0 == labels[sample] ? 1 : 0)) / 2 }
        }
        #expect(abs(loss - expectedLoss) < 1e-6)
        #expect(correct == 1)  // sample 1 predicts class 1 (correct), sample 2 class 0 (label 2)
        #expect(normalisedError(try values(gradient).map(Double.init), expectedGradient) < 1e-6)

        // The gradient is the derivative of the loss (central differences).
        var numeric = [Double]()
        for i in logits.indices {
            var plus = logits.map { Float($0) }, minus = plus
            plus[i] += 1e-2
            minus[i] -= 1e-2
            let lossPlus = try CrossEntropy.evaluate(logits: try upload(plus, [2, 3]), labels: labels).loss
            let lossMinus = try CrossEntropy.evaluate(logits: try upload(minus, [2, 3]), labels: labels).loss
            numeric.append((lossPlus - lossMinus) / Double(plus[i] - minus[i]))
        }
        #expect(normalisedError(try values(gradient).map(Double.init), numeric) < 1e-3)
    }

    @Test("cross-entropy rejects mismatched labels")
    func crossEntropyErrors() throws {
        let logits = try cpu.filled([2, 3], value: 0)
        #expect(glassboxError { _ = try CrossEntropy.evaluate(logits: logits, labels: [0]) }?.isShapeMismatch == true)
        #expect(
            glassboxError { _ = try CrossEntropy.evaluate(logits: logits, labels: [0, 3]) }?.isInvalidArgument == true)
        #expect(
            glassboxError { _ = try CrossEntropy.evaluate(logits: logits, labels: [-1, 0]) }?.isInvalidArgument == true)
        #expect(
            glassboxError {
                _ = try CrossEntropy.evaluate(logits: try cpu.filled([2, 3, 1], value: 0), labels: [0, 0])
            }?
            .isShapeMismatch == true)
    }

    // MARK: Samples

    @Test("labeled samples check their size and gather batches in the order asked")
    func labeledSamples() throws {
        #expect(
            glassboxError { _ = try LabeledSamples(values: [1, 2, 3], labels: [0, 1], sampleShape: [2]) }?
                .isShapeMismatch == true)
        let samples = try LabeledSamples(values: [0, 1, 10, 11, 20, 21], labels: [5, 6, 7], sampleShape: [2])
        #expect(samples.count == 3)
        let (batch, labels) = try samples.batch([2, 0], on: cpu)
        #expect(batch.shape == [2, 2])
        #expect(try values(batch) == [20, 21, 0, 1])
        #expect(labels == [7, 5])
    }

    @Test("a stratified split holds out round(f·n) of each class, disjoint from the rest, fixed by the seed")
    func stratifiedSplit() throws {
        // 30 of class 0, 7 of class 1, 13 of class 2; each sample's value is its index.
        let labels = (0..<50).map { $0 < 30 ? 0 : $0 < 37 ? 1 : 2 }
        let samples = try LabeledSamples(values: (0..<50).map(Float.init), labels: labels, sampleShape: [1])
        let (kept, heldOut) = try samples.stratifiedSplit(holdingOut: 0.2, seed: 9)
        let keptIndices = kept.values.map(Int.init), heldIndices = heldOut.values.map(Int.init)
        #expect(Set(keptIndices).isDisjoint(with: heldIndices))
        #expect((keptIndices + heldIndices).sorted() == Array(0..<50))
        #expect(keptIndices == keptIndices.sorted() && heldIndices == heldIndices.sorted())
        #expect(zip(heldIndices, heldOut.labels).allSatisfy { labels[$0] == $1 })
        // round(0.2·30) = 6, round(0.2·7) = 1, round(0.2·13) = 3.
        #expect([0, 1, 2].map { label in heldOut.labels.filter { $0 == label }.count } == [6, 1, 3])
        let again = try samples.stratifiedSplit(holdingOut: 0.2, seed: 9).heldOut.values
        let otherSeed = try samples.stratifiedSplit(holdingOut: 0.2, seed: 10).heldOut.values
        #expect(again == heldOut.values)
        #expect(otherSeed != heldOut.values)
        #expect(glassboxError { _ = try samples.stratifiedSplit(holdingOut: 1, seed: 0) }?.isInvalidArgument == true)
        #expect(
            glassboxError { _ = try samples.stratifiedSplit(holdingOut: 0.001, seed: 0) }?.isInvalidArgument == true)
    }

    // MARK: Training runs

    /// Points in [−1, 1]² labelled by the side of the line x + 0.5y = 0.1, at least 0.1 from it.
    static func separablePoints(_ count: Int, seed: UInt64) throws -> LabeledSamples {
        var generator = SplitMix64(seed: seed)
        var values = [Float](), labels = [Int]()
        while labels.count < count {
            let (x, y) = (generator.uniform(-1, 1), generator.uniform(-1, 1))
            let side = x + 0.5 * y - 0.1
            guard abs(side) >= 0.1 else { continue }
            values += [Float(x), Float(y)]
            labels.append(side > 0 ? 1 : 0)
        }
        return try LabeledSamples(values: values, labels: labels, sampleShape: [2])
    }

    static func meanLoss(_ graph: Graph, on samples: LabeledSamples) throws -> Double {
        let (input, labels) = try samples.batch(0..<samples.count, on: cpu)
        return try CrossEntropy.evaluate(logits: try graph.predict(input), labels: labels).loss
    }

    static func train(_ optimizer: some Optimizer, epochs: Int = 6) throws {
        let training = try separablePoints(200, seed: 61), testing = try separablePoints(100, seed: 62)
        var graph = try makeGraph(
            inputShape: [2],
            nodes: Graph.sequentialNodes([
                ("fc1", Dense(2, 8)), ("tanh", Activation(.tanh)), ("fc2", Dense(8, 2)),
            ]), seed: 63)
        let initialLoss = try meanLoss(graph, on: training)
        var trainer = Trainer(optimizer: optimizer, batchSize: 20, seed: 64)
        var reports = [EpochReport](), fractions = [Int: [Double]]()
        try trainer.train(
            &graph, on: training, testing: testing, epochs: epochs,
            progress: { fractions[$0, default: []].append($1) }, report: { reports.append($0) })
        let finalLoss = try meanLoss(graph, on: training)

        #expect(reports.map(\.epoch) == Array(1...epochs))
        #expect(fractions.keys.sorted() == Array(1...epochs))
        for (_, epochFractions) in fractions {
            #expect(epochFractions.count == 10)
            #expect(epochFractions == epochFractions.sorted())
            #expect(epochFractions.last == 1)
        }
        #expect(finalLoss < initialLoss / 2, "loss \(initialLoss) → \(finalLoss)")
        #expect(reports.last!.loss < reports.first!.loss)
        #expect(reports.last!.trainAccuracy >= 0.95)
        #expect(try #require(reports.last!.testAccuracy) >= 0.95)
        #expect(try Trainer<Adam>.accuracy(of: graph, on: training) == reports.last!.trainAccuracy)
    }

    @Test("Adam learns a linearly separable problem in a few epochs")
    func trainAdam() throws { try Self.train(Adam(learningRate: 0.05)) }

    @Test("SGD with momentum learns a linearly separable problem in a few epochs")
    func trainSGD() throws { try Self.train(SGD(learningRate: 0.1, momentum: 0.9)) }

    @Test("a small CNN with batch norm and dropout learns; running statistics stay fixed")
    func trainConvolutional() throws {
        // 1×4×4 images: class 0 has the bright half on top, class 1 at the bottom.
        var generator = SplitMix64(seed: 65)
        var pixels = [Float](), labels = [Int]()
        for index in 0..<120 {
            let label = index % 2
            labels.append(label)
            for row in 0..<4 {
                let bright = (row < 2) == (label == 0)
                pixels += generator.floats(4, 0, 0.4).map { $0 + (bright ? 0.6 : 0) }
            }
        }
        let samples = try LabeledSamples(values: pixels, labels: labels, sampleShape: [1, 4, 4])
        var graph = try makeGraph(
            inputShape: [1, 4, 4],
            nodes: Graph.sequentialNodes([
                ("conv", Conv2D(1, 4, kernel: 3, padding: 1)), ("bn", BatchNorm(channels: 4)),
                ("relu", Activation.relu),
                ("drop", Dropout(0.25)), ("flat", Reshape.flatten), ("fc", Dense(64, 2)),
            ]), seed: 66)
        let before = graph.parameters
        var trainer = Trainer(optimizer: Adam(learningRate: 0.02), batchSize: 12)
        var reports = [EpochReport]()
        try trainer.train(&graph, on: samples, epochs: 5, report: { reports.append($0) })
        #expect(reports.count == 5)
        #expect(reports.allSatisfy { $0.testAccuracy == nil })
        #expect(reports.last!.trainAccuracy >= 0.95)
        for name in ["bn.mean", "bn.variance"] {
            #expect(try bitPatterns(graph.parameters[name]!) == bitPatterns(before[name]!), "\(name)")
        }
        for name in graph.trainableParameterNames {
            #expect(try bitPatterns(graph.parameters[name]!) != bitPatterns(before[name]!), "\(name) did not change")
        }
    }

    @Test("with validation samples, training ends with the best validation epoch's parameters")
    func bestValidationEpoch() throws {
        let training = try Self.separablePoints(200, seed: 61)
        // Validation labels opposite to the rule: the better the model learns, the worse it scores,
        // so the best validation epoch is an early one, not the last.
        let points = try Self.separablePoints(60, seed: 62)
        let validation = try LabeledSamples(
            values: points.values, labels: points.labels.map { 1 - $0 }, sampleShape: points.sampleShape)
        func model() throws -> Graph {
            try makeGraph(
                inputShape: [2],
                nodes: Graph.sequentialNodes([("fc1", Dense(2, 8)), ("tanh", Activation(.tanh)), ("fc2", Dense(8, 2))]),
                seed: 63)
        }
        var graph = try model()
        var trainer = Trainer(optimizer: Adam(learningRate: 0.05), batchSize: 20, seed: 64)
        var reports = [EpochReport]()
        let selected = try trainer.train(
            &graph, on: training, validation: validation, epochs: 6, report: { reports.append($0) })
        let accuracies = try reports.map { try #require($0.validationAccuracy) }
        #expect(selected.epoch == accuracies.firstIndex(of: accuracies.max()!)! + 1)
        #expect(selected.epoch < 6, "validation accuracies \(accuracies)")
        #expect(try Trainer<Adam>.accuracy(of: graph, on: validation) == selected.validationAccuracy)
        // The same run stopped after the selected epoch holds the same parameters, bit for bit.
        var stopped = try model()
        var again = Trainer(optimizer: Adam(learningRate: 0.05), batchSize: 20, seed: 64)
        let last = try again.train(&stopped, on: training, epochs: selected.epoch)
        #expect(last.epoch == selected.epoch)
        for name in graph.trainableParameterNames {
            #expect(try bitPatterns(graph.parameters[name]!) == bitPatterns(stopped.parameters[name]!), "\(name)")
        }
    }

    @Test("the trainer rejects impossible settings")
    func trainerErrors() throws {
        var graph = try makeGraph(inputShape: [2], nodes: [Node("fc", Dense(2, 2), inputs: ["input"])])
        let samples = try Self.separablePoints(10, seed: 67)
        var trainer = Trainer(optimizer: SGD(learningRate: 0.1))
        #expect(glassboxError { try trainer.train(&graph, on: samples, epochs: 0) }?.isInvalidArgument == true)
        let empty = try LabeledSamples(values: [], labels: [], sampleShape: [2])
        #expect(glassboxError { try trainer.train(&graph, on: empty, epochs: 1) }?.isInvalidArgument == true)
        let wrongShape = try LabeledSamples(values: [1, 2, 3], labels: [0], sampleShape: [3])
        #expect(glassboxError { try trainer.train(&graph, on: wrongShape, epochs: 1) }?.isShapeMismatch == true)
        var zeroBatch = Trainer(optimizer: SGD(learningRate: 0.1), batchSize: 0)
        #expect(glassboxError { try zeroBatch.train(&graph, on: samples, epochs: 1) }?.isInvalidArgument == true)
        let badLabels = try LabeledSamples(values: [1, 2], labels: [2], sampleShape: [2])
        #expect(glassboxError { try trainer.train(&graph, on: badLabels, epochs: 1) }?.isInvalidArgument == true)
        #expect(try Trainer<SGD>.accuracy(of: graph, on: empty) == 0)
    }
}
