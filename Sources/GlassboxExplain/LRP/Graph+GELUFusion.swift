import GlassboxCore
import GlassboxNN

extension Graph {
    /// The same function with every exact GELU that an exporter wrote in pieces made one
    /// `Activation` node of kind `gelu(tanhApproximation: false)`, so LRP passes relevance
    /// through it as through any elementwise activation.
    ///
    /// Below opset 20 (which added ONNX `Gelu`) PyTorch exports `F.gelu(x)` as
    /// `Mul(Mul(x, Add(Erf(Div(x, √2)), 1)), 0.5)`, which imports as five nodes: x/√2, erf,
    /// +1, the product with x, ·0.5 (each `Arithmetic` but the erf). AttnLRP (Achtibat
    /// et al. 2024) and its implementation lxt give GELU the identity rule as one function
    /// (the paper's eq. 9; lxt's `identity` around `F.gelu`). The pieces on their own would
    /// not: the product x·(1 + erf) would take the uniform rule, and the ε rule of the
    /// constant addition +1 would keep the share of the 1, so x would receive
    /// R/2·(1 + erf/(1 + erf)) instead of R. This canonizer, the counterpart of Zennit's and
    /// lxt's canonizers that rewrite modules before the rules apply, restores the function.
    ///
    /// A pattern is fused when its constants are √2 (or a multiplication by 1/√2), 1 and
    /// ½ within 1e-6 relative, every intermediate node is read only by the next one and
    /// none is the graph's output; operands of the product and of the addition may come in
    /// either order. The fused node keeps the name of the final multiplication, so its
    /// consumers and the graph's output are unchanged, and the four other nodes and their
    /// constants disappear. The tanh approximation and other decompositions are left as
    /// they are (their pieces get the rules of their kinds).
    public func fusingGELU() throws -> Graph {
        var removed = Set<String>(), replaced = [String: Node]()
        for last in nodes {
            guard let match = try geluPattern(endingAt: last), removed.isDisjoint(with: match.pieces) else { continue }
            removed.formUnion(match.pieces)
            var fused = last
            fused.layer = Activation(.gelu(tanhApproximation: false))
            fused.inputs = [match.input]
            replaced[last.name] = fused
        }
        guard !replaced.isEmpty else { return self }
        var parameters = self.parameters
        for node in nodes where removed.contains(node.name) || replaced[node.name] != nil {
            for spec in node.layer.parameterSpecs { parameters[node.parameterName(spec.name)] = nil }
        }
        return try Graph(
            inputName: inputName, inputShape: inputShape,
            nodes: nodes.filter { !removed.contains($0.name) }.map { replaced[$0.name] ?? $0 },
            outputName: outputName, parameters: parameters, backend: backend)
    }

    /// The input x and the names of the four inner nodes when `last` computes
    /// `(x · (erf(x/√2) + 1)) · ½`, else nil.
    private func geluPattern(endingAt last: Node) throws -> (input: String, pieces: [String])? {
        guard let half = last.layer as? Arithmetic, half.operation == .multiply,
            try constant(of: last, is: 0.5),
            let product = try innerNode(last.inputs[0]),
            let multiply = product.layer as? Arithmetic, multiply.multipliesInputs
        else { return nil }
        for (x, other) in [(product.inputs[0], product.inputs[1]), (product.inputs[1], product.inputs[0])] {
            guard let plusOne = try innerNode(other), let add = plusOne.layer as? Arithmetic, add.operation == .add,
                try constant(of: plusOne, is: 1),
                let erf = try innerNode(plusOne.inputs[0]), (erf.layer as? Activation)?.kind == .erf,
                let scaled = try innerNode(erf.inputs[0]), scaled.inputs == [x],
                let scaling = scaled.layer as? Arithmetic,
                try scaling.operation == .divide && !scaling.constantFirst && constant(of: scaled, is: 2.0.squareRoot())
                    || scaling.operation == .multiply && constant(of: scaled, is: 0.5.squareRoot())
            else { continue }
            return (x, [product.name, plusOne.name, erf.name, scaled.name])
        }
        return nil
    }

    /// The node named `name` when it is read by exactly one node, once, and is not the output.
    private func innerNode(_ name: String) throws -> Node? {
        guard name != outputName, name != inputName else { return nil }
        let readers = consumers(of: name)
        guard readers.count == 1, readers[0].inputs.filter({ $0 == name }).count == 1 else { return nil }
        return try node(named: name)
    }

    /// Whether `node` is an `Arithmetic` with a one-element constant operand equal to
    /// `value` within 1e-6 relative.
    private func constant(of node: Node, is value: Double) throws -> Bool {
        guard let arithmetic = node.layer as? Arithmetic, arithmetic.constantShape?.count == 1,
            let operand = parameters[node.parameterName("operand")]
        else { return false }
        let stored = Double(try operand.toArray()[0])
        return abs(stored - value) <= 1e-6 * abs(value)
    }
}
