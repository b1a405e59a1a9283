import GlassboxCore
import GlassboxNN

/// Conversions of indexing and selection operators: Gather, Slice, Split,
/// Expand, Where and Equal, on constants (folded) and on computed values.
enum IndexingConversion {
    /// Gather by constant indices (folded on a constant, a `Gather` layer on a computed
    /// value), or of the rows of a constant table by computed ids (an `Embedding`).
    static func gather(_ state: inout ImportState, _ node: ONNXNode) throws {
        let data = try node.requiredInput(0), indexName = try node.requiredInput(1)
        let shape = try state.constants[data]?.shape ?? state.shape(of: data).dimensions
        var axis = try node.int("axis", default: 0)
        if axis < 0 { axis += shape.count }
        guard shape.indices.contains(axis) else { throw node.problem("gathers along axis \(axis) of \(shape)") }
        guard let indices = state.constants[indexName] else {
            return try embedding(&state, node, table: data, ids: indexName, axis: axis)
        }
        if let constant = state.constants[data] {
            state.constants[node.output] = try ConstantFolding.gather(
                constant, indices: indices, axis: axis, node: node)
            return
        }
        let positions = try ConstantFolding.positions(of: indices, extent: shape[axis], node: node)
        try state.add(node.output, alongSamples: axis == 0, inputs: [data]) { offset in
            Gather(axis: axis + offset, indices: positions, indexShape: indices.shape)
        }
    }

    /// Gather of the rows of a constant 2-D table (axis 0) by computed ids — the graph
    /// input's token ids, possibly through Cast and Unsqueeze — as PyTorch exports
    /// `nn.Embedding`: an `Embedding` holding the table (without a padding index, which
    /// only matters for training). Ids outside `0 ..< V` read rows of zeros (ONNX counts
    /// negative ones from the end; PyTorch refuses them), so programs validate ids first.
    static func embedding(_ state: inout ImportState, _ node: ONNXNode, table: String, ids: String, axis: Int) throws {
        guard let weight = state.constants[table], weight.shape.count == 2, axis == 0 else {
            let source = state.constants[table].map { "a constant of shape \(Shape($0.shape))" } ?? "a computed value"
            throw node.problem(
                "gathers from \(source) along axis \(axis) by computed indices; the rows of a constant 2-D table "
                    + "(an embedding) are supported, and constant indices of anything")
        }
        try state.add(
            node.output, Embedding(vocabularySize: weight.shape[0], dimension: weight.shape[1]), inputs: [ids],
            parameters: ["weight": weight])
    }

    static func slice(_ state: inout ImportState, _ node: ONNXNode) throws {
        let data = try node.requiredInput(0)
        let shape = try state.constants[data]?.shape ?? state.shape(of: data).dimensions
        let slicing = try SliceAttributes(node, state: state, shape: shape)
        if let constant = state.constants[data] {
            state.constants[node.output] = slicing.apply(to: constant)
            return
        }
        try addSlices(&state, node, data, slicing.ranges, as: node.output, shape: shape)
    }

    /// Adds node `name`: the ranges of the computed value `data`.
    static func addSlices(
        _ state: inout ImportState, _ node: ONNXNode, _ data: String, _ ranges: [SliceAttributes.Range],
        as name: String, shape: [Int]
    ) throws {
        let kept = ranges.filter { $0.step != 1 || $0.start != 0 || $0.end != shape[$0.axis] }
        guard !kept.isEmpty else { return state.alias(name, to: data) }
        guard kept.allSatisfy({ $0.count > 0 }) else { throw node.problem("selects no elements of \(shape)") }
        // Forward steps are one strided slice; each backward (reversing) range is a gather of its indices.
        let forward = kept.filter { $0.step > 0 }, backward = kept.filter { $0.step < 0 }
        var source = data
        for (index, range) in backward.enumerated() {
            let reversed = forward.isEmpty && index == backward.count - 1 ? name : "\(name)#reversed\(index)"
            try state.add(reversed, alongSamples: range.axis == 0, inputs: [source]) { offset in
                Gather(
                    axis: range.axis + offset, indices: (0..<range.count).map { range.start + $0 * range.step },
                    indexShape: [range.count])
            }
            source = reversed
        }
        guard !forward.isEmpty else { return }
        try state.add(name, alongSamples: forward.contains { $0.axis == 0 }, inputs: [source]) { offset in
            StridedSlice(
                axes: forward.map { $0.axis + offset }, starts: forward.map(\.start), ends: forward.map(\.end),
                steps: forward.map(\.step))
        }
    }

