import GlassboxCore

extension Graph {
    /// The names of the nodes ``standardizingInput(mean:standardDeviation:)`` puts in front of a
    /// model: the one subtracting the mean, and the one dividing by the standard deviation.
    public static let standardizationNodeNames = (center: "standardize.center", scale: "standardize.scale")

    /// This model behind a fixed standardisation of its input: every input value `x` becomes
    /// `(x − mean)/deviation`, with a mean and a deviation per element of a sample, as
    /// scikit-learn's `StandardScaler` transforms a table before a model sees it.
    ///
    /// The standardisation is part of the graph — two `Arithmetic` nodes with constant operands
    /// (``standardizationNodeNames``: subtract the mean, then divide by the deviation), which
    /// training leaves alone — so the model takes raw values: a table's rows in their own units,
    /// and explanations of the model are in those units too. A deviation of zero (a constant
    /// column) divides by 1, as `StandardScaler` does. The new nodes' constants are on the
    /// graph's backend; every node that read the input reads the standardised input instead.
    ///
    /// - Parameters:
    ///   - mean: The value subtracted from each element of a sample, in sample order.
    ///   - standardDeviation: The value each centred element is divided by, in sample order;
    ///     each one finite and not negative.
    /// - Throws: `GlassboxError.invalidArgument` if the counts differ from the elements of
    ///   ``inputShape`` or a value is not finite (or a deviation negative);
    ///   `GlassboxError.invalidModel` if the graph already has nodes of those names.
    public func standardizingInput(mean: [Float], standardDeviation: [Float]) throws -> Graph {
        guard mean.count == inputShape.count, standardDeviation.count == inputShape.count else {
            throw GlassboxError.invalidArgument(
                "a standardisation of inputs \(inputShape) needs \(inputShape.count) means and deviations, got "
                    + "\(mean.count) and \(standardDeviation.count)")
        }
        guard mean.allSatisfy(\.isFinite), standardDeviation.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw GlassboxError.invalidArgument(
                "a standardisation needs finite means and deviations that are not negative")
        }
        let names = Self.standardizationNodeNames
        let center = Node(names.center, Arithmetic(.subtract, constantShape: inputShape), inputs: [inputName])
        let scale = Node(names.scale, Arithmetic(.divide, constantShape: inputShape), inputs: [names.center])
        let model = nodes.map { node in
            var node = node
            node.inputs = node.inputs.map { $0 == inputName ? names.scale : $0 }
            return node
        }
        var parameters = self.parameters
        parameters[center.parameterName("operand")] = try backend.upload(mean, shape: inputShape)
        parameters[scale.parameterName("operand")] = try backend.upload(
            standardDeviation.map { $0 == 0 ? 1 : $0 }, shape: inputShape)
        return try Graph(
            inputName: inputName, inputShape: inputShape, nodes: [center, scale] + model, outputName: outputName,
            parameters: parameters, backend: backend)
    }
}
