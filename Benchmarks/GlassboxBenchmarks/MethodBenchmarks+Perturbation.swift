import GlassboxCore
import GlassboxExplain
import GlassboxIO
import GlassboxNN

extension MethodBenchmarks {
    /// The perturbation methods of a model with a superpixel grid: LIME-1000 (absent cells
    /// filled with their mean colour, `lime`'s `hide_color=None`) and KernelSHAP-2048 (absent
    /// cells zero, Captum's `KernelShap` baseline) over a regular grid of
    /// `superpixelGrid`×`superpixelGrid` cells (`RegularGrid`), RISE-4000 (7×7 cells, p = ½) and
    /// Score-CAM of the default layer (the last convolution block).
    ///
    /// All four only run the model forward, so a run counts one forward pass per perturbed copy:
    /// LIME its samples, KernelSHAP its coalitions plus the input and the empty coalition, RISE
    /// its masks, Score-CAM the input plus one copy per channel of the layer.
    static func perturbationRows(
        _ model: Model, graph: Graph, input x: Tensor, warmUpSamples: Int?
    ) throws -> [EndToEndRow] {
        guard let grid = model.superpixelGrid else { return [] }
        let forward = graph.forwardFLOPsPerSample
        let (channels, height, width) = (model.inputShape[0], model.inputShape[1], model.inputShape[2])
        let segmentation = try RegularGrid(rows: grid, columns: grid).segment(
            Image(width: width, height: height, color: [0]))
        let mask = try FeatureMask(pixelLabels: segmentation.labels, channels: channels)
        // KernelShap's coalitions for this budget and seed (every cell varies: the input is Gaussian noise).
        let coalitions = try KernelShapCoalitions(features: mask.count, samples: 2048, stream: RandomStream(seed: 0))
        let names = perturbationNames(model, quick: false)
        // Per row: the forward passes of one run, its sample budget, and its run for a budget.
        let runs: [(forwards: Int, budget: Int, make: (Int) -> () throws -> Void)] = [
            (
                1000, 1000,
                { samples in
                    {
                        _ = try Lime(features: .mask(mask), absence: .featureMean, samples: samples, seed: 0)
                            .attribute(x, targets: [3], model: graph)
                    }
                }
            ),
            (
                coalitions.count + 2, 2048,
                { samples in
                    {
                        _ = try KernelShap(features: .mask(mask), absence: .baseline(.zero), samples: samples, seed: 0)
                            .attribute(x, targets: [3], model: graph)
                    }
                }
            ),
            (
                4000, 4000,
                { samples in
                    { _ = try Rise(samples: samples, cells: 7, seed: 0).attribute(x, targets: [3], model: graph) }
                }
            ),
            (
                1 + lastConvolutionChannels(model), 0,
                { _ in { _ = try ClassActivationMap(.scoreCAM).attribute(x, targets: [3], model: graph) } }
            ),
        ]
        return zip(names, runs).map { name, row in
            EndToEndRow(
                name: name, samples: row.forwards, flops: Double(row.forwards) * forward, run: row.make(row.budget),
                warmUp: row.budget > 0 ? warmUpSamples.map { row.make(min($0, row.budget)) } : nil)
        }
    }

    /// The channels of the last convolution of `model`: Score-CAM's maps of its default layer.
    static func lastConvolutionChannels(_ model: Model) -> Int {
        model.nodes.compactMap { ($0.layer as? Conv2D)?.outputChannels }.last ?? 0
    }

    /// The names of ``perturbationRows(_:graph:input:warmUpSamples:)`` for `model`, in order; `quick`
    /// keeps LIME and Score-CAM (KernelSHAP and RISE take 2–4 times LIME's passes: a minute and more on PoCL).
    static func perturbationNames(_ model: Model, quick: Bool) -> [String] {
        guard let grid = model.superpixelGrid else { return [] }
        let score = "Score-CAM (\(lastConvolutionChannels(model)) maps)", lime = "LIME-1000 (\(grid)×\(grid) grid)"
        if quick { return [lime, score] }
        return [lime, "KernelSHAP-2048 (\(grid)×\(grid) grid)", "RISE-4000 (7×7 cells)", score]
    }
}
