import GlassboxCore
import GlassboxNN

/// Conversions of elementwise operators: arithmetic, activations, Clip, Elu, PRelu.
enum ElementwiseConversion {
    /// Add/Sub/Mul/Div: folded when both operands are constants, an `Arithmetic`
    /// layer with a constant operand when one is, `Add` or `Arithmetic` otherwise.
    static func arithmetic(_ operation: BinaryOperation) -> OperatorTable.Converter {
        { state, node in
            let left = try node.requiredInput(0), right = try node.requiredInput(1)
            switch (state.constants[left], state.constants[right]) {
            case let (a?, b?):
                state.constants[node.output] = try ConstantFolding.broadcast(a, b, node: node) { x, y in
                    switch operation {
                    case .add: x + y
                    case .subtract: x - y
                    case .multiply: x * y
                    default: x / y
                    }
                }
            case let (a?, nil):
                try state.add(
                    node.output, Arithmetic(operation, constantShape: a.glassboxShape, constantFirst: true),
                    inputs: [right], parameters: ["operand": a])
            case let (nil, b?):
                try state.add(
                    node.output, Arithmetic(operation, constantShape: b.glassboxShape), inputs: [left],
                    parameters: ["operand": b])
            case (nil, nil):
                let sameShape = try state.shape(of: left) == state.shape(of: right)
                try state.add(
                    node.output, operation == .add && sameShape ? Add() : Arithmetic(operation), inputs: [left, right])
            }
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

    /// A pointwise nonlinearity whose kind may depend on the node's attributes.
    static func activation(_ kind: @escaping @Sendable (ONNXNode) throws -> ActivationKind) -> OperatorTable.Converter {
        { state, node in
            try state.add(node.output, Activation(try kind(node)), inputs: [try node.requiredInput(0)])
        }
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
        try state.add(node.output, Clip(minimum: minimum, maximum: maximum), inputs: [try node.requiredInput(0)])
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
}
