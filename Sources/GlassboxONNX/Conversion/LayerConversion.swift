import GlassboxCore
import GlassboxNN

/// Conversions of the operators with weights or windows: Conv, pooling, Gemm,
/// MatMul and BatchNormalization.
enum LayerConversion {
    /// A 2-D convolution, or a 1-D one (N×C×T input, weight O×(C/groups)×k) run as the 2-D
    /// convolution of height 1 (see ``addPlanar(_:_:_:_:parameters:)``).
    static func conv(_ state: inout ImportState, _ node: ONNXNode) throws {
        let x = try node.requiredInput(0)
        let weight = try state.constant(try node.requiredInput(1), for: "the weight of '\(node.label)'")
        let input = try state.shape(of: x)
        guard weight.shape.count == 3 || weight.shape.count == 4, weight.shape.count == input.rank else {
            throw node.problem(
                "is not a 1-D or 2-D convolution (weight of shape \(Shape(weight.shape)) for an input of \(input))")
        }
        let bias = try node.input(2).map { try state.constant($0, for: "the bias of '\(node.label)'") }
        let window = try WindowAttributes.window(of: node, kernel: Array(weight.shape.dropFirst(2)), input: input)
        let layer = Conv2D(
            inputChannels: input[1], outputChannels: weight.shape[0], window: window,
            groups: try node.int("group", default: 1), hasBias: bias != nil)
        var parameters = ["weight": weight]
        parameters["bias"] = bias
        try addPlanar(&state, node, x, layer, parameters: parameters)
    }

    static func maxPool(_ state: inout ImportState, _ node: ONNXNode) throws {
        guard node.outputs.count < 2 || node.outputs[1].isEmpty else {
            throw node.problem("returns indices, which are not supported")
        }
        let x = try node.requiredInput(0)
        try addPlanar(
            &state, node, x, Pool2D(.max, window: try WindowAttributes.window(of: node, input: try state.shape(of: x))))
    }

    static func averagePool(_ state: inout ImportState, _ node: ONNXNode) throws {
        let x = try node.requiredInput(0)
        let countIncludePadding = try node.int("count_include_pad", default: 0) == 1
        if countIncludePadding, try node.int("ceil_mode", default: 0) == 1 {
            throw node.problem("combines ceil_mode with count_include_pad, which is not supported")
        }
        let window = try WindowAttributes.window(of: node, input: try state.shape(of: x))
        try addPlanar(&state, node, x, Pool2D(.average(countIncludePadding: countIncludePadding), window: window))
    }

    /// Adds node `node.output`: the 2-D convolution or pooling `layer` of `x`. A 1-D input
    /// N×C×T runs as N×C×1×T: a reshape to that (`<output>#2d-input`), the layer
    /// (`<output>#2d`, where LRP finds the convolution) and a reshape back to N×C′×T′.
    static func addPlanar(
        _ state: inout ImportState, _ node: ONNXNode, _ x: String, _ layer: any Layer,
        parameters: [String: ConstantTensor] = [:]
    ) throws {
        let input = try state.shape(of: x)
        guard input.rank == 3 else { return try state.add(node.output, layer, inputs: [x], parameters: parameters) }
        let planar = "\(node.output)#2d-input", result = "\(node.output)#2d"
        try state.add(planar, Reshape(Shape([input[1], 1, input[2]])), inputs: [x])
        try state.add(result, layer, inputs: [planar], parameters: parameters)
        let output = try state.shape(of: result)
        try state.add(node.output, Reshape(Shape([output[1], output[3]])), inputs: [result])
    }

    static func globalAveragePool(_ state: inout ImportState, _ node: ONNXNode) throws {
        try state.add(node.output, GlobalAveragePool(), inputs: [try node.requiredInput(0)])
    }

    /// The maximum over the whole plane, as max pooling with a window of the plane's size.
    static func globalMaxPool(_ state: inout ImportState, _ node: ONNXNode) throws {
        let x = try node.requiredInput(0)
        let input = try state.shape(of: x)
        guard input.rank == 4 else { throw node.problem("supports N×C×H×W inputs only, got \(input)") }
        try state.add(
            node.output, Pool2D(.max, window: Window2D(kernelHeight: input[2], kernelWidth: input[3])), inputs: [x])
    }

    /// Y = α·A·op(B) + β·C with constant B and C becomes a Dense layer with
    /// weight α·op(B)ᵀ and bias β·C.
    static func gemm(_ state: inout ImportState, _ node: ONNXNode) throws {
        guard try node.int("transA", default: 0) == 0 else { throw node.problem("with transA = 1 is not supported") }
        let a = try node.requiredInput(0)
        let b = try state.constant(try node.requiredInput(1), for: "the B matrix of '\(node.label)'")
        guard b.shape.count == 2 else { throw node.problem("needs a 2-D B, got \(Shape(b.shape))") }
        let alpha = Double(try node.float("alpha", default: 1)), beta = Double(try node.float("beta", default: 1))
        let transposed = try node.int("transB", default: 0) == 1
        let weight = (transposed ? b : b.transposed([1, 0])).scaled(by: alpha)
        let (outputs, inputs) = (weight.shape[0], weight.shape[1])
        var parameters = ["weight": weight]
        if let c = try node.input(2).map({ try state.constant($0, for: "the C matrix of '\(node.label)'") }) {
            guard c.count == outputs || c.count == 1, c.shape.dropLast().allSatisfy({ $0 == 1 }) else {
                throw node.problem("has a C of shape \(Shape(c.shape)) that is not one bias per output")
            }
            parameters["bias"] = ConstantTensor(
                shape: [outputs], values: (0..<outputs).map { beta * c.values[c.count == 1 ? 0 : $0] })
        }
        try state.add(
            node.output, Dense(inputs, outputs, hasBias: parameters["bias"] != nil), inputs: [a], parameters: parameters
        )
    }

