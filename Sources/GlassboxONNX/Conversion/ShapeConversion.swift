import GlassboxCore
import GlassboxNN

/// Conversions of shape operators (on computed values; on constants they fold)
/// and of Dropout, Softmax and Identity.
enum ShapeConversion {
    static func flatten(_ state: inout ImportState, _ node: ONNXNode) throws {
        let x = try node.requiredInput(0)
        let axis = try node.int("axis", default: 1)
        if let constant = state.constants[x] {
            let normalized = axis < 0 ? axis + constant.shape.count : axis
            let outer = constant.shape.prefix(normalized).reduce(1, *)
            state.constants[node.output] = ConstantTensor(
                shape: [outer, constant.count / max(outer, 1)], values: constant.values)
            return
        }
        let rank = try state.shape(of: x).rank
        guard axis == 1 || axis == 1 - rank else {
            throw node.problem("with axis \(axis) would merge the batch axis; only axis 1 is supported")
        }
        try state.add(node.output, Reshape.flatten, inputs: [x])
    }

    /// Reshape to a constant target whose first entry keeps the batch: 0 (copy),
    /// −1 (inferred), the folded batch size, or 1 (a model exported for batch 1).
    static func reshape(_ state: inout ImportState, _ node: ONNXNode) throws {
        let x = try node.requiredInput(0)
        let target: [Int]
        if state.opset < 5 {
            guard let shape = node.ints("shape") else { throw node.problem("needs the attribute 'shape'") }
            target = shape
        } else {
            target = try state.constant(try node.requiredInput(1), for: "the shape of '\(node.label)'")
                .integers("the shape of '\(node.label)'", allowBatch: true)
        }
        if let constant = state.constants[x] {
            state.constants[node.output] = ConstantTensor(
                shape: try resolved(target, input: constant.shape, node: node), values: constant.values)
            return
        }
        let input = try state.shape(of: x)
        guard let first = target.first, [0, -1, 1, Int(ConstantTensor.batchMarker)].contains(first) else {
            throw node.problem("reshapes to \(target), which does not keep the batch axis first")
        }
        var sample = Array(target.dropFirst())
        for (index, value) in sample.enumerated() where value == 0 {
            guard index + 1 < input.rank else {
                throw node.problem("copies axis \(index + 1), which the input \(input) lacks")
            }
            sample[index] = input[index + 1]
        }
        try state.add(
            node.output, Reshape(Shape(try resolved(sample, input: input.sampleShape.dimensions, node: node))),
            inputs: [x])
    }

    /// A target shape with 0 copied from the input and one −1 inferred.
    static func resolved(_ target: [Int], input: [Int], node: ONNXNode) throws -> [Int] {
        var dimensions = target.enumerated().map {
            $0.element == 0 && $0.offset < input.count ? input[$0.offset] : $0.element
        }
        let total = input.reduce(1, *)
        if let inferred = dimensions.firstIndex(of: -1) {
            let known = dimensions.enumerated().filter { $0.offset != inferred }.map(\.element).reduce(1, *)
            guard known > 0, total % known == 0, dimensions.filter({ $0 == -1 }).count == 1 else {
                throw node.problem("cannot reshape \(input) to \(target)")
            }
            dimensions[inferred] = total / known
        }
        guard dimensions.allSatisfy({ $0 >= 0 }), dimensions.reduce(1, *) == total else {
            throw node.problem("cannot reshape \(input) to \(target)")
        }
        return dimensions
    }

    /// The axes of Squeeze/Unsqueeze: an attribute before opset 13, a constant input from then on.
    static func axes(_ state: ImportState, _ node: ONNXNode) throws -> [Int]? {
        if state.opset < 13 { return node.ints("axes") }
        return try node.input(1).map { try state.constant($0, for: "the axes of '\(node.label)'").integers("axes") }
    }

    static func squeeze(_ state: inout ImportState, _ node: ONNXNode) throws {
        let x = try node.requiredInput(0)
        let shape = try state.constants[x]?.shape ?? state.shape(of: x).dimensions
        let axes = Set(
            try axes(state, node)?.map { $0 < 0 ? $0 + shape.count : $0 }
                ?? shape.indices.filter { shape[$0] == 1 && ($0 > 0 || state.constants[x] != nil) })
        guard axes.allSatisfy({ shape.indices.contains($0) && shape[$0] == 1 }) else {
            throw node.problem("squeezes axes \(axes.sorted()) that are not of extent 1 in \(shape)")
        }
        guard state.constants[x] != nil || !axes.contains(0) else { throw node.problem("would remove the batch axis") }
        try reshapeKeepingValues(&state, node, x, to: shape.indices.filter { !axes.contains($0) }.map { shape[$0] })
    }

    static func unsqueeze(_ state: inout ImportState, _ node: ONNXNode) throws {
        let x = try node.requiredInput(0)
        let shape = try state.constants[x]?.shape ?? state.shape(of: x).dimensions
        guard let given = try axes(state, node) else { throw node.problem("needs axes") }
        let rank = shape.count + given.count
        let axes = Set(given.map { $0 < 0 ? $0 + rank : $0 })
        guard state.constants[x] != nil || !axes.contains(0) else {
            throw node.problem("would insert an axis before the batch axis")
        }
        var source = shape.makeIterator()
        try reshapeKeepingValues(&state, node, x, to: (0..<rank).map { axes.contains($0) ? 1 : source.next() ?? 1 })
    }

