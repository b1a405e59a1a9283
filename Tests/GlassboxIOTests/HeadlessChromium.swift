import Foundation
import GlassboxIO

/// Headless Chromium, for tests that look at HTML in a real browser: the DOM it builds and a
/// screenshot of what it draws.
///
/// Looks for `chromium`, `chromium-browser` or `google-chrome` on the `PATH` (CI installs
/// `chromium` through `scripts/setup-debian.sh`); tests that need it are
/// `.enabled(if: HeadlessChromium.isAvailable)`. Every run gets a fresh profile in a temporary
/// folder and is killed after ``timeout``, so a hung browser fails its test instead of hanging the suite.
enum HeadlessChromium {
    /// A browser run that failed or timed out, with the end of what it wrote to stderr.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The browser's executable, or `nil` if none is on the `PATH`.
    static let executable: URL? = {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for folder in folders {
                let candidate = URL(filePath: String(folder)).appending(path: name)
                if FileManager.default.isExecutableFile(atPath: candidate.path(percentEncoded: false)) {
                    return candidate
                }
            }
        }
        return nil
    }()

    /// Whether a browser was found.
    static var isAvailable: Bool { executable != nil }

    /// How long one browser run may take before it is killed.
    static let timeout = Duration.seconds(60)

    /// The DOM the browser builds from the page at `url`, serialised as HTML (`--dump-dom`).
    static func dom(of url: URL) async throws -> String {
        String(decoding: try await run(["--dump-dom", url.absoluteString]), as: UTF8.self)
    }

    /// A `width`×`height` screenshot of the page at `url`, saved to `file` and decoded.
    static func screenshot(of url: URL, width: Int, height: Int, to file: URL) async throws -> Image {
        _ = try await run([
            "--hide-scrollbars", "--window-size=\(width),\(height)",
            "--screenshot=\(file.path(percentEncoded: false))", url.absoluteString,
        ])
        return try Image.read(from: file)
    }

    /// Runs the browser headless with `arguments` after the common ones and returns its
    /// standard output.
    static func run(_ arguments: [String]) async throws -> Data {
        guard let executable else { throw Failure(description: "no chromium on the PATH") }
        let folder = FileManager.default.temporaryDirectory.appending(path: "glassbox-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appending(path: "stdout"), errors = folder.appending(path: "stderr")
        try Data().write(to: output)
        try Data().write(to: errors)

        let process = Process()
        process.executableURL = executable
        process.arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                "--user-data-dir=\(folder.appending(path: "profile").path(percentEncoded: false))",
            ] + arguments
        let outputHandle = try FileHandle(forWritingTo: output), errorHandle = try FileHandle(forWritingTo: errors)
        defer {
            try? outputHandle.close()
            try? errorHandle.close()
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outputHandle
        process.standardError = errorHandle
        try process.run()
        // However this function ends (a timeout, a cancelled test), the browser does not outlive it.
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                try await Task.sleep(for: .seconds(2))
                throw Failure(description: "\(executable.lastPathComponent) \(arguments) ran over \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        guard process.terminationStatus == 0 else {
            let log = String(decoding: (try? Data(contentsOf: errors)) ?? Data(), as: UTF8.self)
            throw Failure(
                description: "\(executable.lastPathComponent) \(arguments) exited with status "
                    + "\(process.terminationStatus): \(log.suffix(2000))")
        }
        return try Data(contentsOf: output)
    }
}
