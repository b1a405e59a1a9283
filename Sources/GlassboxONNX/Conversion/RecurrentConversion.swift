import GlassboxCore
import GlassboxNN

/// Conversion of the recurrent operator `LSTM` (opset 7; `layout` from opset 14) into
/// `LSTM` layers, one per direction, on the sequence seen batch first.
///
/// In layout 0 the sequence X is [T, B, D] and the outputs are Y [T, dirs, B, H] and
/// Y_h [dirs, B, H]; in layout 1 they are [B, T, D], [B, T, dirs, H] and [B, dirs, H].
/// As every value here, these are batch-of-one shapes whose tensors stack N samples
/// along axis 0. PyTorch's exporter writes layout 0 and reaches it from a batch-first
/// value [N, T, D] by a Transpose with `perm` [1, 0, 2] (for `nn.LSTM(batch_first=True)`,
/// and for a model that transposes its batch-first input for `batch_first=False`): the
/// batch-of-one X is then [T, 1, D], each sample's T steps of D features in order, so
/// the batch-first view [1, T, D] the layers read is a reshape, free at run time. Only
/// where B > 1 (several sequences in one sample) is X transposed per sample, and the
/// outputs likewise. A model whose *input* is the sequence in layout 0 ([T, N, D]) has
/// its time axis where Glassbox stacks the samples and is refused.
///
/// The outputs Y and Y_h are built when the node names them; Y_c (the last cell state)
/// is not computed, and a node reading it fails with that reason.
enum RecurrentConversion {
    static func lstm(_ state: inout ImportState, _ node: ONNXNode) throws {
        // hidden_size is optional in the specification; R [dirs, 4H, H] gives it too.
        let hidden = try node.int(
            "hidden_size",
            default: state.constant(try node.requiredInput(2), for: "the recurrence weights R of '\(node.label)'")
                .shape.last ?? 0)
        guard hidden > 0 else { throw node.problem("has hidden_size \(hidden)") }
        let direction = node.string("direction", default: "forward")
        let reversed: [Bool]
        switch direction {
        case "forward": reversed = [false]
        case "reverse": reversed = [true]
        case "bidirectional": reversed = [false, true]
        default: throw node.problem("has the unknown direction '\(direction)'")
        }
        let layout = state.opset >= 14 ? try node.int("layout", default: 0) : 0
        guard layout == 0 || layout == 1 else { throw node.problem("has layout \(layout); ONNX defines 0 and 1") }
        guard !node.has("clip") else {
            throw node.problem("clips its cell inputs (attribute 'clip'), which is not supported")
        }
        guard try node.int("input_forget", default: 0) == 0 else {
            throw node.problem("couples its input and forget gates (input_forget = 1), which is not supported")
        }
        if let activations = node.strings("activations"),
            activations.map({ $0.lowercased() })
                != Array(
                    [[String]](repeating: ["sigmoid", "tanh", "tanh"], count: reversed.count).joined())
        {
            throw node.problem(
                "uses the activations \(activations); only the default Sigmoid, Tanh, Tanh are supported")
        }
        guard node.input(7) == nil else {
            throw node.problem("has peephole weights (input P), which are not supported")
        }

        let x = try node.requiredInput(0)
        guard !state.isConstant(x) else {
            throw node.problem("runs on a constant sequence; the sequence must be computed from the input")
        }
        if layout == 0, state.resolve(x) == state.inputName {
            throw node.problem(
                "reads the model input as a sequence [T, N, D] (layout 0), whose axis 0 Glassbox takes as the batch "
                    + "axis; export the model batch first (nn.LSTM(batch_first=True), or transpose the input inside it)"
            )
        }
        let shape = try state.shape(of: x).dimensions
        guard shape.count == 3 else { throw node.problem("reads a sequence of shape \(Shape(shape)); it needs 3 axes") }
        let (steps, features) = (shape[layout == 0 ? 0 : 1], shape[2])
        let directions = reversed.count, gates = 4 * hidden
        let weight = try parameter(state, node, input: 1, [directions, gates, features])
        let recurrence = try parameter(state, node, input: 2, [directions, gates, hidden])
        let bias =
            try node.input(3).map { _ in try parameter(state, node, input: 3, [directions, 2 * gates]) }
            ?? ConstantTensor(
                shape: [directions, 2 * gates], values: Array(repeating: 0, count: directions * 2 * gates))
        if let lengths = node.input(4) {
            let values = try state.constant(lengths, for: "the sequence lengths of '\(node.label)'").values
            guard values.allSatisfy({ $0 == Double(steps) }) else {
                throw node.problem(
                    "gives sequence lengths \(values.map { Int($0) }) for its \(steps) steps; only full-length "
                        + "sequences are supported")
            }
        }
        for (index, role) in [(5, "hidden"), (6, "cell")] {
            guard let name = node.input(index) else { continue }
            guard let value = state.constants[name], value.values.allSatisfy({ $0 == 0 }) else {
                throw node.problem(
                    "starts from a given initial \(role) state (input \(index)); only zero initial states are supported"
                )
            }
        }

        // The sequence batch first, [B, T, D], and one layer per direction, each giving [B, T, H].
        let base = node.outputs.first { !$0.isEmpty } ?? node.label
        var sequence = x
        if layout == 0 {
            sequence = "\(base)#sequence"
            try permute(&state, x, [1, 0, 2], as: sequence)
        }
        var hiddenStates = [String]()
        for (index, reverse) in reversed.enumerated() {
            let name = "\(base)#\(reverse ? "reverse" : "forward")"
            try state.add(
                name, LSTM(inputSize: features, hiddenSize: hidden, reverse: reverse), inputs: [sequence],
                parameters: [
                    "weight": weight.direction(index), "recurrence": recurrence.direction(index),
                    "bias": bias.direction(index),
                ])
            hiddenStates.append(name)
        }

        let outputs = node.outputs
        if let y = outputs.first, !y.isEmpty {
            // [B, T, dirs, H]: each direction as [B, T, 1, H], side by side.
            let stacked = layout == 1 ? y : "\(y)#batch-first"
            let parts = hiddenStates.count == 1 ? [stacked] : hiddenStates.map { "\($0)#steps" }
            for (part, source) in zip(parts, hiddenStates) {
                try state.add(part, Reshape([steps, 1, hidden]), inputs: [source])
            }
            if parts.count > 1 { try state.add(stacked, Concat(axis: 2), inputs: parts) }
            if layout == 0 { try permute(&state, stacked, [1, 2, 0, 3], as: y) }
        }
        if outputs.count > 1, !outputs[1].isEmpty {
            // [B, dirs, H]: each direction's state after its last step, side by side.
            let y = outputs[1], stacked = layout == 1 ? y : "\(y)#batch-first"
            var parts = [String]()
            for (name, reverse) in zip(hiddenStates, reversed) {
                let position = reverse ? 0 : steps - 1
                parts.append(steps == 1 ? name : "\(name)#last")
                if steps > 1 {
                    try state.add(
                        "\(name)#last", StridedSlice(axes: [1], starts: [position], ends: [position + 1]),
                        inputs: [name])
                }
            }
            if parts.count > 1 {
                try state.add(stacked, Concat(axis: 1), inputs: parts)
            } else {
                state.alias(stacked, to: parts[0])
            }
            if layout == 0 { try permute(&state, stacked, [1, 0, 2], as: y) }
        }
        if outputs.count > 2, !outputs[2].isEmpty {
            state.unsupported[outputs[2]] =
                "is the last cell state Y_c of LSTM node '\(node.label)', which the importer does not compute "
                + "(it computes Y and Y_h)"
        }
    }

