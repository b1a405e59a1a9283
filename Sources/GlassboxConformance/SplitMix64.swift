import Foundation

/// SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number generators",
/// OOPSLA 2014): a tiny seeded generator, so the conformance suite's inputs and every
/// test's values are the same on every run and every machine. Library code draws from
/// `Philox` (GlassboxCore); this generator only makes inputs for checks.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    /// A generator starting from `seed`.
    public init(seed: UInt64) { state = seed }

    /// A generator seeded by the FNV-1a hash of `name`, so a case's inputs depend only on its own name.
    public init(name: String) {
        self.init(seed: name.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 })
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in [low, high).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }

    /// A standard normal draw (Box–Muller).
    public mutating func normal() -> Double {
        let u = max(unit(), 0x1.0p-60), v = unit()
        return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * v)
    }

    /// An index in 0..<count.
    public mutating func index(_ count: Int) -> Int { Int(next() % UInt64(count)) }

    /// `count` floats uniform in [low, high); every `zeroEvery`-th one (when given) is exactly 0.
    public mutating func floats(_ count: Int, _ low: Double = -1, _ high: Double = 1, zeroEvery: Int? = nil) -> [Float]
    {
        (0..<count).map { index in
            let value = Float(uniform(low, high))
            if let zeroEvery, index % zeroEvery == zeroEvery - 1 { return 0 }
            return value
        }
    }

    /// `count` floats of random sign with magnitude in [margin, limit): away from zero
    /// (and from the kink of a ReLU).
    public mutating func awayFromZero(_ count: Int, margin: Double = 0.2, limit: Double = 1) -> [Float] {
        (0..<count).map { _ in Float((next() & 1 == 0 ? 1 : -1) * uniform(margin, limit)) }
    }

    /// `count` distinct floats (a shuffled grid with spacing `spacing`, centred on
    /// zero), so maxima have no ties or near-ties.
    public mutating func distinctFloats(_ count: Int, spacing: Double = 0.01) -> [Float] {
        var grid = (0..<count).map { Float(Double($0) * spacing - Double(count) * spacing / 2 + spacing / 2) }
        shuffle(&grid)
        return grid
    }

    /// `count` floats from {−1, 0, 1}: many ties.
    public mutating func ties(_ count: Int) -> [Float] {
        (0..<count).map { _ in Float(index(3) - 1) }
    }

    /// Fisher–Yates shuffle in place.
    public mutating func shuffle<T>(_ values: inout [T]) {
        for i in stride(from: values.count - 1, to: 0, by: -1) { values.swapAt(i, index(i + 1)) }
    }
}
