import GlassboxCore
import GlassboxNN

/// Occlusion (Zeiler & Fergus 2014, "Visualizing and understanding
/// convolutional networks", §4.2): slide a window over the input, set it to a
/// baseline value, and attribute to each element the mean drop of the target
/// score over the windows that covered it, as Captum's `Occlusion`
/// (`sliding_window_shapes`, `strides`, `baselines`).
///
/// All window positions of one input are one batch made on the device
/// (`Backend.occlusionBatch(_:window:strides:baseline:positions:)`), run
/// forward in chunks; only the target scores come back.
public struct Occlusion: AttributionMethod {
    public var name: String { "occlusion" }
    /// The window's extent along each axis of a sample (C, H, W for images).
    public var window: [Int]
    /// The step between window positions along each axis.
    public var strides: [Int]
    /// The value the window is set to.
    public var baseline: Float
    /// The most samples per chunk; nil chooses by ``MemoryBudget``.
    public var batchSize: Int?

    /// Occlusion with `window` moved by `strides` (both one entry per sample axis).
    public init(window: [Int], strides: [Int], baseline: Float = 0, batchSize: Int? = nil) {
        self.window = window
        self.strides = strides
        self.baseline = baseline
        self.batchSize = batchSize
    }

    public func attribute(_ inputs: Tensor, targets: [Int], model: Graph) throws -> Attribution {
        try checkTargets(targets, for: inputs)
        let backend = inputs.backend
        let pass = TargetPass(model: model, backward: false, batchSize: batchSize)
        let unoccluded = try pass.scores(of: inputs, targets: targets)
        var maps = [Tensor]()
        for index in 0..<inputs.shape[0] {
            let input = try backend.slice(inputs, axis: 0, range: index..<(index + 1))
            let plan = try OcclusionPlan(input: input.shape, window: window, strides: strides)
            var total = [Float](repeating: 0, count: input.count), covered = total
            try pass.run(
                total: plan.positionCount, target: { _ in targets[index] },
                makeBatch: {
                    try backend.occlusionBatch(
                        input, window: window, strides: strides, baseline: baseline, positions: $0)
                }
            ) { chunk in
                for (position, score) in zip(chunk.range, chunk.scores) {
                    Self.forEachElement(in: plan.windowRanges(at: position), of: plan.sampleShape) { element in
                        total[element] += unoccluded[index] - score
                        covered[element] += 1
                    }
                }
            }
            maps.append(try backend.upload(zip(total, covered).map { $0 / $1 }, shape: input.shape))
        }
        return Attribution(values: try maps.joinedAlongBatch())
    }

    /// Calls `body` with the row-major index of every element of the box `ranges` in a tensor of `shape`.
    static func forEachElement(in ranges: [Range<Int>], of shape: Shape, _ body: (Int) -> Void) {
        func visit(axis: Int, base: Int) {
            guard axis < ranges.count else { return body(base) }
            for coordinate in ranges[axis] { visit(axis: axis + 1, base: base + coordinate * shape.stride(of: axis)) }
        }
        visit(axis: 0, base: 0)
    }
}
