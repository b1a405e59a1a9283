import Foundation
import GlassboxConformance
import GlassboxCore
import Testing

@testable import GlassboxNN

/// Bayesian layers: gradients of a stochastic pass, the KL divergence, and the
/// local reparameterisation against sampling the weights themselves.
@Suite("Bayesian layers")
struct BayesianLayerTests {
    /// Parameters with ρ around −1 (σ ≈ 0.3), so the variance path matters.
    static func graph(_ layer: any BayesianLayer, inputShape: Shape) throws -> Graph {
        let node = Node("layer", layer, inputs: ["input"])
        var parameters = try deterministicParameters([node], seed: 3)
        var generator = SplitMix64(seed: 8)
        for name in ["weightRho", "biasRho"] {
            let shape = parameters["layer.\(name)"]!.shape
            parameters["layer.\(name)"] = try upload(generator.floats(shape.count, -1.5, -0.5), shape)
        }
        return try Graph(inputShape: inputShape, nodes: [node], parameters: parameters, backend: cpu)
    }

    @Test("stochastic passes have the gradients of their fixed noise", arguments: ["dense", "convolution"])
    func gradientsOfAStochasticPass(_ kind: String) throws {
        let (layer, inputShape): (any BayesianLayer, Shape) =
            kind == "dense"
            ? (BayesianDense(5, 4), [5]) : (BayesianConv2D(2, 3, kernel: 3, stride: 2, padding: 1), [2, 5, 5])
        let graph = try Self.graph(layer, inputShape: inputShape)
        var generator = SplitMix64(seed: 12)
        let shape = Shape([3] + inputShape.dimensions)
        let check = try GradientCheck(
            graph, input: try upload(generator.floats(shape.count), shape), h: 1e-3, mode: .stochastic)
        #expect(
            Set(check.errors.keys) == [
                "input", "layer.weightMean", "layer.weightRho", "layer.biasMean", "layer.biasRho",
            ])
        check.expectAccurate(tolerance: 2e-3)
    }

    @Test func inferenceReturnsTheMeanWeightsOutput() throws {
        let graph = try Self.graph(BayesianDense(5, 4), inputShape: [5])
        var generator = SplitMix64(seed: 2)
        let x = try upload(generator.floats(10), [2, 5])
        let dense = try Graph(
            inputShape: [5], nodes: [Node("layer", Dense(5, 4), inputs: ["input"])],
            parameters: [
                "layer.weight": graph.parameters["layer.weightMean"]!,
                "layer.bias": graph.parameters["layer.biasMean"]!,
            ],
            backend: cpu)
        #expect(try values(graph.predict(x)) == values(dense.predict(x)))
    }

    /// The local reparameterisation gives the pre-activations the mean and
    /// variance that sampling whole weight matrices gives: 20 000 copies of one
    /// input through the layer against 20 000 weight samples drawn here.
    @Test func localReparameterisationMatchesWeightSampling() throws {
        let graph = try Self.graph(BayesianDense(6, 3), inputShape: [6])
        let count = 20_000
        let x: [Float] = [0.5, -1, 0.25, 2, -0.75, 1]
        let copies = try cpu.broadcast(try upload(x, [1, 6]), to: [count, 6])
        let local = try values(graph.forward(copies, mode: .stochastic, randomStream: RandomStream(seed: 4)).output)
        let mean = try values(graph.parameters["layer.weightMean"]!),
            rho = try values(graph.parameters["layer.weightRho"]!)
        let biasMean = try values(graph.parameters["layer.biasMean"]!),
            biasRho = try values(graph.parameters["layer.biasRho"]!)
        var generator = SplitMix64(seed: 77)
        func normal() -> Double {
            let u = Double(generator.floats(1, 1e-12, 1)[0]), v = Double(generator.floats(1, 0, 1)[0])
            return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
        }
        func sigma(_ r: Float) -> Double { log1p(exp(Double(r))) }
        var direct = [Double]()
        for _ in 0..<count {
            for j in 0..<3 {
                var y = Double(biasMean[j]) + sigma(biasRho[j]) * normal()
                for i in 0..<6 { y += Double(x[i]) * (Double(mean[j * 6 + i]) + sigma(rho[j * 6 + i]) * normal()) }
                direct.append(y)
            }
        }
        for j in 0..<3 {
            let a = stride(from: j, to: local.count, by: 3).map { Double(local[$0]) }
            let b = stride(from: j, to: direct.count, by: 3).map { direct[$0] }
            let (meanA, meanB) = (a.reduce(0, +) / Double(count), b.reduce(0, +) / Double(count))
            let varianceA = a.reduce(0) { $0 + ($1 - meanA) * ($1 - meanA) } / Double(count - 1)
            let varianceB = b.reduce(0) { $0 + ($1 - meanB) * ($1 - meanB) } / Double(count - 1)
            // Means within 5 standard errors of their difference; variances within 5% (their standard error is ~1%).
            #expect(abs(meanA - meanB) < 5 * ((varianceA + varianceB) / Double(count)).squareRoot(), "output \(j)")
            #expect(abs(varianceA / varianceB - 1) < 0.05, "output \(j): \(varianceA) vs \(varianceB)")
        }
    }

    /// The closed-form KL of a Gaussian prior equals the mean of log q(w) − log p(w) over 200 000 posterior samples.
    @Test func closedFormKLEqualsAMonteCarloEstimate() {
        let prior = WeightPrior.gaussian(standardDeviation: 0.5)
        let means: [Float] = [0.3, -0.8, 0.05, 1.2], deviations: [Float] = [0.1, 0.4, 0.7, 0.25]
        let closed = prior.divergence(means: means, deviations: deviations, stream: RandomStream(seed: 0)).value
        // The same density, estimated by Monte Carlo.
        let mixtureLike = WeightPrior.scaleMixture(weight: 0.999999, wide: 0.5, narrow: 0.5)
        let draws = 200_000
        var estimates = [Double]()
        for draw in 0..<draws {
            let stream = RandomStream(seed: 1, stream: 0, offset: UInt64(draw * means.count))
            estimates.append(mixtureLike.divergence(means: means, deviations: deviations, stream: stream).value)
        }
        let mean = estimates.reduce(0, +) / Double(draws)
        let standardError = (estimates.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(draws - 1) / Double(draws))
            .squareRoot()
        #expect(abs(mean - closed) < 5 * standardError, "Monte Carlo \(mean) ± \(standardError), closed form \(closed)")
        #expect(closed > 0)
    }

    /// The gradients of both KL forms against finite differences (the Monte-Carlo
    /// form at fixed noise: it is a function of μ and σ once ε is drawn).
    @Test(arguments: [WeightPrior.gaussian(standardDeviation: 0.5), .blundell])
    func klGradientsMatchFiniteDifferences(_ prior: WeightPrior) {
        let means: [Float] = [0.3, -0.8, 0.05], deviations: [Float] = [0.1, 0.4, 0.7]
        let stream = RandomStream(seed: 5)
        let result = prior.divergence(means: means, deviations: deviations, stream: stream)
        let h: Float = 1e-3
        for index in means.indices {
            var plus = means, minus = means
            plus[index] += h
            minus[index] -= h
            let numericMean =
                (prior.divergence(means: plus, deviations: deviations, stream: stream).value
                    - prior.divergence(means: minus, deviations: deviations, stream: stream).value)
                / Double(plus[index] - minus[index])
            #expect(abs(numericMean - Double(result.meanGradient[index])) < 1e-2 * max(1, abs(numericMean)))
            var up = deviations, down = deviations
            up[index] += h
            down[index] -= h
            let numericDeviation =
                (prior.divergence(means: means, deviations: up, stream: stream).value
                    - prior.divergence(means: means, deviations: down, stream: stream).value)
                / Double(up[index] - down[index])
            #expect(
                abs(numericDeviation - Double(result.deviationGradient[index])) < 1e-2 * max(1, abs(numericDeviation)))
        }
    }

    @Test func layerKLGradientsReachRhoThroughSoftplus() throws {
        let graph = try Self.graph(BayesianDense(3, 2), inputShape: [3])
        let layer = graph.nodes[0].layer as! BayesianDense
        var parameters = graph.parameters(of: graph.nodes[0])
        let stream = RandomStream(seed: 1)
        let kl = try layer.klDivergence(parameters: parameters, stream: stream)
        let rho = try values(parameters["weightRho"]!)
        var plus = rho, minus = rho
        plus[1] += 1e-3
        minus[1] -= 1e-3
        parameters["weightRho"] = try upload(plus, [2, 3])
        let high = try layer.klDivergence(parameters: parameters, stream: stream).value
        parameters["weightRho"] = try upload(minus, [2, 3])
        let low = try layer.klDivergence(parameters: parameters, stream: stream).value
        let numeric = (high - low) / Double(plus[1] - minus[1])
        #expect(abs(numeric - Double(try values(kl.gradients["weightRho"]!)[1])) < 1e-2 * max(1, abs(numeric)))
    }

    /// Both KL weightings give an epoch's minibatches weights that sum to 1; Blundell's halves each time.
    @Test(arguments: [1, 5, 46, 2000])
    func klWeightsSumToOne(_ count: Int) {
        for weighting in Trainer<Adam>.KLWeighting.allCases {
            let weights = (1...count).map { weighting.weight($0, of: count) }
            #expect(abs(weights.reduce(0, +) - 1) < 1e-12, "\(weighting)")
        }
        if count > 1 {
            #expect(
                Trainer<Adam>.KLWeighting.blundell.weight(2, of: count) * 2
                    == Trainer<Adam>.KLWeighting.blundell.weight(1, of: count))
        }
    }

    @Test func badPriorsAreRefused() {
        #expect(throws: GlassboxError.self) { try WeightPrior.gaussian(standardDeviation: 0).validated() }
        #expect(throws: GlassboxError.self) {
            try WeightPrior.scaleMixture(weight: 1, wide: 1, narrow: 0.1).validated()
        }
    }
}
