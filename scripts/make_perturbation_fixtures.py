#!/usr/bin/env python3
"""Writes the references of the model-agnostic (perturbation) explainers of issue 19 into
Tests/GlassboxExplainTests/Fixtures/perturbation/ and LIME's tabular discretizer and sampler into
Tests/GlassboxExplainTests/Fixtures/lime-tabular/:

- `breast_cancer_mlp`: a PyTorch MLP on the ten "mean ..." columns of scikit-learn's breast-cancer
  set (standardisation inside the forward), exported to ONNX; exact Shapley values of its class-1
  logit with a background set and with a single baseline, from `shap.KernelExplainer` (which
  enumerates every coalition here) checked against a brute-force enumeration; Captum's
  `ShapleyValueSampling` and `KernelShap` estimates with their seeds and spread over seeds.
- Score-CAM (Wang et al. 2020) with pytorch-grad-cam's `ScoreCAM` on the two CNNs of
  `scripts/make_captum_fixtures.py` (rebuilt by importing it; the committed `.onnx` and inputs are
  reused, not rewritten), checked against an independent re-implementation.
- RISE (Petsiuk et al. 2018): a port of the reference `generate_masks` + `forward`
  (github.com/eclique/RISE, explanations.py) with the grids and shifts drawn from Glassbox's Philox
  generator (`scripts/philox_reference.py`), so Swift can draw the same masks.
- LIME (Ribeiro et al. 2016) 0.2.0.1: `LimeImageExplainer` on `digits_cnn` with a fixed 4x4 grid of
  2x2-pixel superpixels, `LimeTextExplainer` on the `embedding_bag` text model of
  `Fixtures/text/` with Glassbox's word tokenizer, and `LimeTabularExplainer` (quartile discretizer)
  on the MLP; each with the masks and model scores its ridge regression saw, so the regression can be
  reproduced exactly.

Every number is explained in the two folders' README.md. Regenerate (run by hand; CI never runs
Python). Deterministic (fixed seeds, one CPU thread): a second run writes byte-identical files:
    pip install torch==2.15.0 onnx==1.23.2 onnxruntime==1.32.0 numpy==2.4.6 scikit-learn==1.9.1 \
        captum==0.9.0 grad-cam==1.5.7 shap==0.51.0 lime==0.2.0.1 scikit-image==0.26.0 scipy==1.17.1
    python3 scripts/make_perturbation_fixtures.py
    sha256sum Tests/GlassboxExplainTests/Fixtures/{perturbation,lime-tabular}/*   # compare two runs
It retrains `digits_cnn` exactly as make_captum_fixtures.py does (about a minute).
"""
import copy
import io
import itertools
import json
import math
import os
import re
import sys
import warnings
from collections import OrderedDict
from importlib import metadata

os.environ.setdefault("TQDM_DISABLE", "1")  # pytorch-grad-cam's ScoreCAM and lime_image show progress bars

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime  # noqa: E402
import shap  # noqa: E402
import sklearn.metrics  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from captum.attr import KernelShap, ShapleyValueSampling  # noqa: E402
from lime import lime_image, lime_tabular, lime_text  # noqa: E402
from pytorch_grad_cam import ScoreCAM  # noqa: E402
from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget  # noqa: E402
from skimage.transform import resize  # noqa: E402
from sklearn.datasets import load_breast_cancer  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from torch import nn  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_captum_fixtures as captum_fixtures  # noqa: E402  (sets one thread, deterministic algorithms)
import philox_reference  # noqa: E402
from tweets_baseline import tokenize as glassbox_tokenize  # noqa: E402

FIXTURES = os.path.normpath(os.path.join(HERE, "..", "Tests", "GlassboxExplainTests", "Fixtures"))
PERTURBATION = os.path.join(FIXTURES, "perturbation")
LIME_TABULAR = os.path.join(FIXTURES, "lime-tabular")
TEXT = os.path.join(FIXTURES, "text")

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)
warnings.filterwarnings("ignore")


# ---------------------------------------------------------------- writing

def save(folder, name, array, dtype=np.float32):
    np.save(os.path.join(folder, name), np.ascontiguousarray(np.asarray(array, dtype=dtype)))
    return name


def floats(array):
    """Full-precision float64 values as nested lists, for JSON."""
    return np.asarray(array, dtype=np.float64).tolist()


def write_json(folder, name, value):
    with open(os.path.join(folder, name), "w") as file:
        json.dump(value, file, indent=1)
        file.write("\n")


def ort_session(model_bytes):
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(model_bytes, options, providers=["CPUExecutionProvider"])


def softmax32(logits):
    """Softmax in float32; LIME's classifier functions return float32 so the scores its regression
    sees are exactly the float32 values written to the fixtures."""
    logits = np.asarray(logits, dtype=np.float32)
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return (e / e.sum(axis=1, keepdims=True)).astype(np.float32)


def capture_regression(explainer_base):
    """Wraps `LimeBase.explain_instance_with_data` to keep the data, labels and distances of each call."""
    calls = []
    original = explainer_base.explain_instance_with_data

    def wrapped(neighborhood_data, neighborhood_labels, distances, label, num_features, **kwargs):
        result = original(neighborhood_data, neighborhood_labels, distances, label, num_features, **kwargs)
        calls.append(dict(data=np.array(neighborhood_data), labels=np.array(neighborhood_labels),
                          distances=np.array(distances), label=int(label), result=result))
        return result

    explainer_base.explain_instance_with_data = wrapped
    return calls


