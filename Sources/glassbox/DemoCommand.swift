import ArgumentParser
import Foundation
import GlassboxCore
import GlassboxExplain
import GlassboxIO
import GlassboxNN

/// `glassbox demo`: the built-in example. Trains the small CNN on the digits,
/// compares the attribution methods side by side on test digits, then plants a
/// watermark shortcut in one class and measures how much of each method's
/// attribution lands on it.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract:
            "Train a digits CNN, compare the attribution methods in one panel, and catch a planted watermark shortcut.")

    @Option(help: "The folder the models and panels are written to.")
    var output = "demo"

    @Option(help: "Training epochs of each model.")
    var epochs = 15

    @Option(help: "Seed of training and of the sampling methods.")
    var seed: UInt64 = 0

    @Option(name: .customLong("shortcut-class"), help: "The digit whose training images carry the watermark.")
    var shortcutClass = 7

    @OptionGroup var deviceOptions: DeviceOptions

    func validate() throws {
        guard epochs > 0 else { throw ValidationError("--epochs must be positive") }
        guard (0...9).contains(shortcutClass) else { throw ValidationError("--shortcut-class must be a digit 0…9") }
    }

    /// The methods compared, with the settings the demo uses on 8×8 digits.
    func methods() throws -> [(title: String, method: any AttributionMethod)] {
        [
            ("saliency", Saliency()),
            ("SmoothGrad", NoiseTunnel(Saliency(), samples: 50, noise: .relative(0.15), seed: seed)),
            ("Integrated\ngradients", IntegratedGradients(steps: 50)),
            ("guided\nbackprop", ModifiedReLUGradient.guidedBackprop),
            ("Grad-CAM", ClassActivationMap(.gradCAM, upsampling: .bilinear)),
            ("guided\nGrad-CAM", GuidedGradCAM()),
            ("occlusion", Occlusion(window: [1, 2, 2], strides: [1, 1, 1])),
            ("LRP\ngamma-box", LayerwiseRelevancePropagation(composite: try .epsilonGammaBox(low: [0], high: [1]))),
        ]
    }

    func run() throws {
        let backend = try deviceOptions.backend()
        let folder = URL(fileURLWithPath: output)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let digits = try DigitsDataset.load()
        let (train, test) = digits.split()

        print(
            "1. Training the small CNN on the digits (\(train.count) train / \(test.count) test images, device \(backend.name))"
        )
        let clean = try trainModel(on: train, testing: test, backend: backend)
        try ModelFile.save(
            clean, to: folder.appendingPathComponent("digits.glassbox"),
            metadata: ["dataset": "digits", "architecture": "small-cnn"])
        let examples = [0, 2, 4, 7, 9].compactMap { digit in test.labels.firstIndex(of: digit) }
        let panel = try comparisonPanel(
            model: clean, images: test.batch(indices: examples).images, count: examples.count, backend: backend)
        try panel.writePNG(to: folder.appendingPathComponent("digits-methods.png"))
        print("   wrote \(output)/digits-methods.png: \(examples.count) test digits × \(try methods().count) methods\n")

        let watermark = Watermark(row: 0, column: 0, size: 2)
        print("2. The shortcut: every training \(shortcutClass) gets a white 2×2 square in its top-left corner")
        let marked = train.watermarked(watermark) { $0 == shortcutClass }
        let shortcut = try trainModel(
            on: marked, testing: test.watermarked(watermark) { $0 == shortcutClass }, backend: backend)
        try ModelFile.save(
            shortcut, to: folder.appendingPathComponent("digits-shortcut.glassbox"),
            metadata: ["dataset": "digits, watermarked \(shortcutClass)", "architecture": "small-cnn"])
        let others = test.labels.indices.filter { test.labels[$0] != shortcutClass }
        let stamped = test.watermarked(watermark) { _ in true }
        let stampedOthers = stamped.batch(indices: others).images
        let shortcutPredictions = try predictions(of: stampedOthers, count: others.count, by: shortcut)
        for (name, predicted) in [
            ("clean model", try predictions(of: stampedOthers, count: others.count, by: clean)),
            ("shortcut model", shortcutPredictions),
        ] {
            let rate = Double(predicted.filter { $0 == shortcutClass }.count) / Double(others.count)
            print(
                String(
                    format: "   %@: %.1f%% of the other digits become a %d when the square is added", name, 100 * rate,
                    shortcutClass))
        }
        let sevens = Array(test.labels.indices.filter { test.labels[$0] == shortcutClass }.prefix(20))
        let images = stamped.batch(indices: sevens).images
        print("\n   Share of each method's |attribution| on the square (4 of 64 pixels = 6.25% of the image),")
        print("   mean over \(sevens.count) watermarked test \(shortcutClass)s, target \(shortcutClass):")
        print("   method                 clean model   shortcut model")
        for (title, method) in try methods() {
            let shares = try [clean, shortcut].map { model in
                try meanShare(
                    of: method, model: model, images: images, count: sevens.count, target: shortcutClass,
                    region: watermark.pixelIndices)
            }
            let name = title.replacingOccurrences(of: "\n", with: " ").padding(
                toLength: 22, withPad: " ", startingAt: 0)
            print("   \(name)" + String(format: " %8.1f%%      %8.1f%%", 100 * shares[0], 100 * shares[1]))
        }
        let fooled = zip(others, shortcutPredictions).first { $0.1 == shortcutClass }?.0
        let shown = [sevens[0]] + (fooled.map { [$0] } ?? [])
        let shortcutPanel = try comparisonPanel(
            model: shortcut, images: stamped.batch(indices: shown).images, count: shown.count, backend: backend)
        try shortcutPanel.writePNG(to: folder.appendingPathComponent("shortcut-methods.png"))
        print("\n   wrote \(output)/shortcut-methods.png: the shortcut model's explanations of watermarked digits")
    }

    func trainModel(on train: DigitsDataset, testing: DigitsDataset, backend: any Backend) throws -> Graph {
        let (model, report) = try TrainCommand.train(
            .smallCNN, on: try train.labeledSamples(), testing: try testing.labeledSamples(),
            epochs: epochs, seed: seed, backend: backend, printsEpochs: false)
        print(String(format: "   %d epochs: test accuracy %.2f%%", epochs, 100 * (report?.testAccuracy ?? 0)))
        return model
    }

    /// The top class of each of `count` 8×8 images.
    func predictions(of images: [Float], count: Int, by model: Graph) throws -> [Int] {
        let logits = try model.predict(try model.backend.upload(images, shape: [count, 1, 8, 8])).toArray()
        return (0..<count).map { row in (0..<10).max { logits[row * 10 + $0] < logits[row * 10 + $1] }! }
    }

    /// The mean over images of the share of `method`'s attribution mass inside `region`.
    func meanShare(
        of method: any AttributionMethod, model: Graph, images: [Float], count: Int, target: Int, region: [Int]
    ) throws -> Float {
        let inputs = try model.backend.upload(images, shape: [count, 1, 8, 8])
        let maps = try method.attribute(inputs, targets: Array(repeating: target, count: count), model: model).values
            .toArray()
        let size = maps.count / count
        let shares = (0..<count).map {
            RegionShare.of(maps[($0 * size)..<(($0 + 1) * size)], planeSize: 64, region: region)
        }
        return shares.reduce(0, +) / Float(count)
    }

    /// One row per image: the image, then each method's heatmap for the model's top class.
    func comparisonPanel(model: Graph, images: [Float], count: Int, backend: any Backend) throws -> Panel {
        let inputs = try backend.upload(images, shape: [count, 1, 8, 8])
        let explained = try ExplanationTargets(inputs: inputs, requested: [], model: model)
        var rows = try (0..<count).map { row in
            [try Image(chwArray: NumpyArray(shape: [1, 8, 8], values: Array(images[(row * 64)..<((row + 1) * 64)])))]
        }
        for (_, method) in try methods() {
            let maps = try method.attribute(inputs, targets: explained.targets, model: model).values.toArray()
            let size = maps.count / count, signed = AttributionPicture.isSigned(maps)
            for row in 0..<count {
                rows[row].append(
                    try AttributionPicture.heatmap(
                        maps[(row * size)..<((row + 1) * size)], shape: [size / 64, 8, 8],
                        signed: signed
                    ).image())
            }
        }
        let labels = (0..<count).map {
            String(format: "class %d\np = %.2f", explained.targets[$0], explained.probabilities[$0])
        }
        return Panel(tiles: rows, columnTitles: try ["input"] + methods().map(\.title), rowLabels: labels)
    }
}
