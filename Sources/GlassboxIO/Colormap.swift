/// A map from values in 0…1 to colours: a table of colours at evenly spaced positions,
/// interpolated linearly between neighbours.
///
/// ``viridis`` is for unsigned maps (relevance, magnitude), ``redBlue`` for signed maps
/// (0.5, the colour of zero, is near white).
public struct Colormap: Sendable, Equatable {
    /// The colormap's name as matplotlib knows it (`"viridis"`, `"RdBu_r"`).
    public let name: String
    /// The table: colour i, as `0xRRGGBB`, sits at position i / (count − 1).
    public let colors: [UInt32]

    /// A colormap with at least two colours (`0xRRGGBB`) at evenly spaced positions from 0 to 1.
    public init(name: String, colors: [UInt32]) {
        precondition(colors.count >= 2, "a colormap needs at least two colours")
        self.name = name
        self.colors = colors
    }

    /// The red, green and blue of `value`, clamped to 0…1 (NaN reads as 0), interpolated linearly
    /// between the two nearest table entries and rounded to the nearest level.
    public func color(at value: Float) -> SIMD3<UInt8> {
        let position = (value.isNaN ? 0 : min(max(value, 0), 1)) * Float(colors.count - 1)
        let low = min(Int(position), colors.count - 2)
        let weight = position - Float(low)
        let mixed = (1 - weight) * Self.components(colors[low]) + weight * Self.components(colors[low + 1])
        return SIMD3<UInt8>(mixed, rounding: .toNearestOrAwayFromZero)
    }

    /// The red, green and blue bytes of `0xRRGGBB` as floats.
    static func components(_ color: UInt32) -> SIMD3<Float> {
        SIMD3(Float(color >> 16 & 0xFF), Float(color >> 8 & 0xFF), Float(color & 0xFF))
    }
}
