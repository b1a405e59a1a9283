import Foundation
import GlassboxConformance
import GlassboxCore
import Testing

@testable import GlassboxNN

/// Finite-difference checks of the layers ONNX operators map to: Arithmetic
/// (with broadcasting and constant operands), Clip, ELU, PReLU and LSTM (input, weight,
/// recurrence and bias, through time).
@Suite("Import layer gradients")
struct ImportLayerGradientTests {
    @Test(
        "Arithmetic of two graph values, equal shapes and broadcast",
        arguments: [BinaryOperation.add, .subtract, .multiply, .divide])
    func twoValues(_ operation: BinaryOperation) throws {
        let graph = try makeGraph(
            inputShape: [2, 3, 4],
            nodes: [
                Node("t", Activation(.tanh), inputs: ["input"]),
                Node("s", Activation(.sigmoid), inputs: ["input"]),
                Node("pooled", GlobalAveragePool(), inputs: ["s"]),
                Node("same", Arithmetic(operation), inputs: ["t", "s"]),
                Node("broadcast", Arithmetic(operation), inputs: ["same", "pooled"]),
            ])
        var generator = SplitMix64(seed: 31)
        try GradientCheck(graph, input: try upload(generator.floats(48), [2, 2, 3, 4]), maxCoordinates: 48)
            .expectAccurate()
    }

    @Test(
        "Arithmetic with a constant operand on either side",
        arguments: [BinaryOperation.add, .subtract, .multiply, .divide])
    func constantOperand(_ operation: BinaryOperation) throws {
        let graph = try makeGraph(
            inputShape: [2, 3, 4],
            nodes: [
                Node("s", Activation(.sigmoid), inputs: ["input"]),
                Node("right", Arithmetic(operation, constantShape: [2, 1, 1]), inputs: ["s"]),
                Node("shift", Arithmetic(.add, constantShape: [1], constantFirst: true), inputs: ["right"]),
                Node("positive", Activation(.sigmoid), inputs: ["shift"]),
                Node("left", Arithmetic(operation, constantShape: [4], constantFirst: true), inputs: ["positive"]),
            ])
        var generator = SplitMix64(seed: 32)
        try GradientCheck(graph, input: try upload(generator.floats(48), [2, 2, 3, 4]), maxCoordinates: 48)
            .expectAccurate()
    }

    @Test func arithmeticComputesWhatItSays() throws {
        let graph = try makeGraph(
            inputShape: [3],
            nodes: [Node("div", Arithmetic(.divide, constantShape: [3], constantFirst: true), inputs: ["input"])])
        var parameters = graph.parameters
        parameters["div.operand"] = try upload([1, 2, 3], [3])
        var updated = graph
        try updated.setParameters(parameters)
        #expect(try values(try updated.predict(try upload([2, 4, 6], [1, 3]))) == [0.5, 0.5, 0.5])
    }

