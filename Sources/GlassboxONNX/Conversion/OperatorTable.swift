/// The ONNX operators the importer understands, each with the function that
/// converts one node (into graph nodes, or into load-time constants).
enum OperatorTable {
    typealias Converter = @Sendable (inout ImportState, ONNXNode) throws -> Void

    static let converters: [String: Converter] = [
        "Conv": LayerConversion.conv,
        "MaxPool": LayerConversion.maxPool,
        "AveragePool": LayerConversion.averagePool,
        "GlobalAveragePool": LayerConversion.globalAveragePool,
        "GlobalMaxPool": LayerConversion.globalMaxPool,
        "Gemm": LayerConversion.gemm,
        "MatMul": LayerConversion.matMul,
        "BatchNormalization": LayerConversion.batchNormalization,
        "Add": ElementwiseConversion.arithmetic(.add),
        "Sub": ElementwiseConversion.arithmetic(.subtract),
        "Mul": ElementwiseConversion.arithmetic(.multiply),
        "Div": ElementwiseConversion.arithmetic(.divide),
        "Sum": ElementwiseConversion.sum,
        "Relu": ElementwiseConversion.activation { _ in .relu },
        "LeakyRelu": ElementwiseConversion.activation { .leakyReLU(slope: try $0.float("alpha", default: 0.01)) },
        "Sigmoid": ElementwiseConversion.activation { _ in .sigmoid },
        "Tanh": ElementwiseConversion.activation { _ in .tanh },
        "Clip": ElementwiseConversion.clip,
        "Elu": ElementwiseConversion.elu,
        "PRelu": ElementwiseConversion.prelu,
        "Flatten": ShapeConversion.flatten,
        "Reshape": ShapeConversion.reshape,
        "Squeeze": ShapeConversion.squeeze,
        "Unsqueeze": ShapeConversion.unsqueeze,
        "Concat": ShapeConversion.concat,
        "Dropout": ShapeConversion.dropout,
        "Softmax": ShapeConversion.softmax(logarithm: false),
        "LogSoftmax": ShapeConversion.softmax(logarithm: true),
        "Identity": ShapeConversion.identity,
        "Constant": ConstantFolding.constant,
        "ConstantOfShape": ConstantFolding.constantOfShape,
        "Shape": ConstantFolding.shape,
        "Gather": ConstantFolding.gather,
        "Cast": ConstantFolding.cast,
        "Slice": ConstantFolding.slice,
        "Transpose": ShapeConversion.transpose,
        "Pad": ShapeConversion.pad,
        "LRN": LayerConversion.localResponseNormalization,
    ]

    /// The operator names, sorted, for messages.
    static var supported: String { converters.keys.sorted().joined(separator: ", ") }
}
