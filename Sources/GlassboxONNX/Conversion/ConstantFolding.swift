import Foundation
import GlassboxCore

/// Operators evaluated at load time on constants: `Constant`, `ConstantOfShape`,
/// `Shape` (of any value: shapes are known for a batch of one), `Range`,
/// `ScatterND`, and the constant cases of the shape and indexing operators, as
/// PyTorch exports them for `x.view(x.size(0), -1)`, ViT's class token or Swin's
/// attention masks.
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
            value = ConstantTensor(shape: [], values: [Double(try node.int("value_int"))], integral: true)
        } else if let ints = node.ints("value_ints") {
            value = ConstantTensor(integers: ints)
        } else {
            throw node.problem("has no value attribute the importer supports (value, value_float(s), value_int(s))")
        }
        state.constants[node.output] = value
    }

    /// The most elements a folded constant may have: each takes 8 bytes here and
    /// 4 more on the backend, and together they may use half the physical memory.
    static var elementLimit: Int { Int(ProcessInfo.processInfo.physicalMemory / 24) }

    static func constantOfShape(_ state: inout ImportState, _ node: ONNXNode) throws {
        let shape = try state.constant(try node.requiredInput(0), for: "the shape of '\(node.label)'").integers(
            "ConstantOfShape's shape")
        guard shape.allSatisfy({ $0 >= 0 }), let count = shape.checkedProduct else {
            throw node.problem("has an invalid shape \(shape)")
        }
        guard count <= elementLimit else {
            throw node.problem(
                "makes a constant of shape \(shape) (\(count) elements), more than half of this machine's memory holds")
        }
        let fill = try node.tensor("value").map { try ConstantTensor($0, name: node.output) }
        state.constants[node.output] = ConstantTensor(
            shape: shape, values: Array(repeating: try fill?.scalar("ConstantOfShape's value") ?? 0, count: count),
            integral: fill?.integral ?? false)
    }

    /// The shape of a constant, or of a computed value for a batch of one (see
    /// ``ONNXImporter``'s batch convention), as an int64 constant.
    static func shape(_ state: inout ImportState, _ node: ONNXNode) throws {
        let x = try node.requiredInput(0)
        let dimensions = try state.constants[x]?.shape ?? state.shape(of: x).dimensions
        let rank = dimensions.count
        let start = try node.int("start", default: 0), end = try node.int("end", default: rank)
        let lower = min(max(start < 0 ? start + rank : start, 0), rank),
            upper = min(max(end < 0 ? end + rank : end, 0), rank)
        state.constants[node.output] = ConstantTensor(integers: lower < upper ? Array(dimensions[lower..<upper]) : [])
    }

    /// Gather of a constant along `axis` by constant indices (negative ones count from the end).
    static func gather(_ data: ConstantTensor, indices: ConstantTensor, axis: Int, node: ONNXNode) throws
        -> ConstantTensor
    {
        let positions = try positions(of: indices, extent: data.shape[axis], node: node)
        let strides = ConstantTensor.strides(of: data.shape), indexRank = indices.shape.count
        let indexStrides = ConstantTensor.strides(of: indices.shape)
        let shape = Array(data.shape[..<axis]) + indices.shape + Array(data.shape[(axis + 1)...])
        return data.rearranged(to: shape) { coordinates in
            var offset = 0
            for a in 0..<axis { offset += coordinates[a] * strides[a] }
            var position = 0
            for a in 0..<indexRank { position += coordinates[axis + a] * indexStrides[a] }
            offset += positions[position] * strides[axis]
            for a in (axis + 1)..<data.shape.count { offset += coordinates[a + indexRank - 1] * strides[a] }
            return offset
        }
    }

    /// Gather's indices as positions along an axis of `extent` (negative ones count from the end).
    static func positions(of indices: ConstantTensor, extent: Int, node: ONNXNode) throws -> [Int] {
        try indices.integers("Gather's indices").map { index in
            let position = index < 0 ? index + extent : index
            guard (0..<extent).contains(position) else {
                throw node.problem("gathers index \(index) of an axis of \(extent)")
            }
            return position
        }
    }

    /// Casts keep the values, rounded toward zero when the target type is an integer one.
    ///
    /// On a computed value, which is carried as floats, a cast to a float type is the
    /// identity, and so is one to int32 or int64 of a value ONNX types as integers or bool
    /// (token ids cast to int64, `ids != 0` cast to a number): its values are whole already.
    static func cast(_ state: inout ImportState, _ node: ONNXNode) throws {
        let x = try node.requiredInput(0), target = try node.int("to")
        let floating = ImportState.floatTypes.contains(target)
        guard let constant = state.constants[x] else {
            guard floating || ([6, 7].contains(target) && state.holdsIntegers(x)) else {
                throw node.problem(
                    "casts the computed value '\(x)' to \(Onnx_TensorProto.DataType.name(of: target)); computed values cast to float types, and "
                        + "integer or bool ones to int32 or int64, are supported")
            }
            state.alias(node.output, to: x)
            return
        }
        state.constants[node.output] = ConstantTensor(
            shape: constant.shape,
            values: constant.values.map { floating ? Double(Float($0)) : $0.rounded(.towardZero) },
            integral: !floating)
    }

    /// Range(start, limit, delta): ⌈(limit − start)/delta⌉ values from start.
    static func range(_ state: inout ImportState, _ node: ONNXNode) throws {
        let operands = try (0..<3).map {
            try state.constant(try node.requiredInput($0), for: "input \($0) of '\(node.label)'")
        }
        let (start, limit, delta) = (
            try operands[0].scalar("Range's start"), try operands[1].scalar("Range's limit"),
            try operands[2].scalar("Range's delta")
        )
        guard delta != 0, delta.isFinite, start.isFinite, limit.isFinite else {
            throw node.problem("has delta \(delta), start \(start) and limit \(limit)")
        }
        let count = max(Int(((limit - start) / delta).rounded(.up)), 0)
        guard count <= elementLimit else { throw node.problem("makes \(count) values") }
        state.constants[node.output] = ConstantTensor(
            shape: [count], values: (0..<count).map { start + Double($0) * delta }, integral: operands[0].integral)
    }

    /// ScatterND without reduction: a copy of the data with the slices the index
    /// tuples name replaced by the updates.
    static func scatterND(_ state: inout ImportState, _ node: ONNXNode) throws {
        guard node.string("reduction", default: "none") == "none" else {
            throw node.problem("with a reduction is not supported")
        }
        var data = try state.constant(try node.requiredInput(0), for: "the data of '\(node.label)'")
        let indices = try state.constant(try node.requiredInput(1), for: "the indices of '\(node.label)'")
        let updates = try state.constant(try node.requiredInput(2), for: "the updates of '\(node.label)'")
        guard let depth = indices.shape.last, depth <= data.shape.count else {
            throw node.problem("has indices of shape \(indices.shape) for data of shape \(data.shape)")
        }
        let tuples = indices.count / max(depth, 1), sliceSize = data.shape[depth...].reduce(1, *)
        guard updates.count == tuples * sliceSize else {
            throw node.problem("has \(updates.count) updates for \(tuples) slices of \(sliceSize)")
        }
        let strides = ConstantTensor.strides(of: data.shape), positions = try indices.integers("ScatterND's indices")
        for tuple in 0..<tuples {
            var offset = 0
            for axis in 0..<depth {
                let extent = data.shape[axis], index = positions[tuple * depth + axis]
                let position = index < 0 ? index + extent : index
                guard (0..<extent).contains(position) else {
                    throw node.problem("scatters to index \(index) of an axis of \(extent)")
                }
                offset += position * strides[axis]
            }
            data.values.replaceSubrange(
                offset..<(offset + sliceSize), with: updates.values[(tuple * sliceSize)..<((tuple + 1) * sliceSize)])
        }
        state.constants[node.output] = data
    }

    /// Elementwise `combine` of constants with NumPy broadcasting.
    static func broadcast(_ operands: [ConstantTensor], node: ONNXNode, _ combine: ([Double]) throws -> Double) throws
        -> ConstantTensor
    {
        var shape = Shape([])
        for operand in operands { shape = try BroadcastLayout(shape, operand.glassboxShape).shape }
        let expanded = try operands.map { try $0.broadcast(to: shape.dimensions) }
        let values = try (0..<shape.count).map { index in try combine(expanded.map { $0.values[index] }) }
        return ConstantTensor(shape: shape.dimensions, values: values, integral: operands.allSatisfy(\.integral))
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
        return ConstantTensor(shape: shape.dimensions, values: values, integral: parts.allSatisfy(\.integral))
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
