import GlassboxCore
import GlassboxNN

/// Conversions of shape operators (on computed values; on constants they fold)
/// and of Dropout, Softmax and Identity.
enum ShapeConversion {
    static func flatten(_ state: inout ImportState, _ node: ONNXNode) throws {
        let x = try node.requiredInput(0)
        let shape = try state.constants[x]?.shape ?? state.shape(of: x).dimensions
        var axis = try node.int("axis", default: 1)
        if axis < 0 { axis += shape.count }
        guard (0...shape.count).contains(axis) else { throw node.problem("flattens at axis \(axis) of \(shape)") }
        try reshapeKeepingValues(
            &state, node, x, to: [shape[..<axis].reduce(1, *), shape[axis...].reduce(1, *)])
    }

    /// Reshape to a constant target (0 copies an input extent unless `allowzero`,
    /// one −1 is inferred), read for a batch of one.
    static func reshape(_ state: inout ImportState, _ node: ONNXNode) throws {
        let x = try node.requiredInput(0)
        let target: [Int]
        if state.opset < 5 {
            guard let shape = node.ints("shape") else { throw node.problem("needs the attribute 'shape'") }
            target = shape
        } else {
            target = try state.constant(try node.requiredInput(1), for: "the shape of '\(node.label)'")
                .integers("the shape of '\(node.label)'")
        }
        let input = try state.constants[x]?.shape ?? state.shape(of: x).dimensions
        let copyZeros = try node.int("allowzero", default: 0) == 0
        try reshapeKeepingValues(
            &state, node, x, to: try resolved(target, input: input, copyZeros: copyZeros, node: node))
    }

    /// A target shape with 0 copied from the input (when `copyZeros`) and one −1 inferred.
    static func resolved(_ target: [Int], input: [Int], copyZeros: Bool = true, node: ONNXNode) throws -> [Int] {
        var dimensions = target.enumerated().map {
            copyZeros && $0.element == 0 && $0.offset < input.count ? input[$0.offset] : $0.element
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
            try axes(state, node)?.map { $0 < 0 ? $0 + shape.count : $0 } ?? shape.indices.filter { shape[$0] == 1 })
        guard axes.allSatisfy({ shape.indices.contains($0) && shape[$0] == 1 }) else {
            throw node.problem("squeezes axes \(axes.sorted()) that are not of extent 1 in \(shape)")
        }
        try reshapeKeepingValues(&state, node, x, to: shape.indices.filter { !axes.contains($0) }.map { shape[$0] })
    }

    static func unsqueeze(_ state: inout ImportState, _ node: ONNXNode) throws {
        let x = try node.requiredInput(0)
        let shape = try state.constants[x]?.shape ?? state.shape(of: x).dimensions
        guard let given = try axes(state, node) else { throw node.problem("needs axes") }
        let rank = shape.count + given.count
        let axes = Set(given.map { $0 < 0 ? $0 + rank : $0 })
        guard axes.count == given.count, axes.allSatisfy({ (0..<rank).contains($0) }) else {
            throw node.problem("inserts axes \(given) into \(shape)")
        }
        var source = shape.makeIterator()
        try reshapeKeepingValues(&state, node, x, to: (0..<rank).map { axes.contains($0) ? 1 : source.next() ?? 1 })
    }

    /// Folds a reshape of a constant, or adds a Reshape node to the batch-of-one
    /// shape `dimensions` (axis 0 of the tensor then holds N times its extent).
    static func reshapeKeepingValues(
        _ state: inout ImportState, _ node: ONNXNode, _ x: String, to dimensions: [Int]
    ) throws {
        if let constant = state.constants[x] {
            state.constants[node.output] = ConstantTensor(
                shape: dimensions, values: constant.values, integral: constant.integral)
            return
        }
        guard !dimensions.isEmpty else {
            throw node.problem("makes a scalar of each sample, which leaves no axis to stack samples along")
        }
        try state.add(node.output, Reshape(Shape(Array(dimensions.dropFirst()))), inputs: [x])
    }

