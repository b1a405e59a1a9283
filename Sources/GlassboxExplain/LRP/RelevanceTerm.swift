import GlassboxCore
import GlassboxNN

/// One modified copy of a layer inside an ``LRPRule``: the layer evaluated on a
/// modified input with modified parameters, z = f(x′; W′, b′).
///
/// LRP rules differ only in these modifications (Montavon et al. 2019, "Layer-wise
/// relevance propagation: an overview", eq. 9: ρ(w) and the input it multiplies),
/// as in Zennit's `BasicHook` (Anders et al. 2021), whose input and parameter
/// modifiers these are. Every modification runs on the tensors' backend.
public struct RelevanceTerm: Sendable, Hashable {
    /// What the layer reads in place of its input x.
    public enum InputModifier: Sendable, Hashable {
        /// x itself.
        case identity
        /// x⁺ = max(x, 0).
        case positivePart
        /// x⁻ = min(x, 0).
        case negativePart
        /// A tensor of ones (the flat and w² rules, which ignore the input).
        case ones
        /// The box bound of the z^B rule: one value, or one per channel (axis 1).
        case bound([Float])
    }

    /// What a parameter becomes.
    public enum ParameterModifier: Sendable, Hashable {
        case identity
        /// p⁺ = max(p, 0).
        case positivePart
        /// p⁻ = min(p, 0).
        case negativePart
        /// p + γ·p⁺, the γ rule's favouring of positive contributions.
        case gammaPositive(Float)
        /// p + γ·p⁻.
        case gammaNegative(Float)
        /// p², the w² rule.
        case square
        /// All ones, the flat rule.
        case ones
        /// All zeros (a term without bias).
        case zero
    }

    /// The modification of the input x.
    public var input: InputModifier
    /// The modification of the weight W of a `LinearLayer` (its `LinearLayer.weightParameter`).
    public var weight: ParameterModifier
    /// The modification of its bias b (`LinearLayer.biasParameter`). Other parameters,
    /// and those of layers of no linear kind (additions, pooling), stay as they are.
    public var bias: ParameterModifier
    /// +1 or −1: whether the term adds to or subtracts from its group's denominator and relevance (z^B subtracts its bound terms).
    public var sign: Float

    /// A term reading the modified input, weight and bias, added to its group (`sign` +1) or subtracted (−1).
    public init(input: InputModifier, weight: ParameterModifier, bias: ParameterModifier, sign: Float = 1) {
        self.input = input
        self.weight = weight
        self.bias = bias
        self.sign = sign
    }

    /// The modified copy of one layer input.
    func modifiedInput(_ x: Tensor) throws -> Tensor {
        let backend = x.backend
        switch input {
        case .identity: return x
        case .positivePart: return try backend.unary(x, .positivePart)
        case .negativePart: return try backend.unary(x, .negativePart)
        case .ones: return try backend.filled(x.shape, value: 1)
        case .bound(let values):
            guard values.count == 1 || (x.shape.rank >= 2 && values.count == x.shape[1]) else {
                throw GlassboxError.invalidArgument(
                    "the z-box bounds have \(values.count) values; the layer's input \(x.shape) needs 1 or one per channel"
                )
            }
            let perChannel = Shape([1, values.count] + Array(repeating: 1, count: Swift.max(x.shape.rank - 2, 0)))
            return try backend.broadcast(
                try backend.upload(values, shape: values.count == 1 ? Shape([1]) : perChannel), to: x.shape)
        }
    }

    /// `layer`'s parameters (by short name) with the weight and bias modified when
    /// it is a `LinearLayer`, as they are otherwise.
    func modifiedParameters(_ parameters: [String: Tensor], of layer: any Layer) throws -> [String: Tensor] {
        guard let linear = layer as? any LinearLayer else { return parameters }
        var result = parameters
        let modified: [(name: String?, modifier: ParameterModifier)] = [
            (linear.weightParameter, weight), (linear.biasParameter, bias),
        ]
        for (name, modifier) in modified {
            guard let name, let value = parameters[name] else { continue }
            result[name] = try Self.apply(modifier, to: value)
        }
        return result
    }

    private static func apply(_ modifier: ParameterModifier, to p: Tensor) throws -> Tensor {
        let backend = p.backend
        switch modifier {
        case .identity: return p
        case .positivePart: return try backend.unary(p, .positivePart)
        case .negativePart: return try backend.unary(p, .negativePart)
        case .gammaPositive(let gamma): return try backend.axpy(alpha: gamma, try backend.unary(p, .positivePart), p)
        case .gammaNegative(let gamma): return try backend.axpy(alpha: gamma, try backend.unary(p, .negativePart), p)
        case .square: return try backend.unary(p, .square)
        case .ones: return try backend.filled(p.shape, value: 1)
        case .zero: return try backend.filled(p.shape, value: 0)
        }
    }
}
