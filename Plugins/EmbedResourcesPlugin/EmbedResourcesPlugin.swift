import Foundation
import PackagePlugin

/// A build-tool plugin that compiles the files of a target's `Data` and `Kernels` folders into the
/// target's module, so that an installed binary works without the source tree.
///
/// The plugin runs the `EmbedResources` tool over every regular, non-hidden file directly inside
/// `<target>/Data` and `<target>/Kernels` (whichever exist), skipping `.md` files. The tool writes
/// one generated Swift file declaring an internal `enum EmbeddedResources` whose
/// `data(named:)` returns a file's bytes by file name (for example `"digits-images.npy"`).
///
/// The target should list the folders in `exclude:` so SwiftPM does not treat them as sources;
/// the plugin reads them straight from the target directory, and declares them as inputs of the
/// build command so that editing one regenerates the Swift file.
@main
struct EmbedResourcesPlugin: BuildToolPlugin {
    /// The folders, relative to the target directory, whose files are embedded.
    static let folderNames = ["Data", "Kernels"]

    /// Creates the single build command that regenerates `EmbeddedResources.swift`.
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let inputs = try Self.embeddableFiles(in: Self.directoryURL(of: target))
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedResources.swift")
        let tool = try context.tool(named: "EmbedResources")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) resource file(s) into \(target.name)",
                executable: tool.url,
                arguments: [output.path()] + inputs.map { $0.path() },
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }

    /// The target's directory. (`Target.directoryURL` needs tools version 6.1, and the string
    /// accessor of the older `Path` is deprecated, so this goes through its description.)
    static func directoryURL(of target: Target) -> URL {
        URL(filePath: String(describing: target.directory), directoryHint: .isDirectory)
    }

    /// The files to embed, sorted by file name so the generated source is deterministic.
    static func embeddableFiles(in targetDirectory: URL) throws -> [URL] {
        let manager = FileManager.default
        var files: [URL] = []
        for folderName in folderNames {
            let folder = targetDirectory.appending(path: folderName, directoryHint: .isDirectory)
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: folder.path(), isDirectory: &isDirectory), isDirectory.boolValue else {
                continue
            }
            for name in try manager.contentsOfDirectory(atPath: folder.path()) {
                guard !name.hasPrefix("."), !name.lowercased().hasSuffix(".md") else { continue }
                let file = folder.appending(path: name, directoryHint: .notDirectory)
                var fileIsDirectory: ObjCBool = false
                guard manager.fileExists(atPath: file.path(), isDirectory: &fileIsDirectory),
                    !fileIsDirectory.boolValue
                else { continue }
                files.append(file)
            }
        }
        return files.sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}