def lime_result(call, features):
    """coefficients (one per feature, in feature order), intercept, score, local_pred of one regression."""
    intercept, local_exp, score, local_pred = call["result"]
    coefficients = np.zeros(features)
    for feature, weight in local_exp:
        coefficients[feature] = weight
    assert len(local_exp) == features  # feature_selection 'none' keeps every feature
    return OrderedDict(coefficients=floats(coefficients), intercept=float(intercept), score=float(score),
                       local_pred=float(np.asarray(local_pred).ravel()[0]))


# ---------------------------------------------------------------- 1. the breast-cancer MLP and Shapley values

FEATURES = 10  # the ten "mean ..." columns
TARGET_CLASS = 1  # scikit-learn's class 1, "benign"
TEST_ROWS = [0, 3, 5]  # the first test row of class 0 and the first two of class 1


class BreastCancerMLP(nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", torch.from_numpy(mean))
        self.register_buffer("std", torch.from_numpy(std))
        self.fc1 = nn.Linear(FEATURES, 16)
        self.fc2 = nn.Linear(16, 16)
        self.fc3 = nn.Linear(16, 2)

    def forward(self, x):
        x = (x - self.mean) / self.std
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


def breast_cancer_split():
    data = load_breast_cancer()
    x = data.data[:, :FEATURES].astype(np.float32)
    y = data.target.astype(np.int64)
    indices = np.arange(len(y))
    x_train, x_test, y_train, y_test, i_train, i_test = train_test_split(
        x, y, indices, test_size=0.2, random_state=0, stratify=y)
    names = [str(name) for name in data.feature_names[:FEATURES]]
    return names, [str(name) for name in data.target_names], x_train, x_test, y_train, y_test, i_train, i_test


def train_mlp(x_train, y_train, x_test, y_test):
    mean = x_train.mean(axis=0).astype(np.float32)
    std = x_train.std(axis=0).astype(np.float32)
    torch.manual_seed(0)
    model = BreastCancerMLP(mean, std)
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-2, weight_decay=1e-2)  # decay keeps the logits O(1)
    generator = torch.Generator().manual_seed(0)
    xt, yt = torch.from_numpy(x_train), torch.from_numpy(y_train)
    for _ in range(30):
        model.train()
        order = torch.randperm(len(xt), generator=generator)
        for start in range(0, len(order), 32):
            batch = order[start:start + 32]
            optimiser.zero_grad()
            F.cross_entropy(model(xt[batch]), yt[batch]).backward()
            optimiser.step()
    model.eval()
    with torch.no_grad():
        accuracy = (model(torch.from_numpy(x_test)).argmax(1).numpy() == y_test).mean()
    print(f"breast_cancer_mlp: test accuracy {accuracy:.4f} ({len(y_test)} test rows)")
    assert accuracy >= 0.93, accuracy
    return model, mean, std, float(accuracy)


def export_mlp(model, x):
    buffer = io.BytesIO()
    torch.onnx.export(model, (torch.from_numpy(x),), buffer, input_names=["input"], output_names=["logits"],
                      opset_version=13, dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}},
                      do_constant_folding=True, training=torch.onnx.TrainingMode.EVAL, dynamo=False)
    graph = onnx.load_from_string(buffer.getvalue())
    onnx.checker.check_model(graph)
    with open(os.path.join(PERTURBATION, "breast_cancer_mlp.onnx"), "wb") as file:
        file.write(buffer.getvalue())
    with torch.no_grad():
        logits = model(torch.from_numpy(x)).numpy()
    ort = ort_session(buffer.getvalue()).run(None, {"input": x})[0]
    np.testing.assert_allclose(ort, logits, rtol=1e-5, atol=1e-5)
    operators = [node.op_type for node in graph.graph.node]
    print(f"breast_cancer_mlp: ONNX {operators}; onnxruntime matches PyTorch "
          f"(max abs difference {np.abs(ort - logits).max():.2e})")
    return logits, operators, float(np.abs(ort - logits).max())


def model_output(model):
    """f(X) = the class-1 logit of `model` on float64 rows."""
    def f(rows):
        with torch.no_grad():
            return model(torch.from_numpy(np.asarray(rows, dtype=np.float64)).to(model.fc1.weight.dtype))[
                :, TARGET_CLASS].double().numpy()
    return f


def brute_force_shapley(f, x, background):
    """phi_i = sum over S not containing i of |S|! (M-|S|-1)! / M! (v(S + i) - v(S)), with
    v(S) = mean over background rows b of f(x on S, b elsewhere); every one of the 2^M coalitions."""
    m = len(x)
    coalitions = np.array(list(itertools.product([0, 1], repeat=m)), dtype=bool)  # index = bits, feature 0 first
    rows = np.where(coalitions[:, None, :], x[None, None, :], background[None, :, :]).reshape(-1, m)
    values = f(rows).reshape(len(coalitions), len(background)).mean(axis=1)
    sizes = coalitions.sum(axis=1)
    weight = np.array([math.factorial(s) * math.factorial(m - s - 1) / math.factorial(m) if s < m else 0.0
                       for s in range(m + 1)])
    index = {tuple(c): k for k, c in enumerate(coalitions)}
    phi = np.zeros(m)
    for k, coalition in enumerate(coalitions):
        for i in np.flatnonzero(~coalition):
            with_i = coalition.copy()
            with_i[i] = True
            phi[i] += weight[sizes[k]] * (values[index[tuple(with_i)]] - values[k])
    return phi, values[-1], values[0]


