extension ImageFormat {
    /// Why `bytes`, a file starting with this format's signature, must not be handed to
    /// stb_image (the one-line reason to report), or nil when its structure is sound.
    ///
    /// The check walks the file's chunks, segments or blocks up to the end of the first image:
    ///
    /// - A file that ends before the structures it declares is reported as truncated. stb_image
    ///   reads missing bytes as zeros in BMP and GIF files, so a cut-off file would otherwise
    ///   decode to a partly black image, and its reasons for PNG and JPEG are cryptic.
    /// - JPEGs that stb_image 2.27 (the version in Debian 12's libstb) would mishandle are
    ///   refused: a Huffman table that declares more than 256 codes, which it writes past its
    ///   arrays for and, built with assertions as Debian builds it, aborts the process on (stb
    ///   issue #1289, CVE-2022-28042), and a scan that uses a Huffman table never defined, which
    ///   it decodes with uninitialised memory.
    ///
    /// Structures that are malformed in other ways are left to stb_image to report.
    func structuralProblem(in bytes: UnsafeRawBufferPointer) -> String? {
        let file = FileBytes(bytes: bytes)
        let problem: FileProblem? =
            switch self {
            case .png: file.pngProblem()
            case .jpeg: file.jpegProblem()
            case .bmp: file.bmpProblem()
            case .gif: file.gifProblem()
            }
        return switch problem {
        case .truncated(let place): "truncated: the \(rawValue) file ends \(place)"
        case .malformed(let what): "malformed \(rawValue) file (\(what))"
        case nil: nil
        }
    }
}

/// What is wrong with the structure of an encoded file.
private enum FileProblem {
    /// The file ends early; the associated text says where ("inside its IDAT chunk").
    case truncated(String)
    /// A structure stb_image cannot be trusted with; the associated text says which.
    case malformed(String)
}

/// Bounds-checked reads of little- and big-endian integers from an encoded file, and the walk
/// over each format's structure.
private struct FileBytes {
    let bytes: UnsafeRawBufferPointer

    var count: Int { bytes.count }

    /// The `size`-byte unsigned integer at `offset`, or nil when the file ends first.
    func integer(at offset: Int, size: Int, bigEndian: Bool) -> Int? {
        guard offset >= 0, size <= count, offset <= count - size else { return nil }
        let digits = bigEndian ? Array(0..<size) : Array((0..<size).reversed())
        return digits.reduce(0) { $0 << 8 | Int(bytes[offset + $1]) }
    }

    /// The byte at `offset`, or 0 past the end of the file (as stb_image reads it).
    func byte(at offset: Int) -> Int {
        integer(at: offset, size: 1, bigEndian: false) ?? 0
    }

    /// A PNG must run chunk by chunk up to IEND.
    func pngProblem() -> FileProblem? {
        var offset = 8
        while true {
            guard let length = integer(at: offset, size: 4, bigEndian: true), count - offset >= 8 else {
                return .truncated("before its IEND chunk")
            }
            let typeBytes = bytes[(offset + 4)..<(offset + 8)]
            guard typeBytes.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else { return nil }
            let type = String(decoding: typeBytes, as: UTF8.self)
            guard count - offset - 12 >= length else { return .truncated("inside its \(type) chunk") }
            if type == "IEND" { return nil }
            offset += 12 + length
        }
    }

    /// A JPEG must run marker segment by marker segment (entropy-coded data after each start of
    /// scan) up to the end-of-image marker; no Huffman table may declare more than 256 codes, and
    /// every scan may use only Huffman tables defined before it. Bytes where a marker should be
    /// are skipped up to the next 0xFF, as stb_image skips them, so that every table and scan
    /// stb_image might read is checked.
    func jpegProblem() -> FileProblem? {
        var offset = 2
        var definedTables = Set<Int>()  // class (0 DC, 1 AC) × 4 + destination
        var isProgressive = false
        while true {
            while offset < count, bytes[offset] != 0xFF { offset += 1 }
            while offset < count, bytes[offset] == 0xFF { offset += 1 }
            guard offset < count else { return .truncated("before its end-of-image marker") }
            let marker = bytes[offset]
            offset += 1
            switch marker {
            case 0xD9: return nil
            case 0x00, 0x01, 0xD0...0xD7: continue
            default: break
            }
            guard let length = integer(at: offset, size: 2, bigEndian: true), count - offset >= length else {
                return .truncated("inside a marker segment")
            }
            switch marker {
            case 0xC0, 0xC1, 0xC2:
                isProgressive = marker == 0xC2
            case 0xC4:
                if let problem = defineHuffmanTables(at: offset + 2, length: length - 2, into: &definedTables) {
                    return problem
                }
            case 0xDA:
                if let problem = scanProblem(at: offset + 2, definedTables: definedTables, isProgressive: isProgressive)
                {
                    return problem
                }
            default:
                break
            }
            offset += max(length, 2)
            guard marker == 0xDA else { continue }
            while offset + 1 < count,
                bytes[offset] != 0xFF || bytes[offset + 1] == 0 || (0xD0...0xD7).contains(bytes[offset + 1])
            {
                offset += 1
            }
            guard offset + 1 < count else { return .truncated("inside its scan data") }
        }
    }

