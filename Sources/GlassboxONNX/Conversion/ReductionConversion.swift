import Foundation
import GlassboxCore
import GlassboxNN

/// Conversions of reductions (ReduceSum, ReduceMean, ReduceMax, ReduceMin,
/// ReduceL2, ReduceSumSquare, ReduceLogSumExp) and of LayerNormalization.
enum ReductionConversion {
    /// A reduction over the `axes` attribute (before opset 18; ReduceSum's from 13)
    /// or input, every axis when none are given (unless `noop_with_empty_axes`).
    static func reduce(_ kind: ReductionLayerKind) -> OperatorTable.Converter {
        { state, node in
            let x = try node.requiredInput(0)
            let shape = try state.constants[x]?.shape ?? state.shape(of: x).dimensions
            let axesFromInput = state.opset >= 18 || (kind == .sum && state.opset >= 13)
            let given =
                axesFromInput
                ? try node.input(1).map {
                    try state.constant($0, for: "the axes of '\(node.label)'").integers("the axes of '\(node.label)'")
                } : node.ints("axes")
            if (given ?? []).isEmpty, try node.int("noop_with_empty_axes", default: 0) == 1 {
                return try ShapeConversion.identity(&state, node)
            }
            let axes = try Set(
                (given ?? []).isEmpty
                    ? Array(shape.indices)
                    : given!.map { axis in
                        let normalized = axis < 0 ? axis + shape.count : axis
                        guard shape.indices.contains(normalized) else {
                            throw node.problem("reduces axis \(axis) of \(shape)")
                        }
                        return normalized
                    }
            ).sorted()
            let keep = try node.int("keepdims", default: 1) == 1
            if let constant = state.constants[x] {
                state.constants[node.output] = fold(constant, axes: axes, keep: keep, kind: kind)
                return
            }
            try state.add(node.output, alongSamples: axes.contains(0), inputs: [x]) { offset in
                Reduction(kind, axes: axes.map { $0 + offset }, keepDimensions: keep)
            }
        }
    }

    /// The reduction of a constant.
    static func fold(_ constant: ConstantTensor, axes: [Int], keep: Bool, kind: ReductionLayerKind) -> ConstantTensor {
        let reduced = constant.shape.indices.map { axes.contains($0) ? 1 : constant.shape[$0] }
        let strides = ConstantTensor.strides(of: reduced)
        var groups = [[Double]](repeating: [], count: reduced.reduce(1, *))
        let sourceStrides = ConstantTensor.strides(of: constant.shape)
        for (index, value) in constant.values.enumerated() {
            var target = 0
            for axis in constant.shape.indices where !axes.contains(axis) {
                target += (index / sourceStrides[axis] % constant.shape[axis]) * strides[axis]
            }
            groups[target].append(value)
        }
        let values = groups.map { group -> Double in
            switch kind {
            case .sum: group.reduce(0, +)
            case .mean: group.reduce(0, +) / Double(group.count)
            case .max: group.max() ?? -.infinity
            case .min: group.min() ?? .infinity
            case .l2: group.reduce(0) { $0 + $1 * $1 }.squareRoot()
            case .sumSquare: group.reduce(0) { $0 + $1 * $1 }
            case .logSumExp:
                group.max().map { top in top + Foundation.log(group.reduce(0) { $0 + Foundation.exp($1 - top) }) }
                    ?? -.infinity
            }
        }
        let shape = keep ? reduced : constant.shape.indices.filter { !axes.contains($0) }.map { constant.shape[$0] }
        return ConstantTensor(shape: shape, values: values, integral: constant.integral && kind != .mean)
    }

    /// LayerNormalization (opset 17): normalises over the axes from `axis` on with
    /// the sample's own statistics, then scales and shifts.
    static func layerNormalization(_ state: inout ImportState, _ node: ONNXNode) throws {
        if node.outputs.dropFirst().contains(where: { !$0.isEmpty }) {
            throw node.problem("returns its mean and inverse standard deviation, which is not supported")
        }
        let x = try node.requiredInput(0)
        let shape = try state.shape(of: x).dimensions
        var axis = try node.int("axis", default: -1)
        if axis < 0 { axis += shape.count }
        guard shape.indices.contains(axis) else { throw node.problem("normalises from axis \(axis) of \(shape)") }
        let normalized = Array(shape[axis...])
        var parameters = [
            "scale": try state.constant(try node.requiredInput(1), for: "the scale of '\(node.label)'")
                .broadcast(to: normalized)
        ]
        parameters["bias"] = try node.input(2).map {
            try state.constant($0, for: "the bias of '\(node.label)'").broadcast(to: normalized)
        }
        let epsilon = try node.float("epsilon", default: 1e-5)
        try state.add(node.output, alongSamples: axis == 0, inputs: [x], parameters: parameters) { offset in
            LayerNormalization(
                axis: axis + offset, epsilon: epsilon, normalizedShape: Shape(normalized),
                hasBias: parameters["bias"] != nil)
        }
    }
}
