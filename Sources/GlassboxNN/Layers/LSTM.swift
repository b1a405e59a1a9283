import GlassboxCore

/// A long short-term memory layer (Hochreiter & Schmidhuber 1997, "Long Short-Term
/// Memory", with the forget gate of Gers, Schmidhuber & Cummins 2000, "Learning to
/// Forget") as ONNX's `LSTM` operator defines one direction of it, without peepholes,
/// and as PyTorch's `nn.LSTM` computes one layer: for every step t, from zero initial
/// states h₀ = c₀ = 0,
///
///     i = σ(xₜ·Wᵢᵀ + hₜ₋₁·Rᵢᵀ + Wbᵢ + Rbᵢ)      o = σ(… the same with W₀, R₀, Wb₀, Rb₀)
///     f = σ(… with W_f, R_f, Wb_f, Rb_f)         c̃ = tanh(… with W_c, R_c, Wb_c, Rb_c)
///     cₜ = f ⊙ cₜ₋₁ + i ⊙ c̃                     hₜ = o ⊙ tanh(cₜ).
///
/// The input is N×T×D (samples first: N sequences of T steps of D features) and the
/// output N×T×H holds the hidden state hₜ of every step, so the per-step hidden states
/// are a layer output that explanation methods can read. With ``reverse`` the
/// recurrence runs from the last step to the first (hₜ₊₁ feeds hₜ), the output still
/// in time order: ONNX's `reverse` direction, and the second half of a bidirectional
/// LSTM (two layers and a ``Concat``).
///
/// The parameters are in ONNX's layout for one direction, so importing copies them:
/// `weight` W (4H×D), `recurrence` R (4H×H) and `bias` (8H: Wb, then Rb), each with
/// its four gates stacked in ONNX's order i, o, f, c. (PyTorch stacks i, f, c, o and
/// its exporter reorders them.) A freshly built layer draws all three uniformly from
/// (−1/√H, 1/√H), as PyTorch initialises `nn.LSTM`.
///
/// The computation is `Backend` calls only: one matrix product X·Wᵀ for all steps,
/// then per step one product hₜ₋₁·Rᵀ accumulated onto it and a few elementwise calls on
/// N×H tensors. The backward pass is backpropagation through time (Werbos 1990) over
/// the gates and cell states the forward pass saved, with the products for the input
/// gradient and the parameter gradients again taken over all steps at once.
///
/// It is of no layer kind: LRP passes relevance through it by its gradient.
public struct LSTM: Layer, Hashable {
    /// The name under which the layer is stored in model files.
    public static let typeName = "lstm"
    /// D, the features of one step of the input.
    public var inputSize: Int
    /// H, the features of the hidden and cell states.
    public var hiddenSize: Int
    /// Whether the recurrence runs from the last step to the first.
    public var reverse: Bool

    /// An LSTM reading D = `inputSize` features per step into H = `hiddenSize` hidden
    /// features, from the first step to the last, or from the last to the first when `reverse`.
    public init(inputSize: Int, hiddenSize: Int, reverse: Bool = false) {
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.reverse = reverse
    }

    /// `weight` (4H×D), `recurrence` (4H×H) and `bias` (8H), gates in the order i, o, f, c,
    /// all trainable and drawn uniformly from (−1/√H, 1/√H).
    public var parameterSpecs: [ParameterSpec] {
        let initialization = ParameterSpec.Initialization.uniform(
            bound: 1 / Float(max(hiddenSize, 1)).squareRoot())
        return [
            ParameterSpec(name: "weight", shape: [4 * hiddenSize, inputSize], initialization: initialization),
            ParameterSpec(name: "recurrence", shape: [4 * hiddenSize, hiddenSize], initialization: initialization),
            ParameterSpec(name: "bias", shape: [8 * hiddenSize], initialization: initialization),
        ]
    }

    /// N×T×H for an N×T×D input with at least one step.
    public func outputShape(for inputShapes: [Shape]) throws -> Shape {
        let input = try singleInput(inputShapes, layer: "lstm")
        guard inputSize > 0, hiddenSize > 0 else {
            throw GlassboxError.invalidModel(
                "lstm needs positive input and hidden sizes, got \(inputSize) and \(hiddenSize)")
        }
        guard input.rank == 3, input[2] == inputSize else {
            throw GlassboxError.shapeMismatch("lstm expects N×T×\(inputSize) (samples, steps, features), got \(input)")
        }
        guard input[1] >= 1 else { throw GlassboxError.shapeMismatch("lstm needs at least one step, got \(input)") }
        return [input[0], input[1], hiddenSize]
    }

