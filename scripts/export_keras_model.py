#!/usr/bin/env python3
"""Exports a small Keras CNN (NHWC, channels last) with seeded weights to ONNX
through tf2onnx, with onnxruntime's output on a fixed input, into
Tests/GlassboxONNXTests/Fixtures/keras_nhwc.* (committed).

Run by hand in an environment of its own (TensorFlow pins its own packages):
    python3 -m venv /tmp/tfenv
    /tmp/tfenv/bin/pip install tensorflow-cpu tf2onnx onnxruntime
    /tmp/tfenv/bin/python scripts/export_keras_model.py
"""
import os

import numpy as np
import onnxruntime
import tensorflow as tf
import tf2onnx

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "GlassboxONNXTests", "Fixtures")


def main():
    tf.keras.utils.set_random_seed(2026)
    model = tf.keras.Sequential([
        tf.keras.Input((8, 8, 3), name="input"),
        tf.keras.layers.Conv2D(8, 3, padding="same", activation="relu"),
        tf.keras.layers.MaxPooling2D(2),
        tf.keras.layers.Conv2D(16, 3, padding="valid", activation="relu"),
        tf.keras.layers.GlobalAveragePooling2D(),
        tf.keras.layers.Dense(10),
    ])
    x = np.random.default_rng(2026).standard_normal((2, 8, 8, 3)).astype(np.float32)
    signature = (tf.TensorSpec((None, 8, 8, 3), tf.float32, name="input"),)
    function = tf.function(lambda inputs: model(inputs, training=False))
    path = os.path.join(FIXTURES, "keras_nhwc.onnx")
    tf2onnx.convert.from_function(function, input_signature=signature, opset=13, output_path=path)
    session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
    output = session.run(None, {session.get_inputs()[0].name: x})[0]
    np.testing.assert_allclose(output, model(x, training=False).numpy(), rtol=1e-4, atol=1e-5)
    np.save(os.path.join(FIXTURES, "keras_nhwc.input.npy"), x)
    np.save(os.path.join(FIXTURES, "keras_nhwc.output.npy"), output)
    print("exported", path)


if __name__ == "__main__":
    main()
