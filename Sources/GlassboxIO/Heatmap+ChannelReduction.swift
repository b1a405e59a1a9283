extension Heatmap {
    /// How the channels of an attribution (one per colour channel of the input) become one value
    /// per pixel for display.
    public enum ChannelReduction: String, Sendable, CaseIterable {
        /// The largest magnitude over the channels, max_c |a_c|: how saliency maps are shown
        /// (Simonyan et al. 2014, Captum's `visualize_image_attr` with `sign="absolute_value"`).
        case maxAbsolute
        /// The sum over the channels, keeping the sign: for signed maps (Integrated Gradients,
        /// LRP, whose relevance adds up) and single-channel maps (the CAM family), which it
        /// leaves as they are.
        case sum

        /// `planes` planes of `planeSize` values reduced to one plane.
        func reduce(_ values: [Float], planes: Int, planeSize: Int) -> [Float] {
            (0..<planeSize).map { pixel in
                let samples = (0..<planes).lazy.map { values[$0 * planeSize + pixel] }
                switch self {
                case .maxAbsolute: return samples.map(abs).reduce(0, max)
                case .sum: return samples.reduce(0, +)
                }
            }
        }
    }
}