def shapley_references(model, inputs, background, baseline):
    model64 = copy.deepcopy(model).double()
    f64, f32 = model_output(model64), model_output(model)
    result = OrderedDict()
    for name, reference in [("background", background), ("baseline", baseline)]:
        explainer = shap.KernelExplainer(f64, reference.astype(np.float64))
        theirs = np.asarray(explainer.shap_values(inputs.astype(np.float64), nsamples=2 ** 10, l1_reg=0,
                                                  silent=True))
        assert theirs.shape == inputs.shape, theirs.shape
        mine, fx, ef = zip(*(brute_force_shapley(f64, x.astype(np.float64), reference.astype(np.float64))
                             for x in inputs))
        mine = np.array(mine)
        disagreement = float(np.abs(theirs - mine).max())
        print(f"breast_cancer_mlp: exact Shapley ({name}): shap vs brute force max abs difference {disagreement:.2e}")
        if disagreement > 1e-6:
            sys.exit(f"shap.KernelExplainer disagrees with the brute-force enumeration by {disagreement}")
        efficiency = float(np.abs(mine.sum(axis=1) - (np.array(fx) - np.array(ef))).max())
        assert efficiency < 1e-9, efficiency
        assert abs(float(explainer.expected_value) - ef[0]) < 1e-9
        mine32 = np.array([brute_force_shapley(f32, x.astype(np.float64), reference.astype(np.float64))[0]
                           for x in inputs])
        file = save(PERTURBATION, f"breast_cancer_mlp.shapley-exact-{name}.npy", mine)
        result[name] = OrderedDict(
            file=file, values=floats(mine), f_x=floats(fx), expected_f_reference=float(ef[0]),
            shap_vs_brute_force_max_abs_difference=disagreement,
            efficiency_max_abs_error=efficiency,
            float32_model_max_abs_difference=float(np.abs(mine32 - mine).max()))
    return result


def captum_estimates(model, inputs, baseline, exact):
    x = torch.from_numpy(inputs)
    b = torch.from_numpy(baseline)
    seeds = list(range(16))
    result = OrderedDict()
    for key, method, n_samples in [("shapley_value_sampling", ShapleyValueSampling, 500),
                                   ("kernel_shap", KernelShap, 2000)]:
        runs = []
        for seed in seeds:
            torch.manual_seed(seed)
            runs.append(method(model).attribute(x, baselines=b, target=TARGET_CLASS, n_samples=n_samples)
                        .detach().double().numpy())
        runs = np.array(runs)
        file = save(PERTURBATION, f"breast_cancer_mlp.{key.replace('_', '-')}.npy", runs)
        spread = runs.std(axis=0, ddof=1)
        worst = float((np.abs(runs.mean(axis=0) - exact) / np.maximum(spread / np.sqrt(len(seeds)), 1e-6)).max())
        print(f"breast_cancer_mlp: Captum {method.__name__} n_samples={n_samples}: mean over {len(seeds)} seeds within "
              f"{worst:.2f} standard errors of the exact values; largest spread {spread.max():.3g}")
        result[key] = OrderedDict(
            file=file, shape=list(runs.shape), captum_class=method.__name__, n_samples=n_samples,
            baselines="baseline.npy (the training mean row)", target=TARGET_CLASS, perturbations_per_eval=1,
            seeds=seeds, seeding="torch.manual_seed(seed) before one attribute() call on all 3 inputs",
            spread_over_seeds=floats(spread),
            mean_minus_exact_in_standard_errors_max=worst)
    return result


def breast_cancer(names, classes, split):
    x_train, x_test, y_train, y_test, i_train, i_test = split
    model, mean, std, accuracy = train_mlp(x_train, y_train, x_test, y_test)
    test_rows, background_rows = TEST_ROWS, list(range(8))
    inputs = x_test[test_rows]
    background = x_train[background_rows]
    baseline = x_train.mean(axis=0, keepdims=True).astype(np.float32)
    logits, operators, ort_difference = export_mlp(model, inputs)
    save(PERTURBATION, "breast_cancer_mlp.inputs.npy", inputs)
    save(PERTURBATION, "breast_cancer_mlp.logits.npy", logits)
    save(PERTURBATION, "breast_cancer_mlp.background.npy", background)
    save(PERTURBATION, "breast_cancer_mlp.baseline.npy", baseline)
    exact = shapley_references(model, inputs, background, baseline)
    estimates = captum_estimates(model, inputs, baseline, np.array(exact["baseline"]["values"]))
    entry = OrderedDict(
        onnx="breast_cancer_mlp.onnx", onnx_operators=operators, onnxruntime_max_abs_difference=ort_difference,
        feature_names=names, class_names=classes, explained_output=f"logit of class {TARGET_CLASS}",
        target=TARGET_CLASS, test_accuracy=round(accuracy, 4),
        standardisation_mean=floats(mean), standardisation_std=floats(std),
        inputs="breast_cancer_mlp.inputs.npy", input_dataset_indices=[int(i_test[r]) for r in test_rows],
        input_labels=[int(y_test[r]) for r in test_rows], test_split_rows=test_rows,
        logits="breast_cancer_mlp.logits.npy", background="breast_cancer_mlp.background.npy",
        background_dataset_indices=[int(i_train[r]) for r in background_rows], training_split_rows=background_rows,
        baseline="breast_cancer_mlp.baseline.npy", exact_shapley=exact, captum=estimates)
    return model, entry


