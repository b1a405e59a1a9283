import Foundation

/// The process's peak resident set size (Linux `VmHWM`), which can be reset so
/// that each benchmark row reports its own peak.
enum ResidentMemory {
    /// Resets the peak to the current resident size (writes 5 to `/proc/self/clear_refs`); false where that is not possible.
    @discardableResult
    static func resetPeak() -> Bool {
        (try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)) != nil
    }

    /// The peak resident size in bytes since the last reset, if the system reports it.
    static func peakBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return nil }
        return kilobytes * 1024
    }
}
