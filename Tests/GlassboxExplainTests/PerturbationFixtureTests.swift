import Foundation
import GlassboxConformance
import GlassboxCore
import GlassboxIO
import GlassboxNN
import GlassboxONNX
import GlassboxOpenCL
import Testing

@testable import GlassboxExplain

/// The folder written by `scripts/make_perturbation_fixtures.py`: shap's exact Shapley values and
/// Captum's estimates on a breast-cancer MLP, pytorch-grad-cam's Score-CAM, the RISE reference code
/// with Philox masks, and lime's regressions on digits and tweets (see its README).
private let perturbation = fixtures.appendingPathComponent("perturbation")

/// The array `name` of the perturbation fixtures (paths relative to that folder).
private func array(_ name: String) throws -> NumpyArray {
    try NumpyArray.read(from: perturbation.appendingPathComponent(name))
}

/// The section `name` of the fixtures' manifest.
private func section(_ name: String) throws -> Any {
    let data = try Data(contentsOf: perturbation.appendingPathComponent("manifest.json"))
    let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    return try #require(manifest[name])
}

/// The backends the fixtures run on: the CPU, and the first OpenCL device when there is one.
private let backendNames = ["cpu"] + (openCLDevices.isEmpty ? [] : ["opencl"])

private func backend(_ name: String) throws -> any Backend {
    name == "cpu" ? CPUBackend.shared : try OpenCLBackend.shared(deviceIndex: 0)
}

/// The model `onnx` (relative to the perturbation folder) on `backend`.
private func model(_ onnx: String, on backend: any Backend) throws -> Graph {
    try ONNXImporter.load(from: perturbation.appendingPathComponent(onnx), backend: backend).graph
}

/// `array`'s values on `backend`.
private func upload(_ array: NumpyArray, to backend: any Backend) throws -> Tensor {
    try backend.upload(array.values, shape: array.shape)
}

@Suite("Perturbation methods against shap, Captum, pytorch-grad-cam, RISE and lime")
struct PerturbationFixtureTests {
    @Test(arguments: backendNames, ["background", "baseline"])
    func exactShapleyValuesAndFullKernelShapEqualShap(device: String, reference: String) throws {
        let backend = try backend(device)
        let model = try model("breast_cancer_mlp.onnx", on: backend)
        let inputs = try upload(try array("breast_cancer_mlp.inputs.npy"), to: backend)
        let rows = try upload(try array("breast_cancer_mlp.\(reference).npy"), to: backend)
        let expected = try array("breast_cancer_mlp.shapley-exact-\(reference).npy").values
        let absence: Absence = reference == "background" ? .background(rows) : .baseline(.tensor(rows))
        let methods: [any FeatureAttributionMethod] = [
            ShapleyValues(features: .elements, absence: absence), KernelShap(features: .elements, absence: absence),
        ]
        for method in methods {
            let result = try method.featureAttribution(inputs, targets: [1, 1, 1], model: model)
            #expect(normalisedError(try result.attribution.values.toArray(), expected) < 1e-4, "\(method.name)")
            for explanation in result.explanations {
                #expect(abs(explanation.values.reduce(0, +) - (explanation.prediction - explanation.baseValue)) < 1e-4)
            }
        }
    }

