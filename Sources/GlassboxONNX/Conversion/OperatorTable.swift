import Foundation

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
        "Einsum": LayerConversion.einsum,
        "BatchNormalization": LayerConversion.batchNormalization,
        "LayerNormalization": ReductionConversion.layerNormalization,
        "LRN": LayerConversion.localResponseNormalization,
        "LSTM": RecurrentConversion.lstm,
        "Resize": ResizeConversion.resize,
        "Upsample": ResizeConversion.upsample,
        "Add": ElementwiseConversion.arithmetic(.add),
        "Sub": ElementwiseConversion.arithmetic(.subtract),
        "Mul": ElementwiseConversion.arithmetic(.multiply),
        "Div": ElementwiseConversion.arithmetic(.divide),
        "Pow": ElementwiseConversion.arithmetic(.power),
        "Sum": ElementwiseConversion.sum,
        "Relu": ElementwiseConversion.activation { _ in .relu },
        "LeakyRelu": ElementwiseConversion.activation { .leakyReLU(slope: try $0.float("alpha", default: 0.01)) },
        "Sigmoid": ElementwiseConversion.activation { _ in .sigmoid },
        "Tanh": ElementwiseConversion.activation { _ in .tanh },
        "Erf": ElementwiseConversion.activation { _ in .erf },
        "HardSigmoid": ElementwiseConversion.activation {
            .hardSigmoid(alpha: try $0.float("alpha", default: 0.2), beta: try $0.float("beta", default: 0.5))
        },
        "HardSwish": ElementwiseConversion.activation { _ in .hardSwish },
        "Gelu": ElementwiseConversion.activation {
            .gelu(tanhApproximation: $0.string("approximate", default: "none") == "tanh")
        },
        "Neg": ElementwiseConversion.unary(.negate),
        "Abs": ElementwiseConversion.unary(.abs),
        "Sqrt": ElementwiseConversion.unary(.sqrt),
        "Exp": ElementwiseConversion.unary(.exp),
        "Log": ElementwiseConversion.unary(.log),
        "Reciprocal": ElementwiseConversion.unary(.reciprocal),
        "Clip": ElementwiseConversion.clip,
        "Elu": ElementwiseConversion.elu,
        "PRelu": ElementwiseConversion.prelu,
        "Not": ElementwiseConversion.not,
        "Equal": IndexingConversion.equal,
        "Where": IndexingConversion.where,
        "Less": ElementwiseConversion.folded({ _, x in x[0] < x[1] ? 1 : 0 }, integral: true),
        "LessOrEqual": ElementwiseConversion.folded({ _, x in x[0] <= x[1] ? 1 : 0 }, integral: true),
        "Greater": ElementwiseConversion.folded({ _, x in x[0] > x[1] ? 1 : 0 }, integral: true),
        "GreaterOrEqual": ElementwiseConversion.folded({ _, x in x[0] >= x[1] ? 1 : 0 }, integral: true),
        "And": ElementwiseConversion.folded({ _, x in x[0] != 0 && x[1] != 0 ? 1 : 0 }, integral: true),
        "Or": ElementwiseConversion.folded({ _, x in x[0] != 0 || x[1] != 0 ? 1 : 0 }, integral: true),
        "Xor": ElementwiseConversion.folded({ _, x in (x[0] != 0) != (x[1] != 0) ? 1 : 0 }, integral: true),
        "Mod": ElementwiseConversion.folded(
            { node, x in
                try node.int("fmod", default: 0) == 1
                    ? Foundation.fmod(x[0], x[1]) : x[0] - x[1] * (x[0] / x[1]).rounded(.down)
            }, integral: false),
        "Min": ElementwiseConversion.folded({ _, x in x.min()! }, integral: false),
        "Max": ElementwiseConversion.folded({ _, x in x.max()! }, integral: false),
        "Floor": ElementwiseConversion.folded({ _, x in x[0].rounded(.down) }, integral: false),
        "Ceil": ElementwiseConversion.folded({ _, x in x[0].rounded(.up) }, integral: false),
        "Round": ElementwiseConversion.folded({ _, x in x[0].rounded(.toNearestOrEven) }, integral: false),
        "Sign": ElementwiseConversion.folded({ _, x in x[0] > 0 ? 1 : x[0] < 0 ? -1 : 0 }, integral: false),
        "ReduceSum": ReductionConversion.reduce(.sum),
        "ReduceMean": ReductionConversion.reduce(.mean),
        "ReduceMax": ReductionConversion.reduce(.max),
        "ReduceMin": ReductionConversion.reduce(.min),
        "ReduceL2": ReductionConversion.reduce(.l2),
        "ReduceSumSquare": ReductionConversion.reduce(.sumSquare),
        "ReduceLogSumExp": ReductionConversion.reduce(.logSumExp),
        "Flatten": ShapeConversion.flatten,
        "Reshape": ShapeConversion.reshape,
        "Squeeze": ShapeConversion.squeeze,
        "Unsqueeze": ShapeConversion.unsqueeze,
        "Concat": ShapeConversion.concat,
        "Transpose": ShapeConversion.transpose,
        "Pad": ShapeConversion.pad,
        "Dropout": ShapeConversion.dropout,
        "Softmax": ShapeConversion.softmax(logarithm: false),
        "LogSoftmax": ShapeConversion.softmax(logarithm: true),
        "Identity": ShapeConversion.identity,
        "Gather": IndexingConversion.gather,
        "Slice": IndexingConversion.slice,
        "Split": IndexingConversion.split,
        "Expand": IndexingConversion.expand,
        "Constant": ConstantFolding.constant,
        "ConstantOfShape": ConstantFolding.constantOfShape,
        "Shape": ConstantFolding.shape,
        "Cast": ConstantFolding.cast,
        "Range": ConstantFolding.range,
        "ScatterND": ConstantFolding.scatterND,
    ]

    /// The operator names, sorted, for messages.
    static var supported: String { converters.keys.sorted().joined(separator: ", ") }
}
