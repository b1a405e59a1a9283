import GlassboxCore

/// Resizes the last two axes (H, W) of a tensor of rank ≥ 3 by interpolation:
/// ONNX `Resize` (opsets 10–19) and `Upsample` (opsets 7–9) in the modes
/// "nearest" and "linear" (bilinear), PyTorch's `F.interpolate` with
/// `mode="nearest"` or `"bilinear"`.
///
/// Nearest and linear interpolation are linear maps, separable along H and W:
/// for every H×W plane X of the input (every row and channel),
///
///     Y = rows · X · columnsᵀ,
///
/// with the interpolation matrices `rows` (H′×H) and `columns` (W′×W) stored as
/// the layer's two non-trainable parameters. ``Resize/interpolationMatrix(from:to:scale:mode:coordinateTransformation:nearestMode:)``
/// builds them from the ONNX attributes, so every option (sizes or scales, the
/// coordinate transformation, the nearest rounding) lives in the matrices and the
/// layer itself only multiplies: two `gemm`s and two `transpose`s of the backend.
/// The gradient is the transposed map, ∂X = rowsᵀ · ∂Y · columns. The parameter
/// shapes make the shape rule: the input's last two extents must be H and W.
///
/// A freshly initialised layer (``Graph/initialized(inputName:inputShape:nodes:outputName:seed:backend:)``)
/// has zero matrices; whoever builds the layer supplies the matrices.
///
/// The layer is of no layer kind: LRP passes relevance through it by its gradient,
/// R_X = rowsᵀ · R_Y · columns. Every row of an interpolation matrix sums to one,
/// so this keeps the relevance total.
public struct Resize: Layer, Hashable {
    /// The name under which the layer is stored in model files.
    public static let typeName = "resize"
    /// The input extent H of the second-to-last axis.
    public var inputHeight: Int
    /// The input extent W of the last axis.
    public var inputWidth: Int
    /// The output extent H′ of the second-to-last axis.
    public var outputHeight: Int
    /// The output extent W′ of the last axis.
    public var outputWidth: Int

    /// A resize of H×W planes to H′×W′; the graph holds its `rows` (H′×H) and
    /// `columns` (W′×W) matrices.
    public init(inputHeight: Int, inputWidth: Int, outputHeight: Int, outputWidth: Int) {
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.outputHeight = outputHeight
        self.outputWidth = outputWidth
    }

    /// `rows` (H′×H) and `columns` (W′×W), not trainable.
    public var parameterSpecs: [ParameterSpec] {
        [
            ParameterSpec(
                name: "rows", shape: [outputHeight, inputHeight], trainable: false, initialization: .constant(0)),
            ParameterSpec(
                name: "columns", shape: [outputWidth, inputWidth], trainable: false, initialization: .constant(0)),
        ]
    }

    /// The input's shape with its last two extents H, W replaced by H′, W′.
    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        let input = try singleInput(inputShapes, layer: "resize")
        guard [inputHeight, inputWidth, outputHeight, outputWidth].allSatisfy({ $0 > 0 }) else {
            throw GlassboxError.invalidModel(
                "resize from \(inputHeight)×\(inputWidth) to \(outputHeight)×\(outputWidth) needs positive extents")
        }
        guard input.rank >= 3, input[-2] == inputHeight, input[-1] == inputWidth else {
            throw GlassboxError.shapeMismatch(
                "resize expects N×…×\(inputHeight)×\(inputWidth) (rank at least 3), got \(input)")
        }
        return Shape(input.dimensions.dropLast(2) + [outputHeight, outputWidth])
    }

    /// `rows · X · columnsᵀ` for every plane of `x`, given (P, h, w) planes and
    /// matrices rows (h′×h) and columns (w′×w) (`transposed`: rowsᵀ and columnsᵀ, as backward uses them).
    static func separableProduct(
        _ x: Tensor, rows: Tensor, columns: Tensor, transposed: Bool, outputShape: Shape, backend: any Backend
    ) throws -> Tensor {
        let (height, width) = (x.shape[-2], x.shape[-1])
        let planes = x.count / (height * width)
        let newHeight = transposed ? rows.shape[1] : rows.shape[0]
        let newWidth = transposed ? columns.shape[1] : columns.shape[0]
        // Along W: (P·h)×w times columnsᵀ (w×w′), or times columns when transposed.
        let alongWidth = try backend.gemm(
            try x.reshaped([planes * height, width]), columns, transposeA: false, transposeB: !transposed,
            alpha: 1, beta: 0, accumulator: nil)
        // Along H: bring h to the front, h×(P·w′), and multiply by rows (or rowsᵀ) from the left.
        let heightFirst = try backend.transpose(
            try alongWidth.reshaped([planes, height, newWidth]), permutation: [1, 0, 2])
        let alongHeight = try backend.gemm(
            rows, try heightFirst.reshaped([height, planes * newWidth]), transposeA: transposed, transposeB: false,
            alpha: 1, beta: 0, accumulator: nil)
        let planesFirst = try backend.transpose(
            try alongHeight.reshaped([newHeight, planes, newWidth]), permutation: [1, 0, 2])
        return try planesFirst.reshaped(outputShape)
    }

    /// Y = rows · X · columnsᵀ per plane.
    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        LayerOutput(
            try Self.separableProduct(
                inputs[0], rows: try parameters.required("rows", layer: "resize"),
                columns: try parameters.required("columns", layer: "resize"), transposed: false,
                outputShape: try outputShape(for: [inputs[0].shape]), backend: context.backend))
    }

    /// ∂X = rowsᵀ · ∂Y · columns per plane. The matrices are not trainable and get no gradient.
    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        LayerGradients(inputs: [
            try Self.separableProduct(
                step.gradient, rows: try step.parameter("rows"), columns: try step.parameter("columns"),
                transposed: true, outputShape: step.inputs[0].shape, backend: step.backend)
        ])
    }
}

