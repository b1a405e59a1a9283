import CStb

/// A caption set in stb_easy_font's built-in bitmap font (glyphs about 5×7 pixels, lines 12
/// apart), as the rectangles of pixels to fill.
///
/// The font covers printable ASCII; any other character is drawn as `?`. A newline starts a new
/// line.
struct BitmapFontText {
    /// The rectangles to fill, relative to the caption's top-left corner, in pixels.
    let rectangles: [(x: Int, y: Int, width: Int, height: Int)]
    /// The caption's extent: every rectangle lies within `width`×`height` pixels.
    let width: Int
    /// See ``width``.
    let height: Int

    /// stb_easy_font never emits more quads per character than fit in this many bytes.
    static let vertexBytesPerCharacter = 1024

    /// Lays out `text` with every font pixel drawn as a `scale`×`scale` square.
    init(_ text: String, scale: Int) {
        var characters = text.unicodeScalars.map { character -> CChar in
            character == "\n" || (0x20..<0x7F).contains(character.value)
                ? CChar(character.value) : CChar(UInt8(ascii: "?"))
        }
        characters.append(0)
        var vertices = [UInt8](repeating: 0, count: characters.count * Self.vertexBytesPerCharacter)
        let quadCount = Int(stb_easy_font_print(0, 0, &characters, nil, &vertices, Int32(clamping: vertices.count)))
        // Each quad is four vertices of 16 bytes: x, y, z as Float, then an RGBA colour.
        let quads = vertices.withUnsafeBytes { bytes in
            (0..<quadCount).map { quad in
                let corners = (0..<4).map { corner in
                    let offset = (quad * 4 + corner) * 16
                    return (
                        x: bytes.loadUnaligned(fromByteOffset: offset, as: Float.self),
                        y: bytes.loadUnaligned(fromByteOffset: offset + 4, as: Float.self)
                    )
                }
                let left = Int(corners.map(\.x).min()!.rounded()), right = Int(corners.map(\.x).max()!.rounded())
                let top = Int(corners.map(\.y).min()!.rounded()), bottom = Int(corners.map(\.y).max()!.rounded())
                return (x: left * scale, y: top * scale, width: (right - left) * scale, height: (bottom - top) * scale)
            }
        }
        rectangles = quads
        width = quads.map { $0.x + $0.width }.max() ?? 0
        height = quads.map { $0.y + $0.height }.max() ?? 0
    }
}