    /// Joins constants at load time; computed values (and constants among them,
    /// repeated for every sample) along any axis.
    static func concat(_ state: inout ImportState, _ node: ONNXNode) throws {
        let inputs = node.proto.input.filter { !$0.isEmpty }
        let axis = try node.int("axis")
        if inputs.allSatisfy(state.isConstant) {
            state.constants[node.output] = try ConstantFolding.concatenate(
                inputs.map { state.constants[$0]! }, axis: axis, node: node)
            return
        }
        let values = try state.computedOperands(inputs, for: node)
        let rank = try state.shape(of: values[0]).rank
        let normalized = axis < 0 ? axis + rank : axis
        guard (0..<rank).contains(normalized) else { throw node.problem("joins along axis \(axis) of rank \(rank)") }
        try state.add(node.output, alongSamples: normalized == 0, inputs: values) { Concat(axis: normalized + $0) }
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

    /// Softmax over one axis from opset 13; before, over all axes from `axis` on
    /// (default 1) taken as one, as the specification coerces the input to 2-D.
    static func softmax(logarithm: Bool) -> OperatorTable.Converter {
        { state, node in
            let x = try node.requiredInput(0)
            let shape = try state.shape(of: x).dimensions, rank = shape.count
            var axis = try node.int("axis", default: state.opset < 13 ? 1 : -1)
            if axis < 0 { axis += rank }
            guard (0..<rank).contains(axis) else { throw node.problem("has axis \(axis) for rank \(rank)") }
            guard state.opset < 13, axis < rank - 1 else {
                return try state.add(node.output, alongSamples: axis == 0, inputs: [x]) {
                    Softmax(axis: axis + $0, logarithm: logarithm)
                }
            }
            let coerced = "\(node.output)#coerced", normalized = "\(node.output)#normalized"
            let flat = Array(shape[..<axis]) + [shape[axis...].reduce(1, *)]
            try state.add(coerced, alongSamples: axis == 0, inputs: [x]) { offset in
                Reshape(Shape(Array((offset == 1 ? flat : Array(flat.dropFirst())))))
            }
            try state.add(normalized, alongSamples: axis == 0, inputs: [coerced]) {
                Softmax(axis: axis + $0, logarithm: logarithm)
            }
            try state.add(node.output, Reshape(Shape(Array(shape.dropFirst()))), inputs: [normalized])
        }
    }

    /// Transpose folds on constants and becomes a layer on computed values.
    static func transpose(_ state: inout ImportState, _ node: ONNXNode) throws {
        let x = try node.requiredInput(0)
        let rank = try state.constants[x]?.shape.count ?? state.shape(of: x).rank
        let permutation = node.ints("perm") ?? Array((0..<rank).reversed())
        guard permutation.sorted() == Array(0..<rank) else {
            throw node.problem("has an invalid permutation \(permutation) for rank \(rank)")
        }
        if let constant = state.constants[x] {
            state.constants[node.output] = constant.transposed(permutation)
            return
        }
        try state.add(node.output, alongSamples: permutation[0] != 0, inputs: [x]) { offset in
            Transpose((offset == 1 ? [0] : []) + permutation.map { $0 + offset })
        }
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
        guard pads.count == 2 * rank else { throw node.problem("pads \(pads) do not fit a rank-\(rank) input") }
        guard pads.allSatisfy({ $0 >= 0 }) else { throw node.problem("with negative pads (cropping) is not supported") }
        guard pads.contains(where: { $0 != 0 }) else { return state.alias(node.output, to: x) }
        try state.add(node.output, alongSamples: pads[0] != 0 || pads[rank] != 0, inputs: [x]) { offset in
            Pad(before: Array(pads[(1 - offset)..<rank]), after: Array(pads[(rank + 1 - offset)...]), value: value)
        }
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