    /// Split into consecutive parts along `axis`: sizes from the `split` input
    /// (opset 13+) or attribute, else equal parts (the last smaller from opset 18).
    static func split(_ state: inout ImportState, _ node: ONNXNode) throws {
        let data = try node.requiredInput(0)
        let shape = try state.constants[data]?.shape ?? state.shape(of: data).dimensions
        var axis = try node.int("axis", default: 0)
        if axis < 0 { axis += shape.count }
        guard shape.indices.contains(axis) else { throw node.problem("splits axis \(axis) of \(shape)") }
        let outputs = node.outputs.count, extent = shape[axis]
        let sizes: [Int]
        if let given = state.opset >= 13
            ? try node.input(1).map({ try state.constant($0, for: "the split of '\(node.label)'").integers("split") })
            : node.ints("split")
        {
            sizes = given
        } else {
            let parts = try node.int("num_outputs", default: outputs)
            let size = (extent + parts - 1) / max(parts, 1)
            sizes = (0..<parts).map { min(size, max(extent - $0 * size, 0)) }
        }
        guard sizes.count == outputs, sizes.allSatisfy({ $0 >= 0 }), sizes.reduce(0, +) == extent else {
            throw node.problem("splits an axis of \(extent) into \(sizes) for \(outputs) outputs")
        }
        var start = 0
        for (output, size) in zip(node.outputs, sizes) {
            defer { start += size }
            guard !output.isEmpty else { continue }
            let range = SliceAttributes.Range(axis: axis, start: start, end: start + size, step: 1)
            if let constant = state.constants[data] {
                state.constants[output] = SliceAttributes(ranges: [range]).apply(to: constant)
            } else {
                try addSlices(&state, node, data, [range], as: output, shape: shape)
            }
        }
    }

    /// Expand: NumPy broadcasting of the input and the target shape.
    static func expand(_ state: inout ImportState, _ node: ONNXNode) throws {
        let x = try node.requiredInput(0)
        let target = try state.constant(try node.requiredInput(1), for: "the shape of '\(node.label)'").integers(
            "Expand's shape")
        let shape = try state.constants[x]?.glassboxShape ?? state.shape(of: x)
        let result = try BroadcastLayout(shape, Shape(target)).shape
        if let constant = state.constants[x] {
            guard result.count <= ConstantFolding.elementLimit else { throw node.problem("makes \(result) elements") }
            state.constants[node.output] = try constant.broadcast(to: result.dimensions)
            return
        }
        guard result != shape else { return state.alias(node.output, to: x) }
        let along = result.rank > shape.rank || result[0] != shape[0]
        try state.add(node.output, alongSamples: along, inputs: [x]) { offset in
            Broadcast(sampleShape: Shape(Array(result.dimensions.dropFirst(1 - offset))))
        }
    }

    /// Where(condition, a, b): folded on constants; on computed values a layer,
    /// with constant operands repeated for every sample and ±∞ in them made the
    /// largest finite values (attention masks fill with −∞; see `Where`).
    static func `where`(_ state: inout ImportState, _ node: ONNXNode) throws {
        let inputs = try (0..<3).map { try node.requiredInput($0) }
        if inputs.allSatisfy(state.isConstant) {
            state.constants[node.output] = try ConstantFolding.broadcast(
                inputs.map { state.constants[$0]! }, node: node
            ) { $0[0] != 0 ? $0[1] : $0[2] }
            return
        }
        let operands = try state.computedOperands(inputs, for: node, finite: true)
        let along = try ElementwiseConversion.acrossSamples(state, operands)
        try state.add(node.output, alongSamples: along, inputs: operands) { _ in Where() }
    }

    /// Equal: folded on constants, else a 0/1 mask of computed values.
    static func equal(_ state: inout ImportState, _ node: ONNXNode) throws {
        let inputs = try (0..<2).map { try node.requiredInput($0) }
        if inputs.allSatisfy(state.isConstant) {
            var result = try ConstantFolding.broadcast(inputs.map { state.constants[$0]! }, node: node) {
                $0[0] == $0[1] ? 1 : 0
            }
            result.integral = true
            state.constants[node.output] = result
            return
        }
        let operands = try state.computedOperands(inputs, for: node)
        let along = try ElementwiseConversion.acrossSamples(state, operands)
        try state.add(node.output, alongSamples: along, inputs: operands) { _ in Comparison(.equal) }
    }
}
