import Foundation
import GlassboxCore

/// Test helpers shared by the GlassboxText test suites.
enum TestSupport {
    /// A fresh, empty temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appending(path: "glassbox-text-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The error `body` throws, or nil if it throws nothing.
    static func error(_ body: () throws -> Void) -> (any Error)? {
        do {
            try body()
            return nil
        } catch {
            return error
        }
    }

    /// The reason of a `GlassboxError.invalidFile` thrown by `body`, or nil if it threw nothing
    /// or something else.
    static func invalidFileReason(_ body: () throws -> Void) -> String? {
        guard case .invalidFile(_, let reason) = error(body) as? GlassboxError else { return nil }
        return reason
    }

    /// The message of a `GlassboxError.invalidArgument` thrown by `body`, or nil if it threw
    /// nothing or something else.
    static func invalidArgumentMessage(_ body: () throws -> Void) -> String? {
        guard case .invalidArgument(let message) = error(body) as? GlassboxError else { return nil }
        return message
    }

    /// The message of a `GlassboxError.invalidModel` thrown by `body`, or nil if it threw nothing
    /// or something else.
    static func invalidModelMessage(_ body: () throws -> Void) -> String? {
        guard case .invalidModel(let message) = error(body) as? GlassboxError else { return nil }
        return message
    }
}
