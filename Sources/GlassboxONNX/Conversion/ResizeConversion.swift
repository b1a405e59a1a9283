import GlassboxCore
import GlassboxNN

/// Conversions of Resize (opsets 10–19) and Upsample (opsets 7–9) in the modes
/// nearest and linear, which become a ``Resize`` layer holding the interpolation
/// matrices of the last two axes.
enum ResizeConversion {
    static func resize(_ state: inout ImportState, _ node: ONNXNode) throws {
        let x = try node.requiredInput(0)
        let shape = try state.shape(of: x).dimensions
        let scalesInput = state.opset < 11 ? node.input(1) : node.input(2)
        var scales = try scalesInput.map {
            try state.constant($0, for: "the scales of '\(node.label)'").values.map(Float.init)
        }
        if scales?.isEmpty == true { scales = nil }
        var sizes = try (state.opset < 11 ? nil : node.input(3)).map {
            try state.constant($0, for: "the sizes of '\(node.label)'").integers("Resize's sizes")
        }
        if let axes = node.ints("axes") {
            let normalized = axes.map { $0 < 0 ? $0 + shape.count : $0 }
            func full<T>(_ given: [T], _ fill: (Int) -> T) -> [T] {
                shape.indices.map { axis in normalized.firstIndex(of: axis).map { given[$0] } ?? fill(axis) }
            }
            scales = scales.map { full($0) { _ in 1 } }
            sizes = sizes.map { full($0) { shape[$0] } }
        }
        guard try node.int("antialias", default: 0) == 0, try node.int("exclude_outside", default: 0) == 0 else {
            throw node.problem("with antialias or exclude_outside is not supported")
        }
        let transformationName =
            state.opset < 11 ? "asymmetric" : node.string("coordinate_transformation_mode", default: "half_pixel")
        guard let transformation = Resize.CoordinateTransformation(rawValue: transformationName) else {
            throw node.problem("with coordinate_transformation_mode '\(transformationName)' is not supported")
        }
        let nearestName = node.string("nearest_mode", default: "round_prefer_floor")
        let nearest: Resize.NearestMode? =
            switch (state.opset < 11, nearestName) {
            case (true, _): .simple
            case (false, "round_prefer_floor"): .roundPreferFloor
            case (false, "round_prefer_ceil"): .roundPreferCeil
            case (false, "floor"): .floor
            case (false, "ceil"): .ceil
            default: nil
            }
        guard let nearest else { throw node.problem("with nearest_mode '\(nearestName)' is not supported") }
        try addResize(
            &state, node, x, shape: shape, scales: scales, sizes: sizes, mode: node.string("mode", default: "nearest"),
            transformation: transformation, nearest: nearest)
    }

    /// Upsample: scales as an attribute (opsets 7, 8) or an input (9), asymmetric
    /// coordinates, onnxruntime's rounding.
    static func upsample(_ state: inout ImportState, _ node: ONNXNode) throws {
        let x = try node.requiredInput(0)
        let scales: [Float]? =
            if state.opset < 9 {
                node.proto.attribute.first(where: { $0.name == "scales" })?.floats
            } else {
                try node.input(1).map {
                    try state.constant($0, for: "the scales of '\(node.label)'").values.map(Float.init)
                }
            }
        guard let scales else { throw node.problem("needs scales") }
        let mode = node.string("mode", default: "nearest")
        try addResize(
            &state, node, x, shape: try state.shape(of: x).dimensions, scales: scales, sizes: nil,
            mode: mode == "bilinear" ? "linear" : mode, transformation: .asymmetric, nearest: .simple)
    }

    private static func addResize(
        _ state: inout ImportState, _ node: ONNXNode, _ x: String, shape: [Int], scales: [Float]?, sizes: [Int]?,
        mode modeName: String, transformation: Resize.CoordinateTransformation, nearest: Resize.NearestMode
    ) throws {
        guard let mode = Resize.Mode(rawValue: modeName) else {
            throw node.problem("in mode '\(modeName)' is not supported (nearest and linear are)")
        }
        let rank = shape.count
        guard rank >= 3 else { throw node.problem("resizes a rank-\(rank) value; the last two axes of rank ≥ 3 are") }
        let outputs: [Int]
        if let sizes {
            outputs = sizes
        } else if let scales {
            guard scales.count == rank else { throw node.problem("has \(scales.count) scales for rank \(rank)") }
            outputs = zip(shape, scales).map { Resize.outputExtent(for: $0, scale: $1) }
        } else {
            throw node.problem("needs scales or sizes")
        }
        guard outputs.count == rank, outputs.dropLast(2) == shape.dropLast(2) else {
            throw node.problem("resizes \(shape) to \(outputs); only the last two axes may change")
        }
        let (height, width) = (shape[rank - 2], shape[rank - 1])
        let (outputHeight, outputWidth) = (outputs[rank - 2], outputs[rank - 1])
        func matrix(_ axis: Int) throws -> ConstantTensor {
            ConstantTensor(
                shape: [outputs[axis], shape[axis]],
                floats: try Resize.interpolationMatrix(
                    from: shape[axis], to: outputs[axis], scale: sizes == nil ? scales?[axis] : nil, mode: mode,
                    coordinateTransformation: transformation, nearestMode: nearest))
        }
        try state.add(
            node.output,
            Resize(inputHeight: height, inputWidth: width, outputHeight: outputHeight, outputWidth: outputWidth),
            inputs: [x], parameters: ["rows": try matrix(rank - 2), "columns": try matrix(rank - 1)])
    }
}
