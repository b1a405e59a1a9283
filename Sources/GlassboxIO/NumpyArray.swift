import Foundation
import GlassboxCore

/// A host array read from or written to numpy's `.npy` format, stored as `Float` in C (row-major)
/// order.
///
/// Reading accepts format versions 1.0, 2.0 and 3.0 with little- or big-endian `float32`,
/// `float64`, signed and unsigned 8- to 64-bit integers, and `bool`, converting every element to
/// `Float` (`float64` values are rounded to the nearest `Float`). Integers, such as a text model's
/// int64 token ids, are read exactly: an array holding one beyond ±2²⁴, which `Float` would
/// round, is rejected. Fortran-order, structured, object and complex arrays are rejected.
/// Non-finite values are kept as they are.
///
/// Writing produces version 1.0 little-endian `float32` (`<f4`) in C order, byte-for-byte as
/// `numpy.save` writes it.
public struct NumpyArray: Sendable, Equatable {
    /// The dimensions of the array, outermost first; a rank-0 shape is a scalar.
    public var shape: Shape
    /// The elements in C order; `values.count == shape.count`.
    public var values: [Float]

    /// Creates an array; `values.count` must equal `shape.count`.
    public init(shape: Shape, values: [Float]) {
        precondition(values.count == shape.count, "\(values.count) values do not fill shape \(shape)")
        self.shape = shape
        self.values = values
    }

    /// Reads the `.npy` file at `url`.
    ///
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` naming the file if it cannot be read
    ///   or is not a supported `.npy` array.
    public static func read(from url: URL) throws -> NumpyArray {
        let (data, path) = try UserFile.contents(of: url)
        return try NumpyArray(npyData: data, path: path)
    }

    /// Parses the contents of a `.npy` file; `path` names it in error messages.
    ///
    /// Never traps on malformed input: every length, offset and size is checked before use, and
    /// the element count is checked against the bytes present before anything is allocated.
    /// Bytes after the array data are ignored, as numpy does.
    ///
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` with a one-line reason.
    public init(npyData data: Data, path: String) throws {
        self = try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) throws(GlassboxError) -> NumpyArray in
            try Self.parse(bytes, path: path)
        }
    }

    /// The first bytes of every `.npy` file.
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // "\x93NUMPY"

    /// Parses a whole `.npy` file held in `bytes`.
    private static func parse(_ bytes: UnsafeRawBufferPointer, path: String) throws(GlassboxError) -> NumpyArray {
        func invalid(_ reason: String) -> GlassboxError { .invalidFile(path: path, reason: reason) }

        let magicLength = magic.count
        guard bytes.prefix(magicLength).elementsEqual(magic.prefix(bytes.count)) else {
            throw invalid("not a .npy file (bad magic)")
        }
        guard bytes.count >= magicLength + 2 else {
            throw invalid("truncated: the file ends inside the .npy preamble (\(bytes.count) bytes)")
        }
        let major = bytes[magicLength]
        let minor = bytes[magicLength + 1]
        let lengthFieldSize: Int
        switch (major, minor) {
        case (1, 0): lengthFieldSize = 2
        case (2, 0), (3, 0): lengthFieldSize = 4
        default: throw invalid("unsupported .npy format version \(major).\(minor)")
        }
        let headerStart = magicLength + 2 + lengthFieldSize
        guard bytes.count >= headerStart else {
            throw invalid("truncated: the file ends inside the .npy preamble (\(bytes.count) bytes)")
        }
        var storedLength: UInt64 = 0
        for offset in 0..<lengthFieldSize {  // little-endian unsigned length
            storedLength |= UInt64(bytes[magicLength + 2 + offset]) << UInt64(8 * offset)
        }
        let available = bytes.count - headerStart
        guard storedLength <= UInt64(available) else {
            throw invalid("truncated: header says it is \(storedLength) bytes but \(available) bytes follow")
        }
        let headerEnd = headerStart + Int(storedLength)
        let header = try NumpyHeader(
            bytes: Array(bytes[headerStart..<headerEnd]), utf8: major == 3, path: path)

        if header.fortranOrder {
            throw invalid("Fortran-order arrays are not supported; save with np.ascontiguousarray")
        }
        let dtype = try NumpyDType(descr: header.descr, path: path)

        // Every partial product of a Shape must fit in Int, so bound the product of the non-zero
        // dimensions, then take the real element count (zero if any dimension is zero).
        var nonZeroProduct = 1
        for dimension in header.dimensions where dimension != 0 {
            let (product, overflow) = nonZeroProduct.multipliedReportingOverflow(by: dimension)
            guard !overflow else {
                throw invalid("shape \(describe(header.dimensions)) has too many elements")
            }
            nonZeroProduct = product
        }
        let count = header.dimensions.contains(0) ? 0 : nonZeroProduct
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: dtype.size)
        let following = bytes.count - headerEnd
        guard !overflow, byteCount <= following else {
            let needed = overflow ? "more than \(Int.max)" : "\(byteCount)"
            throw invalid("truncated: header says \(count) values (\(needed) bytes) but \(following) bytes follow")
        }
        let values = try dtype.convert(
            UnsafeRawBufferPointer(rebasing: bytes[headerEnd..<(headerEnd + byteCount)]), count: count, path: path)
        return NumpyArray(shape: Shape(header.dimensions), values: values)
    }

    /// Formats dimensions as a Python tuple, as numpy's header does: `()`, `(3,)`, `(2, 3)`.
    static func describe(_ dimensions: [Int]) -> String {
        switch dimensions.count {
        case 0: "()"
        case 1: "(\(dimensions[0]),)"
        default: "(" + dimensions.map(String.init).joined(separator: ", ") + ")"
        }
    }
}
