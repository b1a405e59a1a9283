#!/usr/bin/env python3
"""Writes the surrogate-model fixtures into Tests/GlassboxExplainTests/Fixtures/surrogate:
reference numbers from lime, shap and scikit-learn for GlassboxExplain's surrogate mathematics
(`Sources/GlassboxExplain/Surrogate/`), which `LocalLinearModelTests`, `ShapleyTests` and
`SubmodularPickTests` compare with.

- `lime.json`: lime 0.2.0.1's `LimeBase.explain_instance_with_data` (Ribeiro et al. 2016) on
  four seeded data sets — binary masks with the first row all ones and cosine distances (an image
  and a text kernel), and continuous data with Euclidean distances (the tabular kernel; one set of
  correlated columns whose lasso path drops variables) — for every
  feature-selection mode and three values of `num_features`; the distances (scikit-learn's
  `pairwise_distances`), the kernel weights, and scikit-learn's `lars_path(method='lasso')` on
  lime's weighted data.
- `shap.json`: shap's `KernelExplainer` (Lundberg & Lee 2017) with `l1_reg=0` and enough samples
  to enumerate every coalition (exact Shapley values) on a small nonlinear function, with a
  background set and with a single baseline row, one feature not varying; and the deterministic
  part of its coalition plan (the completely enumerated subset sizes, their masks and weights) for
  several feature counts and budgets.
- `submodular_pick.json`: lime's `SubmodularPick(method='full')` on explanation weight matrices.

Regenerate (run by hand; CI never runs Python). Deterministic: fixed seeds, a second run writes
byte-identical files:
    pip install lime==0.2.0.1 shap==0.51.0 scikit-learn==1.9.1 numpy==2.4.6 scipy==1.17.1
    python3 scripts/make_surrogate_fixtures.py
Written with Python 3.11.7, lime 0.2.0.1, shap 0.51.0, scikit-learn 1.9.1, numpy 2.4.6, scipy 1.17.1.
"""
import json
import logging
import os
import warnings
from functools import partial
from importlib import metadata

import numpy as np
import shap
import sklearn.metrics
from lime.lime_base import LimeBase
from lime.submodular_pick import SubmodularPick
from sklearn.linear_model import Ridge, lars_path

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "GlassboxExplainTests", "Fixtures", "surrogate")
SELECTIONS = ["none", "forward_selection", "highest_weights", "lasso_path", "auto"]
NUM_FEATURES = [2, 4, 8]


def kernel(d, kernel_width):
    """lime's exponential kernel (lime_image, lime_text, lime_tabular)."""
    return np.sqrt(np.exp(-(d**2) / kernel_width**2))


def labels_for(data, rng):
    """A nonlinear function of the features plus noise: the black box's scores."""
    f = data.shape[1]
    a = rng.normal(size=f)
    z = data @ a + 1.5 * data[:, 0] * data[:, 1] - data[:, 2] * data[:, 3] + 0.5 * np.sin(3 * data[:, f - 1])
    return 1 / (1 + np.exp(-z)) + 0.05 * rng.normal(size=len(data))


def lime_dataset(name, rows, features, distance, seed):
    rng = np.random.default_rng(seed)
    if name == "correlated":
        # Three latent columns and noisy mixtures of them: the lasso path drops variables.
        latent = rng.normal(size=(rows, 3))
        mixed = latent @ rng.normal(size=(3, features - 3)) + 0.3 * rng.normal(size=(rows, features - 3))
        data = np.hstack([latent, mixed])
        labels = np.tanh(data @ rng.normal(size=features)) + 0.05 * rng.normal(size=rows)
    elif distance == "euclidean":
        data = rng.normal(size=(rows, features))
        labels = labels_for(data, rng)
    else:
        data = rng.integers(0, 2, size=(rows, features)).astype(np.float64)
        data[0] = 1
        labels = labels_for(data, rng)
    if distance == "euclidean":
        scale, width = 1.0, float(np.sqrt(features) * 0.75)
    else:
        scale, width = (100.0, 25.0) if name == "text" else (1.0, 0.25)
    metric = "euclidean" if distance == "euclidean" else "cosine"
    distances = sklearn.metrics.pairwise_distances(data, data[0].reshape(1, -1), metric=metric).ravel() * scale
    weights = kernel(distances, width)
    weighted_data = (data - np.average(data, axis=0, weights=weights)) * np.sqrt(weights[:, np.newaxis])
    weighted_labels = (labels - np.average(labels, weights=weights)) * np.sqrt(weights)
    alphas, _, coefs = lars_path(weighted_data, weighted_labels, method="lasso", verbose=False)
    base = LimeBase(partial(kernel, kernel_width=width), random_state=0)
    cases = []
    for selection in SELECTIONS:
        for k in NUM_FEATURES:
            intercept, exp, score, local = base.explain_instance_with_data(
                data, labels[:, None], distances, 0, k, feature_selection=selection)
            used = [int(f) for f, _ in exp]
            ridge = Ridge(alpha=1).fit(data[:, used], labels, sample_weight=weights)
            assert abs(ridge.score(data[:, used], labels, sample_weight=weights) - score) < 1e-12
            cases.append({
                "dataset": name, "selection": selection, "numFeatures": k,
                "intercept": float(intercept), "features": used, "coefficients": [float(c) for _, c in exp],
                "score": float(score), "localPrediction": float(local[0]),
            })
    dataset = {
        "name": name, "distance": distance, "scale": scale, "kernelWidth": width,
        "rows": rows, "features": features,
        "data": [int(v) for v in data.ravel()] if distance != "euclidean" else [float(v) for v in data.ravel()],
        "labels": [float(v) for v in labels], "distances": [float(v) for v in distances],
        "weights": [float(v) for v in weights],
        "larsAlphas": [float(v) for v in alphas],
        "larsCoefficients": [[float(v) for v in row] for row in coefs.T],
    }
    return dataset, cases


