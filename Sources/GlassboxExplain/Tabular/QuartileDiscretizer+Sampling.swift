import GlassboxCore

extension QuartileDiscretizer {
    /// LIME's perturbed samples around one row: lime 0.2.0.1's `LimeTabularExplainer.__data_inverse`
    /// with the quartile discretizer (Ribeiro, Singh & Guestrin, "Why should I trust you?", KDD 2016).
    ///
    /// Row 0 is `instance`. In every other row each feature independently draws a bin with the
    /// training frequencies of the bins (``QuartileBin/frequency``), then a value in that bin from
    /// the normal of the bin's mean and standard deviation truncated to the bin's range (from its
    /// ``QuartileBin/minimum`` to its ``QuartileBin/maximum``, the one value of the range when it has
    /// only one, the nearest float32 inside the bin when rounding would leave it). The binary
    /// representation is 1 where the drawn bin is the instance's.
    ///
    /// The draws are Glassbox's Philox uniforms, not numpy's: feature `f` of row `n ≥ 1` uses
    /// uniform draws `2·((n − 1)·F + f)` (the bin: the first whose cumulative frequency exceeds the
    /// draw) and `2·((n − 1)·F + f) + 1` (the value, by inverting the truncated normal's
    /// distribution function, where lime calls `scipy.stats.truncnorm.rvs`) of `stream`. The same
    /// stream gives the same samples; lime's own samples agree in distribution only.
    ///
    /// Sampling is on the host: a table row has few features, and the values are uploaded once
    /// for the model.
    ///
    /// - Parameters:
    ///   - instance: The explained row, ``features`` finite values.
    ///   - count: The number of samples N, the instance included (lime's `num_samples`; at least 1).
    ///   - stream: The random stream of the draws.
    /// - Throws: `GlassboxError.shapeMismatch` when `instance` does not have ``features`` values;
    ///   `GlassboxError.invalidArgument` for `count < 1` or a non-finite instance value.
    public func sample(instance: [Float], count: Int, stream: RandomStream) throws -> TabularLimeSample {
        let instanceBins = try discretize(instance)
        guard count >= 1 else {
            throw GlassboxError.invalidArgument("QuartileDiscretizer.sample: count is \(count), not ≥ 1")
        }
        if let bad = instance.firstIndex(where: { !$0.isFinite }) {
            throw GlassboxError.invalidArgument(
                "QuartileDiscretizer.sample: instance value '\(featureNames[bad])' is \(instance[bad])")
        }
        let features = self.features
        let draws = [Float](unsafeUninitializedCapacity: 2 * (count - 1) * features) { buffer, initialized in
            Philox.fillUniform(buffer, stream: stream)
            initialized = buffer.count
        }
        let samplers = bins.map(FeatureSampler.init)
        var binary = [Double](repeating: 1, count: count * features)
        var values = instance + [Float](repeating: 0, count: (count - 1) * features)
        for row in 1..<count {
            for feature in 0..<features {
                let draw = 2 * ((row - 1) * features + feature)
                let sampler = samplers[feature]
                let bin = sampler.bin(at: Double(draws[draw]))
                binary[row * features + feature] = bin == instanceBins[feature] ? 1 : 0
                values[row * features + feature] = sampler.value(in: bin, at: Double(draws[draw + 1]))
            }
        }
        let distances = try LimeKernel.tabular(features: features).distances(data: binary, features: features)
        return TabularLimeSample(
            count: count, features: features, binary: binary, values: values, distances: distances)
    }
}

/// The draws of one feature's bins: their cumulative frequencies and the float32 values inside each.
private struct FeatureSampler {
    let bins: [QuartileBin]
    /// The running sums of the bins' frequencies.
    let cumulative: [Double]
    /// The smallest and largest float32 in each bin (bin 0 includes its minimum, the others
    /// exclude theirs); nil where no float32 lies in the bin, which then has no training value.
    let floatRanges: [ClosedRange<Float>?]

    init(_ bins: [QuartileBin]) {
        self.bins = bins
        var sum = 0.0
        cumulative = bins.map { bin in
            sum += bin.frequency
            return sum
        }
        floatRanges = bins.enumerated().map { k, bin in
            var low = Float(bin.minimum)
            if k == 0 ? Double(low) < bin.minimum : Double(low) <= bin.minimum { low = low.nextUp }
            var high = Float(bin.maximum)
            if Double(high) > bin.maximum { high = high.nextDown }
            return low <= high ? low...high : nil
        }
    }

    /// The bin of a uniform draw: the first whose cumulative frequency exceeds it (numpy's
    /// `choice(p=…)`), the last bin with training values when rounding leaves the sum below the draw.
    func bin(at draw: Double) -> Int {
        cumulative.firstIndex { draw < $0 } ?? bins.lastIndex { $0.frequency > 0 }!
    }

    /// The value of a uniform draw in bin `k`: the truncated normal's quantile, as the nearest
    /// float32 inside the bin.
    func value(in k: Int, at draw: Double) -> Float {
        let bin = bins[k]
        let value = TruncatedNormal.quantile(
            draw, mean: bin.mean, standardDeviation: bin.standardDeviation, lower: bin.minimum, upper: bin.maximum)
        guard let range = floatRanges[k] else { return Float(value) }
        return min(max(Float(value), range.lowerBound), range.upperBound)
    }
}
