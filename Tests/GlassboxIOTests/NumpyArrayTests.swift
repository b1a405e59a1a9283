import Foundation
import GlassboxConformance
import GlassboxCore
import Testing

@testable import GlassboxIO

@Suite("NumpyArray reading and writing")
struct NumpyArrayTests {
    static let signedFixtures = [
        "f4-le", "f4-be", "f8-le", "f8-be", "i1", "i2-le", "i2-be",
        "i4-le", "i4-be", "i8-le", "i8-be",
    ]
    static let unsignedFixtures = ["u1", "u2-le", "u2-be", "u4-le", "u4-be", "u8-le", "u8-be"]

    @Test(
        "numpy files of every signed and floating dtype read as (2, 3) [0, 1, -2, 3, 4, 127]",
        arguments: signedFixtures)
    func readsSignedDTypes(name: String) throws {
        let array = try NumpyArray.read(from: TestSupport.fixture(name))
        #expect(array.shape == [2, 3])
        #expect(array.values == [0, 1, -2, 3, 4, 127])
    }

    @Test("numpy files of every unsigned dtype read as (2, 3) [0, 1, 2, 3, 4, 127]", arguments: unsignedFixtures)
    func readsUnsignedDTypes(name: String) throws {
        let array = try NumpyArray.read(from: TestSupport.fixture(name))
        #expect(array.shape == [2, 3])
        #expect(array.values == [0, 1, 2, 3, 4, 127])
    }

