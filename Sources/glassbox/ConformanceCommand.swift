import ArgumentParser
import GlassboxConformance
import GlassboxCore

/// `glassbox conformance`: does this backend compute every operation as the reference backend does?
struct ConformanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conformance",
        abstract: "Check every backend operation on a device (the CPU backend too) against the reference backend.",
        discussion:
            "Runs the backend-conformance suite (every operation of the Backend protocol over shapes including 1, odd sizes and non-multiples of tile sizes, and the calls every backend must refuse) and compares each result with the reference backend, the protocol written as plain Float64-accumulating loops, by normalised error; random operations must agree bit for bit. Exits non-zero when a case fails."
    )

    @Option(help: "Only cases whose name or operation contains this text.")
    var filter: String?

    @Flag(help: "Print every failing case, not only the per-operation counts.")
    var verbose = false

    @OptionGroup var deviceOptions: DeviceOptions

    func run() throws {
        let candidate = try deviceOptions.backend()
        let bar = ProgressBar()
        let report = ConformanceSuite.run(candidate: candidate, filter: filter) { _, completed, total in
            bar.update(Double(completed) / Double(max(total, 1)), label: "conformance")
        }
        bar.finish()
        print("conformance of \(report.candidate) against \(report.reference)")
        print(report.summary)
        if verbose || report.failedCount <= 20 {
            for failure in report.failures { print(failure) }
        }
        guard report.results.count > 0 else {
            throw ValidationError("no conformance case matches --filter \(filter ?? "")")
        }
        if !report.allPassed { throw ExitCode(1) }
    }
}
