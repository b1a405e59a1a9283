import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator so every test
/// draws the same values on every run. Only tests use it; library code draws
/// from Philox.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

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

    /// `count` floats uniform in [low, high).
    public mutating func floats(_ count: Int, _ low: Double = -1, _ high: Double = 1) -> [Float] {
        (0..<count).map { _ in Float(uniform(low, high)) }
    }

    /// `count` floats with |x| in [margin, 1), of random sign: away from the kink of a ReLU.
    public mutating func awayFromZero(_ count: Int, margin: Double = 0.2) -> [Float] {
        (0..<count).map { _ in Float((next() & 1 == 0 ? 1 : -1) * uniform(margin, 1)) }
    }

    /// `count` distinct floats (a shuffled grid with spacing `spacing`, centred on
    /// zero), so max pooling has no ties or near-ties.
    public mutating func distinctFloats(_ count: Int, spacing: Double = 0.01) -> [Float] {
        var grid = (0..<count).map { Float(Double($0) * spacing - Double(count) * spacing / 2 + spacing / 2) }
        shuffle(&grid)
        return grid
    }

    /// Fisher–Yates shuffle in place.
    public mutating func shuffle<T>(_ values: inout [T]) {
        for i in stride(from: values.count - 1, to: 0, by: -1) { values.swapAt(i, index(i + 1)) }
    }
}
