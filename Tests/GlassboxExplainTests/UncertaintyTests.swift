import Foundation
import GlassboxConformance
import GlassboxCore
import GlassboxNN
import GlassboxOpenCL
import Testing

@testable import GlassboxExplain

/// The uncertainty decomposition, MC-dropout, and the calibration and OOD metrics.
@Suite("Uncertainty")
struct UncertaintyTests {
    /// conv 4 → ReLU → dropout p → flatten → dense 3 on 2×6×6 inputs.
    static func dropoutCNN(probability: Float, backend: any Backend = CPUBackend.shared) throws -> Graph {
        let nodes = Graph.sequentialNodes([
            ("conv", Conv2D(2, 4, kernel: 3, padding: 1)), ("relu", Activation.relu), ("dropout", Dropout(probability)),
            ("flatten", Reshape.flatten), ("logits", Dense(144, 3)),
        ])
        return try Graph.initialized(inputShape: [2, 6, 6], nodes: nodes, seed: 3, backend: backend)
    }

    @Test func decompositionOfHandMadeSamples() {
        let disagreeing = PredictiveUncertainty(samples: [1, 0, 0, 1], classes: 2)
        #expect(disagreeing.meanProbabilities == [0.5, 0.5] && disagreeing.standardDeviations == [0.5, 0.5])
        #expect(abs(disagreeing.totalEntropy - log(2)) < 1e-12 && disagreeing.aleatoricEntropy == 0)
        #expect(abs(disagreeing.mutualInformation - log(2)) < 1e-12)
        let agreeing = PredictiveUncertainty(samples: [0.5, 0.5, 0.5, 0.5], classes: 2)
        #expect(abs(agreeing.aleatoricEntropy - log(2)) < 1e-12 && agreeing.mutualInformation < 1e-12)
        #expect(
            PredictiveUncertainty(samples: [0.2, 0.8, 0.05, 0.95, 0.6, 0.4], classes: 2).histogram(bins: 4) == [
                0, 1, 0, 2,
            ])
    }

    /// total = aleatoric + epistemic with all three ≥ 0, on random probability samples.
    @Test func decompositionIdentitiesHold() {
        var generator = SplitMix64(seed: 17)
        for _ in 0..<50 {
            let raw = generator.floats(20 * 5, 0, 1).map { $0 * $0 * $0 }
            let samples = (0..<20).flatMap { t in
                let row = raw[(t * 5)..<((t + 1) * 5)], sum = row.reduce(0, +)
                return row.map { $0 / sum }
            }
            let u = PredictiveUncertainty(samples: samples[...], classes: 5)
            #expect(u.totalEntropy >= 0 && u.aleatoricEntropy >= 0 && u.mutualInformation >= 0)
            #expect(u.totalEntropy >= u.aleatoricEntropy - 1e-12)
            #expect(abs(u.totalEntropy - (u.aleatoricEntropy + u.mutualInformation)) < 1e-12)
        }
    }

    @Test func mcDropoutWithoutDropEqualsTheDeterministicModel() throws {
        let model = try Self.dropoutCNN(probability: 0)
        let x = try TestModels.inputs([2, 2, 6, 6])
        let deterministic = try DeterministicPrediction().uncertainty(of: x, model: model)
        let sampled = try MonteCarloSampling(.dropout, samples: 8).uncertainty(of: x, model: model)
        for (d, s) in zip(deterministic, sampled) {
            #expect(zip(d.meanProbabilities, s.meanProbabilities).allSatisfy { abs($0 - $1) < 1e-6 })
            #expect(s.mutualInformation < 1e-9 && s.standardDeviations.allSatisfy { $0 < 1e-6 })
        }
    }

    @Test func mcDropoutSamplesDisagreeAndChunkingDoesNotChangeThem() throws {
        let model = try Self.dropoutCNN(probability: 0.5)
        let x = try TestModels.inputs([2, 2, 6, 6])
        let whole = try MonteCarloSampling(.dropout, samples: 40, seed: 5).uncertainty(of: x, model: model)
        let chunked = try MonteCarloSampling(.dropout, samples: 40, seed: 5, batchSize: 7).uncertainty(
            of: x, model: model)
        #expect(whole == chunked)
        #expect(whole.allSatisfy { $0.mutualInformation > 1e-4 && $0.sampleCount == 40 })
        #expect(whole[0].predictedClassSamples != whole[1].predictedClassSamples)
    }

    @Test func mcDropoutNeedsADropoutLayer() throws {
        #expect(throws: GlassboxError.self) {
            try MonteCarloSampling(.dropout, samples: 4).uncertainty(
                of: try TestModels.inputs([1, 2, 6, 6]), model: try TestModels.pooledCNN())
        }
    }

    @Test(.enabled(if: !openCLDevices.isEmpty, "no OpenCL device on this machine"))
    func mcDropoutDrawsTheSameMasksOnOpenCL() throws {
        let opencl = try OpenCLBackend.shared(deviceIndex: 0)
        let model = try Self.dropoutCNN(probability: 0.3)
        let x = try TestModels.inputs([2, 2, 6, 6])
        let estimator = MonteCarloSampling(.dropout, samples: 30, seed: 9, batchSize: 16)
        let onCPU = try estimator.uncertainty(of: x, model: model)
        let onDevice = try estimator.uncertainty(
            of: try opencl.upload(try x.toArray(), shape: x.shape), model: try model.moved(to: opencl))
        for (c, d) in zip(onCPU, onDevice) {
            #expect(zip(c.predictedClassSamples, d.predictedClassSamples).allSatisfy { abs($0 - $1) < 1e-5 })
            #expect(abs(c.mutualInformation - d.mutualInformation) < 1e-5)
        }
    }

    /// A Bayesian net's weight samples: chunking keeps them, OpenCL draws the same ones, and they disagree.
    @Test func bayesianWeightSamplesAreReproducible() throws {
        let nodes = Graph.sequentialNodes([
            ("flatten", Reshape.flatten), ("fc1", BayesianDense(72, 8)), ("relu", Activation.relu),
            ("logits", BayesianDense(8, 3)),
        ])
        var model = try Graph.initialized(inputShape: [2, 6, 6], nodes: nodes, seed: 3, backend: CPUBackend.shared)
        var parameters = model.parameters
        for name in ["fc1.weightRho", "logits.weightRho"] {
            parameters[name] = try CPUBackend.shared.filled(parameters[name]!.shape, value: -1.5)
        }
        try model.setParameters(parameters)
        let x = try TestModels.inputs([2, 2, 6, 6])
        let whole = try MonteCarloSampling(.weights, samples: 24, seed: 2).uncertainty(of: x, model: model)
        #expect(
            whole
                == (try MonteCarloSampling(.weights, samples: 24, seed: 2, batchSize: 5).uncertainty(
                    of: x, model: model)))
        #expect(whole.allSatisfy { $0.mutualInformation > 1e-4 })
        #expect(throws: GlassboxError.self) {
            try MonteCarloSampling(.weights, samples: 4).uncertainty(
                of: x, model: try Self.dropoutCNN(probability: 0.5))
        }
        guard !openCLDevices.isEmpty else { return }
        let opencl = try OpenCLBackend.shared(deviceIndex: 0)
        let onDevice = try MonteCarloSampling(.weights, samples: 24, seed: 2)
            .uncertainty(of: try opencl.upload(try x.toArray(), shape: x.shape), model: try model.moved(to: opencl))
        for (c, d) in zip(whole, onDevice) {
            #expect(zip(c.predictedClassSamples, d.predictedClassSamples).allSatisfy { abs($0 - $1) < 1e-5 })
        }
    }

    @Test func calibrationMetricsByHand() {
        func prediction(_ p: [Float]) -> PredictiveUncertainty {
            PredictiveUncertainty(samples: p[...], classes: p.count)
        }
        let predictions = [
            prediction([0.92, 0.08]), prediction([0.83, 0.17]), prediction([0.26, 0.74]), prediction([0.65, 0.35]),
        ]
        let metrics = CalibrationMetrics(predictions: predictions, labels: [0, 1, 1, 0], binCount: 10)
        #expect(metrics.accuracy == 0.75)
        #expect(abs(metrics.negativeLogLikelihood - (-(log(0.92) + log(0.17) + log(0.74) + log(0.65)) / 4)) < 1e-6)
        #expect(abs(metrics.brierScore - 2 * (0.08 * 0.08 + 0.83 * 0.83 + 0.26 * 0.26 + 0.35 * 0.35) / 4) < 1e-6)
        // Bins 6 (0.65, right), 7 (0.74, right), 8 (0.83, wrong), 9 (0.92, right).
        #expect(abs(metrics.expectedCalibrationError - (0.35 + 0.26 + 0.83 + 0.08) / 4) < 1e-6)
        #expect(metrics.bins.map(\.count) == [0, 0, 0, 0, 0, 0, 1, 1, 1, 1])
    }

    @Test func areaUnderTheCurveCountsPairs() {
        var generator = SplitMix64(seed: 4)
        let positives = generator.floats(37, 0, 1).map { (Double($0) * 10).rounded() / 10 + 0.1 }
        let negatives = generator.floats(53, 0, 1).map { (Double($0) * 10).rounded() / 10 }
        let pairs = positives.reduce(0.0) { total, p in
            negatives.reduce(total) { $0 + (p > $1 ? 1 : p == $1 ? 0.5 : 0) }
        }
        let auroc = ReceiverOperatingCharacteristic.areaUnderCurve(positives: positives, negatives: negatives)!
        #expect(abs(auroc - pairs / Double(37 * 53)) < 1e-12)
        #expect(ReceiverOperatingCharacteristic.areaUnderCurve(positives: [2, 3], negatives: [0, 1]) == 1)
        #expect(ReceiverOperatingCharacteristic.areaUnderCurve(positives: [], negatives: [1]) == nil)
    }
}
