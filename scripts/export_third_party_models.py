#!/usr/bin/env python3
"""Exports small CNNs from other frameworks to ONNX with their own exporters, with
onnxruntime's outputs on a fixed input, into Tests/GlassboxONNXTests/Fixtures/exporters/
(committed): `<name>.onnx`, `<name>.input.npy` (batch of 2), `<name>.output.npy`,
and `manifest.json` (exporter versions, opset, operators, input layout).

- `keras` — Keras 3 on TensorFlow through tf2onnx (`keras_tf2onnx`): 32x32x3 NHWC
  input; Conv2D, BatchNormalization, ReLU, hard_swish (Keras 3 calls it
  hard_silu) and hard_sigmoid (Keras 3: relu6(x + 3) / 6) activations,
  DepthwiseConv2D, MaxPooling2D(padding="same"), GlobalAveragePooling2D, Dense,
  softmax.
- `paddle` — PaddlePaddle through paddle2onnx (`paddle_paddle2onnx`): 3x32x32
  NCHW input; Conv2D, BatchNorm2D, PReLU, Hardswish, MaxPool2D,
  AdaptiveAvgPool2D, Linear, Softmax.

Weights are seeded; the BatchNorm statistics and affine parameters (and Keras's
zero-initialised biases, which tf2onnx would drop) are drawn so that they
matter. Each framework runs in an environment of its own (each pins its own
packages); every export is checked against the framework's own output. A second
run writes the same .npy files and the same paddle_paddle2onnx.onnx;
keras_tf2onnx.onnx keeps its values but not its bytes (tf2onnx numbers its
folded constants and the batch dimension, "unk__NN", differently from run to run).

Run by hand (CI never runs Python):
    python3 -m venv /tmp/tfenv
    /tmp/tfenv/bin/pip install tensorflow-cpu==2.21.0 keras==3.15.1 tf2onnx==1.17.0 onnxruntime==1.32.0 \
        onnx==1.23.2
    /tmp/tfenv/bin/python scripts/export_third_party_models.py keras
    python3 -m venv /tmp/pdenv
    /tmp/pdenv/bin/pip install paddlepaddle==3.3.1 paddle2onnx==2.1.0 onnxruntime==1.32.0 \
        polygraphy==0.53.6 onnx-graphsurgeon==0.6.1 sympy   # paddle2onnx pins onnx 1.17.0
    # (paddle.onnx.export folds constants with Polygraphy by default, and Polygraphy
    # pip-installs onnx_graphsurgeon and sympy itself, with an extra NVIDIA index,
    # when they are missing; installing them first avoids that.)
    /tmp/pdenv/bin/python scripts/export_third_party_models.py paddle
"""
import json
import os
import sys
from collections import Counter, OrderedDict
from importlib import metadata

import numpy as np
import onnx
import onnxruntime

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "GlassboxONNXTests",
                                     "Fixtures", "exporters"))
SEED = 2026


