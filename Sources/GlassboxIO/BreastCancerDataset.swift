import Foundation
import GlassboxCore

/// scikit-learn's breast-cancer table: 569 tumours, each described by 30 numeric features of the
/// cell nuclei in an image of a fine-needle aspirate and labelled malignant (0) or benign (1), built
/// into the module so it works without the source tree or a network connection.
///
/// The data is scikit-learn's copy (`load_breast_cancer()`) of the UCI "Breast Cancer Wisconsin
/// (Diagnostic)" data set (Wolberg, Street & Mangasarian, 1995; CC BY 4.0); the features keep
/// their own units (``featureNames`` are scikit-learn's: "mean radius", …, "worst fractal
/// dimension"), so explanations of a model that takes them read in those units. There are 212
/// malignant and 357 benign tumours.
public struct BreastCancerDataset: Sendable {
    /// The class names: a label indexes this list (0 malignant, 1 benign, as in scikit-learn).
    public static let classNames = ["malignant", "benign"]

    /// The features of every tumour: ``featureNames`` as columns, one row per tumour.
    public let table: NumericTable
    /// The class (0 malignant, 1 benign) of every tumour; `labels.count == count`.
    public let labels: [Int]

    /// The features of every tumour, tumour after tumour, in ``featureNames`` order;
    /// `features.count == count * featureCount`.
    public var features: [Float] { table.values }
    /// The names of the 30 features, in column order.
    public var featureNames: [String] { table.columnNames }
    /// The class names, `["malignant", "benign"]`; a label indexes this list.
    public var classNames: [String] { Self.classNames }
    /// The number of tumours.
    public var count: Int { labels.count }
    /// The number of features per tumour (30).
    public var featureCount: Int { table.columnCount }
    /// The shape of one sample: (30), a feature vector.
    public var featureShape: Shape { [featureCount] }
    /// The number of classes (2).
    public var classCount: Int { Self.classNames.count }

    /// The name of the embedded file.
    static let embeddedName = "breast-cancer.csv"
    /// The name of the class column in the embedded file.
    static let targetColumn = "target"

    /// Creates a dataset from a feature table and labels; the caller guarantees the counts agree.
    init(table: NumericTable, labels: [Int]) {
        precondition(table.rowCount == labels.count, "features and labels disagree")
        self.table = table
        self.labels = labels
    }

    /// The whole data set, decoded once from the embedded CSV file.
    private static let embedded: Result<BreastCancerDataset, GlassboxError> = Result { () throws(GlassboxError) in
        try decodeEmbedded()
    }

    /// Loads all 569 tumours and their labels from the copy embedded in the module.
    ///
    /// - Throws: `GlassboxError.invalidFile(path:reason:)` if the embedded data is missing or
    ///   damaged (which would mean a broken build).
    public static func load() throws -> BreastCancerDataset {
        try embedded.get()
    }

    /// Parses and checks the embedded table: 30 feature columns, then the class column.
    private static func decodeEmbedded() throws(GlassboxError) -> BreastCancerDataset {
        let path = "<embedded>/\(embeddedName)"
        guard let data = EmbeddedResources.data(named: embeddedName) else {
            throw GlassboxError.invalidFile(path: path, reason: "not embedded in GlassboxIO")
        }
        let whole: NumericTable
        do {
            whole = try NumericTable(csv: data, path: path)
        } catch let error as GlassboxError {
            throw error
        } catch {
            throw GlassboxError.invalidFile(path: path, reason: "\(error)")
        }
        guard whole.columnCount == 31, whole.columnNames.last == targetColumn else {
            throw GlassboxError.invalidFile(
                path: path, reason: "expected 30 feature columns and '\(targetColumn)', found \(whole.columnCount)")
        }
        var labels: [Int] = []
        labels.reserveCapacity(whole.rowCount)
        for value in whole.column(named: targetColumn) ?? [] {
            guard value == 0 || value == 1 else {
                throw GlassboxError.invalidFile(path: path, reason: "target \(value) is neither 0 nor 1")
            }
            labels.append(Int(value))
        }
        do {
            return BreastCancerDataset(
                table: try whole.columns(named: Array(whole.columnNames.dropLast())), labels: labels)
        } catch let error as GlassboxError {
            throw error
        } catch {
            throw GlassboxError.invalidFile(path: path, reason: "\(error)")
        }
    }

    /// Splits the data set into a training and a test set, deterministically and without any
    /// random numbers, stratified by class — the rule of `DigitsDataset.split(testFraction:)`:
    /// sample number `k` of its class (numbered in data set order from 0) goes to the test set
    /// exactly when `⌊(k + 1)·f⌋ > ⌊k·f⌋`, with `f = testFraction`. With the default `f = 0.2` that
    /// is every 5th tumour of each class: 113 test tumours (42 malignant, 71 benign) and 456
    /// training tumours. Both halves keep data set order.
    ///
    /// - Parameter testFraction: The share of each class to hold out, in 0…1.
    public func split(testFraction: Double = 0.2) -> (train: BreastCancerDataset, test: BreastCancerDataset) {
        let (trainIndices, testIndices) = StratifiedSplit.indices(labels: labels, testFraction: testFraction)
        return (subset(trainIndices), subset(testIndices))
    }

    /// The features and labels of the tumours at `indices`, in that order (repeats allowed).
    ///
    /// Features are concatenated, ``featureCount`` values each, ready to wrap in a tensor of shape
    /// (`indices.count`, 30). Every index must be in `0..<count`.
    public func batch(indices: [Int]) -> (features: [Float], labels: [Int]) {
        var batchFeatures: [Float] = []
        batchFeatures.reserveCapacity(indices.count * featureCount)
        var batchLabels: [Int] = []
        batchLabels.reserveCapacity(indices.count)
        for index in indices {
            precondition(labels.indices.contains(index), "sample index \(index) is outside 0..<\(count)")
            batchFeatures.append(contentsOf: table.row(index))
            batchLabels.append(labels[index])
        }
        return (batchFeatures, batchLabels)
    }

    /// The data set made of the tumours at `indices`.
    private func subset(_ indices: [Int]) -> BreastCancerDataset {
        BreastCancerDataset(table: table.rows(indices), labels: indices.map { labels[$0] })
    }
}
