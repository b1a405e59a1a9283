/// Every operation of the `Backend` protocol (module GlassboxCore): the list the conformance suite
/// iterates, in the protocol's order, and the one place an operation is registered.
///
/// Adding a protocol requirement means adding its case here; the compiler then asks for
/// its ``agreement`` and its ``cases`` (in the `…Cases.swift` file of its family), and the
/// suite fails an operation that has no case. As in llama.cpp's `test-backend-ops`, each
/// operation keeps its inputs, shapes and error limit together. The fused overloads
/// (a noisy batch read inside a convolution, a ReLU passed inside a backward kernel) are
/// operations of their own, so each is checked against the composition it stands for.
public enum BackendOperation: String, CaseIterable, Sendable, CustomStringConvertible {
    case upload, download, filled, synchronize
    case gemm, addBias
    case conv2d, conv2dBackwardData, conv2dBackwardFilter
    case pool2d, pool2dBackward
    case activation, activationBackward, reluBackward
    case binary, unary, affine, axpy, stabilizedDivide
    case softmax, softmaxBackward
    case reduce, broadcast, concat, transpose, slice, gatherRows, scatterAddRows, batchNorm
    case randomUniform, randomNormal, dropoutMask
    case noisyBatch, interpolationBatch, occlusionBatch, maskedBatch, packRows, riseMasks, sampleStatistics
    /// `conv2d(_ batch: NoisyBatch, …)`: the noisy copies drawn inside the convolution's input read.
    case noisyConv2d
    /// `conv2dBackwardData(…, through:)`: the input gradient passed back through a ReLU in the same kernel.
    case gatedConv2dBackwardData
    /// `pool2dBackward(…, through:)`: the input gradient passed back through a ReLU in the same kernel.
    case gatedPool2dBackward
    case conv2dBackwardDataStatistics

    /// The name of the protocol requirement the operation exercises (the fused overloads
    /// share their operation's name).
    public var requirementName: String {
        switch self {
        case .noisyConv2d: "conv2d"
        case .gatedConv2dBackwardData: "conv2dBackwardData"
        case .gatedPool2dBackward: "pool2dBackward"
        default: rawValue
        }
    }

    public var description: String { rawValue }

    /// How a candidate's results must agree with the reference's: bit for bit for memory
    /// and random operations; within a normalised error of 1e-5 for elementwise and shape
    /// operations (a few float roundings), 1e-4 for those with long sums or transcendental
    /// chains (matrix products, convolutions, reductions, softmax, statistics).
    public var agreement: Agreement {
        switch self {
        case .upload, .download, .randomUniform, .randomNormal, .dropoutMask, .noisyBatch, .occlusionBatch,
            .maskedBatch, .packRows, .riseMasks, .gatherRows:
            .exact
        case .filled: .within(0)
        case .addBias, .pool2d, .pool2dBackward, .gatedPool2dBackward, .activation, .activationBackward, .reluBackward,
            .binary, .unary, .affine, .axpy, .stabilizedDivide, .broadcast, .concat, .transpose, .slice, .batchNorm,
            .interpolationBatch:
            .within(1e-5)
        case .gemm, .conv2d, .conv2dBackwardData, .conv2dBackwardFilter, .noisyConv2d, .gatedConv2dBackwardData,
            .conv2dBackwardDataStatistics, .softmax, .softmaxBackward, .reduce, .scatterAddRows, .sampleStatistics,
            .synchronize:
            .within(1e-4)
        }
    }
}

/// How a candidate's result must agree with the reference's.
public enum Agreement: Sendable, Equatable, CustomStringConvertible {
    /// Every value bit for bit (random numbers, copies).
    case exact
    /// A ``normalisedError(_:_:floor:)-([Double],[Double],_)`` of at most this limit.
    case within(Double)

    public var description: String {
        switch self {
        case .exact: "exact"
        case .within(let limit): "limit \(Float(limit))"
        }
    }
}
