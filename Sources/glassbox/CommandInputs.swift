import ArgumentParser
import GlassboxCore
import GlassboxNN

/// What a command that runs a model reads: an image or `.npy` (`--input`), or texts
/// (`--text`, `--text-file`) for a text model.
struct CommandInputs {
    /// The model.
    let graph: Graph
    /// The inputs as one batch.
    let batch: Tensor
    /// The texts, when the inputs are texts.
    let text: TextInputs?
    /// The class names the model file names (`glassbox train` stores them for text and tables), if any.
    let modelClassNames: [String]?

    /// Throws unless exactly one kind of input is given.
    static func validate(image: ImageInputOptions, text: TextInputOptions) throws {
        guard (image.input != nil) != text.isGiven else {
            throw ValidationError("give either --input (an image or .npy) or --text / --text-file")
        }
    }

    /// Loads `model` and the inputs given.
    static func load(
        _ model: ModelSource, image: ImageInputOptions, text: TextInputOptions, backend: any Backend
    ) throws -> CommandInputs {
        guard text.isGiven else {
            let (graph, batch, metadata) = try image.loadWithMetadata(model, backend: backend)
            return CommandInputs(
                graph: graph, batch: batch, text: nil, modelClassNames: try TextInputs.classNames(in: metadata))
        }
        let inputs = try text.load(model, backend: backend)
        return CommandInputs(graph: inputs.graph, batch: inputs.ids, text: inputs, modelClassNames: inputs.classNames)
    }

    /// The class names to show: `--labels`, else those the model's file names.
    func classNames(_ labels: LabelOptions) throws -> ClassNames? {
        try labels.classNames(for: graph) ?? modelClassNames.map { ClassNames(names: $0) }
    }

    /// What the inputs are called in summaries: the `--input` file, or "text".
    func name(_ image: ImageInputOptions) -> String { image.input ?? "text" }
}