    /// Folds a reshape of a constant, or adds a Reshape node that must keep the batch axis.
    private static func reshapeKeepingValues(
        _ state: inout ImportState, _ node: ONNXNode, _ x: String, to dimensions: [Int]
    ) throws {
        if let constant = state.constants[x] {
            state.constants[node.output] = ConstantTensor(shape: dimensions, values: constant.values)
            return
        }
        guard dimensions.first == 1, try state.shape(of: x).rank > 0 else {
            throw node.problem("would move the batch axis")
        }
        try state.add(node.output, Reshape(Shape(Array(dimensions.dropFirst()))), inputs: [x])
    }

    static func concat(_ state: inout ImportState, _ node: ONNXNode) throws {
        let inputs = node.proto.input.filter { !$0.isEmpty }
        let axis = try node.int("axis")
        if inputs.allSatisfy(state.isConstant) {
            state.constants[node.output] = try ConstantFolding.concatenate(
                inputs.map { state.constants[$0]! }, axis: axis, node: node)
            return
        }
        guard !inputs.contains(where: state.isConstant) else {
            throw node.problem("mixes constants and computed values")
        }
        let rank = try state.shape(of: inputs[0]).rank
        let normalized = axis < 0 ? axis + rank : axis
        guard normalized >= 1 else { throw node.problem("along the batch axis is not supported") }
        try state.add(node.output, Concat(axis: normalized), inputs: inputs)
    }

    /// Dropout stays a node (identity in inference) so MC-dropout can switch it on.
    static func dropout(_ state: inout ImportState, _ node: ONNXNode) throws {
        let ratio: Float =
            if state.opset < 12 {
                try node.float("ratio", default: 0.5)
            } else {
                try node.input(1).map {
                    Float(try state.constant($0, for: "the ratio of '\(node.label)'").scalar("Dropout's ratio"))
                } ?? 0.5
            }
        try state.add(node.output, Dropout(ratio), inputs: [try node.requiredInput(0)])
    }

    /// Before opset 13 softmax flattens the axes from `axis` on (default 1); the
    /// importer accepts it where that equals a softmax over the last axis.
    static func softmax(logarithm: Bool) -> OperatorTable.Converter {
        { state, node in
            let x = try node.requiredInput(0)
            let rank = try state.shape(of: x).rank
            var axis = try node.int("axis", default: state.opset < 13 ? 1 : -1)
            if axis < 0 { axis += rank }
            if state.opset < 13, axis != rank - 1 {
                throw node.problem(
                    "flattens axes \(axis)… of a rank-\(rank) input (opset < 13), which is not supported")
            }
            guard axis >= 1 else { throw node.problem("along the batch axis is not supported") }
            try state.add(node.output, Softmax(axis: axis, logarithm: logarithm), inputs: [x])
        }
    }

    /// Transpose folds on constants and becomes a layer on computed values (batch axis first).
    static func transpose(_ state: inout ImportState, _ node: ONNXNode) throws {
        let x = try node.requiredInput(0)
        if state.isConstant(x) { return try ConstantFolding.transpose(&state, node) }
        let rank = try state.shape(of: x).rank
        try state.add(node.output, Transpose(node.ints("perm") ?? Array((0..<rank).reversed())), inputs: [x])
    }

    /// Constant-mode Pad with non-negative pads on the sample axes (pads and value
    /// are attributes before opset 11, constant inputs from then on; opset 18 adds axes).
    static func pad(_ state: inout ImportState, _ node: ONNXNode) throws {
        guard node.string("mode", default: "constant") == "constant" else {
            throw node.problem("in mode '\(node.string("mode", default: ""))' is not supported (only constant)")
        }
        let x = try node.requiredInput(0)
        let rank = try state.shape(of: x).rank
        var pads: [Int], value: Float
        if state.opset < 11 {
            guard let given = node.ints("pads") else { throw node.problem("needs the attribute 'pads'") }
            pads = given
            value = try node.float("value", default: 0)
        } else {
            pads = try state.constant(try node.requiredInput(1), for: "the pads of '\(node.label)'").integers(
                "Pad's pads")
            value =
                try node.input(2).map {
                    Float(try state.constant($0, for: "the value of '\(node.label)'").scalar("Pad's value"))
                } ?? 0
            if let axesName = node.input(3) {
                let axes = try state.constant(axesName, for: "the axes of '\(node.label)'").integers("Pad's axes").map {
                    $0 < 0 ? $0 + rank : $0
                }
                var full = [Int](repeating: 0, count: 2 * rank)
                for (index, axis) in axes.enumerated() where (0..<rank).contains(axis) {
                    full[axis] = pads[index]
                    full[axis + rank] = pads[index + axes.count]
                }
                pads = full
            }
        }
        guard pads.count == 2 * rank, pads[0] == 0, pads[rank] == 0 else {
            throw node.problem("pads \(pads) do not fit a rank-\(rank) input or pad the batch axis")
        }
        guard pads.allSatisfy({ $0 >= 0 }) else { throw node.problem("with negative pads (cropping) is not supported") }
        try state.add(
            node.output, Pad(before: Array(pads[1..<rank]), after: Array(pads[(rank + 1)...]), value: value),
            inputs: [x])
    }

    static func identity(_ state: inout ImportState, _ node: ONNXNode) throws {
        let x = try node.requiredInput(0)
        if let constant = state.constants[x] {
            state.constants[node.output] = constant
        } else {
            state.alias(node.output, to: x)
        }
    }
}