# ---------------------------------------------------------------- 2. Score-CAM

def committed_model(name):
    """The CNN of make_captum_fixtures.py rebuilt, its committed inputs and targets, and a check that
    the rebuilt model's logits equal the committed ones."""
    if name == "tiny_cnn":
        model = captum_fixtures.tiny_cnn()
    else:
        model = captum_fixtures.train_digits()[0]
    inputs = np.load(os.path.join(FIXTURES, f"{name}.inputs.npy"))
    committed = np.load(os.path.join(FIXTURES, f"{name}.logits.npy"))
    with torch.no_grad():
        logits = model(torch.from_numpy(inputs)).numpy()
    difference = float(np.abs(logits - committed).max())
    np.testing.assert_allclose(logits, committed, rtol=0, atol=1e-6)
    ort = ort_session(open(os.path.join(FIXTURES, f"{name}.onnx"), "rb").read()).run(None, {"input": inputs})[0]
    np.testing.assert_allclose(ort, committed, rtol=1e-4, atol=1e-5)
    print(f"{name}: rebuilt PyTorch logits equal the committed {name}.logits.npy (max abs difference {difference:.2e})")
    with open(os.path.join(FIXTURES, "manifest.json")) as file:
        case = next(c for c in json.load(file) if c["model"] == name and c["method"] == "grad-cam")
    return model, inputs, case["targets"], case, difference


def score_cam_reference(model, layer, x, targets):
    """Score-CAM computed directly: activations A (N,K,h,w) of the layer; each channel upsampled to
    the input size by bilinear interpolation with align_corners=True (nn.UpsamplingBilinear2d),
    min-max normalised per channel, (M - min) / (max - min + 1e-8); the input times each map (over
    all input channels); the raw target logit of each masked input; weights = softmax over the K
    scores; raw cam = relu(sum_k w_k A_k)."""
    captured = []
    handle = layer.register_forward_hook(lambda m, i, o: captured.append(o.detach()))
    with torch.no_grad():
        model(x)
    handle.remove()
    activations = captured[0]
    up = F.interpolate(activations, size=x.shape[-2:], mode="bilinear", align_corners=True)
    flat = up.flatten(2)
    up = (up - flat.min(-1)[0][..., None, None]) / (flat.max(-1)[0] - flat.min(-1)[0] + 1e-8)[..., None, None]
    scores = []
    with torch.no_grad():
        for n, target in enumerate(targets):
            scores.append(model(x[n][None] * up[n][:, None])[:, target])
    scores = torch.stack(scores)
    weights = torch.softmax(scores, dim=-1)
    raw = F.relu((weights[:, :, None, None] * activations).sum(1))
    return activations.numpy(), scores.numpy(), weights.numpy(), raw.numpy()


def score_cam(name):
    model, inputs, targets, case, logit_difference = committed_model(name)
    layer_module = case["layer_module"]
    layer = getattr(model, layer_module)
    x = torch.from_numpy(inputs)
    cam = ScoreCAM(model=model, target_layers=[layer])
    captured = {}
    original = cam.get_cam_weights

    def get_cam_weights(*args):
        captured["weights"] = original(*args)
        return captured["weights"]

    cam.get_cam_weights = get_cam_weights
    final = cam(input_tensor=x.clone(), targets=[ClassifierOutputTarget(int(t)) for t in targets])
    theirs_activations = cam.activations_and_grads.activations[0].numpy()
    cam.activations_and_grads.release()

    activations, scores, weights, raw = score_cam_reference(model, layer, x, targets)
    np.testing.assert_allclose(theirs_activations, activations, rtol=0, atol=0)
    np.testing.assert_allclose(captured["weights"], weights, rtol=1e-5, atol=1e-7)
    theirs_raw = np.maximum((captured["weights"][:, :, None, None] * theirs_activations).sum(axis=1), 0)
    # pytorch-grad-cam: scale_cam_image (min-max with 1e-7, then cv2.resize INTER_LINEAR to the input
    # size), max(., 0), mean over the one layer, scale_cam_image again (min-max with 1e-7).
    scaled = raw - raw.min(axis=(1, 2), keepdims=True)
    scaled = scaled / (1e-7 + scaled.max(axis=(1, 2), keepdims=True))
    resized = F.interpolate(torch.from_numpy(scaled)[:, None], size=x.shape[-2:], mode="bilinear",
                            align_corners=False)[:, 0].numpy()
    resized = np.maximum(resized, 0)
    again = resized - resized.min(axis=(1, 2), keepdims=True)
    again = again / (1e-7 + again.max(axis=(1, 2), keepdims=True))
    final_difference = float(np.abs(again - final).max())
    np.testing.assert_allclose(again, final, rtol=0, atol=1e-5)
    print(f"{name}: Score-CAM weights, raw cam and final cam match the re-implementation "
          f"(final max abs difference {final_difference:.1e})")
    files = OrderedDict(
        weights=save(PERTURBATION, f"{name}.score-cam.weights.npy", captured["weights"]),
        scores=save(PERTURBATION, f"{name}.score-cam.scores.npy", scores),
        raw=save(PERTURBATION, f"{name}.score-cam.raw.npy", theirs_raw),
        cam=save(PERTURBATION, f"{name}.score-cam.npy", final))
    return OrderedDict(
        model=name, onnx=f"../{name}.onnx", inputs=f"../{name}.inputs.npy", targets=[int(t) for t in targets],
        rebuilt_logits_max_abs_difference=logit_difference,
        layer=case["layer"], layer_module=layer_module, layer_shape=case["layer_shape"],
        files=files, shapes={key: list(np.load(os.path.join(PERTURBATION, f)).shape) for key, f in files.items()},
        batch_size=16, target="ClassifierOutputTarget (raw logit)",
        weights_vs_reimplementation_max_abs_difference=float(np.abs(captured["weights"] - weights).max()),
        final_vs_reimplementation_max_abs_difference=final_difference), model


