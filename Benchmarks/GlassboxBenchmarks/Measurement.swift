import Foundation

/// One measured row: what ran where, how fast, and how close to the peak.
public struct Measurement: Codable, Sendable {
    public var backend: String
    /// The section: "peak", "gemm", "conv2d", or a model name for end-to-end rows.
    public var group: String
    public var name: String
    /// Seconds per run (per explanation for end-to-end rows).
    public var seconds: Double
    public var gflops: Double?
    /// gflops divided by the backend's measured peak.
    public var ratioToPeak: Double?
    /// gflops divided by OpenBLAS's on the same problem and cores (CPU GEMM rows).
    public var ratioToOpenBLAS: Double?
    /// Samples (noisy copies, passes, occluded copies) per second, for end-to-end rows.
    public var samplesPerSecond: Double?
    /// The process's peak resident memory while the row ran, in bytes (CPU rows).
    public var peakResidentBytes: Int?
    /// GFLOP of the model's forward pass for one sample through its matrix products
    /// (`Graph.forwardFLOPsPerSample`), for rows of imported models.
    public var forwardGFLOP: Double?
    /// The estimated GFLOP of the rest of that forward pass, elementwise layers, normalisation
    /// and softmax (`Graph.forwardElementwiseFLOPsPerSample`), for rows of imported models.
    public var forwardElementwiseGFLOP: Double?

    /// The row as a line of the terminal table.
    public var tableLine: String {
        func column(_ text: String, _ width: Int) -> String {
            text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0)
        }
        let rate = gflops.map { String(format: "%9.1f GFLOP/s", $0) } ?? String(repeating: " ", count: 16)
        let ratio = ratioToPeak.map { String(format: "%5.1f%% of peak", 100 * $0) } ?? String(repeating: " ", count: 13)
        let samples = samplesPerSecond.map { String(format: "%10.0f samples/s", $0) } ?? ""
        let memory = peakResidentBytes.map { String(format: "  %6.0f MiB peak", Double($0) / 1_048_576) } ?? ""
        let openBLAS = ratioToOpenBLAS.map { String(format: "  %5.1f%% of OpenBLAS", 100 * $0) } ?? ""
        let forward =
            forwardGFLOP.map { products in
                String(format: "  forward %.4g GFLOP", products)
                    + (forwardElementwiseGFLOP.map { String(format: " (+%.3g elementwise)", $0) } ?? "")
            } ?? ""
        return column(String(backend.prefix(24)), 25) + column(group, 19) + column(name, 34)
            + String(format: "%11.3f ms ", seconds * 1000) + rate + "  " + ratio + samples + memory + openBLAS
            + forward
    }
}
