import Foundation
import GlassboxCore
import GlassboxNN

/// Conversions of elementwise operators: arithmetic, comparisons and logic,
/// activations and other functions of one value, Clip, Elu, PRelu. Each folds
/// at load time when its operands are constants.
enum ElementwiseConversion {
    /// Add/Sub/Mul/Div/Pow: folded when both operands are constants, an
    /// `Arithmetic` layer with a constant operand when one is, `Add` or
    /// `Arithmetic` otherwise.
    static func arithmetic(_ operation: BinaryOperation) -> OperatorTable.Converter {
        { state, node in
            let left = try node.requiredInput(0), right = try node.requiredInput(1)
            let along = try acrossSamples(state, [left, right])
            switch (state.constants[left], state.constants[right]) {
            case let (a?, b?):
                let integral = a.integral && b.integral
                state.constants[node.output] = try ConstantFolding.broadcast([a, b], node: node) { operands in
                    let (x, y) = (operands[0], operands[1])
                    return switch operation {
                    case .add: x + y
                    case .subtract: x - y
                    case .multiply: x * y
                    case .power: Foundation.pow(x, y)
                    default: integral ? (x / y).rounded(.towardZero) : x / y
                    }
                }
            case let (a?, nil):
                try state.add(
                    node.output, alongSamples: along, inputs: [right],
                    parameters: ["operand": a]
                ) { _ in Arithmetic(operation, constantShape: a.glassboxShape, constantFirst: true) }
            case let (nil, b?):
                try state.add(
                    node.output, alongSamples: along, inputs: [left],
                    parameters: ["operand": b]
                ) { _ in Arithmetic(operation, constantShape: b.glassboxShape) }
            case (nil, nil):
                let sameShape = try state.shape(of: left) == state.shape(of: right)
                try state.add(node.output, alongSamples: along, inputs: [left, right]) {
                    _ in operation == .add && sameShape ? Add() as any Layer : Arithmetic(operation)
                }
            }
        }
    }

    /// Whether broadcasting `operands` (constants and computed values, shapes for
    /// a batch of one) reaches along axis 0 of the result: a computed operand
    /// that is repeated along it, or a constant that varies along it.
    static func acrossSamples(_ state: ImportState, _ operands: [String]) throws -> Bool {
        let shapes = try operands.map { try state.constants[$0]?.glassboxShape ?? state.shape(of: $0) }
        var result = Shape([])
        for shape in shapes { result = try BroadcastLayout(result, shape).shape }
        return zip(operands, shapes).contains { name, shape in
            if state.isConstant(name) { return shape.rank > 0 && shape.rank == result.rank && shape[0] != 1 }
            return shape.rank == 0 || shape.rank < result.rank || shape[0] != result[0]
        }
    }

    /// A function of constants (any number of operands, broadcast), which has no
    /// layer: comparisons, logic, Mod, rounding. Computed operands are refused.
    static func folded(_ combine: @escaping @Sendable (ONNXNode, [Double]) throws -> Double, integral: Bool)
        -> OperatorTable.Converter
    {
        { state, node in
            let operands = try node.proto.input.filter { !$0.isEmpty }.map {
                try state.constant($0, for: "the operand '\($0)' of '\(node.label)' (\(node.opType) runs at load time)")
            }
            var result = try ConstantFolding.broadcast(operands, node: node) { try combine(node, $0) }
            result.integral = integral || operands.allSatisfy(\.integral)
            state.constants[node.output] = result
        }
    }

    /// The sum of any number of computed values of one shape.
    static func sum(_ state: inout ImportState, _ node: ONNXNode) throws {
        let inputs = node.proto.input.filter { !$0.isEmpty }
        guard !inputs.contains(where: state.isConstant) else {
            throw node.problem("with constant operands is not supported")
        }
        if inputs.count == 1 {
            state.alias(node.output, to: inputs[0])
        } else {
            try state.add(node.output, Add(), inputs: inputs)
        }
    }

    /// A function of one value: folded on a constant with `fold`, else a layer.
    static func function(
        _ fold: @escaping @Sendable (ONNXNode, Double) throws -> Double,
        layer: @escaping @Sendable (ONNXNode) throws -> any Layer
    ) -> OperatorTable.Converter {
        { state, node in
            let x = try node.requiredInput(0)
            if let constant = state.constants[x] {
                state.constants[node.output] = ConstantTensor(
                    shape: constant.shape, values: try constant.values.map { try fold(node, $0) })
                return
            }
            try state.add(node.output, try layer(node), inputs: [x])
        }
    }

    /// A pointwise nonlinearity whose kind may depend on the node's attributes.
    static func activation(_ kind: @escaping @Sendable (ONNXNode) throws -> ActivationKind) -> OperatorTable.Converter {
        function(
            { node, x in try kind(node).value(at: x) }, layer: { Activation(try kind($0)) })
    }

    /// Neg, Abs, Sqrt, Exp, Log, Reciprocal.
    static func unary(_ operation: UnaryOperation) -> OperatorTable.Converter {
        function({ _, x in operation.value(at: x) }, layer: { _ in UnaryFunction(operation) })
    }

    /// Clip's bounds are attributes before opset 11 and optional constant inputs from then on.
    static func clip(_ state: inout ImportState, _ node: ONNXNode) throws {
        var minimum = -Float.greatestFiniteMagnitude, maximum = Float.greatestFiniteMagnitude
        if state.opset < 11 {
            minimum = try node.float("min", default: minimum)
            maximum = try node.float("max", default: maximum)
        } else {
            if let name = node.input(1) {
                minimum = Float(
                    try state.constant(name, for: "the minimum of '\(node.label)'").scalar("Clip's minimum"))
            }
            if let name = node.input(2) {
                maximum = Float(
                    try state.constant(name, for: "the maximum of '\(node.label)'").scalar("Clip's maximum"))
            }
        }
        let bounds = (minimum, maximum)
        try function(
            { _, x in min(max(x, Double(bounds.0)), Double(bounds.1)) },
            layer: { _ in Clip(minimum: bounds.0, maximum: bounds.1) })(&state, node)
    }

    static func elu(_ state: inout ImportState, _ node: ONNXNode) throws {
        try state.add(node.output, ELU(alpha: try node.float("alpha", default: 1)), inputs: [try node.requiredInput(0)])
    }

    static func prelu(_ state: inout ImportState, _ node: ONNXNode) throws {
        let slope = try state.constant(try node.requiredInput(1), for: "the slope of '\(node.label)'")
        try state.add(
            node.output, PReLU(slopeShape: slope.glassboxShape), inputs: [try node.requiredInput(0)],
            parameters: ["slope": slope])
    }

    /// Not of a constant mask folds; of a computed 0/1 mask it is 1 − x.
    static func not(_ state: inout ImportState, _ node: ONNXNode) throws {
        let x = try node.requiredInput(0)
        if let constant = state.constants[x] {
            state.constants[node.output] = ConstantTensor(
                shape: constant.shape, values: constant.values.map { $0 == 0 ? 1 : 0 }, integral: true)
            return
        }
        try state.add(
            node.output, Arithmetic(.subtract, constantShape: [], constantFirst: true), inputs: [x],
            parameters: ["operand": ConstantTensor(shape: [], values: [1])])
    }
}