    /// The constant input `input` of `node`, checked to have `shape`.
    private static func parameter(_ state: ImportState, _ node: ONNXNode, input: Int, _ shape: [Int]) throws
        -> ConstantTensor
    {
        let role = ["", "weights W", "recurrence weights R", "biases B"][input]
        let value = try state.constant(try node.requiredInput(input), for: "the \(role) of '\(node.label)'")
        guard value.shape == shape else {
            throw node.problem(
                "has \(role) of shape \(Shape(value.shape)), its sequence and sizes need \(Shape(shape))")
        }
        return value
    }

    /// Adds `name`: the computed value `source` with its axes permuted (axis i of the
    /// result is axis `permutation[i]` of the batch-of-one value). When the permutation
    /// keeps the order of the axes longer than 1 this is a reshape, free at run time;
    /// otherwise a transpose, built along the samples when it moves axis 0.
    private static func permute(_ state: inout ImportState, _ source: String, _ permutation: [Int], as name: String)
        throws
    {
        let dimensions = try state.shape(of: source).dimensions
        let long = dimensions.indices.filter { dimensions[$0] > 1 }
        if permutation.filter({ dimensions[$0] > 1 }) == long {
            try state.add(name, Reshape(Shape(permutation.dropFirst().map { dimensions[$0] })), inputs: [source])
        } else {
            try state.add(name, alongSamples: permutation[0] != 0, inputs: [source]) { offset in
                Transpose((offset == 1 ? [0] : []) + permutation.map { $0 + offset })
            }
        }
    }
}

extension ConstantTensor {
    /// Block `index` along axis 0: one direction's weights of an ONNX recurrent operator.
    fileprivate func direction(_ index: Int) -> ConstantTensor {
        let size = shape.dropFirst().reduce(1, *)
        return ConstantTensor(
            shape: Array(shape.dropFirst()), values: Array(values[(index * size)..<((index + 1) * size)]))
    }
}
