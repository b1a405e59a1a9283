import GlassboxConformance
import GlassboxCore
import Testing

@testable import GlassboxNN

/// Layer kinds (LayerKinds.swift): which layers are of which kind, the
/// ``Composite/Selector/kind(_:where:)`` selector, and the contract of
/// ``LinearLayer`` that the LRP rules rely on.
@Suite("Layer kinds")
struct LayerKindTests {
    /// One layer of every type with a kind, and the kinds it is of.
    static let layers: [(layer: any Layer, kinds: Set<String>)] = [
        (Conv2D(2, 3, kernel: 3), ["linear", "convolution"]),
        (BayesianConv2D(2, 3, kernel: 3), ["linear", "convolution"]),
        (Dense(4, 2), ["linear", "fully connected"]),
        (BayesianDense(4, 2), ["linear", "fully connected"]),
        (Activation.relu, ["activation"]), (Activation(.tanh), ["activation"]),
        (PReLU(slopeShape: [3, 1, 1]), ["activation"]), (ELU(), ["activation"]),
        (Clip(minimum: 0, maximum: 6), ["activation"]),
        (BatchNorm(channels: 3), ["batch normalization"]),
        (Pool2D.max(2), ["pooling", "max pooling"]), (Pool2D.average(2), ["pooling"]),
        (GlobalAveragePool(), ["pooling"]),
        (Add(), ["addition"]),
        (Reshape.flatten, []), (Dropout(0.5), []), (Softmax(), []),
        (UnaryFunction(.exp), ["activation"]),
        (LayerNormalization(axis: 1, normalizedShape: [3], hasBias: true), ["sample normalization"]),
        (BatchedMatMul(transposeRight: true), ["bilinear"]), (Arithmetic(.multiply), ["bilinear"]),
        (Arithmetic(.multiply, constantShape: [1]), []), (Arithmetic(.add), []),
        (Reduction(.max, axes: [1], keepDimensions: true), []),
        (Resize(inputHeight: 2, inputWidth: 2, outputHeight: 4, outputWidth: 4), []),
        (Embedding(vocabularySize: 5, dimension: 3, paddingIndex: 0), []),
        (LSTM(inputSize: 3, hiddenSize: 2), []),
        (PositionEmbedding(length: 4, dimension: 3), []),
    ]

    /// The selectors of the kinds, by the names of ``layers``.
    static let selectors: [(kind: String, selector: Composite.Selector)] = [
        ("linear", .kind(LinearLayer.self)),
        ("convolution", .kind(ConvolutionLayer.self)),
        ("fully connected", .kind(FullyConnectedLayer.self)),
        ("activation", .kind(ElementwiseActivationLayer.self)),
        ("batch normalization", .kind(BatchNormalizationLayer.self)),
        ("pooling", .kind(PoolingLayer.self)),
        ("max pooling", .kind(PoolingLayer.self) { $0.pooling == .max }),
        ("addition", .kind(AdditionLayer.self)),
        ("sample normalization", .kind(SampleNormalizationLayer.self)),
        ("bilinear", .kind(BilinearLayer.self) { $0.multipliesInputs }),
    ]

    @Test func kindSelectorsSelectEveryLayerOfTheirKind() {
        for (layer, kinds) in Self.layers {
            let node = Node("node", layer, inputs: ["input"])
            let selected = Set(Self.selectors.filter { $0.selector.matches(node) }.map(\.kind))
            #expect(selected == kinds, "\(layer.typeName)")
        }
    }

    /// A concrete type, and a type name, select that type only.
    @Test func typesSelectOneType() {
        let convolution = Node("conv", Conv2D(2, 3, kernel: 3), inputs: ["input"])
        let bayesian = Node("bayes", BayesianConv2D(2, 3, kernel: 3), inputs: ["input"])
        for selector in [Composite.Selector.kind(Conv2D.self), .layerType(Conv2D.typeName)] {
            #expect(selector.matches(convolution))
            #expect(!selector.matches(bayesian))
        }
    }

    /// The weight and bias a linear layer names are among its parameters (no bias when it has none).
    @Test func linearLayersNameTheirWeightAndBias() throws {
        let layers: [any LinearLayer] = [
            Conv2D(2, 3, kernel: 3),
            Conv2D(inputChannels: 2, outputChannels: 3, window: Window2D(kernel: 3), hasBias: false),
            Dense(4, 2), Dense(4, 2, hasBias: false), BayesianConv2D(2, 3, kernel: 3), BayesianDense(4, 2),
        ]
        for layer in layers {
            let names = Set(layer.parameterSpecs.map(\.name))
            #expect(names.contains(layer.weightParameter), "\(layer)")
            #expect(layer.biasParameter.map(names.contains) ?? !names.contains("bias"), "\(layer)")
        }
        #expect(BayesianDense(4, 2).weightParameter == "weightMean" && BayesianDense(4, 2).biasParameter == "biasMean")
    }

    /// The ``LinearLayer`` contract: in inference, a Bayesian layer computes the
    /// plain layer with its named weight and bias, forward and backward — whatever
    /// values those take and whatever its ρ.
    @Test(arguments: ["dense", "convolution"])
    func bayesianLayersAreTheirMeanLayers(_ kind: String) throws {
        let (bayesian, plain, inputShape): (any LinearLayer, any LinearLayer, Shape) =
            kind == "dense"
            ? (BayesianDense(5, 4), Dense(5, 4), [2, 5])
            : (
                BayesianConv2D(2, 3, kernel: 3, stride: 2, padding: 1), Conv2D(2, 3, kernel: 3, stride: 2, padding: 1),
                [2, 2, 5, 5]
            )
        var generator = SplitMix64(seed: 31)
        var bayesianParameters = [String: Tensor]()
        for spec in bayesian.parameterSpecs {
            bayesianParameters[spec.name] = try upload(generator.floats(spec.shape.count), spec.shape)
        }
        let plainParameters = [
            plain.weightParameter: bayesianParameters[bayesian.weightParameter]!,
            plain.biasParameter!: bayesianParameters[bayesian.biasParameter!]!,
        ]
        let x = try upload(generator.floats(inputShape.count), inputShape)
        let outputShape = try plain.outputShape(for: [inputShape])
        let gradient = try upload(generator.floats(outputShape.count), outputShape)
        let context = ForwardContext(backend: cpu, mode: .inference, randomStream: RandomStream(seed: 0))
        var results = [[Float]]()
        for (layer, parameters) in [(bayesian as any Layer, bayesianParameters), (plain, plainParameters)] {
            let forward = try layer.forward([x], parameters: parameters, context: context)
            let backward = try layer.backward(
                BackwardStep(
                    node: Node("layer", layer, inputs: ["input"]), inputs: [x], output: forward.output,
                    saved: forward.saved, gradient: gradient, parameters: parameters,
                    wantsParameterGradients: false))
            results.append(try values(forward.output) + values(backward.inputs[0]))
        }
        #expect(normalisedError(results[0], results[1]) < 1e-6)
    }
}
