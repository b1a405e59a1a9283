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
            "Draw every explanation in one PNG panel, a row each: the input and its heatmap (several methods: each one's side by side; lime and the Shapley methods also outline the top superpixels), captioned with the input, the target class (with its name from --labels) and its probability."
    )
    var panel: String?

    @Flag(help: "Blend the heatmap over the input picture instead of drawing it alone.")
    var overlay = false

    @Option(name: .customLong("overlay-alpha"), help: "The heatmap's weight in an overlay, 0…1.")
    var overlayAlpha: Float = 0.5

    func validate() throws {
        guard (0...1).contains(overlayAlpha) else { throw ValidationError("--overlay-alpha must be in 0…1") }
    }

    /// One method's maps to draw: N×… `attributions` of `shape`, and, for perturbation methods
    /// over superpixels, each row's top features outlined over its picture.
    struct Maps {
        var method: String
        var attributions: [Float]
        var shape: Shape
        var outlines: (([Image]) throws -> [Image])?
    }

    /// Writes one picture per row of each method's maps (several methods: `NAME-METHOD.png`),
    /// overlaid on the row's picture from `pictures` (called only for overlays and the panel)
    /// when asked, and the panel of every row with its caption from `captions`: the input, then
    /// per method its outlined top features (when it has them) and its heatmap, side by side.
    func write(_ methods: [Maps], pictures: () throws -> [Image], captions: [String]) throws {
        guard heatmap != nil || panel != nil, let rows = methods.first?.shape[0] else { return }
        let backgrounds = overlay || panel != nil ? try pictures() : []
        let drawn = try methods.map { maps in
            let rowSize = maps.shape.count / rows, signed = AttributionPicture.isSigned(maps.attributions)
            return try (0..<rows).map { row in
                let map = try AttributionPicture.heatmap(
                    maps.attributions[(row * rowSize)..<((row + 1) * rowSize)], shape: maps.shape.sampleShape,
                    signed: signed)
                return overlay ? try map.overlay(on: backgrounds[row], alpha: overlayAlpha) : map.image()
            }
        }
        if let heatmap {
            for (maps, pictures) in zip(methods, drawn) {
                var url = URL(fileURLWithPath: heatmap)
                if methods.count > 1 { url = Self.suffixed(url, maps.method) }
                for (row, picture) in pictures.enumerated() {
                    try picture.writePNG(to: rows == 1 ? url : Self.numbered(url, row))
                }
            }
        }
        if let panel {
            let outlined = try methods.map { try $0.outlines?(backgrounds) }
            let columns = zip(methods, outlined).flatMap { maps, outlines in
                (outlines == nil ? [] : ["\(maps.method): top"]) + [overlay ? "\(maps.method) overlay" : maps.method]
            }
            try Panel(
                tiles: backgrounds.indices.map { row in
                    [backgrounds[row]]
                        + zip(outlined, drawn).flatMap { outlines, pictures in
                            (outlines.map { [$0[row]] } ?? []) + [pictures[row]]
                        }
                },
                columnTitles: ["input"] + columns, rowLabels: captions, tileHeight: 128, tileWidth: 128, textScale: 1
            ).writePNG(to: URL(fileURLWithPath: panel))
        }
    }

    /// `NAME-suffix.ext` beside `url`.
    static func suffixed(_ url: URL, _ suffix: String) -> URL {
        let stem = url.deletingPathExtension().lastPathComponent
        return url.deletingLastPathComponent().appendingPathComponent(
            "\(stem)-\(suffix).\(url.pathExtension.isEmpty ? "png" : url.pathExtension)")
    }

    /// `NAME-row.png` beside `url`.
    static func numbered(_ url: URL, _ row: Int) -> URL { suffixed(url, String(row)) }
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
