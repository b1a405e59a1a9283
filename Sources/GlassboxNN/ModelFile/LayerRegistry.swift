/// The layer types a model file may contain, by ``Layer/typeName``.
public enum LayerRegistry {
    /// Every built-in layer type.
    public static let types: [any Layer.Type] = [
        Conv2D.self, Dense.self, Activation.self, Pool2D.self, GlobalAveragePool.self, Reshape.self,
        Dropout.self, BatchNorm.self, Add.self, Concat.self, Softmax.self, Arithmetic.self, Clip.self, ELU.self,
        PReLU.self,
        Transpose.self, Pad.self, LocalResponseNormalization.self, BatchedMatMul.self, BayesianDense.self,
        BayesianConv2D.self,
        Gather.self, StridedSlice.self, Broadcast.self, SampleConstant.self, Where.self, Comparison.self,
        UnaryFunction.self, LayerNormalization.self, Reduction.self, Resize.self,
        Embedding.self,
        LSTM.self,
        PositionEmbedding.self,
    ]

    /// The layer type stored under `name`, if any.
    public static func type(named name: String) -> (any Layer.Type)? {
        types.first { $0.typeName == name }
    }
}
