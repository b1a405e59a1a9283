import ArgumentParser

/// The `glassbox` command-line tool.
@main
struct Glassbox: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "glassbox",
        abstract: "Explain neural-network predictions and measure how sure a network is.",
        subcommands: [
            DemoCommand.self, TrainCommand.self, PredictCommand.self, ExplainCommand.self, UncertaintyCommand.self,
            ActivationsCommand.self, EvaluateUncertaintyCommand.self, BenchCommand.self, InfoCommand.self,
            ExportSampleCommand.self,
            DevicesCommand.self, ConformanceCommand.self,
        ]
    )
}