# ---------------------------------------------------------------- 3. RISE

def philox_uniforms(seed, stream, draws):
    """Uniform draws (exact float32 values, as float64) of Glassbox's Philox stream at the given draw numbers."""
    words, _ = philox_reference.words(seed, stream, np.asarray(draws, dtype=np.uint64))
    return philox_reference.uniform(words)


def check_philox():
    for counter, key, expected in philox_reference.KAT:
        got = philox_reference.philox4x32_10(np.array([counter], dtype=np.uint64), np.array([key], dtype=np.uint64))[0]
        assert [int(v) for v in got] == expected
    # Swift's Philox.uniform(RandomStream(seed: 42, stream: 3), index: 0...2), from GlassboxCoreTests' PhiloxTests.
    assert philox_uniforms(42, 3, [0, 1, 2]).tolist() == [float.fromhex(h) for h in
                                                          ("0x1.4a34e0p-5", "0x1.c8522cp-2", "0x1.72318ep-1")]


def rise_masks(count, s, p, seed, size):
    """RISE's generate_masks with Philox draws: mask n uses uniform draws n*(s*s + 2) + k of
    RandomStream(seed, stream 0): k < s*s the grid (row-major, 1 where u < p), then a and b: the
    shift (floor(a * cellH), floor(b * cellW)) in float64; cell = ceil(size / s); the grid resized
    to (s + 1) * cell with skimage's resize(order=1, mode='reflect', anti_aliasing=False) and cropped."""
    height, width = size
    cell = (math.ceil(height / s), math.ceil(width / s))
    up_size = ((s + 1) * cell[0], (s + 1) * cell[1])
    per_mask = s * s + 2
    draws = philox_uniforms(seed, 0, np.arange(count * per_mask)).reshape(count, per_mask)
    grids = (draws[:, :s * s] < p).astype(np.float32).reshape(count, s, s)
    shifts = np.stack([np.floor(draws[:, s * s] * cell[0]), np.floor(draws[:, s * s + 1] * cell[1])], 1).astype(int)
    masks = np.empty((count, height, width))
    for n in range(count):
        x, y = shifts[n]
        masks[n] = resize(grids[n], up_size, order=1, mode="reflect", anti_aliasing=False)[x:x + height, y:y + width]
    return masks, grids, shifts, cell, up_size


def bilinear_mirror(grid, size):
    """Independent check of skimage's resize(order=1, mode='reflect'): half-pixel centres, sample
    coordinate (i + 0.5) * s / n - 0.5, coordinates outside [0, s - 1] mirrored about the edge pixel
    centres (scipy.ndimage 'mirror'), bilinear in float64."""
    def axis(n, s):
        c = (np.arange(n) + 0.5) * s / n - 0.5
        c = np.where(c < 0, -c, c)
        c = np.where(c > s - 1, 2 * (s - 1) - c, c)
        i0 = np.minimum(np.floor(c).astype(int), s - 2)
        return i0, c - i0
    r0, tr = axis(size[0], grid.shape[0])
    c0, tc = axis(size[1], grid.shape[1])
    g = grid.astype(np.float64)
    top = g[r0][:, c0] * (1 - tc) + g[r0][:, c0 + 1] * tc
    bottom = g[r0 + 1][:, c0] * (1 - tc) + g[r0 + 1][:, c0 + 1] * tc
    return top * (1 - tr)[:, None] + bottom * tr[:, None]


def rise_forward(model, masks, x, p, batch=100):
    """RISE.forward of the reference: the model on masks * x in batches of 100 (the gpu_batch default),
    sal = p^T masks / N / p1 as a float32 matmul. Returns the logit saliency, the softmax-probability
    saliency (the reference wraps the model in nn.Softmax) and the logits."""
    n = len(masks)
    masks32 = torch.from_numpy(masks).float()[:, None]
    stack = masks32 * torch.from_numpy(x)
    with torch.no_grad():
        logits = torch.cat([model(stack[i:min(i + batch, n)]) for i in range(0, n, batch)])
    h, w = x.shape[-2:]
    maps = []
    for scores in (logits, torch.softmax(logits, dim=1)):
        sal = torch.matmul(scores.transpose(0, 1), masks32.view(n, h * w)).view(scores.shape[1], h, w)
        maps.append((sal / n / p).numpy())
    check = np.einsum("nc,nhw->chw", logits.double().numpy(), masks) / n / p
    np.testing.assert_allclose(maps[0], check, rtol=1e-4, atol=1e-5 * np.abs(check).max())
    return maps[0], maps[1], logits.numpy()


