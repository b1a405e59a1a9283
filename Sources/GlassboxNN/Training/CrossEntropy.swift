import Foundation
import GlassboxCore

/// Softmax cross-entropy of logits against class labels, averaged over the batch.
public enum CrossEntropy {
    /// The mean loss, the number of correct top-1 predictions, and the gradient
    /// with respect to the logits, (softmax − one-hot)/N.
    public static func evaluate(logits: Tensor, labels: [Int]) throws -> (loss: Double, correct: Int, gradient: Tensor)
    {
        guard logits.shape.rank == 2, logits.shape[0] == labels.count else {
            throw GlassboxError.shapeMismatch("cross-entropy of logits \(logits.shape) against \(labels.count) labels")
        }
        let classes = logits.shape[1]
        let logProbabilities = try logits.backend.download(try logits.backend.softmax(logits, axis: 1, logarithm: true))
        var loss = 0.0, correct = 0
        var gradient = [Float](repeating: 0, count: logProbabilities.count)
        let scale = 1 / Float(labels.count)
        for (sample, label) in labels.enumerated() {
            guard (0..<classes).contains(label) else {
                throw GlassboxError.invalidArgument("label \(label) is not in 0..<\(classes)")
            }
            let row = logProbabilities[(sample * classes)..<((sample + 1) * classes)]
            loss -= Double(row[row.startIndex + label])
            if row.indices.max(by: { row[$0] < row[$1] }) == row.startIndex + label { correct += 1 }
            for k in 0..<classes {
                gradient[sample * classes + k] =
                    (Foundation.exp(row[row.startIndex + k]) - (k == label ? 1 : 0)) * scale
            }
        }
        return (loss / Double(labels.count), correct, try logits.backend.upload(gradient, shape: logits.shape))
    }
}
