import Foundation
import GlassboxCore
@testable import GlassboxIO

/// Test helpers shared by the GlassboxIO test suites.
enum TestSupport {
    /// The folder holding the `.npy` fixtures written by `scripts/make_npy_fixtures.py`.
    static let fixtures = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "Fixtures")

    /// The URL of fixture `name` (without extension).
    static func fixture(_ name: String) -> URL {
        fixtures.appending(path: "\(name).npy")
    }

    /// The raw bytes of fixture `name`.
    static func fixtureData(_ name: String) throws -> Data {
        try Data(contentsOf: fixture(name))
    }

    /// A fresh, empty temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appending(path: "glassbox-io-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The reason of a `GlassboxError.invalidFile` thrown by `body`, or nil if it threw nothing
    /// or something else.
    static func invalidFileReason(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch GlassboxError.invalidFile(_, let reason) {
            return reason
        } catch {
            return nil
        }
    }
}

/// SplitMix64: a tiny, seeded, deterministic random number generator for fuzz tests.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
