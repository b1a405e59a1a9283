import Foundation
import GlassboxCore

extension NumpyArray {
    /// numpy pads the header so the array data starts on a multiple of this many bytes.
    static let headerAlignment = 64

    /// numpy leaves this many characters of room in the header for the growing axis, minus the
    /// length of that axis' current extent, so the header can be rewritten in place.
    static let growthAxisMaxDigits = 21

    /// The array encoded as a `.npy` file: format version 1.0, little-endian `float32` (`<f4`),
    /// C order, with the header laid out exactly as `numpy.save` lays it out (the dictionary,
    /// spare room for the outermost axis, spaces up to a multiple of 64 bytes, then `\n`).
    ///
    /// Headers longer than 65535 bytes (only possible with thousands of axes) use version 2.0,
    /// as numpy does. `values.count` must equal `shape.count`.
    public func npyData() -> Data {
        precondition(values.count == shape.count, "\(values.count) values do not fill shape \(shape)")
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(Self.describe(shape.dimensions)), }"
        if let outermost = shape.dimensions.first {
            header += String(repeating: " ", count: max(0, Self.growthAxisMaxDigits - String(outermost).utf8.count))
        }
        let headerBytes = Array(header.utf8)
        let unpadded = headerBytes.count + 1  // + "\n"
        func padding(lengthFieldSize: Int) -> Int {
            let preambleLength = Self.magic.count + 2 + lengthFieldSize
            return Self.headerAlignment - (preambleLength + unpadded) % Self.headerAlignment
        }
        let useVersion2 = unpadded + padding(lengthFieldSize: 2) > Int(UInt16.max)
        let lengthBytes = useVersion2 ? 4 : 2
        let padding = padding(lengthFieldSize: lengthBytes)
        let headerLength = unpadded + padding
        let preambleLength = Self.magic.count + 2 + lengthBytes

        var data = Data(capacity: preambleLength + headerLength + values.count * 4)
        data.append(contentsOf: Self.magic)
        data.append(contentsOf: useVersion2 ? [2, 0] : [1, 0])
        for offset in 0..<lengthBytes {
            data.append(UInt8(truncatingIfNeeded: headerLength >> (8 * offset)))
        }
        data.append(contentsOf: headerBytes)
        data.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding))
        data.append(UInt8(ascii: "\n"))
        values.withUnsafeBufferPointer { buffer in
            var littleEndian = [UInt32](repeating: 0, count: buffer.count)
            for index in buffer.indices {
                littleEndian[index] = buffer[index].bitPattern.littleEndian
            }
            littleEndian.withUnsafeBytes { data.append(contentsOf: $0) }
        }
        return data
    }

    /// Writes the array to `url` as a `.npy` file (see ``npyData()``).
    ///
    /// The write is atomic: the bytes go to a temporary file in the same directory, which is
    /// then renamed over `url`, so readers never see a partial file.
    ///
    /// - Throws: `GlassboxError.shapeMismatch(_:)` if `values` does not fill `shape`, or
    ///   `GlassboxError.invalidFile(path:reason:)` if the file cannot be written.
    public func write(to url: URL) throws {
        guard values.count == shape.count else {
            throw GlassboxError.shapeMismatch("\(values.count) values do not fill shape \(shape)")
        }
        do {
            try npyData().write(to: url, options: .atomic)
        } catch {
            throw GlassboxError.invalidFile(
                path: url.path(percentEncoded: false), reason: "cannot write: \(error.localizedDescription)")
        }
    }
}
