import GlassboxCore

/// A constant repeated for every sample of the batch, so that a constant can enter a
/// layer of several computed inputs: an ONNX initializer or `Constant` read by
/// `Concat` (a vision transformer's class token joined to the patch tokens), `Where`
/// (a constant attention mask), `MatMul` or `Einsum`.
///
/// The constant is the parameter `value` of shape ``valueShape`` (not trainable),
/// whose axis 0 is the constant's per-sample multiple m_c. The layer reads one
/// computed *reference* input only for the batch size: with ``referenceElements``
/// elements per sample of the reference, the batch has N = count / referenceElements
/// samples, and the output is the constant stacked N times along axis 0, of shape
/// `[N·m_c] + valueShape[1...]`.
///
/// The output does not depend on the reference's values, so the reference gets a zero
/// gradient; the gradient of `value`, when asked, is the sum over the N copies. LRP
/// uses the gradient here: relevance that reaches the constant stays with it and is
/// not passed to the reference input.
public struct SampleConstant: Layer, Hashable {
    public static let typeName = "sample-constant"
    /// The shape of the constant `value`; axis 0 is its per-sample multiple m_c.
    public var valueShape: Shape
    /// The number of elements of one sample of the reference input.
    public var referenceElements: Int

    /// A constant of `valueShape` repeated for each sample of a reference input with
    /// `referenceElements` elements per sample.
    public init(valueShape: Shape, referenceElements: Int) {
        self.valueShape = valueShape
        self.referenceElements = referenceElements
    }

    public var parameterSpecs: [ParameterSpec] {
        [ParameterSpec(name: "value", shape: valueShape, trainable: false, initialization: .constant(0))]
    }

    /// The number of samples N in a reference input of `shape`.
    private func sampleCount(_ reference: Shape) throws -> Int {
        guard referenceElements >= 1, reference.count > 0, reference.count % referenceElements == 0 else {
            throw GlassboxError.shapeMismatch(
                "sample constant: the reference input \(reference) is not a whole number of samples of \(referenceElements) elements"
            )
        }
        return reference.count / referenceElements
    }

    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        let reference = try singleInput(inputShapes, layer: "sample constant")
        guard valueShape.rank >= 1, valueShape[0] >= 1 else {
            throw GlassboxError.invalidModel(
                "sample constant value \(valueShape) needs an axis 0 (its per-sample multiple) of extent ≥ 1")
        }
        let samples = try sampleCount(reference)
        let (rows, overflow) = samples.multipliedReportingOverflow(by: valueShape[0])
        guard !overflow, Shape.checkedProduct([rows] + valueShape.sampleShape.dimensions) != nil else {
            throw GlassboxError.shapeMismatch("sample constant of \(valueShape) for \(samples) samples is too large")
        }
        return valueShape.withBatch(rows)
    }

    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        let value = try parameters.required("value", layer: "sample constant")
        let shape = try outputShape(for: [inputs[0].shape])
        let samples = try sampleCount(inputs[0].shape)
        guard samples > 1 else { return LayerOutput(try value.reshaped(shape)) }
        let row = try value.reshaped([1, value.count])
        return LayerOutput(try context.backend.broadcast(row, to: [samples, value.count]).reshaped(shape))
    }

    /// Zero for the reference input; the gradient of `value` sums the N copies.
    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        let backend = step.backend, reference = step.inputs[0].shape
        var gradients = LayerGradients(inputs: [try backend.filled(reference, value: 0)])
        if step.wantsParameterGradients {
            let samples = try sampleCount(reference)
            gradients.parameters["value"] = try backend.reduce(
                try step.gradient.reshaped([samples, valueShape.count]), axes: [0], .sum, keepDimensions: false
            ).reshaped(valueShape)
        }
        return gradients
    }
}
