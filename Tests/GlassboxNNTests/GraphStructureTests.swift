import GlassboxCore
import Testing

@testable import GlassboxNN

/// Graph construction, topological order, shape inference and the errors of
/// malformed graphs, parameters, inputs and seeds: always a GlassboxError, never a crash.
@Suite("Graph structure")
struct GraphStructureTests {
    static let dense = Dense(3, 2)

    static func parameters(_ names: [String: Shape]) throws -> [String: Tensor] {
        try names.mapValues { try cpu.filled($0, value: 0.5) }
    }

    @Test("nodes are sorted topologically and shapes are inferred")
    func topologicalOrderAndShapes() throws {
        // Listed out of order: the add comes first, its producers after.
        let nodes = [
            Node("sum", Add(), inputs: ["left", "right"]),
            Node("right", Activation(.tanh), inputs: ["left"]),
            Node("left", Conv2D(1, 2, kernel: 3, padding: 1), inputs: ["input"]),
            Node("pool", GlobalAveragePool(), inputs: ["sum"]),
            Node("flat", Reshape.flatten, inputs: ["pool"]),
        ]
        let graph = try makeGraph(inputShape: [1, 5, 5], nodes: nodes, outputName: "flat")
        let order = graph.nodes.map(\.name)
        #expect(order.firstIndex(of: "left")! < order.firstIndex(of: "right")!)
        #expect(order.firstIndex(of: "right")! < order.firstIndex(of: "sum")!)
        #expect(order.last == "flat")
        #expect(graph.shapes["input"] == [1, 1, 5, 5])
        #expect(graph.shapes["sum"] == [1, 2, 5, 5])
        #expect(graph.shapes["pool"] == [1, 2, 1, 1])
        #expect(graph.shapes["flat"] == [1, 2])
        #expect(graph.parameterCount == 2 * 9 + 2)
        #expect(try graph.node(named: "pool").layer is GlobalAveragePool)
        let output = try graph.predict(try cpu.filled([3, 1, 5, 5], value: 1))
        #expect(output.shape == [3, 2])
    }

    @Test("the output defaults to the last listed node and may be any node")
    func outputName() throws {
        let nodes = Graph.sequentialNodes([("a", Activation(.tanh)), ("b", Activation(.sigmoid))])
        #expect(try makeGraph(inputShape: [2], nodes: nodes).outputName == "b")
        let graph = try makeGraph(inputShape: [2], nodes: nodes, outputName: "a")
        let record = try graph.forward(try upload([0, 1], [1, 2]))
        #expect(record.outputName == "a")
        #expect(try values(record.output) == values(try record.activation("a")))
        let error = glassboxError { _ = try makeGraph(inputShape: [2], nodes: nodes, outputName: "c") }
        #expect(error?.isInvalidModel == true)
        #expect(error?.message.contains("'c'") == true)
    }

