import GlassboxConformance
import GlassboxCore
import GlassboxNN
import Testing

@testable import GlassboxExplain

@Suite("Occlusion")
struct OcclusionTests {
    /// On a linear model a window's score drop is Σ_window w_t,i·(x_i − baseline); each
    /// element gets the mean over the windows that cover it.
    @Test(arguments: [(1, 1), (2, 1), (3, 2), (4, 3)])
    func aLinearModelGivesTheMeanDropOfTheCoveringWindows(window: Int, stride: Int) throws {
        let model = try Graph.initialized(
            inputShape: [9], nodes: Graph.sequentialNodes([("logits", Dense(9, 2))]),
            seed: 6, backend: CPUBackend.shared)
        let x = try TestModels.inputs([1, 9])
        let baseline: Float = 0.25
        let weight = try model.parameters["logits.weight"]!.toArray(), input = try x.toArray()
        var total = [Float](repeating: 0, count: 9), count = total
        var start = 0
        while true {
            let covered = start..<min(start + window, 9)
            let drop = covered.reduce(Float(0)) { $0 + weight[9 + $1] * (input[$1] - baseline) }
            for element in covered {
                total[element] += drop
                count[element] += 1
            }
            if start + window >= 9 { break }
            start += stride
        }
        let expected = zip(total, count).map { $0 / $1 }
        let result = try Occlusion(window: [window], strides: [stride], baseline: baseline).attribute(
            x, targets: [1], model: model)
        #expect(normalisedError(try result.values.toArray(), expected) < 1e-5)
    }

    @Test func chunkedPositionsGiveTheSameMap() throws {
        let model = try TestModels.pooledCNN()
        let x = try TestModels.inputs([2, 2, 6, 6])
        let method = Occlusion(window: [1, 3, 3], strides: [1, 2, 2], baseline: 0)
        var chunked = method
        chunked.batchSize = 4
        let whole = try method.attribute(x, targets: [1, 0], model: model).values.toArray()
        #expect(
            normalisedError(try chunked.attribute(x, targets: [1, 0], model: model).values.toArray(), whole) < 1e-6)
    }

    @Test func badWindowsAreRefused() throws {
        let model = try TestModels.pooledCNN()
        let x = try TestModels.inputs([1, 2, 6, 6])
        #expect(throws: GlassboxError.self) {
            _ = try Occlusion(window: [3, 3], strides: [1, 1]).attribute(x, targets: [0], model: model)
        }
        #expect(throws: GlassboxError.self) {
            _ = try Occlusion(window: [1, 7, 3], strides: [1, 1, 1]).attribute(x, targets: [0], model: model)
        }
        #expect(throws: GlassboxError.self) {
            _ = try Occlusion(window: [1, 2, 2], strides: [1, 0, 1]).attribute(x, targets: [0], model: model)
        }
    }
}
