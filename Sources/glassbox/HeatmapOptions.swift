import ArgumentParser
import Foundation
import GlassboxCore
import GlassboxIO

/// The `--heatmap` and `--panel` pictures of `glassbox explain`.
struct HeatmapOptions: ParsableArguments {
    @Option(
        help:
            "Draw each explanation as a PNG heatmap (several rows: NAME-0.png, NAME-1.png, …): a diverging colormap for signed maps, a sequential one for unsigned maps."
    )
    var heatmap: String?

    @Option(
        help:
            "Draw every explanation in one PNG panel, a row each: the input and its heatmap, captioned with the input, the target class (with its name from --labels) and its probability."
    )
    var panel: String?

    @Flag(help: "Blend the heatmap over the input picture instead of drawing it alone.")
    var overlay = false

    @Option(name: .customLong("overlay-alpha"), help: "The heatmap's weight in an overlay, 0…1.")
    var overlayAlpha: Float = 0.5

    func validate() throws {
        guard (0...1).contains(overlayAlpha) else { throw ValidationError("--overlay-alpha must be in 0…1") }
    }

    /// Writes one picture per row of `attributions` (shape N×…), overlaid on the
    /// row's picture from `pictures` (called only for overlays and the panel) when asked, and
    /// the panel of every row with its caption from `captions`; `outlines`, when given, draws each
    /// row's top features over its picture for a panel column of their own.
    func write(
        attributions: [Float], shape: Shape, pictures: () throws -> [Image],
        outlines: (([Image]) throws -> [Image])? = nil, captions: [String]
    ) throws {
        guard heatmap != nil || panel != nil else { return }
        let rows = shape[0], rowSize = shape.count / rows
        let backgrounds = overlay || panel != nil ? try pictures() : []
        let signed = AttributionPicture.isSigned(attributions)
        let drawn = try (0..<rows).map { row in
            let map = try AttributionPicture.heatmap(
                attributions[(row * rowSize)..<((row + 1) * rowSize)], shape: shape.sampleShape,
                signed: signed)
            return overlay ? try map.overlay(on: backgrounds[row], alpha: overlayAlpha) : map.image()
        }
        if let heatmap {
            let url = URL(fileURLWithPath: heatmap)
            for (row, picture) in drawn.enumerated() {
                try picture.writePNG(to: rows == 1 ? url : Self.numbered(url, row))
            }
        }
        if let panel {
            let outlined = try outlines?(backgrounds)
            try Panel(
                tiles: backgrounds.indices.map { row in
                    [backgrounds[row]] + (outlined.map { [$0[row]] } ?? []) + [drawn[row]]
                },
                columnTitles: ["input"] + (outlined == nil ? [] : ["top features"]) + [overlay ? "overlay" : "heatmap"],
                rowLabels: captions, tileHeight: 128, tileWidth: 128, textScale: 1
            ).writePNG(to: URL(fileURLWithPath: panel))
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
