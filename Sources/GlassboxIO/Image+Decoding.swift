import CStb
import Foundation
import GlassboxCore

extension Image {
    /// The most pixels a decoded image may have (2^26, for instance 8192×8192): larger images
    /// are refused from their header, before any pixel memory is allocated.
    public static let maximumPixelCount = 1 << 26

    /// Reads and decodes the PNG, JPEG, BMP or GIF file at `url` (see ``init(encoded:path:)``).
    ///
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` naming the file if it is missing,
    ///   unreadable, empty, not an image of those formats, cut short, malformed or too large.
    public static func read(from url: URL) throws -> Image {
        let (data, path) = try UserFile.contents(of: url)
        return try Image(encoded: data, path: path)
    }

    /// Decodes the contents of a PNG, JPEG, BMP or GIF file with stb_image; `path` names the file
    /// in error messages.
    ///
    /// Gray files give 1 channel, gray with alpha and palette files with transparency 4, colour
    /// files 3 or 4 (with alpha); GIFs give the first frame as RGBA; 16-bit PNG samples are reduced
    /// to their high byte. Never traps on malformed input: the format is recognised by its
    /// signature, its structure checked (see ``ImageFormat``) and its size read from its header
    /// before anything is decoded.
    ///
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` with a one-line reason (stb_image's
    ///   own for malformed data).
    public init(encoded data: Data, path: String) throws {
        self = try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) throws(GlassboxError) -> Image in
            try Self.decode(bytes, path: path)
        }
    }

    /// Decodes `bytes`, the contents of the file at `path`.
    static func decode(_ bytes: UnsafeRawBufferPointer, path: String) throws(GlassboxError) -> Image {
        func failure(_ reason: String) -> GlassboxError { .invalidFile(path: path, reason: reason) }
        guard let start = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), !bytes.isEmpty else {
            throw failure("empty file")
        }
        guard let format = ImageFormat(signatureOf: bytes) else {
            throw failure("not a PNG, JPEG, BMP or GIF image (unknown signature)")
        }
        guard let length = Int32(exactly: bytes.count) else {
            throw failure("\(format.rawValue) file larger than 2 GiB")
        }
        if let problem = format.structuralProblem(in: bytes) { throw failure(problem) }

        var width: Int32 = 0, height: Int32 = 0, fileChannels: Int32 = 0
        // stbi_info tries every format in turn, so its failure reason is always the last one's.
        guard stbi_info_from_memory(start, length, &width, &height, &fileChannels) == 1 else {
            throw failure("malformed \(format.rawValue) header (stb_image cannot read its size)")
        }
        func checkSize() throws(GlassboxError) {
            guard width > 0, height > 0 else {
                throw failure("malformed \(format.rawValue) file (\(width)×\(height) pixels)")
            }
            guard Int(width) * Int(height) <= maximumPixelCount else {
                throw failure("\(width)×\(height) pixels is more than the \(maximumPixelCount) an image may have")
            }
        }
        try checkSize()
        let channels = fileChannels == 1 || fileChannels == 3 ? Int(fileChannels) : 4
        guard let decoded = stbi_load_from_memory(start, length, &width, &height, &fileChannels, Int32(channels)) else {
            throw failure("malformed \(format.rawValue) file (stb_image: \(stbFailureReason()))")
        }
        defer { stbi_image_free(decoded) }
        try checkSize()
        let pixels = Array(UnsafeBufferPointer(start: decoded, count: Int(width) * Int(height) * channels))
        return Image(width: Int(width), height: Int(height), channels: channels, pixels: pixels)
    }

    /// stb_image's reason for its last failure on this thread, as one line of printable ASCII.
    static func stbFailureReason() -> String {
        let reason = stbi_failure_reason().map { String(cString: $0) } ?? ""
        let printable = String(reason.unicodeScalars.filter { (0x20..<0x7F).contains($0.value) })
        return printable.isEmpty ? "unknown error" : printable
    }
}