    @Test("a graph without nodes")
    func empty() throws {
        #expect(
            glassboxError { _ = try Graph(inputShape: [2], nodes: [], parameters: [:], backend: cpu) }?.isInvalidModel
                == true)
    }

    @Test(
        "cycles are rejected",
        arguments: [
            [Node("a", Activation.relu, inputs: ["b"]), Node("b", Activation.relu, inputs: ["a"])],
            [Node("a", Activation.relu, inputs: ["a"])],
            [
                Node("x", Activation.relu, inputs: ["input"]), Node("a", Add(), inputs: ["x", "c"]),
                Node("b", Activation.relu, inputs: ["a"]), Node("c", Activation.relu, inputs: ["b"]),
            ],
        ])
    func cycle(_ nodes: [Node]) throws {
        let error = glassboxError { _ = try Graph(inputShape: [2], nodes: nodes, parameters: [:], backend: cpu) }
        #expect(error?.isInvalidModel == true)
        #expect(error?.message.contains("cycle") == true)
    }

    @Test("unknown input names are rejected")
    func unknownInput() throws {
        let nodes = [Node("a", Activation.relu, inputs: ["input"]), Node("b", Add(), inputs: ["a", "nowhere"])]
        let error = glassboxError { _ = try Graph(inputShape: [2], nodes: nodes, parameters: [:], backend: cpu) }
        #expect(error?.isInvalidModel == true)
        #expect(error?.message.contains("nowhere") == true)
        // The input under another name.
        let renamed = glassboxError {
            _ = try Graph(
                inputName: "pixels", inputShape: [2], nodes: [Node("a", Activation.relu, inputs: ["input"])],
                parameters: [:], backend: cpu)
        }
        #expect(renamed?.isInvalidModel == true)
        #expect(
            try Graph(
                inputName: "pixels", inputShape: [2], nodes: [Node("a", Activation.relu, inputs: ["pixels"])],
                parameters: [:], backend: cpu
            ).inputName == "pixels")
    }

    @Test("duplicate node names, and a node named like the input, are rejected")
    func duplicateNames() throws {
        let duplicate = [
            Node("a", Activation.relu, inputs: ["input"]), Node("a", Activation(.tanh), inputs: ["input"]),
        ]
        let error = glassboxError { _ = try Graph(inputShape: [2], nodes: duplicate, parameters: [:], backend: cpu) }
        #expect(error?.isInvalidModel == true)
        #expect(error?.message.contains("'a'") == true)
        let shadowing = [Node("input", Activation.relu, inputs: ["input"])]
        #expect(
            glassboxError { _ = try Graph(inputShape: [2], nodes: shadowing, parameters: [:], backend: cpu) }?
                .isInvalidModel == true)
    }

    @Test("missing, misshapen and extra parameters are rejected, at construction and in setParameters")
    func parameterErrors() throws {
        let nodes = [Node("fc", Self.dense, inputs: ["input"])]
        let good: [String: Shape] = ["fc.weight": [2, 3], "fc.bias": [2]]
        var graph = try Graph(inputShape: [3], nodes: nodes, parameters: try Self.parameters(good), backend: cpu)

        let cases: [(String, [String: Shape], String)] = [
            ("missing", ["fc.weight": [2, 3]], "fc.bias"),
            ("wrong shape", ["fc.weight": [3, 2], "fc.bias": [2]], "fc.weight"),
            ("wrong rank", ["fc.weight": [6], "fc.bias": [2]], "fc.weight"),
            ("extra", ["fc.weight": [2, 3], "fc.bias": [2], "fc.scale": [2]], "fc.scale"),
            ("belongs to no node", ["fc.weight": [2, 3], "fc.bias": [2], "other.weight": [1]], "other.weight"),
        ]
        for (label, shapes, culprit) in cases {
            let construction = glassboxError {
                _ = try Graph(inputShape: [3], nodes: nodes, parameters: try Self.parameters(shapes), backend: cpu)
            }
            #expect(construction?.isInvalidModel == true, "\(label)")
            #expect(construction?.message.contains(culprit) == true, "\(label): \(String(describing: construction))")
            #expect(
                glassboxError { try graph.setParameters(try Self.parameters(shapes)) }?.isInvalidModel == true,
                "\(label)")
        }
        // A failed setParameters leaves the parameters as they were.
        #expect(Set(graph.parameters.keys) == ["fc.weight", "fc.bias"])
        #expect(try values(graph.parameters["fc.weight"]!) == [Float](repeating: 0.5, count: 6))
    }

    @Test("layers that do not fit their inputs are rejected with the node named")
    func layerShapeErrors() throws {
        let cases: [(Shape, [Node])] = [
            ([4], [Node("fc", Self.dense, inputs: ["input"])]),
            ([3, 4, 4], [Node("conv", Conv2D(2, 2, kernel: 3), inputs: ["input"])]),
            ([2, 2, 2], [Node("conv", Conv2D(2, 2, kernel: 3), inputs: ["input"])]),
            (
                [3, 4, 4],
                [
                    Node(
                        "conv", Conv2D(inputChannels: 3, outputChannels: 2, window: Window2D(kernel: 1), groups: 2),
                        inputs: ["input"])
                ]
            ),
            (
                [2, 4, 4],
                [
                    Node(
                        "conv", Conv2D(inputChannels: 2, outputChannels: 2, window: Window2D(kernel: 1), groups: 0),
                        inputs: ["input"])
                ]
            ),
            ([2, 4, 4], [Node("conv", Conv2D(2, 2, kernel: 0), inputs: ["input"])]),
            ([2, 4, 4], [Node("conv", Conv2D(2, 2, kernel: 3, stride: 0), inputs: ["input"])]),
            ([2, 4], [Node("pool", Pool2D.max(2), inputs: ["input"])]),
            ([1, 3, 3], [Node("pool", Pool2D.average(4, stride: 1), inputs: ["input"])]),
            ([1, 3, 3], [Node("pool", Pool2D.average(4), inputs: ["input"])]),
            ([1, 2, 2], [Node("conv", Conv2D(1, 1, kernel: 3, stride: 2), inputs: ["input"])]),
            ([2, 4], [Node("gap", GlobalAveragePool(), inputs: ["input"])]),
            ([12], [Node("reshape", Reshape([5, 2]), inputs: ["input"])]),
            ([2], [Node("drop", Dropout(1), inputs: ["input"])]),
            ([2], [Node("drop", Dropout(-0.1), inputs: ["input"])]),
            ([2], [Node("drop", Dropout(.nan), inputs: ["input"])]),
            ([3, 2], [Node("bn", BatchNorm(channels: 2), inputs: ["input"])]),
            ([2], [Node("add", Add(), inputs: ["input"])]),
            ([2], [Node("a", Dense(2, 3), inputs: ["input"]), Node("add", Add(), inputs: ["a", "input"])]),
            (
                [2, 3],
                [Node("a", Reshape([3, 2]), inputs: ["input"]), Node("cat", Concat(axis: 2), inputs: ["a", "input"])]
            ),
            ([2, 3], [Node("cat", Concat(axis: 0), inputs: ["input", "input"])]),
            ([2, 3], [Node("cat", Concat(axis: 3), inputs: ["input", "input"])]),
            (
                [2, 3],
                [Node("f", Reshape.flatten, inputs: ["input"]), Node("cat", Concat(axis: 1), inputs: ["f", "input"])]
            ),
            ([2], [Node("cat", Concat(), inputs: [])]),
            ([4], [Node("softmax", Softmax(axis: 2), inputs: ["input"])]),
            ([4], [Node("softmax", Softmax(axis: -3), inputs: ["input"])]),
            ([2], [Node("relu", Activation.relu, inputs: ["input", "input"])]),
            ([2], [Node("relu", Activation.relu, inputs: [])]),
        ]
        for (inputShape, nodes) in cases {
            let error = glassboxError {
                _ = try Graph(
                    inputShape: inputShape, nodes: nodes, parameters: try deterministicParameters(nodes, seed: 1),
                    backend: cpu)
            }
            #expect(error?.isInvalidModel == true, "\(nodes.last!.name) on \(inputShape): \(String(describing: error))")
            #expect(error?.message.contains("'\(nodes.last!.name)'") == true, "\(String(describing: error))")
        }
    }

    @Test("negative layer sizes are rejected instead of crashing")
    func negativeSizes() throws {
        let cases: [(Shape, any Layer)] = [
            ([3], Dense(3, -2)),
            ([2, 4, 4], Conv2D(2, -2, kernel: 1)),
        ]
        for (inputShape, layer) in cases {
            let nodes = [Node("layer", layer, inputs: ["input"])]
            // Parameters cannot even be built for negative sizes; the graph must reject the layer first.
            let error = glassboxError {
                _ = try Graph(inputShape: inputShape, nodes: nodes, parameters: [:], backend: cpu)
            }
            #expect(error?.isInvalidModel == true, "\(String(describing: error))")
        }
    }

    @Test("forward rejects inputs of the wrong shape")
    func forwardShapeErrors() throws {
        let graph = try makeGraph(
            inputShape: [1, 4, 4], nodes: [Node("conv", Conv2D(1, 2, kernel: 3), inputs: ["input"])])
        for shape: Shape in [[1, 4, 4], [2, 1, 4, 5], [2, 2, 4, 4], [16], [1, 1, 1, 4, 4], [1, 16]] {
            let error = glassboxError { _ = try graph.forward(try cpu.filled(shape, value: 1)) }
            #expect(error?.isShapeMismatch == true, "\(shape)")
        }
        #expect(glassboxError { _ = try graph.predict(try cpu.filled([1, 4, 4], value: 1)) }?.isShapeMismatch == true)
        // Any batch size is fine.
        #expect(try graph.predict(try cpu.filled([5, 1, 4, 4], value: 1)).shape == [5, 2, 2, 2])
    }

    @Test("backward rejects seeds of the wrong shape or at unknown nodes")
    func seedErrors() throws {
        let graph = try makeGraph(
            inputShape: [3], nodes: Graph.sequentialNodes([("fc", Self.dense), ("relu", Activation.relu)]))
        let record = try graph.forward(try upload([1, 2, 3, 4, 5, 6], [2, 3]))
        for shape: Shape in [[1, 2], [2, 3], [4], [2, 2, 1]] {
            let error = glassboxError {
                _ = try graph.backward(record, seeds: ["relu": try cpu.filled(shape, value: 1)])
            }
            #expect(error?.isShapeMismatch == true, "\(shape)")
        }
        let bad = glassboxError { _ = try graph.backward(record, seeds: ["fc": try cpu.filled([2, 3], value: 1)]) }
        #expect(bad?.isShapeMismatch == true)
        let unknown = glassboxError {
            _ = try graph.backward(record, seeds: ["conv": try cpu.filled([2, 2], value: 1)])
        }
        #expect(unknown?.isInvalidModel == true)
        // No seeds: nothing is reached.
        let nothing = try graph.backward(record, seeds: [:])
        #expect(nothing.gradients.isEmpty)
        #expect(glassboxError { _ = try nothing.gradient(at: "input") }?.isInvalidModel == true)
        #expect(glassboxError { _ = try record.activation("conv") }?.isInvalidModel == true)
        #expect(glassboxError { _ = try graph.node(named: "conv") }?.isInvalidModel == true)
    }

    @Test(
        "a backward walk stopped at a node gives that node's full gradient, summed over a skip connection, and nothing below"
    )
    func stoppedBackward() throws {
        // input → a → b → c, and d = b + c: b's gradient comes from c and from d.
        let nodes = [
            Node("a", Dense(3, 4), inputs: ["input"]), Node("b", Activation(.tanh), inputs: ["a"]),
            Node("c", Dense(4, 4), inputs: ["b"]), Node("d", Add(), inputs: ["b", "c"]),
            Node("e", Dense(4, 2), inputs: ["d"]),
        ]
        let graph = try makeGraph(inputShape: [3], nodes: nodes)
        let record = try graph.forward(try upload([1, -2, 3, 0.5, 0, -1], [2, 3]))
        let seeds = ["e": try upload([1, 0, 0, 1], [2, 2])]
        let full = try graph.backward(record, seeds: seeds)
        let stopped = try graph.backward(record, seeds: seeds, stoppingAt: "b")
        #expect(try stopped.gradient(at: "b").toArray() == full.gradient(at: "b").toArray())
        #expect(stopped.gradients["a"] == nil && stopped.gradients["input"] == nil)
    }

    @Test("a record of another graph is rejected, not trusted")
    func foreignRecord() throws {
        // Both graphs have a node "fc"; in `graph` it reads "hidden", which the other record lacks.
        let graph = try makeGraph(
            inputShape: [3], nodes: Graph.sequentialNodes([("hidden", Activation(.tanh)), ("fc", Self.dense)]))
        let other = try makeGraph(inputShape: [3], nodes: Graph.sequentialNodes([("fc", Self.dense)]))
        let record = try other.forward(try upload([1, 2, 3], [1, 3]))
        let error = glassboxError { _ = try graph.backward(record, seeds: ["fc": try upload([1, 1], [1, 2])]) }
        #expect(error?.isInvalidModel == true)
    }
}
