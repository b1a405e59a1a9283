import GlassboxCore

/// An element type of a `.npy` file that ``NumpyArray`` can read, parsed from the header's
/// `descr` string (for example `<f4`, `>i8`, `|u1`, `|b1`).
struct NumpyDType: Equatable, Sendable {
    /// The family of an element type.
    enum Kind: Equatable, Sendable {
        /// IEEE 754 binary floating point (`f`).
        case float
        /// Two's-complement signed integer (`i`).
        case signed
        /// Unsigned integer (`u`).
        case unsigned
        /// One-byte boolean (`b`), zero is false.
        case bool
    }

    /// The family of the element type.
    var kind: Kind
    /// The size of one element in bytes.
    var size: Int
    /// Whether multi-byte elements are stored most significant byte first.
    var bigEndian: Bool

    /// Whether the machine running this code is big-endian (`=` and `|` in a descr mean native).
    private static let hostIsBigEndian = 1.bigEndian == 1

    /// Parses a numpy type string; throws `invalidFile` naming `descr` if it is not supported.
    init(descr: String, path: String) throws(GlassboxError) {
        let unsupported = GlassboxError.invalidFile(path: path, reason: "unsupported dtype '\(descr)'")
        var characters = Substring(descr)
        var bigEndian = Self.hostIsBigEndian
        switch characters.first {
        case "<":
            bigEndian = false
            characters.removeFirst()
        case ">":
            bigEndian = true
            characters.removeFirst()
        case "|", "=": characters.removeFirst()
        default: break
        }
        guard let kindCharacter = characters.first else { throw unsupported }
        let kind: Kind
        switch kindCharacter {
        case "f": kind = .float
        case "i": kind = .signed
        case "u": kind = .unsigned
        case "b": kind = .bool
        default: throw unsupported
        }
        let sizeText = characters.dropFirst()
        guard sizeText.count == 1, let size = Int(sizeText) else { throw unsupported }
        switch (kind, size) {
        case (.float, 4), (.float, 8), (.signed, 1), (.signed, 2), (.signed, 4), (.signed, 8),
            (.unsigned, 1), (.unsigned, 2), (.unsigned, 4), (.unsigned, 8), (.bool, 1):
            break
        default:
            throw unsupported
        }
        self.kind = kind
        self.size = size
        self.bigEndian = bigEndian
    }

    /// The largest integer magnitude ``convert(_:count:path:)`` accepts: float32 holds every
    /// integer up to 2²⁴ exactly (token ids are carried as floats).
    static let exactIntegerLimit = 1 << 24

    /// Converts `count` elements stored at the start of `bytes` to `Float`.
    ///
    /// The caller guarantees `bytes.count >= count * size`. Doubles are rounded to the nearest
    /// `Float`, and those beyond its range become infinities; integers must lie within
    /// ±2²⁴, which `Float` holds exactly.
    ///
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` naming the first integer beyond ±2²⁴.
    func convert(_ bytes: UnsafeRawBufferPointer, count: Int, path: String) throws(GlassboxError) -> [Float] {
        precondition(count >= 0 && bytes.count / size >= count, "element buffer too short")
        let big = bigEndian
        switch (kind, size) {
        case (.float, 4):
            return Self.decode(bytes, count: count, as: UInt32.self, bigEndian: big) { Float(bitPattern: $0) }
        case (.float, 8):
            return Self.decode(bytes, count: count, as: UInt64.self, bigEndian: big) { Float(Double(bitPattern: $0)) }
        case (.signed, 1):
            return Self.decode(bytes, count: count, as: Int8.self, bigEndian: big) { Float($0) }
        case (.signed, 2):
            return Self.decode(bytes, count: count, as: Int16.self, bigEndian: big) { Float($0) }
        case (.signed, 4):
            return try Self.decodeExactly(bytes, count: count, as: Int32.self, bigEndian: big, path: path)
        case (.signed, 8):
            return try Self.decodeExactly(bytes, count: count, as: Int64.self, bigEndian: big, path: path)
        case (.unsigned, 1):
            return Self.decode(bytes, count: count, as: UInt8.self, bigEndian: big) { Float($0) }
        case (.unsigned, 2):
            return Self.decode(bytes, count: count, as: UInt16.self, bigEndian: big) { Float($0) }
        case (.unsigned, 4):
            return try Self.decodeExactly(bytes, count: count, as: UInt32.self, bigEndian: big, path: path)
        case (.unsigned, 8):
            return try Self.decodeExactly(bytes, count: count, as: UInt64.self, bigEndian: big, path: path)
        default:
            return Self.decode(bytes, count: count, as: UInt8.self, bigEndian: big) { $0 == 0 ? 0 : 1 }
        }
    }

    /// Reads `count` integers of type `T` (32 or 64 bits) in the given byte order as floats,
    /// refusing the first beyond ±2²⁴, which a float would round.
    private static func decodeExactly<T: FixedWidthInteger>(
        _ bytes: UnsafeRawBufferPointer, count: Int, as type: T.Type, bigEndian: Bool, path: String
    ) throws(GlassboxError) -> [Float] {
        let stride = MemoryLayout<T>.size, limit = T.Magnitude(exactIntegerLimit)
        var values = [Float]()
        values.reserveCapacity(count)
        for index in 0..<count {
            let stored = bytes.loadUnaligned(fromByteOffset: index * stride, as: T.self)
            let value = bigEndian ? T(bigEndian: stored) : T(littleEndian: stored)
            guard value.magnitude <= limit else {
                throw .invalidFile(
                    path: path,
                    reason:
                        "element \(index) is \(value), beyond ±2^24 = \(exactIntegerLimit), the integers float32 holds exactly"
                )
            }
            values.append(Float(value))
        }
        return values
    }

    /// Reads `count` integers of type `T` in the given byte order and maps each through `transform`.
    private static func decode<T: FixedWidthInteger>(
        _ bytes: UnsafeRawBufferPointer,
        count: Int,
        as type: T.Type,
        bigEndian: Bool,
        _ transform: (T) -> Float
    ) -> [Float] {
        let stride = MemoryLayout<T>.size
        return [Float](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            for index in 0..<count {
                let stored = bytes.loadUnaligned(fromByteOffset: index * stride, as: T.self)
                buffer[index] = transform(bigEndian ? T(bigEndian: stored) : T(littleEndian: stored))
            }
            initializedCount = count
        }
    }
}
