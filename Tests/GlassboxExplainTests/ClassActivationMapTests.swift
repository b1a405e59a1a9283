import GlassboxConformance
import GlassboxCore
import GlassboxNN
import Testing

@testable import GlassboxExplain

@Suite("CAM, Grad-CAM, Grad-CAM++")
struct ClassActivationMapTests {
    /// With the layer feeding global average pooling and a dense head, the
    /// gradient at the layer is w_kc/(h·w) everywhere, so Grad-CAM = CAM/(h·w) (Selvaraju et al. 2017, §3.1).
    @Test func gradCAMIsCAMOverTheAreaOnAPooledNet() throws {
        let model = try TestModels.pooledCNN()
        let x = try TestModels.inputs([3, 2, 6, 6])
        let targets = [0, 1, 2]
        let cam = try ClassActivationMap(.cam, relu: false).attribute(x, targets: targets, model: model).values
        let gradCAM = try ClassActivationMap(.gradCAM, layer: "relu2", relu: false).attribute(
            x, targets: targets, model: model
        ).values
        #expect(cam.shape == [3, 1, 6, 6])
        #expect(normalisedError(try gradCAM.toArray().map { $0 * 36 }, try cam.toArray()) < 1e-5)
    }

    /// CAM by hand: Σ_c W[target, c]·A_c.
    @Test func camWeightsTheChannelsByTheDenseRow() throws {
        let model = try TestModels.pooledCNN()
        let x = try TestModels.inputs([1, 2, 6, 6])
        let activation = try model.forward(x).activation("relu2").toArray()
        let weight = try model.parameters["logits.weight"]!.toArray()
        var expected = [Float](repeating: 0, count: 36)
        for channel in 0..<6 {
            for pixel in 0..<36 { expected[pixel] += weight[2 * 6 + channel] * activation[channel * 36 + pixel] }
        }
        let cam = try ClassActivationMap(.cam, relu: false).attribute(x, targets: [2], model: model).values.toArray()
        #expect(normalisedError(cam, expected) < 1e-6)
    }

    @Test func gradCAMPlusPlusFollowsItsFormula() throws {
        let model = try TestModels.pooledCNN()
        let x = try TestModels.inputs([1, 2, 6, 6])
        let record = try model.forward(x)
        let gradient = try model.backward(record, seeds: ["logits": try model.oneHotSeed(targets: [1], classes: 3)])
            .gradient(at: "conv2").toArray()
        let activation = try record.activation("conv2").toArray()
        var expected = [Float](repeating: 0, count: 36)
        for channel in 0..<6 {
            let plane = (channel * 36)..<((channel + 1) * 36)
            let sum = activation[plane].reduce(0, +)
            let weight = plane.reduce(Float(0)) { total, index in
                let g = gradient[index]
                return total + max(g, 0) * g * g / (2 * g * g + sum * g * g * g + 1e-6)
            }
            for pixel in 0..<36 { expected[pixel] += weight * activation[channel * 36 + pixel] }
        }
        let map = try ClassActivationMap(.gradCAMPlusPlus, layer: "conv2").attribute(x, targets: [1], model: model)
            .values.toArray()
        #expect(normalisedError(map, expected.map { max($0, 0) }) < 1e-5)
    }

    @Test func upsamplingBringsTheMapToTheInputSize() throws {
        let model = try TestModels.pooledCNN()
        let x = try TestModels.inputs([2, 2, 6, 6])
        let map = try ClassActivationMap(.gradCAM, upsampling: .bilinear).attribute(x, targets: [0, 1], model: model)
            .values
        #expect(map.shape == [2, 1, 6, 6])
        let guided = try GuidedGradCAM().attribute(x, targets: [0, 1], model: model).values
        #expect(guided.shape == x.shape)
    }

    @Test func theDefaultLayerIsTheLastConvolutionBlockAndBadLayersAreNamed() throws {
        let model = try TestModels.pooledCNN()
        #expect(try ClassActivationMap(.gradCAM).resolvedLayer(in: model) == "relu2")
        #expect(try ClassActivationMap(.cam).resolvedLayer(in: model) == "relu2")
        // A residual block's output is after its sum and ReLU (pytorch-grad-cam's `layer4[-1]`).
        #expect(try ClassActivationMap(.scoreCAM).resolvedLayer(in: try TestModels.residualCNN()) == "relu2")
        #expect(
            throws: GlassboxError.invalidArgument(
                "the model has no node named 'nope' (`glassbox info MODEL` lists its nodes with their source names)")
        ) {
            _ = try ClassActivationMap(.gradCAM, layer: "nope").resolvedLayer(in: model)
        }
        #expect(
            throws: GlassboxError.invalidArgument("grad-cam needs a layer with N×C×h×w output; 'logits' gives (1×3)")
        ) {
            _ = try ClassActivationMap(.gradCAM, layer: "logits").resolvedLayer(in: model)
        }
        #expect(try ClassActivationMap(.gradCAM, layer: "lu2").resolvedLayer(in: model) == "relu2")
        let x = try TestModels.inputs([1, 2, 6, 6])
        #expect(throws: GlassboxError.self) {
            _ = try ClassActivationMap(.cam, layer: "relu1").attribute(x, targets: [0], model: model)
        }
    }
}