    /// The steps in the order the recurrence visits them.
    func order(_ steps: Int) -> [Int] { reverse ? Array((0..<steps).reversed()) : Array(0..<steps) }

    /// What the forward pass keeps of each visited step, in this order, for the backward pass.
    enum Saved: Int, CaseIterable {
        /// The inputs (N×3H) and outputs of the gates' sigmoid, i, o and f side by side.
        case gateInputs, gates
        /// The input (N×H) and output of the candidate's tanh.
        case candidateInput, candidate
        /// The gates i, o, f (N×H each), the cell state cₜ and tanh(cₜ).
        case inputGate, outputGate, forgetGate, cell, cellTanh
    }

    /// The hidden states of every step (N×T×H) and, per visited step, the tensors of ``Saved``.
    func run(_ x: Tensor, weight: Tensor, recurrence: Tensor, bias: Tensor, backend: any Backend) throws
        -> LayerOutput
    {
        let (samples, steps, hidden) = (x.shape[0], x.shape[1], hiddenSize)
        let gates = 4 * hidden
        // X·Wᵀ + Wb + Rb for all steps in one product, viewed as N×T×4H.
        let biasSum = try backend.binary(
            try backend.slice(bias, axis: 0, range: 0..<gates),
            try backend.slice(bias, axis: 0, range: gates..<2 * gates),
            .add)
        let projected = try backend.addBias(
            try backend.gemm(
                try x.reshaped([samples * steps, inputSize]), weight, transposeA: false, transposeB: true, alpha: 1,
                beta: 0, accumulator: nil),
            biasSum
        ).reshaped([samples, steps, gates])
        var hiddenStates = [Tensor?](repeating: nil, count: steps)
        var saved = [Tensor]()
        saved.reserveCapacity(steps * Saved.allCases.count)
        var state: (hidden: Tensor, cell: Tensor)?
        for t in order(steps) {
            let input = try backend.slice(projected, axis: 1, range: t..<(t + 1)).reshaped([samples, gates])
            let preactivation =
                try state.map {
                    try backend.gemm(
                        $0.hidden, recurrence, transposeA: false, transposeB: true, alpha: 1, beta: 1,
                        accumulator: input)
                } ?? input
            let gateInputs = try backend.slice(preactivation, axis: 1, range: 0..<(3 * hidden))
            let gateValues = try backend.activation(gateInputs, .sigmoid)
            let candidateInput = try backend.slice(preactivation, axis: 1, range: (3 * hidden)..<gates)
            let candidate = try backend.activation(candidateInput, .tanh)
            let inputGate = try backend.slice(gateValues, axis: 1, range: 0..<hidden)
            let outputGate = try backend.slice(gateValues, axis: 1, range: hidden..<(2 * hidden))
            let forgetGate = try backend.slice(gateValues, axis: 1, range: (2 * hidden)..<(3 * hidden))
            let admitted = try backend.binary(inputGate, candidate, .multiply)
            let cell =
                try state.map {
                    try backend.binary(try backend.binary(forgetGate, $0.cell, .multiply), admitted, .add)
                } ?? admitted
            let cellTanh = try backend.activation(cell, .tanh)
            let hiddenState = try backend.binary(outputGate, cellTanh, .multiply)
            state = (hiddenState, cell)
            hiddenStates[t] = try hiddenState.reshaped([samples, 1, hidden])
            saved += [
                gateInputs, gateValues, candidateInput, candidate, inputGate, outputGate, forgetGate, cell, cellTanh,
            ]
        }
        return LayerOutput(try backend.concat(hiddenStates.map { $0! }, axis: 1), saved: saved)
    }

    /// The hidden states of every step; saves the gates and cell states of every step.
    public func forward(_ inputs: [Tensor], parameters: [String: Tensor], context: ForwardContext) throws -> LayerOutput
    {
        try run(
            inputs[0], weight: try parameters.required("weight", layer: "lstm"),
            recurrence: try parameters.required("recurrence", layer: "lstm"),
            bias: try parameters.required("bias", layer: "lstm"), backend: context.backend)
    }

