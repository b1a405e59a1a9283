import Foundation
import GlassboxCore

/// Seconds per run of `body`: one warm-up (`warmUp` when given, else `body` itself), then
/// `body` repeated for at least `minimum` seconds (and at least once), waiting for the backend
/// to finish each run.
func time(
    on backend: any Backend, minimum: Double, warmUp: (() throws -> Void)? = nil, _ body: () throws -> Void
) throws -> Double {
    if let warmUp { try warmUp() } else { try body() }
    try backend.synchronize()
    var runs = 0
    let start = Date()
    repeat {
        try body()
        try backend.synchronize()
        runs += 1
    } while Date().timeIntervalSince(start) < minimum
    return Date().timeIntervalSince(start) / Double(runs)
}