extension Resize {
    /// ONNX `Resize`'s `mode`: how output values are made from input values.
    public enum Mode: String, Hashable, Sendable, Codable, CaseIterable {
        /// The input value at the index ``NearestMode`` rounds the source coordinate to.
        case nearest
        /// Linear interpolation between the two input values around the source coordinate
        /// x (weights 1 − (x − ⌊x⌋) and x − ⌊x⌋), indices clamped to the axis; applied along
        /// H and along W it is bilinear interpolation. ONNX `exclude_outside = 0`, `antialias = 0`.
        case linear
    }

    /// ONNX `Resize`'s `coordinate_transformation_mode`: the source coordinate
    /// x_original of output index x_resized along an axis of input length
    /// length_original and output length length_resized, with `scale` the output/input
    /// ratio (the given scale, or length_resized / length_original when sizes are given).
    public enum CoordinateTransformation: String, Hashable, Sendable, Codable, CaseIterable {
        /// x_original = (x_resized + 0.5) / scale − 0.5 (ONNX's default; PyTorch's
        /// `align_corners=False`).
        case halfPixel = "half_pixel"
        /// x_original = length_resized > 1 ? (x_resized + 0.5) / scale − 0.5 : 0
        /// (PyTorch's export of `align_corners=False`).
        case pytorchHalfPixel = "pytorch_half_pixel"
        /// x_original = x_resized · (length_original − 1) / (length_resized − 1), 0 when
        /// length_resized = 1 (PyTorch's `align_corners=True`).
        case alignCorners = "align_corners"
        /// x_original = x_resized / scale (PyTorch's `mode="nearest"`; `Upsample` and
        /// `Resize` of opset 10 always transform this way).
        case asymmetric
        /// x_original = (x_resized + 0.5) / scale (TensorFlow's half-pixel nearest
        /// neighbour; ONNX opsets 11–19).
        case tfHalfPixelForNN = "tf_half_pixel_for_nn"
        /// x_original = offset + (x_resized + 0.5) / scale − 0.5 with offset =
        /// (length_original / 2)·(1 − length_resized / (length_original · scale)) (ONNX opset 19);
        /// equal to ``halfPixel`` when the sizes are given.
        case halfPixelSymmetric = "half_pixel_symmetric"
    }

    /// ONNX `Resize`'s `nearest_mode`: how mode "nearest" rounds x_original to an
    /// input index, which is then clamped to 0 … length_original − 1.
    public enum NearestMode: String, Hashable, Sendable, Codable, CaseIterable {
        /// Round to the nearest integer, halves down (ONNX's default).
        case roundPreferFloor = "round_prefer_floor"
        /// Round to the nearest integer, halves up.
        case roundPreferCeil = "round_prefer_ceil"
        /// ⌊x_original⌋ (PyTorch's `mode="nearest"`).
        case floor
        /// ⌈x_original⌉.
        case ceil
        /// onnxruntime's rounding for `Upsample` and `Resize` of opset 10, which name no
        /// nearest mode: ⌈x_original⌉ when downsampling (scale < 1), ⌊x_original⌋ otherwise.
        case simple
    }

    /// The output extent ONNX gives an axis of extent `inputExtent` resized by `scale`:
    /// ⌊inputExtent · scale⌋, the product computed in Float as onnxruntime computes it
    /// (so a scale of 0.7 gives 10 → 7, as PyTorch's `scale_factor=0.7` does).
    public static func outputExtent(for inputExtent: Int, scale: Float) -> Int {
        Int((Float(inputExtent) * scale).rounded(.down))
    }

