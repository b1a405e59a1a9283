import GlassboxCore

/// The share of an attribution map's absolute mass that falls inside a region
/// of the image plane: Σ_region |a| / Σ |a|, summed over channels. The
/// "pointing game" of the watermark experiments (Lapuschkin et al. 2019): a
/// map that explains a shortcut puts most of its mass on the shortcut's pixels.
public enum RegionShare {
    /// The share for one map of shape C×H×W (or 1×H×W), `region` given as row-major indices into the H×W plane.
    /// A map without mass has share 0.
    public static func of(_ map: ArraySlice<Float>, planeSize: Int, region: [Int]) -> Float {
        precondition(
            planeSize > 0 && map.count % planeSize == 0,
            "a map of \(map.count) values is not whole planes of \(planeSize)")
        let inside = Set(region)
        var total: Float = 0, inRegion: Float = 0
        for (offset, value) in map.enumerated() {
            total += abs(value)
            if inside.contains(offset % planeSize) { inRegion += abs(value) }
        }
        return total > 0 ? inRegion / total : 0
    }
}