def versions(*packages):
    result = OrderedDict()
    for package in packages:
        try:
            result[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            result[package] = None
    return result


def run_onnx(path, x):
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    inputs = session.get_inputs()
    assert len(inputs) == 1, [i.name for i in inputs]
    return inputs[0], session.get_outputs(), session.run(None, {inputs[0].name: x})


def record(name, path, x, framework_output, exporter, extra):
    model = onnx.load(path)
    onnx.checker.check_model(model)
    graph_input, graph_outputs, results = run_onnx(path, x)
    np.testing.assert_allclose(results[0], framework_output, rtol=1e-4, atol=1e-5)
    np.save(os.path.join(ROOT, name + ".input.npy"), x)
    np.save(os.path.join(ROOT, name + ".output.npy"), results[0].astype(np.float32))
    dims = [d.dim_param or d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim]
    entry = OrderedDict(
        name=name, exporter=exporter, files=[name + ".onnx", name + ".input.npy", name + ".output.npy"],
        opset=[(o.domain or "ai.onnx", o.version) for o in model.opset_import], ir_version=model.ir_version,
        producer=f"{model.producer_name} {model.producer_version}".strip(),
        input=OrderedDict(name=graph_input.name, declared_shape=dims, shape=list(x.shape)),
        outputs=[OrderedDict(name=o.name, shape=list(r.shape)) for o, r in zip(graph_outputs, results)],
        operators=dict(sorted(Counter(n.op_type for n in model.graph.node).items())),
        initializers=len(model.graph.initializer),
        max_abs_difference_to_framework=float(np.abs(results[0] - framework_output).max()),
        tolerance=OrderedDict(rtol=1e-4, atol=1e-5))
    entry.update(extra)
    manifest_path = os.path.join(ROOT, "manifest.json")
    manifest = OrderedDict(script="scripts/export_third_party_models.py", models=OrderedDict())
    if os.path.exists(manifest_path):
        with open(manifest_path) as handle:
            manifest = json.load(handle, object_pairs_hook=OrderedDict)
    manifest["models"][name] = entry
    manifest["models"] = OrderedDict(sorted(manifest["models"].items()))
    with open(manifest_path, "w") as handle:
        json.dump(manifest, handle, indent=1)
        handle.write("\n")
    print(f"exported {path}: {entry['operators']}")


# ---------------------------------------------------------------- Keras / TensorFlow → tf2onnx

def keras():
    os.environ.setdefault("TF_DETERMINISTIC_OPS", "1")
    import tensorflow as tf
    import tf2onnx
    from tensorflow import keras as k

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    k.utils.set_random_seed(SEED)
    layers = k.layers
    model = k.Sequential([
        k.Input((32, 32, 3), name="input"),
        layers.Conv2D(8, 3, padding="same", use_bias=False),
        layers.BatchNormalization(),
        layers.ReLU(),
        layers.Conv2D(8, 3, strides=2, padding="same"),
        layers.Activation("hard_swish"),
        layers.DepthwiseConv2D(3, padding="same"),
        layers.BatchNormalization(),
        layers.Activation("hard_sigmoid"),
        layers.MaxPooling2D(pool_size=3, strides=2, padding="same"),
        layers.Conv2D(16, 1),
        layers.ReLU(),
        layers.GlobalAveragePooling2D(),
        layers.Dense(10),
        layers.Softmax(),
    ], name="keras_tf2onnx")
    rng = np.random.default_rng(SEED)
    for layer in model.layers:
        # Keras initialises biases to zero, which tf2onnx would drop; draw them so they stay in the graph.
        if getattr(layer, "use_bias", False) and getattr(layer, "bias", None) is not None:
            layer.bias.assign((rng.standard_normal(layer.bias.shape) * 0.2).astype(np.float32))
        if isinstance(layer, layers.BatchNormalization):
            n = layer.gamma.shape[0]
            layer.gamma.assign(rng.uniform(0.5, 1.5, n).astype(np.float32))
            layer.beta.assign((rng.standard_normal(n) * 0.2).astype(np.float32))
            layer.moving_mean.assign((rng.standard_normal(n) * 0.2).astype(np.float32))
            layer.moving_variance.assign(rng.uniform(0.5, 1.5, n).astype(np.float32))
    x = rng.standard_normal((2, 32, 32, 3)).astype(np.float32)
    expected = model(x, training=False).numpy()

    opset = 17
    path = os.path.join(ROOT, "keras_tf2onnx.onnx")
    signature = (tf.TensorSpec((None, 32, 32, 3), tf.float32, name="input"),)
    function = tf.function(lambda inputs: model(inputs, training=False))
    tf2onnx.convert.from_function(function, input_signature=signature, opset=opset, output_path=path)
    record("keras_tf2onnx", path, x, expected, "tf2onnx.convert.from_function (tf.function of the Keras model)",
           OrderedDict(framework="keras", layout="NHWC", requested_opset=opset,
                       versions=versions("tensorflow-cpu", "keras", "tf2onnx", "onnx", "onnxruntime",
                                         "numpy"),
                       keras_layers=[type(layer).__name__ + (f"({layer.activation.__name__})"
                                                             if isinstance(layer, layers.Activation) else "")
                                     for layer in model.layers]))


# ---------------------------------------------------------------- PaddlePaddle → paddle2onnx

def paddle():
    import paddle as pd
    from paddle import nn

    pd.seed(SEED)
    pd.set_device("cpu")

    class SmallCNN(nn.Layer):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2D(3, 8, 3, padding=1)
            self.bn1 = nn.BatchNorm2D(8)
            self.prelu = nn.PReLU(num_parameters=8, init=0.1)
            self.conv2 = nn.Conv2D(8, 16, 3, stride=1, padding=1)
            self.hardswish = nn.Hardswish()
            self.pool = nn.MaxPool2D(kernel_size=2, stride=2)
            self.gap = nn.AdaptiveAvgPool2D(1)
            self.flatten = nn.Flatten()
            self.fc = nn.Linear(16, 10)
            self.softmax = nn.Softmax(axis=-1)

        def forward(self, x):
            x = self.prelu(self.bn1(self.conv1(x)))
            x = self.pool(self.hardswish(self.conv2(x)))
            return self.softmax(self.fc(self.flatten(self.gap(x))))

    model = SmallCNN()
    rng = np.random.default_rng(SEED)
    bn = model.bn1
    bn.weight.set_value(rng.uniform(0.5, 1.5, 8).astype(np.float32))
    bn.bias.set_value((rng.standard_normal(8) * 0.2).astype(np.float32))
    bn._mean.set_value((rng.standard_normal(8) * 0.2).astype(np.float32))
    bn._variance.set_value(rng.uniform(0.5, 1.5, 8).astype(np.float32))
    model.prelu._weight.set_value(rng.uniform(0.05, 0.4, 8).astype(np.float32))
    model.eval()
    x = rng.standard_normal((2, 3, 32, 32)).astype(np.float32)
    expected = model(pd.to_tensor(x)).numpy()

    opset = 13
    spec = [pd.static.InputSpec(shape=[None, 3, 32, 32], dtype="float32", name="input")]
    prefix = os.path.join(ROOT, "paddle_paddle2onnx")
    pd.onnx.export(model, prefix, input_spec=spec, opset_version=opset)
    record("paddle_paddle2onnx", prefix + ".onnx", x, expected, "paddle.onnx.export (paddle2onnx)",
           OrderedDict(framework="paddle", layout="NCHW", requested_opset=opset,
                       versions=versions("paddlepaddle", "paddle2onnx", "polygraphy", "onnx-graphsurgeon", "onnx",
                                         "onnxruntime", "numpy"),
                       note="paddle.onnx.export's default: paddle.jit.save, paddle2onnx, then Polygraphy constant folding"))


def main():
    os.makedirs(ROOT, exist_ok=True)
    which = sys.argv[1:] or ["keras", "paddle"]
    for name in which:
        {"keras": keras, "paddle": paddle}[name]()


if __name__ == "__main__":
    main()