def rise(name, model, count, s, p, seed):
    inputs = np.load(os.path.join(FIXTURES, f"{name}.inputs.npy"))
    size = inputs.shape[-2:]
    masks, grids, shifts, cell, up_size = rise_masks(count, s, p, seed, size)
    for n in range(count):
        x, y = shifts[n]
        mine = bilinear_mirror(grids[n], up_size)[x:x + size[0], y:y + size[1]]
        assert np.abs(mine - masks[n]).max() < 1e-6
    logit_maps, probability_maps, logits = zip(*(rise_forward(model, masks, x[None], p) for x in inputs))
    files = OrderedDict(
        logit_saliency=save(PERTURBATION, f"{name}.rise.logits.npy", logit_maps),
        probability_saliency=save(PERTURBATION, f"{name}.rise.probabilities.npy", probability_maps),
        mask_logits=save(PERTURBATION, f"{name}.rise.mask-logits.npy", logits),
        first_masks=save(PERTURBATION, f"{name}.rise.masks.npy", masks[:3]))
    print(f"{name}: RISE N={count} s={s} p={p} seed={seed}: mean mask {masks.mean():.4f}")
    return OrderedDict(
        model=name, onnx=f"../{name}.onnx", inputs=f"../{name}.inputs.npy", masks=count, s=s, p=p, seed=seed,
        stream=0, draws_per_mask=s * s + 2, cell=list(cell), up_size=list(up_size), batch=100, files=files,
        shapes={key: list(np.load(os.path.join(PERTURBATION, f)).shape) for key, f in files.items()},
        first_grids=grids[:3].astype(int).tolist(), first_shifts=shifts[:3].tolist(),
        mean_of_all_masks=float(masks.mean()))


# ---------------------------------------------------------------- 4. LIME on images and text

