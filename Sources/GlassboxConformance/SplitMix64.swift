/// SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number generators",
/// OOPSLA 2014): draws the host values of the suite's inputs, the same on every run.
struct SplitMix64 {
    private var state: UInt64

    /// A generator seeded by the FNV-1a hash of `name`, so a case's inputs depend
    /// only on its own name.
    init(name: String) {
        state = name.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// `count` floats uniform in [low, high); every `zeroEvery`-th one (when given) is exactly 0.
    mutating func floats(_ count: Int, _ low: Double = -1, _ high: Double = 1, zeroEvery: Int? = nil) -> [Float] {
        (0..<count).map { index in
            let value = Float(low + (high - low) * unit())
            if let zeroEvery, index % zeroEvery == zeroEvery - 1 { return 0 }
            return value
        }
    }

    /// `count` floats of random sign with magnitude in [low, high): away from zero.
    mutating func awayFromZero(_ count: Int, _ low: Double, _ high: Double) -> [Float] {
        (0..<count).map { _ in
            let magnitude = low + (high - low) * unit()
            return Float(next() & 1 == 0 ? magnitude : -magnitude)
        }
    }

    /// `count` distinct floats (a shuffled grid of spacing 1/64 centred on zero), so
    /// maxima have no ties.
    mutating func distinct(_ count: Int) -> [Float] {
        var grid = (0..<count).map { Float($0 - count / 2) / 64 }
        for i in stride(from: count - 1, to: 0, by: -1) { grid.swapAt(i, Int(next() % UInt64(i + 1))) }
        return grid
    }

    /// `count` floats from {−1, 0, 1}: many ties.
    mutating func ties(_ count: Int) -> [Float] {
        (0..<count).map { _ in Float(Int(next() % 3) - 1) }
    }
}