    @Test func arithmeticRefusesBroadcastingAcrossTheBatch() {
        #expect(throws: GlassboxError.self) {
            _ = try makeGraph(
                inputShape: [3], nodes: [Node("bad", Arithmetic(.add, constantShape: [4, 3]), inputs: ["input"])])
        }
    }

    @Test func clip() throws {
        let graph = try makeGraph(
            inputShape: [20], nodes: Graph.sequentialNodes([("clip", Clip(minimum: -0.5, maximum: 0.4))]))
        var generator = SplitMix64(seed: 33)
        // Away from the kinks at −0.5 and 0.4.
        let x: [Float] = generator.floats(40, -1, 1).map { value in
            let nearKink = abs(value - 0.4) < 0.05 || abs(value + 0.5) < 0.05
            return nearKink ? value * 0.5 : value
        }
        let output = try values(try graph.predict(try upload(x, [2, 20])))
        #expect(output == x.map { min(max($0, -0.5), 0.4) })
        try GradientCheck(graph, input: try upload(x, [2, 20]), h: 1e-3, maxCoordinates: 40, piecewiseLinear: true)
            .expectAccurate()
    }

    @Test func elu() throws {
        let graph = try makeGraph(inputShape: [20], nodes: Graph.sequentialNodes([("elu", ELU(alpha: 0.7))]))
        var generator = SplitMix64(seed: 34)
        let x = generator.awayFromZero(40).map { $0 * 3 }
        let output = try values(try graph.predict(try upload(x, [2, 20])))
        #expect(normalisedError(output, x.map { $0 > 0 ? $0 : 0.7 * (Float.exp($0) - 1) }) < 1e-6)
        try GradientCheck(graph, input: try upload(x, [2, 20]), h: 1e-3, maxCoordinates: 40).expectAccurate()
        #expect(
            try values(try graph.predict(try upload(Array(repeating: 1000, count: 20), [1, 20])))
                == Array(repeating: 1000, count: 20))
    }

    @Test func transpose() throws {
        let graph = try makeGraph(
            inputShape: [2, 3, 4],
            nodes: Graph.sequentialNodes([
                ("nhwc", Transpose([0, 2, 3, 1])), ("tanh", Activation(.tanh)), ("back", Transpose([0, 3, 1, 2])),
            ]))
        var generator = SplitMix64(seed: 36)
        let x = generator.floats(48)
        let record = try graph.forward(try upload(x, [2, 2, 3, 4]))
        #expect(try record.activation("nhwc").shape == [2, 3, 4, 2])
        #expect(normalisedError(try values(record.output), x.map { Float(Foundation.tanh(Double($0))) }) < 1e-6)
        try GradientCheck(graph, input: try upload(x, [2, 2, 3, 4]), maxCoordinates: 48).expectAccurate()
    }

    @Test func pad() throws {
        let graph = try makeGraph(
            inputShape: [2, 3, 4],
            nodes: Graph.sequentialNodes([
                ("pad", Pad(before: [0, 1, 2], after: [1, 0, 1], value: 0.5)), ("tanh", Activation(.tanh)),
            ]))
        var generator = SplitMix64(seed: 37)
        let x = generator.floats(24)
        let padded = try values(try graph.forward(try upload(x, [1, 2, 3, 4])).activation("pad"))
        #expect(padded.count == 3 * 4 * 7)
        #expect(padded[0] == 0.5)
        #expect(padded[(0 * 4 + 1) * 7 + 2] == x[0])
        try GradientCheck(graph, input: try upload(generator.floats(48), [2, 2, 3, 4]), maxCoordinates: 48)
            .expectAccurate()
    }

    @Test(arguments: [1, 2, 3, 5])
    func localResponseNormalization(size: Int) throws {
        let layer = LocalResponseNormalization(size: size, alpha: 0.3, beta: 0.75, bias: 1.5)
        let graph = try makeGraph(inputShape: [6, 2, 3], nodes: Graph.sequentialNodes([("lrn", layer)]))
        var generator = SplitMix64(seed: 38)
        let x = generator.floats(72)
        // A direct evaluation of the definition.
        let output = try values(try graph.predict(try upload(x, [2, 6, 2, 3])))
        var expected = [Float]()
        for n in 0..<2 {
            for c in 0..<6 {
                for p in 0..<6 {
                    let window = max(0, c - (size - 1) / 2)...min(5, c + size / 2)
                    let sum = window.reduce(0.0) { $0 + pow(Double(x[(n * 6 + $1) * 6 + p]), 2) }
                    let d = 1.5 + 0.3 / Double(size) * sum
                    expected.append(Float(Double(x[(n * 6 + c) * 6 + p]) * pow(d, -0.75)))
                }
            }
        }
        #expect(normalisedError(output, expected) < 1e-5)
        try GradientCheck(graph, input: try upload(x, [2, 6, 2, 3]), h: 1e-3, maxCoordinates: 72).expectAccurate()
    }

    @Test func batchedMatMul() throws {
        let graph = try makeGraph(
            inputShape: [3, 4],
            nodes: [
                Node("t", Activation(.tanh), inputs: ["input"]),
                Node("s", Transpose([0, 2, 1]), inputs: ["input"]),
                Node("scores", BatchedMatMul(), inputs: ["t", "s"]),
                Node("attention", Softmax(axis: 2), inputs: ["scores"]),
                Node("mixed", BatchedMatMul(), inputs: ["attention", "t"]),
                Node("projection", Dense(4, 2), inputs: ["mixed"]),
            ])
        var generator = SplitMix64(seed: 39)
        let x = generator.floats(24)
        let output = try values(try graph.predict(try upload(x, [2, 3, 4])))
        #expect(output.count == 12)
        try GradientCheck(graph, input: try upload(x, [2, 3, 4]), h: 1e-3, maxCoordinates: 24).expectAccurate()
        #expect(throws: GlassboxError.self) {
            _ = try makeGraph(inputShape: [3, 4], nodes: [Node("bad", BatchedMatMul(), inputs: ["input", "input"])])
        }
    }

    @Test func prelu() throws {
        let graph = try makeGraph(
            inputShape: [3, 2, 2], nodes: Graph.sequentialNodes([("prelu", PReLU(slopeShape: [3, 1, 1]))]))
        var generator = SplitMix64(seed: 35)
        try GradientCheck(
            graph, input: try upload(generator.awayFromZero(24), [2, 3, 2, 2]), h: 1e-3, maxCoordinates: 24,
            piecewiseLinear: true
        ).expectAccurate()
    }

    @Test("LSTM: backpropagation through time, one direction", arguments: [false, true])
    func lstm(reverse: Bool) throws {
        let graph = try singleLayerGraph(LSTM(inputSize: 3, hiddenSize: 4, reverse: reverse), inputShape: [5, 3])
        var generator = SplitMix64(seed: 42)
        let check = try GradientCheck(
            graph, input: try upload(generator.floats(30, -2, 2), [2, 5, 3]), h: 1e-2, maxCoordinates: 48)
        #expect(Set(check.errors.keys) == ["input", "layer.weight", "layer.recurrence", "layer.bias"])
        check.expectAccurate()
    }

    /// Two directions joined as ONNX's bidirectional LSTM is imported, then a second LSTM
    /// over the joined states: the gradients reach both directions and the first layer.
    @Test("LSTM: two directions joined, then a second LSTM")
    func lstmBidirectionalStack() throws {
        let graph = try makeGraph(
            inputShape: [4, 2],
            nodes: [
                Node("forward", LSTM(inputSize: 2, hiddenSize: 3), inputs: ["input"]),
                Node("backward", LSTM(inputSize: 2, hiddenSize: 3, reverse: true), inputs: ["input"]),
                Node("both", Concat(axis: 2), inputs: ["forward", "backward"]),
                Node("second", LSTM(inputSize: 6, hiddenSize: 2), inputs: ["both"]),
            ], seed: 3)
        var generator = SplitMix64(seed: 43)
        let check = try GradientCheck(
            graph, input: try upload(generator.floats(16, -2, 2), [2, 4, 2]), h: 1e-2, maxCoordinates: 36)
        #expect(check.errors.count == 10)
        check.expectAccurate()
    }
}

extension Float {
    static func exp(_ x: Float) -> Float { Float(Foundation.exp(Double(x))) }
}
