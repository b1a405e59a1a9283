import Foundation
import GlassboxConformance
import GlassboxCore
import Testing

@testable import GlassboxNN

/// The ``LSTM`` layer: its forward pass against a Float64 computation written out here
/// from the ONNX `LSTM` equations, its backward pass from the values its forward pass saved, its
/// initialisation, model file and refusals. (Its finite-difference gradient checks are
/// in ImportLayerGradientTests.swift.)
@Suite("LSTM")
struct LSTMTests {
    /// The hidden states of every step, N×T×H in time order, computed in Float64 from
    /// W (4H×D), R (4H×H) and the bias (8H) with gates in the order i, o, f, c.
    static func expectedHiddenStates(
        input x: [Float], samples: Int, steps: Int, inputSize d: Int, hiddenSize h: Int,
        weight: [Float], recurrence: [Float], bias: [Float], reverse: Bool
    ) -> [Double] {
        func sigmoid(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }
        var result = [Double](repeating: 0, count: samples * steps * h)
        for n in 0..<samples {
            var hidden = [Double](repeating: 0, count: h), cell = [Double](repeating: 0, count: h)
            for t in reverse ? Array((0..<steps).reversed()) : Array(0..<steps) {
                // a[g·H + j] = Σ_k x[k]·W[g·H + j, k] + Σ_k h[k]·R[g·H + j, k] + Wb + Rb
                var a = [Double](repeating: 0, count: 4 * h)
                for row in 0..<(4 * h) {
                    var sum = Double(bias[row]) + Double(bias[4 * h + row])
                    for k in 0..<d { sum += Double(x[(n * steps + t) * d + k]) * Double(weight[row * d + k]) }
                    for k in 0..<h { sum += hidden[k] * Double(recurrence[row * h + k]) }
                    a[row] = sum
                }
                for j in 0..<h {
                    let i = sigmoid(a[j]), o = sigmoid(a[h + j]), f = sigmoid(a[2 * h + j])
                    let candidate = Foundation.tanh(a[3 * h + j])
                    cell[j] = f * cell[j] + i * candidate
                    hidden[j] = o * Foundation.tanh(cell[j])
                    result[(n * steps + t) * h + j] = hidden[j]
                }
            }
        }
        return result
    }

    @Test("forward equals the ONNX equations computed in Float64", arguments: [false, true])
    func forwardMatchesTheEquations(reverse: Bool) throws {
        let (samples, steps, d, h) = (3, 5, 4, 6)
        let layer = LSTM(inputSize: d, hiddenSize: h, reverse: reverse)
        let graph = try singleLayerGraph(layer, inputShape: [steps, d], seed: 7)
        var generator = SplitMix64(seed: 41)
        let x = generator.floats(samples * steps * d, -2, 2)
        let output = try graph.predict(try upload(x, [samples, steps, d]))
        #expect(output.shape == [samples, steps, h])
        let expected = Self.expectedHiddenStates(
            input: x, samples: samples, steps: steps, inputSize: d, hiddenSize: h,
            weight: try values(graph.parameters["layer.weight"]!),
            recurrence: try values(graph.parameters["layer.recurrence"]!),
            bias: try values(graph.parameters["layer.bias"]!), reverse: reverse)
        #expect(normalisedError(try values(output).map(Double.init), expected) < 1e-5)
    }

    /// The backward pass reads the gates and cell states the forward pass saved, and refuses to run without them.
    @Test func backwardNeedsTheSavedValues() throws {
        let graph = try singleLayerGraph(LSTM(inputSize: 2, hiddenSize: 3), inputShape: [4, 2])
        var generator = SplitMix64(seed: 44)
        let x = try upload(generator.floats(16), [2, 4, 2])
        let record = try graph.forward(x)
        let node = graph.nodes[0]
        #expect(record.saved["layer"]?.isEmpty == false)
        let step = BackwardStep(
            node: node, inputs: [x], output: record.output, saved: [],
            gradient: try upload(generator.floats(24), [2, 4, 3]),
            parameters: graph.parameters(of: node), wantsParameterGradients: true)
        #expect(throws: GlassboxError.self) { try node.layer.backward(step) }
    }

    @Test("a new layer's parameters are uniform in ±1/√H, as PyTorch draws them")
    func initialization() throws {
        let layer = LSTM(inputSize: 5, hiddenSize: 16)
        let graph = try Graph.initialized(
            inputShape: [3, 5], nodes: [Node("lstm", layer, inputs: ["input"])], seed: 5, backend: cpu)
        let bound: Float = 0.25
        for (name, shape) in [("weight", Shape([64, 5])), ("recurrence", [64, 16]), ("bias", [128])] {
            let parameter = try #require(graph.parameters["lstm.\(name)"])
            #expect(parameter.shape == shape)
            let drawn = try values(parameter)
            #expect(drawn.allSatisfy { abs($0) < bound }, "\(name)")
            // A uniform draw in ±b has mean 0 and standard deviation b/√3.
            let mean = drawn.reduce(0, +) / Float(drawn.count)
            let deviation = (drawn.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(drawn.count)).squareRoot()
            #expect(abs(mean) < 0.05 && abs(deviation - bound / Float(3).squareRoot()) < 0.03, "\(name)")
        }
    }

    @Test func modelFileRoundTrip() throws {
        let graph = try singleLayerGraph(LSTM(inputSize: 2, hiddenSize: 3, reverse: true), inputShape: [4, 2])
        let (loaded, _) = try ModelFile.decode(try ModelFile.encode(graph), backend: cpu)
        #expect(loaded.nodes[0].layer as? LSTM == LSTM(inputSize: 2, hiddenSize: 3, reverse: true))
        var generator = SplitMix64(seed: 45)
        let x = try upload(generator.floats(16), [2, 4, 2])
        #expect(try bitPatterns(loaded.predict(x)) == bitPatterns(graph.predict(x)))
    }

    @Test func refusals() {
        let layer = LSTM(inputSize: 3, hiddenSize: 2)
        for shape: Shape in [[1, 4, 2], [1, 4], [1, 0, 3], [1, 2, 4, 3]] {
            #expect(glassboxError { _ = try layer.outputShape(for: [shape]) }?.isShapeMismatch == true, "\(shape)")
        }
        #expect(
            glassboxError { _ = try LSTM(inputSize: 3, hiddenSize: 0).outputShape(for: [[1, 4, 3]]) }?
                .isInvalidModel == true)
    }
}