def shap_function(z):
    """The small nonlinear model explained by KernelSHAP (six features)."""
    return (np.sin(z[:, 0]) * z[:, 1] + z[:, 2] ** 2 - 0.5 * z[:, 0] * z[:, 3] + np.tanh(z[:, 4] + z[:, 1])
            + 0.3 * z[:, 5] * z[:, 2])


def shap_exact(name, background, x):
    explainer = shap.KernelExplainer(shap_function, background)
    phi = explainer.shap_values(x[None, :], nsamples=1000, l1_reg=0, silent=True)[0]
    return {
        "name": name, "x": [float(v) for v in x], "background": [[float(v) for v in row] for row in background],
        "shapValues": [float(v) for v in phi], "expectedValue": float(explainer.expected_value),
        "prediction": float(shap_function(x[None, :])[0]),
        "varying": [int(i) for i in explainer.varyingInds],
        "masks": [int(sum(int(b) << i for i, b in enumerate(row))) for row in explainer.maskMatrix],
        "weights": [float(w) for w in explainer.kernelWeights],
    }


class FullSubsetsLog(logging.Handler):
    """Captures shap's `num_full_subsets = N` info line (the count of enumerated subset sizes)."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.value = None

    def emit(self, record):
        message = record.getMessage()
        if message.startswith("num_full_subsets = "):
            self.value = int(message.split("=")[1])


def shap_plan(features, samples):
    log = FullSubsetsLog()
    logger = logging.getLogger("shap")
    logger.setLevel(logging.INFO)
    logger.addHandler(log)
    np.random.seed(0)
    explainer = shap.KernelExplainer(lambda z: z.sum(1), np.zeros((1, features)))
    kwargs = {} if samples is None else {"nsamples": samples}
    explainer.shap_values(np.ones((1, features)), l1_reg=0, silent=True, **kwargs)
    logger.removeHandler(log)
    full = log.value
    paired = (features - 1) // 2
    fixed = sum(int(np.round(float(shap.explainers._kernel.binom(features, s)))) * (2 if s <= paired else 1)
                for s in range(1, full + 1))
    masks = explainer.maskMatrix[:fixed]
    return {
        "features": features, "samples": samples, "budget": int(explainer.nsamples),
        "fullSubsetSizes": full, "count": int(explainer.nsamplesAdded),
        "fixedMasks": [int(sum(int(b) << i for i, b in enumerate(row))) for row in masks],
        "fixedWeights": [float(w) for w in explainer.kernelWeights[:fixed]],
        "totalWeight": float(explainer.kernelWeights.sum()),
    }


class StubExplanation:
    """What SubmodularPick reads of a lime explanation: one label's (feature, weight) list."""

    mode = "regression"

    def __init__(self, row):
        self.row = row

    def as_list(self, label=1):
        return [(f"f{j}", float(w)) for j, w in enumerate(self.row) if w != 0]


class StubExplainer:
    def __init__(self, weights):
        self.weights = weights

    def explain_instance(self, row, predict_fn, num_features=10, top_labels=1):
        return StubExplanation(self.weights[int(row[0])])


def submodular_pick(name, weights, budget):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pick = SubmodularPick(StubExplainer(weights), np.arange(len(weights))[:, None], None, method="full",
                              num_exps_desired=budget)
    return {"name": name, "weights": [[float(v) for v in row] for row in weights], "budget": budget,
            "picked": [int(i) for i in pick.V]}


def write(name, value):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(value, f, separators=(",", ":"))
        f.write("\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    versions = {p: metadata.version(p) for p in ["lime", "shap", "scikit-learn", "numpy", "scipy"]}
    datasets, cases = [], []
    for name, rows, features, distance, seed in [
        ("image", 150, 6, "cosine", 1), ("text", 300, 12, "cosine", 2), ("tabular", 200, 9, "euclidean", 3),
        ("correlated", 120, 7, "euclidean", 3),
    ]:
        dataset, dataset_cases = lime_dataset(name, rows, features, distance, seed)
        datasets.append(dataset)
        cases += dataset_cases
    write("lime.json", {"versions": versions, "datasets": datasets, "cases": cases})

    rng = np.random.default_rng(4)
    background = rng.normal(size=(4, 6))
    x = rng.normal(size=6)
    background[:, 5] = x[5]  # feature 5 does not vary: shap gives it 0 and does not sample it
    exact = [shap_exact("background", background, x), shap_exact("baseline", background[:1], x)]
    plans = [shap_plan(m, s) for m, s in [(5, 10), (6, None), (8, 100), (10, 200), (12, None), (16, None),
                                          (20, None), (9, 30)]]
    write("shap.json", {"versions": versions, "exact": exact, "plans": plans})

    rng = np.random.default_rng(5)
    sparse = rng.normal(size=(30, 12)) * (rng.uniform(size=(30, 12)) < 0.3)
    ties = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 1, 1], [0, 0, 1, 1], [0, 1, 0, 0]], float)
    picks = [submodular_pick("sparse", sparse, 5), submodular_pick("ties", ties, 3),
             submodular_pick("budget-above-instances", ties[:4], 6)]
    write("submodular_pick.json", {"versions": versions, "cases": picks})


if __name__ == "__main__":
    main()