    /// The interpolation matrix of one axis, `outputExtent`×`inputExtent` in row-major
    /// order: output index i reads input index j with weight `matrix[i·inputExtent + j]`.
    /// Every row sums to one. It is the `rows` (for H) or `columns` (for W) parameter of
    /// a ``Resize`` layer.
    ///
    /// For each output index x_resized, the source coordinate x_original comes from
    /// `coordinateTransformation` (see ``CoordinateTransformation`` for each formula),
    /// computed in Double as the ONNX reference implementation does; when sizes were
    /// given (`scale` nil), dividing by the scale is multiplying by the exact ratio
    /// length_original / length_resized, so coordinates that are whole or half numbers
    /// come out exactly so. Mode ``Mode/nearest`` then puts weight 1 on the index
    /// `nearestMode` rounds x_original to; mode ``Mode/linear`` puts 1 − r on
    /// ⌊x_original⌋ and r on ⌊x_original⌋ + 1, with r = x_original − ⌊x_original⌋.
    /// Indices outside the axis are clamped to 0 … inputExtent − 1 (ONNX's edge padding
    /// of the neighbours, with `exclude_outside = 0`).
    ///
    /// - Parameters:
    ///   - inputExtent: the input length of the axis (length_original).
    ///   - outputExtent: the output length of the axis (length_resized).
    ///   - scale: ONNX's scale of the axis (output over input) when `Resize` was given
    ///     scales; nil when it was given sizes, meaning outputExtent / inputExtent.
    ///   - mode: ONNX `mode`, "nearest" or "linear".
    ///   - coordinateTransformation: ONNX `coordinate_transformation_mode`.
    ///   - nearestMode: ONNX `nearest_mode`, used by mode "nearest" only.
    /// - Throws: `GlassboxError.invalidArgument` when an extent is not positive or the
    ///   scale not positive and finite.
    public static func interpolationMatrix(
        from inputExtent: Int, to outputExtent: Int, scale: Float? = nil, mode: Mode,
        coordinateTransformation: CoordinateTransformation = .halfPixel, nearestMode: NearestMode = .roundPreferFloor
    ) throws -> [Float] {
        guard inputExtent > 0, outputExtent > 0 else {
            throw GlassboxError.invalidArgument(
                "resize needs positive extents, got \(inputExtent) → \(outputExtent)")
        }
        if let scale {
            guard scale > 0, scale.isFinite else {
                throw GlassboxError.invalidArgument("resize scale \(scale) must be positive and finite")
            }
        }
        let lengthOriginal = Double(inputExtent), lengthResized = Double(outputExtent)
        /// v / scale.
        func unscaled(_ value: Double) -> Double {
            scale.map { value / Double($0) } ?? value * lengthOriginal / lengthResized
        }
        func source(_ index: Int) -> Double {
            let resized = Double(index)
            switch coordinateTransformation {
            case .halfPixel: return unscaled(resized + 0.5) - 0.5
            case .pytorchHalfPixel: return outputExtent > 1 ? unscaled(resized + 0.5) - 0.5 : 0
            case .alignCorners:
                return outputExtent == 1 ? 0 : resized * (lengthOriginal - 1) / (lengthResized - 1)
            case .asymmetric: return unscaled(resized)
            case .tfHalfPixelForNN: return unscaled(resized + 0.5)
            case .halfPixelSymmetric:
                // adjustment = output_width_int / output_width, output_width = length_original · scale.
                let adjustment = scale.map { lengthResized / (lengthOriginal * Double($0)) } ?? 1
                let offset = lengthOriginal / 2 * (1 - adjustment)
                return offset + unscaled(resized + 0.5) - 0.5
            }
        }
        let downsampling = scale.map { $0 < 1 } ?? (outputExtent < inputExtent)
        func clamped(_ index: Double) -> Int { Int(Swift.min(Swift.max(index, 0), lengthOriginal - 1)) }
        var matrix = [Float](repeating: 0, count: outputExtent * inputExtent)
        for index in 0..<outputExtent {
            let x = source(index), low = x.rounded(.down), fraction = x - low
            let row = index * inputExtent
            switch mode {
            case .nearest:
                let rounded: Double =
                    switch nearestMode {
                    case .roundPreferFloor: fraction > 0.5 ? low + 1 : low
                    case .roundPreferCeil: fraction >= 0.5 ? low + 1 : low
                    case .floor: low
                    case .ceil: x.rounded(.up)
                    case .simple: downsampling ? x.rounded(.up) : low
                    }
                matrix[row + clamped(rounded)] = 1
            case .linear:
                matrix[row + clamped(low)] += Float(1 - fraction)
                matrix[row + clamped(low + 1)] += Float(fraction)
            }
        }
        return matrix
    }
}