    /// Backpropagation through time. Visiting the steps backwards, with δhₜ the output's
    /// gradient plus the gradient arriving from the step visited next (δaₜ₊·R, zero at the
    /// last): δo = δhₜ ⊙ tanh(cₜ), δcₜ = δhₜ ⊙ o ⊙ (1 − tanh²(cₜ)) + δcₜ₊ ⊙ fₜ₊,
    /// δi = δcₜ ⊙ c̃, δf = δcₜ ⊙ cₜ₋, δc̃ = δcₜ ⊙ i, and δaₜ (N×4H) their gradients
    /// through the gates' sigmoids and the candidate's tanh. Then, over all steps at once,
    /// δX = δA·W, and when asked δW = δAᵀ·X, δR = δAᵀ·H₋ (H₋ the hidden state each step
    /// read) and δWb = δRb = Σ δA.
    public func backward(_ step: BackwardStep) throws -> LayerGradients {
        let backend = step.backend, x = step.inputs[0]
        let (samples, steps, hidden) = (x.shape[0], x.shape[1], hiddenSize)
        let weight = try step.parameter("weight"), recurrence = try step.parameter("recurrence")
        let saved = step.saved
        guard saved.count == steps * Saved.allCases.count else {
            throw GlassboxError.invalidModel(
                "lstm backward needs the gates and cell states of its forward pass (\(steps) steps), got \(saved.count) values"
            )
        }
        func value(_ which: Saved, visit: Int) -> Tensor { saved[visit * Saved.allCases.count + which.rawValue] }

        var preactivationGradients = [Tensor?](repeating: nil, count: steps)
        var carried: (hidden: Tensor, cell: Tensor)?
        for (visit, t) in order(steps).enumerated().reversed() {
            var hiddenGradient = try backend.slice(step.gradient, axis: 1, range: t..<(t + 1)).reshaped([
                samples, hidden,
            ])
            if let carried { hiddenGradient = try backend.binary(hiddenGradient, carried.hidden, .add) }
            let outputGateGradient = try backend.binary(hiddenGradient, value(.cellTanh, visit: visit), .multiply)
            var cellGradient = try backend.activationBackward(
                try backend.binary(hiddenGradient, value(.outputGate, visit: visit), .multiply),
                input: value(.cell, visit: visit), output: value(.cellTanh, visit: visit), kind: .tanh)
            if let carried { cellGradient = try backend.binary(cellGradient, carried.cell, .add) }
            let inputGateGradient = try backend.binary(cellGradient, value(.candidate, visit: visit), .multiply)
            let forgetGateGradient =
                visit > 0
                ? try backend.binary(cellGradient, value(.cell, visit: visit - 1), .multiply)
                : try backend.filled([samples, hidden], value: 0)
            let candidateGradient = try backend.binary(cellGradient, value(.inputGate, visit: visit), .multiply)
            let preactivationGradient = try backend.concat(
                [
                    try backend.activationBackward(
                        try backend.concat([inputGateGradient, outputGateGradient, forgetGateGradient], axis: 1),
                        input: value(.gateInputs, visit: visit), output: value(.gates, visit: visit), kind: .sigmoid),
                    try backend.activationBackward(
                        candidateGradient, input: value(.candidateInput, visit: visit),
                        output: value(.candidate, visit: visit), kind: .tanh),
                ], axis: 1)
            preactivationGradients[t] = try preactivationGradient.reshaped([samples, 1, 4 * hidden])
            if visit > 0 {
                carried = (
                    try backend.gemm(
                        preactivationGradient, recurrence, transposeA: false, transposeB: false, alpha: 1, beta: 0,
                        accumulator: nil),
                    try backend.binary(cellGradient, value(.forgetGate, visit: visit), .multiply)
                )
            }
        }
        let rows = try backend.concat(preactivationGradients.map { $0! }, axis: 1).reshaped([
            samples * steps, 4 * hidden,
        ])
        let inputGradient = try backend.gemm(
            rows, weight, transposeA: false, transposeB: false, alpha: 1, beta: 0, accumulator: nil)
        var gradients = LayerGradients(inputs: [try inputGradient.reshaped(x.shape)])
        guard step.wantsParameterGradients else { return gradients }
        gradients.parameters["weight"] = try backend.gemm(
            rows, try x.reshaped([samples * steps, inputSize]), transposeA: true, transposeB: false, alpha: 1, beta: 0,
            accumulator: nil)
        // The hidden state each step read: the output shifted by one step, zero where the recurrence starts.
        let start = try backend.filled([samples, 1, hidden], value: 0)
        let read =
            steps == 1
            ? start
            : try backend.concat(
                reverse
                    ? [try backend.slice(step.output, axis: 1, range: 1..<steps), start]
                    : [start, try backend.slice(step.output, axis: 1, range: 0..<(steps - 1))],
                axis: 1)
        gradients.parameters["recurrence"] = try backend.gemm(
            rows, try read.reshaped([samples * steps, hidden]), transposeA: true, transposeB: false, alpha: 1,
            beta: 0, accumulator: nil)
        let biasGradient = try backend.reduce(rows, axes: [0], .sum, keepDimensions: false)
        gradients.parameters["bias"] = try backend.concat([biasGradient, biasGradient], axis: 0)
        return gradients
    }
}