    /// Shapley value sampling and KernelSHAP with a budget below every coalition are within a few
    /// of Captum's run-to-run spreads of the exact values.
    @Test(arguments: backendNames)
    func sampledShapleyValuesAreWithinCaptumsSpreadOfTheExactValues(device: String) throws {
        let backend = try backend(device)
        let model = try model("breast_cancer_mlp.onnx", on: backend)
        let inputs = try upload(try array("breast_cancer_mlp.inputs.npy"), to: backend)
        let baseline = try upload(try array("breast_cancer_mlp.baseline.npy"), to: backend)
        let exact = try array("breast_cancer_mlp.shapley-exact-baseline.npy").values
        for (method, captum) in [
            (
                ShapleyValues(
                    features: .elements, absence: .baseline(.tensor(baseline)), estimator: .sampling(permutations: 500))
                    as any FeatureAttributionMethod, "shapley-value-sampling"
            ),
            (KernelShap(features: .elements, absence: .baseline(.tensor(baseline)), samples: 400), "kernel-shap"),
        ] {
            let runs = try array("breast_cancer_mlp.\(captum).npy")
            let count = exact.count
            let spread = (0..<count).map { element in
                let values = (0..<runs.shape[0]).map { Double(runs.values[$0 * count + element]) }
                let mean = values.reduce(0, +) / Double(values.count)
                return (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)).squareRoot()
            }
            let largest = spread.max()!
            let estimate = try method.attribute(inputs, targets: [1, 1, 1], model: model).values.toArray()
            for element in 0..<count {
                #expect(abs(Double(estimate[element] - exact[element])) < 5 * largest, "\(method.name) \(element)")
            }
        }
    }

    @Test(arguments: backendNames, ["tiny_cnn", "digits_cnn"])
    func scoreCAMEqualsPytorchGradCAM(device: String, name: String) throws {
        let backend = try backend(device)
        let entries = try #require(try section("score_cam") as? [[String: Any]])
        let entry = try #require(entries.first { $0["model"] as? String == name })
        let model = try model(try #require(entry["onnx"] as? String), on: backend)
        let inputs = try upload(try array(try #require(entry["inputs"] as? String)), to: backend)
        let targets = try #require(entry["targets"] as? [Int])
        let layer = try #require(entry["layer"] as? String)
        let raw = try ClassActivationMap(.scoreCAM, layer: layer).attribute(inputs, targets: targets, model: model)
        let expected = try array("\(name).score-cam.raw.npy").values
        #expect(normalisedError(try raw.values.toArray(), expected) < 1e-4)
    }

    @Test(arguments: backendNames, ["tiny_cnn", "digits_cnn"])
    func riseEqualsTheReferenceCodeOnTheSameMasks(device: String, name: String) throws {
        let backend = try backend(device)
        let entries = try #require(try section("rise") as? [[String: Any]])
        let entry = try #require(entries.first { $0["model"] as? String == name })
        let model = try model(try #require(entry["onnx"] as? String), on: backend)
        let inputs = try upload(try array(try #require(entry["inputs"] as? String)), to: backend)
        let (count, cells) = (try #require(entry["masks"] as? Int), try #require(entry["s"] as? Int))
        let (height, width) = (inputs.shape[2], inputs.shape[3])
        let masks = try backend.riseMasks(
            height: height, width: width, cells: cells, probability: 0.5, stream: RandomStream(seed: 7), samples: 0..<3)
        #expect(normalisedError(try masks.toArray(), try array("\(name).rise.masks.npy").values) < 1e-6)
        let classes = model.shapes[model.outputName]![1], inputCount = inputs.shape[0]
        for (output, file) in [(ExplainedOutput.raw, "logits"), (.probabilities, "probabilities")] {
            let reference = try array("\(name).rise.\(file).npy").values
            let targets = (0..<inputCount).map { $0 % classes }
            let saliency = try Rise(samples: count, cells: cells, probability: 0.5, seed: 7, output: output)
                .attribute(inputs, targets: targets, model: model).values.toArray()
            let plane = height * width
            let expected = targets.enumerated().flatMap { input, target in
                reference[((input * classes + target) * plane)..<((input * classes + target + 1) * plane)]
            }
            #expect(normalisedError(saliency, Array(expected)) < 1e-4, "\(file)")
        }
    }

    /// lime's image explanations: the model's scores of lime's own masks (superpixels off = 0)
    /// equal lime's, and the local model fitted to them equals lime's coefficients.
    @Test(arguments: backendNames)
    func limeOnDigitsReproducesLimesRegression(device: String) throws {
        let backend = try backend(device)
        let lime = try #require(try section("lime_image") as? [String: Any])
        let model = try model("../digits_cnn.onnx", on: backend)
        let inputs = try upload(try array("../digits_cnn.inputs.npy"), to: backend)
        let targets = try #require(lime["targets"] as? [Int])
        let results = try #require(lime["results"] as? [[String: Any]])
        let masks = try array("digits_cnn.lime.masks.npy"), scores = try array("digits_cnn.lime.scores.npy")
        let segments = try array("digits_cnn.lime.segments.npy").values.map { Int($0) }
        let pass = TargetPass(model: model, backward: false, explainedOutput: .probabilities)
        for (index, target) in targets.enumerated() {
            let input = try PerturbedInput(
                try backend.slice(inputs, axis: 0, range: index..<(index + 1)),
                mask: try FeatureMask(pixelLabels: segments, channels: 1), absence: .baseline(.zero))
            let values = try input.values(of: masks.values, count: masks.shape[0], target: target, pass: pass)
            let limeScores = Array(scores.values[(index * masks.shape[0])..<((index + 1) * masks.shape[0])])
            #expect(normalisedError(values.map(Float.init), limeScores) < 1e-5)
            try expectLimeFit(
                masks: masks, scores: limeScores, kernel: .image, result: results[index], selection: .none)
        }
    }

    /// lime's text explanations of the embedding-bag tweet model: the scores of lime's masks with the
    /// absent words removed equal lime's, and so does the fit.
    @Test(arguments: backendNames)
    func limeOnTweetsReproducesLimesRegression(device: String) throws {
        let backend = try backend(device)
        let lime = try #require(try section("lime_text") as? [String: Any])
        let model = try model("../text/embedding_bag.onnx", on: backend)
        let results = try #require(lime["results"] as? [[String: Any]])
        for (index, result) in results.enumerated() {
            let ids = try #require(result["ids"] as? [Int]), target = try #require(result["target"] as? Int)
            let masks = try array("embedding_bag.lime-text-\(index).masks.npy")
            let scores = try array("embedding_bag.lime-text-\(index).scores.npy").values
            let input = try PerturbedInput(
                try backend.upload(ids.map(Float.init), shape: [1, ids.count]),
                mask: try FeatureMask(tokens: ids, paddingIndex: 0), absence: .removedWords(paddingIndex: 0))
            #expect(input.mask.count == masks.shape[1])
            let values = try input.values(
                of: masks.values, count: masks.shape[0], target: target,
                pass: TargetPass(model: model, backward: false, explainedOutput: .probabilities))
            #expect(normalisedError(values.map(Float.init), scores) < 1e-5, "text \(index)")
            try expectLimeFit(masks: masks, scores: scores, kernel: .text, result: result, selection: .none)
        }
    }

    /// With its own samples (Philox, not numpy), LIME's coefficients agree with lime's: their
    /// correlation over the features is above 0.95 (measured 0.984–0.9999 on the four digits and
    /// three tweets) and lime's strongest feature is among the three strongest here.
    @Test func limeWithItsOwnSamplesAgreesWithLime() throws {
        let backend = CPUBackend.shared
        let image = try #require(try section("lime_image") as? [String: Any])
        let segments = try array("digits_cnn.lime.segments.npy").values.map { Int($0) }
        let digits = try model("../digits_cnn.onnx", on: backend)
        let inputs = try upload(try array("../digits_cnn.inputs.npy"), to: backend)
        let imageLime = Lime(
            features: .mask(try FeatureMask(pixelLabels: segments, channels: 1)), absence: .baseline(.zero),
            samples: 1000, selection: .none)
        let ours = try imageLime.featureAttribution(
            inputs, targets: try #require(image["targets"] as? [Int]), model: digits
        ).explanations.map(\.values)
        var pairs = zip(
            ours, try #require(image["results"] as? [[String: Any]]).map { $0["coefficients"] as! [Double] }
        )
        .map { ($0, $1) }
        let text = try #require(try section("lime_text") as? [String: Any])
        let tweets = try model("../text/embedding_bag.onnx", on: backend)
        for result in try #require(text["results"] as? [[String: Any]]) {
            let ids = try #require(result["ids"] as? [Int])
            let explanation = try Lime(
                features: .words(paddingIndex: 0, bagOfWords: true), absence: .removedWords(paddingIndex: 0),
                samples: 2000, selection: .none
            ).featureAttribution(
                try backend.upload(ids.map(Float.init), shape: [1, ids.count]),
                targets: [try #require(result["target"] as? Int)], model: tweets
            ).explanations[0]
            pairs.append((explanation.values, try #require(result["coefficients"] as? [Double])))
        }
        for (index, (mine, theirs)) in pairs.enumerated() {
            let correlation = Self.correlation(mine, theirs)
            let strongest = theirs.indices.max { abs(theirs[$0]) < abs(theirs[$1]) }!
            let ranked = mine.indices.sorted { abs(mine[$0]) > abs(mine[$1]) }
            #expect(correlation > 0.95, "explanation \(index): correlation \(correlation)")
            #expect(ranked.prefix(3).contains(strongest), "explanation \(index)")
        }
    }

    /// Pearson's correlation of two equally long lists.
    static func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let (meanA, meanB) = (a.reduce(0, +) / Double(a.count), b.reduce(0, +) / Double(b.count))
        let covariance = zip(a, b).map { ($0 - meanA) * ($1 - meanB) }.reduce(0, +)
        let spreadA = a.map { ($0 - meanA) * ($0 - meanA) }.reduce(0, +)
        let spreadB = b.map { ($0 - meanB) * ($0 - meanB) }.reduce(0, +)
        return covariance / (spreadA * spreadB).squareRoot()
    }

    /// The local linear model of `masks` and `scores` equals lime's fit in `result` to 10⁻⁶.
    private func expectLimeFit(
        masks: NumpyArray, scores: [Float], kernel: LimeKernel, result: [String: Any], selection: FeatureSelection
    ) throws {
        let features = masks.shape[1], data = masks.values.map(Double.init)
        let fit = try LocalLinearModel.fit(
            data: data, features: features, labels: scores.map(Double.init),
            weights: kernel.weights(distances: try kernel.distances(data: data, features: features)),
            selection: selection, maximumFeatures: features)
        var coefficients = [Double](repeating: 0, count: features)
        for (feature, value) in zip(fit.features, fit.coefficients) { coefficients[feature] = value }
        let expected = try #require(result["coefficients"] as? [Double])
        #expect(zip(coefficients, expected).allSatisfy { abs($0 - $1) < 1e-6 })
        #expect(abs(fit.intercept - (try #require(result["intercept"] as? Double))) < 1e-6)
        #expect(abs(fit.score - (try #require(result["score"] as? Double))) < 1e-6)
        #expect(abs(fit.localPrediction - (try #require(result["local_pred"] as? Double))) < 1e-6)
    }
}
