import ArgumentParser
import Foundation
import GlassboxCore
import GlassboxIO

/// The `--heatmap` pictures of `glassbox explain`.
struct HeatmapOptions: ParsableArguments {
    @Option(
        help:
            "Draw each explanation as a PNG heatmap (several rows: NAME-0.png, NAME-1.png, …): a diverging colormap for signed maps, a sequential one for unsigned maps."
    )
    var heatmap: String?

    @Flag(help: "Blend the heatmap over the input picture instead of drawing it alone.")
    var overlay = false

    @Option(name: .customLong("overlay-alpha"), help: "The heatmap's weight in an overlay, 0…1.")
    var overlayAlpha: Float = 0.5

    func validate() throws {
        guard (0...1).contains(overlayAlpha) else { throw ValidationError("--overlay-alpha must be in 0…1") }
    }

    /// Writes one picture per row of `attributions` (shape N×…), overlaid on the
    /// row's picture from `pictures` (called only for overlays) when asked.
    func write(attributions: [Float], shape: Shape, pictures: () throws -> [Image]) throws {
        guard let heatmap else { return }
        let rows = shape[0], rowSize = shape.count / rows
        let url = URL(fileURLWithPath: heatmap)
        let backgrounds = overlay ? try pictures() : []
        let signed = AttributionPicture.isSigned(attributions)
        for row in 0..<rows {
            let map = try AttributionPicture.heatmap(
                attributions[(row * rowSize)..<((row + 1) * rowSize)], shape: shape.sampleShape,
                signed: signed)
            let picture = overlay ? try map.overlay(on: backgrounds[row], alpha: overlayAlpha) : map.image()
            try picture.writePNG(to: rows == 1 ? url : Self.numbered(url, row))
        }
    }

    /// `NAME-row.png` beside `url`.
    static func numbered(_ url: URL, _ row: Int) -> URL {
        let stem = url.deletingPathExtension().lastPathComponent
        return url.deletingLastPathComponent().appendingPathComponent(
            "\(stem)-\(row).\(url.pathExtension.isEmpty ? "png" : url.pathExtension)")
    }
}

/// How an attribution map is drawn.
enum AttributionPicture {
    /// Whether the maps of one method's batch are drawn signed: when any has a
    /// negative value, so every row of the batch is drawn the same way.
    static func isSigned(_ attributions: [Float]) -> Bool {
        attributions.contains { $0 < 0 }
    }

    /// The heatmap of one map (C×H×W or 1×H×W): signed (diverging colours, channels
    /// summed) or unsigned (sequential colours, max |·| over channels).
    static func heatmap(_ values: ArraySlice<Float>, shape: Shape, signed: Bool) throws -> Heatmap {
        try Heatmap(
            attribution: NumpyArray(shape: shape, values: Array(values)),
            reduction: signed ? .sum : .maxAbsolute, polarity: signed ? .signed : .unsigned)
    }
}
