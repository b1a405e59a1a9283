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
