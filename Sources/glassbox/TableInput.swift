import Foundation
import GlassboxCore
import GlassboxIO
import GlassboxNN

/// A CSV table as a model's input (`--input rows.csv`): one row per sample, the columns a tabular
/// model's features.
enum TableInput {
    /// The metadata key under which `glassbox train` stores a tabular model's feature names (a JSON
    /// list, in the order the model takes them).
    static let featureNamesMetadataKey = "feature-names"

    /// The feature names stored in a model file's `metadata`, if any.
    static func featureNames(in metadata: [String: String]) throws -> [String]? {
        guard let stored = metadata[featureNamesMetadataKey] else { return nil }
        guard let names = try? JSONDecoder().decode([String].self, from: Data(stored.utf8)) else {
            throw GlassboxError.invalidModel("the model file's feature names are not a JSON list of strings")
        }
        return names
    }

    /// The number of columns of the CSV file at `path`, as the shape of one sample.
    static func sampleShape(ofCSV path: String) throws -> Shape {
        [try NumericTable(contentsOf: URL(fileURLWithPath: path)).columnCount]
    }

    /// Reads the CSV file at `path` as a batch for `graph`, whose input is a feature vector: the
    /// columns `featureNames`, in that order (any other column is ignored), or else every column.
    ///
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` naming the file if it is malformed,
    ///   lacks a feature, or its number of columns is not the model's number of features.
    static func batch(_ path: String, for graph: Graph, featureNames: [String]?) throws -> Tensor {
        let table = try NumericTable(contentsOf: URL(fileURLWithPath: path), columns: featureNames)
        guard graph.inputShape == [table.columnCount] else {
            let takes = graph.inputShape.rank == 1 ? "\(graph.inputShape[0]) features" : "inputs \(graph.inputShape)"
            throw GlassboxError.invalidFile(
                path: path, reason: "has \(table.columnCount) columns, but the model takes \(takes)")
        }
        return try graph.backend.upload(table.values, shape: [table.rowCount, table.columnCount])
    }
}
