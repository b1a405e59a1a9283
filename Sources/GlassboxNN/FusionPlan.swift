import GlassboxCore

/// The nodes of a graph that can do a neighbour's work inside their own kernels, found
/// once when the graph is built, so that the sampling methods' per-sample tensors never
/// occupy memory (SmoothGrad: Smilkov et al. 2017):
///
/// - the node that alone reads the graph input, when it is a ``NoisyInputLayer``, draws
///   the copies of a `NoisyBatch` inside its input read (``Graph/forward(_:mode:randomStream:sampleOffset:)-(NoisyBatch,_,_,_)``)
///   and reduces the input gradient to its statistics inside its backward kernel;
/// - a ``ReLUGatedLayer`` whose one input is a ReLU that no other node reads passes that
///   ReLU's backward inside its own backward kernel.
///
/// Whether one backward walk takes them depends on its rules, seeds and stop:
/// `steps(composite:seeds:stop:fusingReLUs:input:)` decides, before the walk starts.
public struct FusionPlan: Sendable {
    /// The node that alone reads the graph input (through one of its inputs), when its
    /// layer draws noise and reduces gradients itself.
    public let noisyInputReader: (node: Node, layer: any NoisyInputLayer)?
    /// The nodes that can pass a ReLU inside their backward kernel, with their layer and
    /// the ReLU node each reads.
    public let reluGates: [(node: Node, layer: any ReLUGatedLayer, relu: Node)]

    /// The plan of the nodes of a graph (in topological order) whose input is named `inputName`.
    init(nodes: [Node], inputName: String) {
        /// The node that alone reads `name`, through exactly one of its inputs.
        func soleReader(of name: String) -> Node? {
            let readers = nodes.filter { $0.inputs.contains(name) }
            guard readers.count == 1, readers[0].inputs.filter({ $0 == name }).count == 1 else { return nil }
            return readers[0]
        }
        noisyInputReader = soleReader(of: inputName).flatMap { node in
            (node.layer as? any NoisyInputLayer).map { (node, $0) }
        }
        reluGates = nodes.compactMap { relu in
            guard (relu.layer as? Activation)?.kind == .relu, relu.inputs.count == 1,
                let reader = soleReader(of: relu.name),
                reader.inputs.count == 1, let layer = reader.layer as? any ReLUGatedLayer
            else { return nil }
            return (reader, layer, relu)
        }
    }

    /// What a backward walk delivers at the graph input.
    enum InputGradient {
        /// The gradient itself, one per sample.
        case tensor
        /// Its statistics over the batch (of its absolute value when `absolute`).
        case statistics(absolute: Bool)
    }

    /// How one node's backward step runs when it is fused.
    enum Step {
        /// Through the ReLU `relu` inside the layer's backward kernel, passing gradients
        /// as the ReLU's rule does (`mode`); the result goes to the ReLU's input.
        case throughReLU(any ReLUGatedLayer, relu: Node, mode: ReLUBackwardMode)
        /// The input gradient reduced to its statistics inside the layer's backward kernel.
        case inputStatistics(any NoisyInputLayer, absolute: Bool)
    }

    /// The fused steps of one walk, by node name: a node fuses only under the gradient
    /// rule; a ReLU only when its rule passes it as the gradient, guided backprop or
    /// deconvnet does, and when it is neither seeded nor the walk's stop (the walk must
    /// then return the gradient at its output).
    func steps(
        composite: Composite, seeds: Set<String>, stop: String?, fusingReLUs: Bool,
        input: InputGradient
    ) -> [String: Step] {
        var steps = [String: Step]()
        if case .statistics(let absolute) = input, let reader = noisyInputReader,
            composite.rule(for: reader.node) is GradientRule
        {
            steps[reader.node.name] = .inputStatistics(reader.layer, absolute: absolute)
        }
        guard fusingReLUs else { return steps }
        for gate in reluGates
        where gate.relu.name != stop && !seeds.contains(gate.relu.name)
            && composite.rule(for: gate.node) is GradientRule
        {
            switch composite.rule(for: gate.relu) {
            case is GradientRule: steps[gate.node.name] = .throughReLU(gate.layer, relu: gate.relu, mode: .gradient)
            case let rule as ReLURule:
                steps[gate.node.name] = .throughReLU(gate.layer, relu: gate.relu, mode: rule.mode)
            default: continue
            }
        }
        return steps
    }
}
