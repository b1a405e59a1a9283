import Foundation
import GlassboxConformance
import GlassboxCore
import Testing

@testable import GlassboxIO

@Suite("NumpyArray rejects malformed input without crashing")
struct NumpyRobustnessTests {
    /// A valid version 1.0 file for `header`, padded as numpy pads it, followed by `payload`.
    static func file(header: String, payload: [UInt8] = [], version: UInt8 = 1) -> Data {
        let lengthFieldSize = version == 1 ? 2 : 4
        var headerBytes = Array(header.utf8)
        let preamble = 6 + 2 + lengthFieldSize
        while (preamble + headerBytes.count + 1) % 64 != 0 { headerBytes.append(0x20) }
        headerBytes.append(0x0A)
        var data = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, version, 0])
        for offset in 0..<lengthFieldSize { data.append(UInt8(truncatingIfNeeded: headerBytes.count >> (8 * offset))) }
        data.append(contentsOf: headerBytes)
        data.append(contentsOf: payload)
        return data
    }

    static func reason(_ data: Data) -> String? {
        TestSupport.invalidFileReason { _ = try NumpyArray(npyData: data, path: "test.npy") }
    }

    @Test func badMagic() {
        #expect(Self.reason(Data("PK\u{3}\u{4} a zip file, not an array".utf8)) == "not a .npy file (bad magic)")
        #expect(Self.reason(Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x58, 1, 0, 0, 0])) == "not a .npy file (bad magic)")
    }

    @Test func emptyInput() {
        #expect(Self.reason(Data())?.hasPrefix("truncated: ") == true)
    }

    @Test func unsupportedVersion() {
        var data = Self.file(
            header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", payload: [0, 0, 0, 0])
        data[6] = 4
        #expect(Self.reason(data) == "unsupported .npy format version 4.0")
        data[6] = 1
        data[7] = 1
        #expect(Self.reason(data) == "unsupported .npy format version 1.1")
    }

    @Test func truncatedPayloadMessage() {
        let data = Self.file(
            header: "{'descr': '<f4', 'fortran_order': False, 'shape': (80, 80), }",
            payload: [UInt8](repeating: 0, count: 100))
        #expect(Self.reason(data) == "truncated: header says 6400 values (25600 bytes) but 100 bytes follow")
    }

    @Test func toleratesPython2StyleAndDoubleQuotes() throws {
        let data = Self.file(
            header: "{\"shape\": (2L, 1L), \"fortran_order\": False, \"descr\": \"<i2\"}",
            payload: [5, 0, 0xFF, 0xFF])
        #expect(try NumpyArray(npyData: data, path: "x") == NumpyArray(shape: [2, 1], values: [5, -1]))
    }

    @Test(
        "malformed headers are rejected with a reason",
        arguments: [
            ("{'descr': '<f4', 'fortran_order': False}", "malformed .npy header: missing key 'shape'"),
            ("{'descr': '<f4', 'shape': (1,)}", "malformed .npy header: missing key 'fortran_order'"),
            ("{'fortran_order': False, 'shape': (1,)}", "malformed .npy header: missing key 'descr'"),
            (
                "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,)}",
                "malformed .npy header: duplicate key 'descr'"
            ),
            (
                "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': 1}",
                "malformed .npy header: unexpected key 'extra'"
            ),
            (
                "{'descr': '<f4', 'fortran_order': maybe, 'shape': (1,)}",
                "malformed .npy header: expected True or False at byte 34"
            ),
            (
                "{'descr': '<f4', 'fortran_order': False, 'shape': [1]}",
                "malformed .npy header: expected '(' at byte 50, found '['"
            ),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}", "negative dimension in shape"),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}", "shape dimension too large"),
            (
                "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296)}",
                "shape (4294967296, 4294967296) has too many elements"
            ),
            (
                "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 4294967296, 4294967296)}",
                "shape (0, 4294967296, 4294967296) has too many elements"
            ),
            (
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2305843009213693952,)}",
                "truncated: header says 2305843009213693952 values (more than 9223372036854775807 bytes) but 4 bytes follow"
            ),
            (
                "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,)}",
                "unsupported dtype (structured arrays are not supported)"
            ),
            ("{'descr': '|O', 'fortran_order': False, 'shape': (1,)}", "unsupported dtype '|O'"),
            ("{'descr': '<f2', 'fortran_order': False, 'shape': (1,)}", "unsupported dtype '<f2'"),
            ("{'descr': '<U8', 'fortran_order': False, 'shape': (1,)}", "unsupported dtype '<U8'"),
            (
                "{'descr': '<f4', 'fortran_order': False, 'shape': (1,)} junk",
                "malformed .npy header: unexpected text after the closing '}'"
            ),
            ("{'descr': '<f4", "malformed .npy header: unterminated string"),
            ("", "malformed .npy header: expected '{' at byte 54, found the end of the header"),
            (
                "{'descr': '<\\f4', 'fortran_order': False, 'shape': (1,)}",
                "malformed .npy header: escape sequences in strings are not supported (byte 12)"
            ),
        ])
    func malformedHeaders(header: String, expected: String) {
        #expect(Self.reason(Self.file(header: header, payload: [0, 0, 0, 0])) == expected)
    }

    @Test func headerLengthBeyondTheFile() {
        var data = Self.file(
            header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", payload: [0, 0, 0, 0])
        data[8] = 0xFF
        data[9] = 0xFF
        #expect(Self.reason(data) == "truncated: header says it is 65535 bytes but \(data.count - 10) bytes follow")
    }

    @Test("truncating a valid file at every byte offset throws", arguments: ["f8-be", "v3", "scalar", "i1"])
    func everyTruncationThrows(name: String) throws {
        let data = try TestSupport.fixtureData(name)
        #expect(try NumpyArray(npyData: data, path: name).values.isEmpty == false)
        for length in 0..<data.count {
            let reason = Self.reason(data.prefix(length))
            #expect(reason != nil, "prefix of \(length) bytes was accepted")
        }
    }

    @Test func truncationOfASliceWithNonZeroStartIndex() throws {
        let data = try TestSupport.fixtureData("f4-le")
        let padded = Data([1, 2, 3]) + data
        let slice = padded[3...]
        #expect(slice.startIndex == 3)
        #expect(try NumpyArray(npyData: slice, path: "slice").values == [0, 1, -2, 3, 4, 127])
        #expect(Self.reason(slice.dropLast()) != nil)
    }

    @Test("random byte flips in the preamble and header never crash", arguments: ["f4-le", "v2", "u8-be", "bool"])
    func randomHeaderFlips(name: String) throws {
        let original = try TestSupport.fixtureData(name)
        let headerEnd =
            original[6] == 1
            ? 10 + Int(original[8]) + Int(original[9]) << 8
            : 12 + Int(original[8]) + Int(original[9]) << 8
        var generator = SplitMix64(seed: 0x5EED_0000 + UInt64(name.utf8.count))
        var parsed = 0
        var rejected = 0
        for _ in 0..<300 {
            var data = original
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let offset = Int.random(in: 0..<headerEnd, using: &generator)
                if Bool.random(using: &generator) {
                    data[offset] ^= UInt8(1) << UInt8.random(in: 0...7, using: &generator)
                } else {
                    data[offset] = UInt8.random(in: 0...255, using: &generator)
                }
            }
            do {
                let array = try NumpyArray(npyData: data, path: name)
                #expect(array.values.count == array.shape.count)
                parsed += 1
            } catch let error as GlassboxError {
                guard case .invalidFile(let path, let reason) = error else {
                    Issue.record("unexpected error \(error)")
                    continue
                }
                #expect(path == name)
                #expect(!reason.isEmpty && !reason.contains("\n"))
                rejected += 1
            }
        }
        #expect(parsed + rejected == 300)
        #expect(rejected > 0)
    }

    @Test func randomGarbageNeverCrashes() {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<300 {
            var bytes = [UInt8](repeating: 0, count: Int.random(in: 0...200, using: &generator))
            for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255, using: &generator) }
            if Bool.random(using: &generator) {
                bytes.replaceSubrange(
                    0..<min(8, bytes.count), with: [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0].prefix(bytes.count))
            }
            _ = try? NumpyArray(npyData: Data(bytes), path: "garbage")
        }
    }
}
