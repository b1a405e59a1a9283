import CStb
import Foundation
import GlassboxCore

extension Image {
    /// The image encoded as a PNG file by stb_image_write (8 bits per sample; gray, RGB or RGBA
    /// as ``channels`` says).
    ///
    /// - Throws: `GlassboxError.invalidArgument(_:)` if the image is too large for the encoder
    ///   (a row of more than 2^31 bytes) or the encoder cannot allocate its buffer.
    public func pngData() throws -> Data {
        guard let rowBytes = Int32(exactly: width * channels), let rows = Int32(exactly: height) else {
            throw GlassboxError.invalidArgument("a \(width)×\(height) image is too large to encode as PNG")
        }
        var data = Data()
        let status = withUnsafeMutablePointer(to: &data) { output in
            pixels.withUnsafeBufferPointer { samples in
                stbi_write_png_to_func(
                    { context, bytes, count in
                        guard let context, let bytes, count > 0 else { return }
                        context.assumingMemoryBound(to: Data.self).pointee.append(
                            bytes.assumingMemoryBound(to: UInt8.self), count: Int(count))
                    }, output, rowBytes / Int32(channels), rows, Int32(channels), samples.baseAddress, rowBytes)
            }
        }
        guard status != 0 else { throw GlassboxError.invalidArgument("the PNG encoder could not allocate its buffer") }
        return data
    }

    /// Writes the image to `url` as a PNG file (see ``pngData()``).
    ///
    /// The write is atomic: the bytes go to a temporary file in the same directory, which is
    /// then renamed over `url`, so readers never see a partial file.
    ///
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` if the file cannot be written.
    public func writePNG(to url: URL) throws {
        let data = try pngData()
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw GlassboxError.invalidFile(
                path: url.path(percentEncoded: false), reason: "cannot write: \(error.localizedDescription)")
        }
    }
}
