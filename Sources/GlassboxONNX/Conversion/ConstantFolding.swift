import GlassboxCore

/// Operators evaluated at load time: constants, and the shape computations
/// (Shape → Gather → Unsqueeze → Concat → Reshape, Cast, Slice) that PyTorch
/// exports for `x.view(x.size(0), -1)`. `Shape` of a computed value yields
/// ``ConstantTensor/batchMarker`` for the batch axis.
enum ConstantFolding {
    static func constant(_ state: inout ImportState, _ node: ONNXNode) throws {
        let value: ConstantTensor
        if let tensor = node.tensor("value") {
            value = try ConstantTensor(tensor, name: node.output)
        } else if node.has("value_float") {
            value = ConstantTensor(shape: [], values: [Double(try node.float("value_float"))])
        } else if let floats = node.proto.attribute.first(where: { $0.name == "value_floats" })?.floats {
            value = ConstantTensor(shape: [floats.count], floats: floats)
        } else if node.has("value_int") {
            value = ConstantTensor(shape: [], values: [Double(try node.int("value_int"))])
        } else if let ints = node.ints("value_ints") {
            value = ConstantTensor(integers: ints)
        } else {
            throw node.problem("has no value attribute the importer supports (value, value_float(s), value_int(s))")
        }
        state.constants[node.output] = value
    }

    static func constantOfShape(_ state: inout ImportState, _ node: ONNXNode) throws {
        let shape = try state.constant(try node.requiredInput(0), for: "the shape of '\(node.label)'").integers(
            "ConstantOfShape's shape")
        guard shape.allSatisfy({ $0 >= 0 }), let count = shape.checkedProduct, count <= 1 << 26 else {
            throw node.problem("has an invalid or huge shape \(shape)")
        }
        let fill =
            try node.tensor("value").map { try ConstantTensor($0, name: node.output).scalar("ConstantOfShape's value") }
            ?? 0
        state.constants[node.output] = ConstantTensor(shape: shape, values: Array(repeating: fill, count: count))
    }

    static func shape(_ state: inout ImportState, _ node: ONNXNode) throws {
        let x = try node.requiredInput(0)
        var dimensions: [Double]
        if let constant = state.constants[x] {
            dimensions = constant.shape.map(Double.init)
        } else {
            dimensions = try state.shape(of: x).dimensions.map(Double.init)
            dimensions[0] = ConstantTensor.batchMarker
        }
        let rank = dimensions.count
        let start = try node.int("start", default: 0), end = try node.int("end", default: rank)
        let lower = min(max(start < 0 ? start + rank : start, 0), rank),
            upper = min(max(end < 0 ? end + rank : end, 0), rank)
        let kept = lower < upper ? Array(dimensions[lower..<upper]) : []
        state.constants[node.output] = ConstantTensor(shape: [kept.count], values: kept)
    }

    static func gather(_ state: inout ImportState, _ node: ONNXNode) throws {
        let data = try state.constant(try node.requiredInput(0), for: "the data of '\(node.label)'")
        let indices = try state.constant(try node.requiredInput(1), for: "the indices of '\(node.label)'").integers(
            "Gather's indices")
        let indexShape = try state.constant(try node.requiredInput(1), for: "the indices of '\(node.label)'").shape
        var axis = try node.int("axis", default: 0)
        if axis < 0 { axis += data.shape.count }
        guard data.shape.indices.contains(axis) else {
            throw node.problem("gathers along axis \(axis) of \(data.shape)")
        }
        let extent = data.shape[axis]
        let outer = data.shape[..<axis].reduce(1, *), inner = data.shape[(axis + 1)...].reduce(1, *)
        var values = [Double]()
        for o in 0..<outer {
            for index in indices {
                let position = index < 0 ? index + extent : index
                guard (0..<extent).contains(position) else {
                    throw node.problem("gathers index \(index) of an axis of \(extent)")
                }
                values += data.values[((o * extent + position) * inner)..<((o * extent + position + 1) * inner)]
            }
        }
        state.constants[node.output] = ConstantTensor(
            shape: Array(data.shape[..<axis]) + indexShape + Array(data.shape[(axis + 1)...]),
            values: values)
    }

    /// Casts keep the values, rounded as the target type would hold them.
    static func cast(_ state: inout ImportState, _ node: ONNXNode) throws {
        let x = try node.requiredInput(0)
        guard let constant = state.constants[x] else {
            // A cast of a computed float tensor to float is the identity.
            guard try node.int("to") == 1 else {
                throw node.problem("of a computed value to a non-float type is not supported")
            }
            state.alias(node.output, to: x)
            return
        }
        let floating = [1, 10, 11, 16].contains(try node.int("to"))
        state.constants[node.output] = ConstantTensor(
            shape: constant.shape,
            values: constant.values.map {
                $0 == ConstantTensor.batchMarker ? $0 : floating ? Double(Float($0)) : $0.rounded(.towardZero)
            })
    }