    /// Token ids: int64, int32 and unsigned arrays read exactly up to ±2²⁴; the first element
    /// beyond, which a float would round, is refused by name.
    @Test func readsIntegersExactlyUpToTwoToTheTwentyFour() throws {
        func file<T: FixedWidthInteger>(_ descr: String, _ values: [T], bigEndian: Bool = false) -> Data {
            let payload = values.flatMap { value in
                withUnsafeBytes(of: bigEndian ? value.bigEndian : value.littleEndian) { Array($0) }
            }
            return NumpyRobustnessTests.file(
                header: "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(values.count),), }", payload: payload
            )
        }
        let limit = 1 << 24
        let int64 = try NumpyArray(npyData: file("<i8", [Int64(0), 3, Int64(limit), -Int64(limit)]), path: "ids.npy")
        #expect(int64.values == [0, 3, 16_777_216, -16_777_216])
        #expect(
            try NumpyArray(npyData: file(">i4", [Int32(7), 11], bigEndian: true), path: "ids.npy").values == [7, 11])
        let beyond: [(Data, String)] = [
            (file("<i8", [Int64(1), Int64(limit + 1)]), "element 1 is 16777217"),
            (file("<i4", [Int32(-limit - 1)]), "element 0 is -16777217"),
            (file("<u8", [UInt64(2), 3, UInt64.max]), "element 2 is 18446744073709551615"),
            (file("<u4", [UInt32(limit) + 1]), "element 0 is 16777217"),
        ]
        for (data, start) in beyond {
            #expect(
                throws: GlassboxError.invalidFile(
                    path: "ids.npy", reason: "\(start), beyond ±2^24 = 16777216, the integers float32 holds exactly")
            ) { try NumpyArray(npyData: data, path: "ids.npy") }
        }
    }

    @Test func readsBool() throws {
        let array = try NumpyArray.read(from: TestSupport.fixture("bool"))
        #expect(array.shape == [2, 3])
        #expect(array.values == [1, 0, 1, 0, 0, 1])
    }

    @Test("format versions 2.0 and 3.0", arguments: ["v2", "v3"])
    func readsLaterVersions(name: String) throws {
        let data = try TestSupport.fixtureData(name)
        #expect(data[6] == (name == "v2" ? 2 : 3))
        let array = try NumpyArray(npyData: data, path: name)
        #expect(array == NumpyArray(shape: [2, 3], values: [0, 0.5, 1, 1.5, 2, 2.5]))
    }

    @Test func readsScalar() throws {
        let array = try NumpyArray.read(from: TestSupport.fixture("scalar"))
        #expect(array.shape == Shape([]))
        #expect(array.shape.rank == 0)
        #expect(array.values == [2.5])
    }

    @Test func readsZeroSizeArray() throws {
        let array = try NumpyArray.read(from: TestSupport.fixture("empty"))
        #expect(array.shape == [0, 4])
        #expect(array.values.isEmpty)
    }

    @Test func keepsNonFiniteValues() throws {
        let values = try NumpyArray.read(from: TestSupport.fixture("nonfinite")).values
        #expect(values.count == 3)
        #expect(values[0].isNaN)
        #expect(values[1] == .infinity)
        #expect(values[2] == -.infinity)
    }

    @Test func rejectsFortranOrder() {
        let reason = TestSupport.invalidFileReason { _ = try NumpyArray.read(from: TestSupport.fixture("fortran")) }
        #expect(reason == "Fortran-order arrays are not supported; save with np.ascontiguousarray")
    }

    @Test func rejectsComplexDType() {
        let reason = TestSupport.invalidFileReason { _ = try NumpyArray.read(from: TestSupport.fixture("complex")) }
        #expect(reason == "unsupported dtype '<c8'")
    }

    @Test func errorNamesTheFile() throws {
        let url = TestSupport.fixture("complex")
        #expect(
            throws: GlassboxError.invalidFile(path: url.path(percentEncoded: false), reason: "unsupported dtype '<c8'")
        ) {
            try NumpyArray.read(from: url)
        }
    }

    @Test func missingFile() throws {
        let url = try TestSupport.temporaryDirectory().appending(path: "absent.npy")
        #expect(TestSupport.invalidFileReason { _ = try NumpyArray.read(from: url) } == "no such file")
    }

    @Test("writes byte-for-byte what numpy.save writes", arguments: ["f4-le", "empty", "nonfinite"])
    func matchesNumpyBytes(name: String) throws {
        let original = try TestSupport.fixtureData(name)
        let array = try NumpyArray(npyData: original, path: name)
        #expect(array.npyData() == original)
    }

    @Test func headerIsPaddedToSixtyFourBytes() {
        for shape: Shape in [[], [0], [7], [2, 3], [1797, 8, 8], [123_456_789, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0]] {
            let data = NumpyArray(shape: shape, values: [Float](repeating: 1, count: shape.count)).npyData()
            let headerLength = Int(data[8]) | Int(data[9]) << 8
            #expect((10 + headerLength) % 64 == 0)
            #expect(data[10 + headerLength - 1] == UInt8(ascii: "\n"))
            #expect(data.count == 10 + headerLength + 4 * shape.count)
        }
    }

    @Test func hugeHeadersUseVersionTwo() throws {
        let shape = Shape([Int](repeating: 1, count: 22_000))
        let data = NumpyArray(shape: shape, values: [3]).npyData()
        #expect(data[6] == 2 && data[7] == 0)
        let headerLength = Int(data[8]) | Int(data[9]) << 8 | Int(data[10]) << 16 | Int(data[11]) << 24
        #expect((12 + headerLength) % 64 == 0)
        #expect(try NumpyArray(npyData: data, path: "huge") == NumpyArray(shape: shape, values: [3]))
        #expect(NumpyArray(shape: Shape([Int](repeating: 1, count: 100)), values: [3]).npyData()[6] == 1)
    }

    @Test func roundTripsThroughAFile() throws {
        let directory = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appending(path: "weights.npy")
        let arrays = [
            NumpyArray(shape: [2, 3, 4], values: (0..<24).map { Float($0) * 0.25 - 3 }),
            NumpyArray(shape: [], values: [-7.5]),
            NumpyArray(shape: [3, 0, 2], values: []),
            NumpyArray(shape: [5], values: [.greatestFiniteMagnitude, -0.0, .leastNonzeroMagnitude, 1e-30, -1]),
        ]
        for array in arrays {
            try array.write(to: url)
            let read = try NumpyArray.read(from: url)
            #expect(read == array)
            #expect(read.values.map(\.bitPattern) == array.values.map(\.bitPattern))
        }
        // The atomic write leaves only the final file behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path()) == ["weights.npy"])
    }

    @Test func roundTripsThroughData() throws {
        var generator = SplitMix64(seed: 42)
        let values = (0..<1000).map { _ in Float.random(in: -1e6...1e6, using: &generator) }
        let array = NumpyArray(shape: [10, 10, 10], values: values)
        #expect(try NumpyArray(npyData: array.npyData(), path: "memory") == array)
    }

    @Test func writeRejectsInconsistentArrays() throws {
        var array = NumpyArray(shape: [2], values: [1, 2])
        array.values.append(3)
        let url = try TestSupport.temporaryDirectory().appending(path: "bad.npy")
        #expect(throws: GlassboxError.self) { try array.write(to: url) }
        #expect(!FileManager.default.fileExists(atPath: url.path()))
    }

    @Test func writeIntoMissingDirectoryFails() throws {
        let url = try TestSupport.temporaryDirectory().appending(path: "missing/dir/x.npy")
        let reason = TestSupport.invalidFileReason { try NumpyArray(shape: [1], values: [1]).write(to: url) }
        #expect(reason?.hasPrefix("cannot write: ") == true)
    }
}
