import GlassboxConformance
import GlassboxCore
import GlassboxReference
import GlassboxTestSupport
import Testing

/// The reference random operations and the noisy batch agree exactly with ``Philox``'s own
/// per-draw functions (element i is draw `offset + i`, also where the offsets wrap past
/// 2⁶⁴), so chunks equal the whole; the fused operations equal what they stand for, shown
/// by a pass-through kernel, gates that pass or stop everything, and constant gradients;
/// and the refusals of ``SamplingPlans``.
@Suite("Reference random operations")
struct RandomReferenceTests {
    static let streams = [
        RandomStream(seed: 0xDEAD_BEEF_0123, stream: 7, offset: 5),
        RandomStream(seed: 21, stream: 3, offset: UInt64.max - 100),
    ]

    @Test("uniform and normal numbers are Philox's draws", arguments: streams)
    func uniformAndNormal(stream: RandomStream) throws {
        let uniform = try reference.randomUniform([3, 31], stream: stream).toArray()
        #expect(uniform == (0..<93).map { Philox.uniform(stream, index: UInt64($0)) })
        let normal = try reference.randomNormal([97], mean: 2, standardDeviation: 0.5, stream: stream).toArray()
        #expect(normal == (0..<97).map { 2 + 0.5 * Philox.normal(stream, index: UInt64($0)) })
    }

    @Test("a dropout mask keeps where the uniform draw reaches the probability", arguments: streams)
    func dropoutMask(stream: RandomStream) throws {
        let mask = try reference.dropoutMask([101], probability: 0.3, stream: stream).toArray()
        #expect(mask == (0..<101).map { Philox.uniform(stream, index: UInt64($0)) >= 0.3 ? 1 / (1 - Float(0.3)) : 0 })
        #expect(
            try reference.dropoutMask([64], probability: 0, stream: stream).toArray() == Array(repeating: 1, count: 64))
    }

    @Test("a noisy batch adds Philox's normal draws, numbered across the samples", arguments: streams)
    func noisyBatch(stream: RandomStream) throws {
        var random = SplitMix64(name: "noisy batch \(stream.seed)")
        let x = random.floats(30), input = try tensor(x, [1, 2, 5, 3])
        let whole = try reference.noisyBatch(input, count: 7, standardDeviation: 0.25, stream: stream)
        #expect(whole.shape == [7, 2, 5, 3])
        let values = try whole.toArray()
        #expect(values == (0..<210).map { x[$0 % 30] + 0.25 * Philox.normal(stream, index: UInt64($0)) })
        let rest = try reference.noisyBatch(
            input, count: 4, standardDeviation: 0.25, stream: stream.advanced(by: 3 * 30))
        #expect(try rest.toArray() == Array(values[90...]))
    }

    @Test("the fused operations: a pass-through kernel, gates that pass or stop everything, constant gradients")
    func fusedOperations() throws {
        let stream = Self.streams[0]
        var random = SplitMix64(name: "fused operations")
        let input = try tensor(random.floats(3 * 4 * 5), [1, 3, 4, 5])
        // A depthwise 1×1 kernel of ones passes the noisy copies through unchanged.
        let batch = try NoisyBatch(input, count: 4, standardDeviation: 0.5, stream: stream)
        let ones = try reference.filled([3, 1, 1, 1], value: 1)
        #expect(
            try reference.conv2d(batch, weight: ones, bias: nil, window: Window2D(kernel: 1), groups: 3).toArray()
                == reference.noisyBatch(input, count: 4, standardDeviation: 0.5, stream: stream).toArray())
        // A ReLU whose inputs are all positive passes the gradient; all negative, it stops it.
        let window = Window2D(kernel: 3, padding: 1), shape: Shape = [2, 3, 4, 5]
        let gradient = try tensor(random.floats(2 * 2 * 4 * 5), [2, 2, 4, 5]),
            weight = try tensor(random.floats(54), [2, 3, 3, 3])
        let plain = try reference.conv2dBackwardData(
            gradient, weight: weight, inputShape: shape, window: window, groups: 1)
        let open = ReLUBackwardGate(input: try reference.filled(shape, value: 1), mode: .gradient)
        let shut = ReLUBackwardGate(input: try reference.filled(shape, value: -1), mode: .gradient)
        #expect(
            try reference.conv2dBackwardData(
                gradient, weight: weight, inputShape: shape, window: window, groups: 1, through: open
            )
            .toArray() == plain.toArray())
        #expect(
            try reference.conv2dBackwardData(
                gradient, weight: weight, inputShape: shape, window: window, groups: 1, through: shut
            )
            .toArray().allSatisfy { $0 == 0 })
        let pooled = try tensor(random.floats(2 * 3 * 2 * 2), [2, 3, 2, 2]),
            x = try tensor(random.floats(shape.count), shape)
        let unpooled = try reference.pool2dBackward(
            pooled, input: x, kind: .max, window: Window2D(kernel: 2, stride: 2))
        #expect(
            try reference.pool2dBackward(
                pooled, input: x, kind: .max, window: Window2D(kernel: 2, stride: 2), through: open
            )
            .toArray() == unpooled.toArray())
        // Every sample's output gradient equal: the mean is that sample's input gradient, M₂ is 0.
        let same = try reference.broadcast(try tensor(random.floats(2 * 4 * 5), [1, 2, 4, 5]), to: [3, 2, 4, 5])
        let one = try reference.conv2dBackwardData(
            try reference.slice(same, axis: 0, range: 0..<1), weight: weight,
            inputShape: [1, 3, 4, 5], window: window, groups: 1)
        let statistics = try reference.conv2dBackwardDataStatistics(
            same, weight: weight, inputShape: [3, 3, 4, 5], window: window,
            groups: 1, absolute: true)
        #expect(statistics.count == 3)
        expectClose(try statistics.mean.toArray(), try one.toArray().map { abs(Double($0)) }, tolerance: 1e-6)
        expectClose(
            try statistics.sumOfSquaredDeviations.toArray(), Array(repeating: 0, count: one.count), tolerance: 1e-10)
    }

    @Test("refuses what the sampling plans refuse")
    func refusals() throws {
        for probability in [Float(1), -0.1, .nan] {
            expectRefusal(
                as: { _ = try SamplingPlans.dropoutKeepScale(probability: probability) }, "p = \(probability)"
            ) {
                _ = try reference.dropoutMask([4], probability: probability, stream: Self.streams[0])
            }
        }
        for (input, count) in [([2, 3], 2), ([1, 3], 0), ([], 2)] as [(Shape, Int)] {
            expectRefusal(
                as: { _ = try SamplingPlans.noisyBatchShape(input: input, count: count) }, "\(count) copies of \(input)"
            ) {
                _ = try reference.noisyBatch(
                    reference.filled(input, value: 1), count: count, standardDeviation: 1,
                    stream: Self.streams[0])
            }
        }
    }
}