    /// Slice of a one-dimensional constant (starts/ends/axes/steps as inputs from
    /// opset 10, attributes before).
    static func slice(_ state: inout ImportState, _ node: ONNXNode) throws {
        let data = try state.constant(try node.requiredInput(0), for: "the data of '\(node.label)'")
        guard data.shape.count == 1 else {
            throw node.problem("of a constant of rank \(data.shape.count) is not supported")
        }
        func parameter(_ index: Int, _ attribute: String) throws -> [Int]? {
            if state.opset < 10 { return node.ints(attribute) }
            return try node.input(index).map {
                try state.constant($0, for: "Slice's \(attribute)").integers("Slice's \(attribute)")
            }
        }
        guard let starts = try parameter(1, "starts"), let ends = try parameter(2, "ends"), starts.count == 1,
            ends.count == 1
        else {
            throw node.problem("needs one start and one end")
        }
        let step = try parameter(4, "steps")?.first ?? 1
        guard step != 0 else { throw node.problem("has step 0") }
        let count = data.count
        func clamp(_ value: Int, _ low: Int, _ high: Int) -> Int {
            min(max(value < 0 ? value + count : value, low), high)
        }
        var values = [Double]()
        if step > 0 {
            var index = clamp(starts[0], 0, count)
            while index < clamp(ends[0], 0, count) {
                values.append(data.values[index])
                index += step
            }
        } else {
            var index = clamp(starts[0], -1, count - 1)
            while index > clamp(ends[0], -1, count - 1) {
                values.append(data.values[index])
                index += step
            }
        }
        state.constants[node.output] = ConstantTensor(shape: [values.count], values: values)
    }

    /// Transpose of a constant (PyTorch exports `Linear` without bias as Transpose + MatMul of the weight).
    static func transpose(_ state: inout ImportState, _ node: ONNXNode) throws {
        let data = try state.constant(
            try node.requiredInput(0), for: "the input of '\(node.label)' (only constants can be transposed)")
        let rank = data.shape.count
        let permutation = node.ints("perm") ?? Array((0..<rank).reversed())
        guard permutation.sorted() == Array(0..<rank) else {
            throw node.problem("has an invalid permutation \(permutation)")
        }
        let shape = permutation.map { data.shape[$0] }
        let sourceStrides = (0..<rank).map { data.shape[($0 + 1)...].reduce(1, *) }
        let targetStrides = (0..<rank).map { shape[($0 + 1)...].reduce(1, *) }
        let values = (0..<data.count).map { index in
            var remainder = index, source = 0
            for axis in 0..<rank {
                let coordinate = remainder / targetStrides[axis]
                remainder -= coordinate * targetStrides[axis]
                source += coordinate * sourceStrides[permutation[axis]]
            }
            return data.values[source]
        }
        state.constants[node.output] = ConstantTensor(shape: shape, values: values)
    }

    /// Elementwise `combine` of two constants with NumPy broadcasting.
    static func broadcast(
        _ a: ConstantTensor, _ b: ConstantTensor, node: ONNXNode,
        _ combine: (Double, Double) -> Double
    ) throws -> ConstantTensor {
        if a.values.contains(ConstantTensor.batchMarker) || b.values.contains(ConstantTensor.batchMarker) {
            throw node.problem("computes with the batch size, which the importer cannot fold")
        }
        let layout = try BroadcastLayout(a.glassboxShape, b.glassboxShape)
        let values = (0..<layout.shape.count).map { index in
            let (i, j) = layout.sourceOffsets(of: index)
            return combine(a.values[i], b.values[j])
        }
        return ConstantTensor(shape: layout.shape.dimensions, values: values)
    }

    /// Constants joined along `axis`.
    static func concatenate(_ parts: [ConstantTensor], axis: Int, node: ONNXNode) throws -> ConstantTensor {
        let (shape, axis) = try ShapeOperationPlans.concatenation(of: parts.map(\.glassboxShape), axis: axis)
        let outer = shape.dimensions[..<axis].reduce(1, *)
        var values = [Double]()
        for o in 0..<outer {
            for part in parts {
                let row = part.shape[axis...].reduce(1, *)
                values += part.values[(o * row)..<((o + 1) * row)]
            }
        }
        return ConstantTensor(shape: shape.dimensions, values: values)
    }
}

extension [Int] {
    /// The product of the elements, or nil when it overflows.
    var checkedProduct: Int? {
        var product = 1
        for value in self {
            let (next, overflow) = product.multipliedReportingOverflow(by: value)
            if overflow { return nil }
            product = next
        }
        return product
    }
}
