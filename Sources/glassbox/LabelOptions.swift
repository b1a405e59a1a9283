import ArgumentParser
import Foundation
import GlassboxCore
import GlassboxNN

/// The `--labels` of commands that print classes: names shown next to class indices.
struct LabelOptions: ParsableArguments {
    @Option(
        help:
            "Class names shown next to class indices: a text file with one name per line (line k names class k, from 0), or a JSON list of strings."
    )
    var labels: String?

    /// The class names for `graph`, or nil without `--labels`.
    ///
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` naming the file when it is missing,
    ///   unreadable, holds no names, or fewer names than the model has classes;
    ///   `GlassboxError.invalidArgument(_:)` when the model's output is not N×classes.
    func classNames(for graph: Graph) throws -> ClassNames? {
        guard let labels else { return nil }
        let output = graph.shapes[graph.outputName]!
        guard output.rank == 2 else {
            throw GlassboxError.invalidArgument(
                "--labels needs a model whose output is N×classes; this one gives \(output.sampleShape) per sample")
        }
        let names = try ClassNames.read(from: labels)
        guard names.names.count >= output[1] else {
            throw GlassboxError.invalidFile(
                path: labels, reason: "has \(names.names.count) class names, the model has \(output[1]) classes")
        }
        return names
    }
}

/// Class names read from a labels file.
struct ClassNames {
    /// The name of class k at index k.
    var names: [String]

    /// Reads a text file of one name per line (a line break after the last is optional), or a
    /// JSON list of strings (a file whose text starts with "[").
    static func read(from path: String) throws -> ClassNames {
        let url = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: path) else {
            throw GlassboxError.invalidFile(path: path, reason: "no such file")
        }
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw GlassboxError.invalidFile(path: path, reason: "cannot read it as UTF-8 text")
        }
        let names: [String]
        if text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("[") {
            guard let list = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else {
                throw GlassboxError.invalidFile(path: path, reason: "is not a JSON list of strings")
            }
            names = list
        } else {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            while lines.last?.isEmpty == true { lines.removeLast() }
            names = lines
        }
        guard !names.isEmpty else { throw GlassboxError.invalidFile(path: path, reason: "holds no class names") }
        return ClassNames(names: names)
    }

    /// "k name": the class index and its name.
    func describe(_ index: Int) -> String { "\(index) \(names[index])" }
}

extension Optional where Wrapped == ClassNames {
    /// "k name" with names, "k" without.
    func describe(_ index: Int) -> String { self?.describe(index) ?? String(index) }
}
