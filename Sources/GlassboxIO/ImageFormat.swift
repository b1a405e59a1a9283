/// The encoded image formats ``Image`` decodes, recognised by their leading bytes.
///
/// stb_image also guesses at TGA, PSD, HDR, PIC and PNM files, and TGA has no signature, so
/// arbitrary bytes can pass for a TGA; Glassbox hands stb_image only files that start with the
/// signature of one of these four formats.
public enum ImageFormat: String, Sendable, CaseIterable {
    /// Portable Network Graphics, 1 to 16 bits per sample (16-bit samples are reduced to 8).
    case png = "PNG"
    /// Baseline and progressive JPEG (JFIF/Exif).
    case jpeg = "JPEG"
    /// Windows bitmap, uncompressed or with bit fields.
    case bmp = "BMP"
    /// GIF87a/GIF89a; only the first frame of an animation is read.
    case gif = "GIF"

    /// The bytes every file of this format starts with (one of them, for GIF).
    var signatures: [[UInt8]] {
        switch self {
        case .png: [[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]]
        case .jpeg: [[0xFF, 0xD8, 0xFF]]
        case .bmp: [Array("BM".utf8)]
        case .gif: [Array("GIF87a".utf8), Array("GIF89a".utf8)]
        }
    }

    /// The format whose signature `bytes` start with, or nil.
    init?(signatureOf bytes: UnsafeRawBufferPointer) {
        guard
            let format = Self.allCases.first(where: { format in
                format.signatures.contains { bytes.count >= $0.count && bytes.prefix($0.count).elementsEqual($0) }
            })
        else { return nil }
        self = format
    }
}