def grid_segments(height, width, cell):
    rows, columns = np.meshgrid(np.arange(height) // cell, np.arange(width) // cell, indexing="ij")
    return rows * (width // cell) + columns


def lime_images():
    name = "digits_cnn"
    inputs = np.load(os.path.join(FIXTURES, f"{name}.inputs.npy"))
    with open(os.path.join(FIXTURES, "manifest.json")) as file:
        targets = next(c for c in json.load(file) if c["model"] == name)["targets"]
    session = ort_session(open(os.path.join(FIXTURES, f"{name}.onnx"), "rb").read())
    segments = grid_segments(8, 8, 2)

    def classifier_fn(images):  # N x 8 x 8 x 3 (lime's gray2rgb copies) -> float32 probabilities
        return softmax32(session.run(None, {"input": images[..., :1].transpose(0, 3, 1, 2).astype(np.float32)})[0])

    masks, results, labels = None, [], []
    for image, target in zip(inputs, targets):
        explainer = lime_image.LimeImageExplainer(random_state=0, feature_selection="none")
        calls = capture_regression(explainer.base)
        explainer.explain_instance(image[0].astype(np.float64), classifier_fn, labels=(target,), top_labels=None,
                                   hide_color=0, num_features=16, num_samples=1000,
                                   segmentation_fn=lambda picture: segments)
        (call,) = calls
        data = call["data"].astype(np.uint8)
        assert masks is None or np.array_equal(masks, data)  # a fresh explainer seeded 0: the same masks
        masks = data
        expected = sklearn.metrics.pairwise_distances(data, data[:1], metric="cosine").ravel()
        np.testing.assert_allclose(call["distances"], expected, rtol=0, atol=1e-12)
        for row in (0, 1, 2):  # the masked image lime built equals input * per-pixel mask
            pixels = data[row][segments].astype(np.float32)
            np.testing.assert_array_equal(classifier_fn((image[0] * pixels)[None, :, :, None].repeat(3, -1)),
                                          call["labels"][row:row + 1])
        labels.append(call["labels"][:, target])
        results.append(lime_result(call, 16))
    files = OrderedDict(masks=save(PERTURBATION, f"{name}.lime.masks.npy", masks, np.uint8),
                        scores=save(PERTURBATION, f"{name}.lime.scores.npy", labels),
                        segments=save(PERTURBATION, f"{name}.lime.segments.npy", segments, np.int64))
    print(f"{name}: LIME image, 16 grid superpixels, 1000 samples: scores "
          + ", ".join(f"{r['score']:.3f}" for r in results))
    return OrderedDict(
        model=name, onnx=f"../{name}.onnx", inputs=f"../{name}.inputs.npy", targets=targets, files=files,
        explainer="LimeImageExplainer(random_state=0, feature_selection='none'), a fresh one per input",
        explain_instance=OrderedDict(labels="(target,)", top_labels=None, hide_color=0, num_features=16,
                                     num_samples=1000, batch_size=10, distance_metric="cosine",
                                     segmentation_fn="segments.npy: a 4x4 grid of 2x2-pixel cells, label = "
                                                     "(row // 2) * 4 + column // 2"),
        kernel_width=0.25, kernel="sqrt(exp(-d^2 / width^2))", classifier_fn="softmax (float32) of the onnx logits",
        results=results)


def lime_texts():
    name = "embedding_bag"
    vocabulary = open(os.path.join(TEXT, "vocab.txt"), encoding="utf-8").read().split("\n")
    index = {token: k for k, token in enumerate(vocabulary) if token}
    with open(os.path.join(TEXT, "inputs.json")) as file:
        rows = json.load(file)
    picked = [0, 1, 3]  # the lecture's sentence and two held-out tweets the two tokenizers read alike
    session = ort_session(open(os.path.join(TEXT, f"{name}.onnx"), "rb").read())
    model_regex = re.compile(r"[a-z0-9']+|[^\sa-z0-9']")

    def ids(text):
        tokens = glassbox_tokenize(text)
        assert tokens == model_regex.findall(text.lower()), text  # the model's training tokenizer agrees
        encoded = [index.get(token, 1) for token in tokens][:24]
        return encoded + [0] * (24 - len(encoded))

    def classifier_fn(texts):
        return softmax32(session.run(None, {"ids": np.array([ids(t) for t in texts], dtype=np.int64)})[0])

    results = []
    for number, row in enumerate(picked):
        text = rows[row]["text"].lower()  # lime cuts the raw string at the tokens: they must occur in it as they are
        prediction = int(classifier_fn([text])[0].argmax())
        explainer = lime_text.LimeTextExplainer(kernel_width=25, split_expression=glassbox_tokenize, bow=True,
                                                random_state=0, feature_selection="none")
        calls = capture_regression(explainer.base)
        explanation = explainer.explain_instance(text, classifier_fn, labels=(prediction,), num_features=100,
                                                 num_samples=2000)
        (call,) = calls
        indexed = explanation.domain_mapper.indexed_string
        words = [indexed.word(k) for k in range(indexed.num_words())]
        tokens = glassbox_tokenize(text)
        assert words == list(OrderedDict.fromkeys(tokens)), (words, tokens)  # lime's features = distinct words
        data = call["data"].astype(np.uint8)
        for sample in data[:200]:  # removing words from the string = removing their tokens
            kept = [t for t in tokens if sample[words.index(t)]]
            removed = indexed.inverse_removing([k for k in range(len(words)) if not sample[k]])
            assert glassbox_tokenize(removed) == kept, (removed, kept)
        expected = sklearn.metrics.pairwise_distances(data, data[:1], metric="cosine").ravel() * 100
        np.testing.assert_allclose(call["distances"], expected, rtol=0, atol=1e-10)
        result = lime_result(call, len(words))
        result = OrderedDict(
            text=text, inputs_json_row=row, words=words, tokens=tokens, ids=ids(text), target=prediction,
            probabilities=floats(call["labels"][0]),
            masks=save(PERTURBATION, f"{name}.lime-text-{number}.masks.npy", data, np.uint8),
            scores=save(PERTURBATION, f"{name}.lime-text-{number}.scores.npy", call["labels"][:, prediction]),
            **result)
        results.append(result)
        top = sorted(zip(words, result["coefficients"]), key=lambda w: -abs(w[1]))[:3]
        print(f"{name}: LIME text {text[:40]!r}: class {prediction}, top words {[(w, round(c, 3)) for w, c in top]}")
    return OrderedDict(
        model=name, onnx=f"../text/{name}.onnx", vocabulary="../text/vocab.txt",
        explainer="LimeTextExplainer(kernel_width=25, split_expression=<Glassbox's WordTokenizer port>, bow=True, "
                  "random_state=0, feature_selection='none'), a fresh one per text",
        explain_instance=OrderedDict(labels="(predicted class,)", num_features=100, num_samples=2000,
                                     distance_metric="cosine (times 100)"),
        kernel_width=25, kernel="sqrt(exp(-d^2 / width^2))",
        classifier_fn="tokens (tweets_baseline.tokenize) -> vocab ids (<unk> = 1), 24 ids padded with 0 -> "
                      "onnx logits -> softmax (float32)",
        results=results)


# ---------------------------------------------------------------- B. LIME's tabular discretizer and sampler

def lime_tabular_fixtures(names, classes, split, model):
    x_train, x_test = split[0], split[1]
    training = x_train.astype(np.float64)  # float32 values, as Swift reads them
    save(LIME_TABULAR, "train.npy", x_train)
    save(LIME_TABULAR, "instances.npy", x_test[TEST_ROWS])
    explainer = lime_tabular.LimeTabularExplainer(training, feature_names=names, class_names=classes,
                                                  discretize_continuous=True, discretizer="quartile",
                                                  random_state=0, feature_selection="none")
    discretizer = explainer.discretizer
    features = range(FEATURES)
    quartiles = [np.unique(np.percentile(training[:, f], [25, 50, 75])).tolist() for f in features]
    for f in features:  # lime's mins/maxs are the training range around the quartiles
        assert discretizer.mins[f] == [training[:, f].min()] + quartiles[f]
        assert discretizer.maxs[f] == quartiles[f] + [training[:, f].max()]
    assert np.all(explainer.scaler.mean_ == 0) and np.all(explainer.scaler.scale_ == 1)

    # For a given binary matrix: lime's scaled data (the scaler is the identity once every column is
    # categorical) and the Euclidean distances to row 0, as explain_instance computes them.
    binary = np.random.default_rng(0).integers(0, 2, size=(12, FEATURES)).astype(np.float64)
    binary[0] = 1
    scaled = (binary - explainer.scaler.mean_) / explainer.scaler.scale_
    distances = sklearn.metrics.pairwise_distances(scaled, scaled[0].reshape(1, -1), metric="euclidean").ravel()

    def predict_fn(rows):
        with torch.no_grad():
            return softmax32(model(torch.from_numpy(rows.astype(np.float32))).numpy())

    explanations = []
    calls = capture_regression(explainer.base)
    for number, row in enumerate(x_test[TEST_ROWS]):
        instance = row.astype(np.float64)
        seen = []
        explanation = explainer.explain_instance(instance, lambda rows: seen.append(rows) or predict_fn(rows),
                                                 labels=(TARGET_CLASS,), num_features=FEATURES, num_samples=5000)
        call = calls[number]
        data = call["data"]
        inverse = seen[0]
        bins = discretizer.discretize(inverse)
        instance_bins = discretizer.discretize(instance)
        assert np.array_equal(data[0], np.ones(FEATURES)) and np.array_equal(inverse[0], instance)
        assert np.array_equal(data[1:], (bins[1:] == instance_bins).astype(float))  # binary = same bin
        expected = sklearn.metrics.pairwise_distances(data, data[:1]).ravel()
        np.testing.assert_allclose(call["distances"], expected, rtol=0, atol=1e-12)
        names_used = [name for name, _ in explanation.as_list(label=TARGET_CLASS)]
        explanations.append(OrderedDict(
            instance=floats(instance), discretized=instance_bins.astype(int).tolist(),
            bin_names=[discretizer.names[f][int(instance_bins[f])] for f in features],
            explanation_feature_names=names_used, target=TARGET_CLASS,
            probabilities=floats(call["labels"][0]),
            masks=save(LIME_TABULAR, f"explanation-{number}.masks.npy", data, np.uint8),
            scores=save(LIME_TABULAR, f"explanation-{number}.scores.npy", call["labels"][:, TARGET_CLASS]),
            bin_frequencies_in_sample=[np.bincount(bins[1:, f].astype(int), minlength=len(quartiles[f]) + 1)
                                       .tolist() for f in features],
            **lime_result(call, FEATURES)))
    print("lime-tabular: quartiles, bin statistics and 3 explanations (5000 samples) of the MLP written")
    manifest = OrderedDict(
        source="lime 0.2.0.1 LimeTabularExplainer(train, feature_names, class_names, discretize_continuous=True, "
               "discretizer='quartile', random_state=0, feature_selection='none')",
        train="train.npy", train_shape=list(x_train.shape), feature_names=names, class_names=classes,
        instances="instances.npy",
        kernel_width=float(np.sqrt(FEATURES) * 0.75), kernel="sqrt(exp(-d^2 / width^2))",
        discretizer=OrderedDict(
            quartiles=quartiles, names=[discretizer.names[f] for f in features],
            means=[floats(discretizer.means[f]) for f in features],
            stds=[floats(discretizer.stds[f]) for f in features],
            mins=[floats(discretizer.mins[f]) for f in features],
            maxs=[floats(discretizer.maxs[f]) for f in features],
            feature_values=[[int(v) for v in explainer.feature_values[f]] for f in features],
            feature_frequencies=[floats(explainer.feature_frequencies[f]) for f in features]),
        scaler=OrderedDict(mean=floats(explainer.scaler.mean_), scale=floats(explainer.scaler.scale_)),
        given_binary=OrderedDict(binary=binary.astype(int).tolist(), scaled=floats(scaled),
                                 distances=floats(distances)),
        explanations=OrderedDict(
            model="../perturbation/breast_cancer_mlp.onnx", num_samples=5000, labels=[TARGET_CLASS],
            predict_fn="softmax (float32) of the PyTorch model's logits", rows=explanations))
    write_json(LIME_TABULAR, "manifest.json", manifest)


# ---------------------------------------------------------------- main

def clear(folder):
    os.makedirs(folder, exist_ok=True)
    for entry in os.listdir(folder):
        if entry != "README.md":
            os.remove(os.path.join(folder, entry))


def main():
    clear(PERTURBATION)
    clear(LIME_TABULAR)
    check_philox()
    names, classes, *split = breast_cancer_split()
    mlp, mlp_entry = breast_cancer(names, classes, split)

    score_cams, rises = [], []
    for name, count in [("tiny_cnn", 500), ("digits_cnn", 300)]:
        entry, model = score_cam(name)
        score_cams.append(entry)
        rises.append(rise(name, model, count=count, s=4, p=0.5, seed=7))
    manifest = OrderedDict(
        breast_cancer_mlp=mlp_entry, score_cam=score_cams, rise=rises, lime_image=lime_images(),
        lime_text=lime_texts(),
        versions={package: metadata.version(package) for package in
                  ["torch", "captum", "grad-cam", "shap", "lime", "scikit-image", "scikit-learn", "scipy", "onnx",
                   "onnxruntime", "numpy", "opencv-python-headless"]})
    write_json(PERTURBATION, "manifest.json", manifest)
    lime_tabular_fixtures(names, classes, split, mlp)
    for folder in (PERTURBATION, LIME_TABULAR):
        total = sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
        print(f"{len(os.listdir(folder))} files, {total} bytes in {folder}")


if __name__ == "__main__":
    main()