    /// Reads the tables of a DHT segment whose `length` bytes after its length field start at
    /// `offset`, as stb_image reads them (each a class/destination byte, 16 code counts, then as
    /// many symbols as the counts add up to), adding each to `definedTables`.
    ///
    /// stb_image 2.27 writes past its arrays for a table of more than 256 codes (stb issue #1289,
    /// CVE-2022-28042; Debian's build then aborts on an assertion).
    func defineHuffmanTables(at offset: Int, length: Int, into definedTables: inout Set<Int>) -> FileProblem? {
        var offset = offset, remaining = length
        while remaining > 0 {
            let classAndDestination = byte(at: offset)
            guard classAndDestination >> 4 <= 1 && classAndDestination & 15 <= 3 else { return nil }
            let codes = (1...16).reduce(0) { $0 + byte(at: offset + $1) }
            guard codes <= 256 else { return .malformed("a Huffman table declares \(codes) codes, more than 256") }
            definedTables.insert((classAndDestination >> 4) * 4 + (classAndDestination & 15))
            offset += 17 + codes
            remaining -= 17 + codes
        }
        return nil
    }

    /// Whether the scan whose header (after its length field) starts at `offset` uses a Huffman
    /// table that was never defined: stb_image 2.27 leaves its tables uninitialised and would
    /// decode with whatever the memory held, reading and writing out of bounds.
    ///
    /// Baseline scans use each component's DC and AC tables; progressive first DC scans only the
    /// DC tables, progressive AC scans only the AC tables, DC refinement scans none.
    func scanProblem(at offset: Int, definedTables: Set<Int>, isProgressive: Bool) -> FileProblem? {
        let components = byte(at: offset)
        let spectralStart = byte(at: offset + 1 + 2 * components)
        let successiveHigh = byte(at: offset + 3 + 2 * components) >> 4
        let usesDC = !isProgressive || (spectralStart == 0 && successiveHigh == 0)
        let usesAC = !isProgressive || spectralStart > 0
        for component in 0..<min(components, 4) {
            let selectors = byte(at: offset + 2 + 2 * component)
            if (usesDC && !definedTables.contains(selectors >> 4))
                || (usesAC && !definedTables.contains(4 + (selectors & 15)))
            {
                return .malformed("a scan uses a Huffman table that is not defined")
            }
        }
        return nil
    }

    /// A BMP's header, palette and pixel rows must all be present (uncompressed and bit-field
    /// files; stb_image rejects the compressed kinds).
    func bmpProblem() -> FileProblem? {
        guard let pixelOffset = integer(at: 10, size: 4, bigEndian: false),
            let headerSize = integer(at: 14, size: 4, bigEndian: false)
        else { return .truncated("inside its header") }
        let isCoreHeader = headerSize == 12
        let fieldSize = isCoreHeader ? 2 : 4
        guard let width = integer(at: 18, size: fieldSize, bigEndian: false),
            let height = integer(at: 18 + fieldSize, size: fieldSize, bigEndian: false),
            let bitsPerPixel = integer(at: 18 + 2 * fieldSize + 2, size: 2, bigEndian: false),
            let compression = isCoreHeader ? 0 : integer(at: 30, size: 4, bigEndian: false)
        else {
            return .truncated("inside its header")
        }
        let signed = { (value: Int) in isCoreHeader ? value : Int(Int32(truncatingIfNeeded: value)) }
        let uncompressedKinds = [0, 3, 6]  // BI_RGB, BI_BITFIELDS, BI_ALPHABITFIELDS
        let rowBytes = (bitsPerPixel * abs(signed(width)) + 31) / 32 * 4
        let (pixelBytes, overflow) = rowBytes.multipliedReportingOverflow(by: abs(signed(height)))
        guard uncompressedKinds.contains(compression), !overflow else { return nil }
        return pixelOffset > count - pixelBytes ? .truncated("inside its pixel rows") : nil
    }

    /// A GIF's header, colour tables, extension blocks and the first frame's image data must all
    /// be present.
    func gifProblem() -> FileProblem? {
        guard count >= 13 else { return .truncated("inside its header") }
        var offset = 13 + Self.gifColorTableSize(flags: byte(at: 10))
        while true {
            guard let introducer = integer(at: offset, size: 1, bigEndian: false) else {
                return .truncated("before its first frame")
            }
            switch introducer {
            case 0x21:  // extension: label, then data sub-blocks
                offset += 2
            case 0x2C:  // image descriptor, local colour table, LZW code size, then data sub-blocks
                guard let imageFlags = integer(at: offset + 9, size: 1, bigEndian: false) else {
                    return .truncated("inside its first frame")
                }
                offset += 10 + Self.gifColorTableSize(flags: imageFlags) + 1
            default:
                return nil
            }
            while let blockSize = integer(at: offset, size: 1, bigEndian: false), blockSize > 0 {
                offset += 1 + blockSize
            }
            guard offset < count else {
                return .truncated(introducer == 0x2C ? "inside its first frame" : "before its first frame")
            }
            offset += 1
            if introducer == 0x2C { return nil }
        }
    }

    /// The bytes of the colour table that follows a GIF descriptor with these flags.
    static func gifColorTableSize(flags: Int) -> Int {
        flags & 0x80 == 0 ? 0 : 3 << ((flags & 7) + 1)
    }
}