    /// A·B with a constant 2-D B becomes a Dense layer without bias (weight Bᵀ);
    /// two computed values of one rank with equal leading axes multiply matrix by
    /// matrix (`BatchedMatMul`).
    static func matMul(_ state: inout ImportState, _ node: ONNXNode) throws {
        let a = try node.requiredInput(0), bName = try node.requiredInput(1)
        if !state.isConstant(a), !state.isConstant(bName) {
            return try addMatrixProducts(&state, node, [a, bName], transposeLeft: false, transposeRight: false)
        }
        guard !state.isConstant(a) else {
            throw node.problem(
                "multiplies a constant by a computed value; value · constant and value · value are supported")
        }
        let b = try state.constant(bName, for: "the B matrix of '\(node.label)'")
        guard b.shape.count == 2 else { throw node.problem("needs a 2-D constant B, got \(Shape(b.shape))") }
        try state.add(
            node.output, Dense(b.shape[0], b.shape[1], hasBias: false), inputs: [a],
            parameters: ["weight": b.transposed([1, 0])])
    }

    /// Einsum equations that are batched matrix products of two computed values,
    /// as attention layers write them ("bhid,bhjd->bhij", "bhij,bhjd->bhid").
    static func einsum(_ state: inout ImportState, _ node: ONNXNode) throws {
        let equation = node.string("equation", default: "").filter { !$0.isWhitespace }
        let sides = equation.split(separator: "->", omittingEmptySubsequences: false).map(String.init)
        let operands = sides.first?.split(separator: ",", omittingEmptySubsequences: false).map(Array.init) ?? []
        let inputs = node.proto.input.filter { !$0.isEmpty }
        guard sides.count == 2, operands.count == 2, inputs.count == 2, let output = sides.last.map(Array.init),
            let left = operands.first, let right = operands.last, left.count == right.count, left.count == output.count,
            left.count >= 2, !equation.contains(".")
        else {
            throw node.problem("has equation '\(equation)'; batched matrix products of two operands are supported")
        }
        let batch = output.dropLast(2), (i, j) = (output[output.count - 2], output[output.count - 1])
        let leftLast = Array(left.suffix(2)), rightLast = Array(right.suffix(2))
        let contracted = Set(leftLast).subtracting([i]).first
        guard Array(left.dropLast(2)) == Array(batch), Array(right.dropLast(2)) == Array(batch), let k = contracted,
            Set(leftLast) == [i, k], Set(rightLast) == [k, j], i != j, !batch.contains(k)
        else {
            throw node.problem("has equation '\(equation)', which is not a batched matrix product")
        }
        try addMatrixProducts(
            &state, node, inputs, transposeLeft: leftLast == [k, i], transposeRight: rightLast == [j, k])
    }

    /// Adds the batched matrix product of two computed values of one rank.
    private static func addMatrixProducts(
        _ state: inout ImportState, _ node: ONNXNode, _ inputs: [String], transposeLeft: Bool, transposeRight: Bool
    ) throws {
        let operands = try state.computedOperands(inputs, for: node)
        let (a, b) = (try state.shape(of: operands[0]), try state.shape(of: operands[1]))
        guard a.rank == b.rank, a.rank >= 2, a.dimensions.dropLast(2) == b.dimensions.dropLast(2) else {
            throw node.problem(
                "multiplies values of shapes \(a) and \(b); equal ranks with equal leading axes are supported")
        }
        try state.add(node.output, alongSamples: a.rank == 2, inputs: operands) { _ in
            BatchedMatMul(transposeLeft: transposeLeft, transposeRight: transposeRight)
        }
    }

    static func batchNormalization(_ state: inout ImportState, _ node: ONNXNode) throws {
        guard try node.int("training_mode", default: 0) == 0, try node.int("spatial", default: 1) == 1 else {
            throw node.problem("in training mode or with spatial = 0 is not supported")
        }
        let x = try node.requiredInput(0)
        var parameters = [String: ConstantTensor]()
        for (index, name) in ["scale", "offset", "mean", "variance"].enumerated() {
            parameters[name] = try state.constant(
                try node.requiredInput(index + 1), for: "the \(name) of '\(node.label)'")
        }
        let channels = try state.shape(of: x)[1]
        try state.add(
            node.output, BatchNorm(channels: channels, epsilon: try node.float("epsilon", default: 1e-5)),
            inputs: [x], parameters: parameters)
    }

    static func localResponseNormalization(_ state: inout ImportState, _ node: ONNXNode) throws {
        let layer = LocalResponseNormalization(
            size: try node.int("size"), alpha: try node.float("alpha", default: 1e-4),
            beta: try node.float("beta", default: 0.75), bias: try node.float("bias", default: 1))
        try state.add(node.output, layer, inputs: [try node.requiredInput(0)])
    }
}

extension ConstantTensor {
    func scaled(by factor: Double) -> ConstantTensor {
        factor == 1 ? self : ConstantTensor(shape: shape, values: values.map { $0 * factor })
    }
}
