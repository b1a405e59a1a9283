#!/usr/bin/env python3
"""Writes the ONNX importer's test fixtures into Tests/GlassboxONNXTests/Fixtures.

Models are built with onnx.helper from seeded random weights; each comes with a
reference input (<name>.input.npy) and onnxruntime's output (<name>.output.npy),
some with the outputs of inner nodes (<name>.<value>.npy). Cases of the onnx
package's own backend test data (pytorch-converted, pytorch-operator) whose
operators the importer supports are copied into Fixtures/backend/, upgraded
from their opset 6 to opset 9 and checked against their recorded outputs.

Regenerate (run by hand; CI never runs Python):
    pip install onnx==1.23.2 onnxruntime==1.32.0 numpy
    python3 scripts/make_onnx_fixtures.py
"""
import os
import shutil

import numpy as np
import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper, version_converter

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "GlassboxONNXTests", "Fixtures")
rng = np.random.default_rng(2026)


def weight(name, *shape, scale=0.5):
    return numpy_helper.from_array((rng.standard_normal(shape) * scale).astype(np.float32), name)


def constant(name, values, dtype=np.float32):
    return numpy_helper.from_array(np.asarray(values, dtype=dtype), name)


def save(name, nodes, initializers, input_shape, output="output", opset=13, batch=2, inner=(), external=False):
    def build(output_shape):
        graph = helper.make_graph(
            nodes, name,
            [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N"] + list(input_shape))],
            [helper.make_tensor_value_info(output, TensorProto.FLOAT, output_shape)],
            initializer=initializers)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="glassbox-fixtures")
        model.ir_version = 7 if opset < 15 else 10
        return model

    x = rng.standard_normal([batch] + list(input_shape)).astype(np.float32)
    # The output's shape (batch symbolic) from a first run, so the checker sees a complete model.
    first = onnxruntime.InferenceSession(build(None).SerializeToString(), providers=["CPUExecutionProvider"])
    model = build(["N"] + list(first.run(None, {"input": x})[0].shape[1:]))
    onnx.checker.check_model(model)
    # References, with inner values added as extra outputs of a copy of the model.
    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    for value in inner:
        probe.graph.output.append(helper.make_tensor_value_info(value, TensorProto.FLOAT, None))
    session = onnxruntime.InferenceSession(probe.SerializeToString(), providers=["CPUExecutionProvider"])
    results = session.run(None, {"input": x})
    path = os.path.join(ROOT, name)
    if external:
        onnx.save_model(model, path + ".onnx", save_as_external_data=True, all_tensors_to_one_file=True,
                        location=name + ".weights.bin", size_threshold=0)
    else:
        onnx.save_model(model, path + ".onnx")
    np.save(path + ".input.npy", x)
    np.save(path + ".output.npy", results[0].astype(np.float32))
    for value, result in zip(inner, results[1:]):
        np.save(path + "." + value + ".npy", result.astype(np.float32))


def node(op, inputs, outputs, name=None, **attributes):
    return helper.make_node(op, inputs, outputs, name=name or outputs[0], **attributes)


def small_cnn(name, opset, softmax=False):
    nodes = [
        node("Conv", ["input", "conv1.w", "conv1.b"], ["conv1"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        node("BatchNormalization", ["conv1", "bn.scale", "bn.bias", "bn.mean", "bn.var"], ["bn"], epsilon=1e-3),
        node("Relu", ["bn"], ["relu1"]),
        node("MaxPool", ["relu1"], ["pool"], kernel_shape=[2, 2], strides=[2, 2]),
        node("Conv", ["pool", "conv2.w", "conv2.b"], ["conv2"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        node("Relu", ["conv2"], ["relu2"]),
        node("Dropout", ["relu2"], ["dropout"], **({"ratio": 0.5} if opset < 12 else {})),
        node("Flatten", ["dropout"], ["flatten"], axis=1),
        node("Gemm", ["flatten", "fc.w", "fc.b"], ["logits" if softmax else "output"], transB=1),
    ]
    if softmax:
        nodes.append(node("Softmax", ["logits"], ["output"], axis=1))
    initializers = [
        weight("conv1.w", 8, 1, 3, 3), weight("conv1.b", 8),
        weight("bn.scale", 8), weight("bn.bias", 8), weight("bn.mean", 8, scale=0.1),
        constant("bn.var", rng.uniform(0.5, 2, 8)),
        weight("conv2.w", 16, 8, 3, 3, scale=0.2), weight("conv2.b", 16),
        weight("fc.w", 10, 16 * 4 * 4, scale=0.1), weight("fc.b", 10),
    ]
    save(name, nodes, initializers, [1, 8, 8], opset=opset, inner=("conv2", "relu1"))


def main():
    # The PyTorch exports and the README in this folder belong to other writers.
    shutil.rmtree(os.path.join(ROOT, "backend"), ignore_errors=True)
    os.makedirs(ROOT, exist_ok=True)
    small_cnn("small_cnn", 13)
    small_cnn("small_cnn_softmax", 13, softmax=True)
    small_cnn("opset7_cnn", 7)
    small_cnn("opset21_cnn", 21)

    save("residual", [
        node("Conv", ["input", "c1.w", "c1.b"], ["c1"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        node("Relu", ["c1"], ["r1"]),
        node("Conv", ["r1", "c2.w"], ["c2"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        node("Add", ["c2", "input"], ["skip"]),
        node("Relu", ["skip"], ["r2"]),
        node("GlobalAveragePool", ["r2"], ["gap"]),
        node("Flatten", ["gap"], ["flat"]),
        node("Gemm", ["flat", "fc.w", "fc.b"], ["output"], transB=1, alpha=0.5, beta=2.0),
    ], [weight("c1.w", 4, 4, 3, 3, scale=0.3), weight("c1.b", 4), weight("c2.w", 4, 4, 3, 3, scale=0.3),
        weight("fc.w", 5, 4), weight("fc.b", 5)], [4, 6, 6], inner=("skip",))

    save("concat_pool", [
        node("Conv", ["input", "a.w"], ["a"], kernel_shape=[1, 1]),
        node("Conv", ["input", "b.w", "b.b"], ["b"], kernel_shape=[3, 3], pads=[1, 0, 1, 2], dilations=[1, 1]),
        node("Concat", ["a", "b"], ["cat"], axis=1),
        node("AveragePool", ["cat"], ["avg"], kernel_shape=[2, 2], strides=[2, 2], pads=[1, 1, 1, 1], count_include_pad=1),
        node("AveragePool", ["avg"], ["avg2"], kernel_shape=[3, 3], pads=[1, 1, 1, 1], count_include_pad=0),
        node("MaxPool", ["avg2"], ["output"], kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1),
    ], [weight("a.w", 3, 2, 1, 1), weight("b.w", 5, 2, 3, 3), weight("b.b", 5)], [2, 7, 7])

    save("conv_variants", [
        node("Conv", ["input", "g.w", "g.b"], ["grouped"], kernel_shape=[3, 3], group=2, strides=[2, 1], pads=[1, 0, 2, 1]),
        node("Conv", ["grouped", "d.w"], ["dilated"], kernel_shape=[3, 3], dilations=[2, 2], pads=[2, 2, 2, 2]),
        node("Conv", ["dilated", "u.w"], ["same_upper"], kernel_shape=[2, 2], auto_pad="SAME_UPPER"),
        node("Conv", ["same_upper", "s.w"], ["same_lower"], kernel_shape=[2, 2], strides=[2, 2], auto_pad="SAME_LOWER"),
        node("LeakyRelu", ["same_lower"], ["leaky"], alpha=0.1),
        node("PRelu", ["leaky", "slope"], ["prelu"]),
        node("Elu", ["prelu"], ["elu"], alpha=0.7),
        node("Clip", ["elu", "low", "high"], ["clip"]),
        node("GlobalMaxPool", ["clip"], ["gmp"]),
        node("Squeeze", ["gmp", "axes23"], ["squeezed"]),
        node("MatMul", ["squeezed", "mm.w"], ["mm"]),
        node("Add", ["mm", "mm.b"], ["biased"]),
        node("Mul", ["biased", "scale"], ["scaled"]),
        node("Sub", ["one", "scaled"], ["flipped"]),
        node("Div", ["flipped", "two"], ["halved"]),
        node("Sigmoid", ["halved"], ["sig"]),
        node("Unsqueeze", ["sig", "axes2"], ["unsqueezed"]),
        node("Tanh", ["unsqueezed"], ["tanh"]),
        node("Flatten", ["tanh"], ["flat"]),
        node("LogSoftmax", ["flat"], ["output"], axis=-1),
    ], [weight("g.w", 6, 2, 3, 3), weight("g.b", 6), weight("d.w", 6, 6, 3, 3, scale=0.2), weight("u.w", 6, 6, 2, 2, scale=0.3),
        weight("s.w", 4, 6, 2, 2, scale=0.3), constant("slope", rng.uniform(0.1, 0.3, (4, 1, 1))),
        constant("low", -0.5), constant("high", 1.5), constant("axes23", [2, 3], np.int64),
        weight("mm.w", 4, 7), weight("mm.b", 7), weight("scale", 7), constant("one", 1.0), constant("two", 2.0),
        constant("axes2", [2], np.int64)], [4, 9, 8])

    # x.view(x.size(0), -1) as PyTorch exports it.
    save("reshape_chain", [
        node("Conv", ["input", "c.w"], ["conv"], kernel_shape=[3, 3]),
        node("Shape", ["conv"], ["shape"]),
        node("Gather", ["shape", "zero"], ["batch"], axis=0),
        node("Unsqueeze", ["batch", "axes0"], ["batch1"]),
        node("Concat", ["batch1", "minus_one"], ["target"], axis=0),
        node("Reshape", ["conv", "target"], ["flat"]),
        node("Gemm", ["flat", "fc.w"], ["gemm"], transB=1),
        node("Identity", ["gemm"], ["identity"]),
        node("Softmax", ["identity"], ["output"]),
    ], [weight("c.w", 2, 3, 3, 3), constant("zero", 0, np.int64), constant("axes0", [0], np.int64),
        constant("minus_one", [-1], np.int64), weight("fc.w", 6, 2 * 4 * 4)], [3, 6, 6], inner=("flat",))

    save("pad_lrn_transpose", [
        node("Pad", ["input", "pads", "pad_value"], ["padded"], mode="constant"),
        node("LRN", ["padded"], ["lrn"], size=3, alpha=0.2, beta=0.75, bias=1.5),
        node("Transpose", ["lrn"], ["nhwc"], perm=[0, 2, 3, 1]),
        node("Relu", ["nhwc"], ["relu"]),
        node("Transpose", ["relu"], ["nchw"], perm=[0, 3, 1, 2]),
        node("Conv", ["nchw", "c.w", "c.b"], ["output"], kernel_shape=[1, 1]),
    ], [constant("pads", [0, 0, 1, 2, 0, 0, 2, 1], np.int64), constant("pad_value", 0.5), weight("c.w", 4, 3, 1, 1),
        weight("c.b", 4)], [3, 5, 6], inner=("padded", "lrn", "nhwc"))

    save("pad_opset7", [
        node("Pad", ["input"], ["padded"], mode="constant", pads=[0, 0, 2, 1, 0, 0, 0, 3], value=-1.0),
        node("LRN", ["padded"], ["output"], size=5),
    ], [], [6, 4, 4], opset=7)

    save("external_data", [
        node("Conv", ["input", "c.w", "c.b"], ["conv"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        node("Relu", ["conv"], ["relu"]),
        node("GlobalAveragePool", ["relu"], ["gap"]),
        node("Flatten", ["gap"], ["flat"]),
        node("Gemm", ["flat", "fc.w", "fc.b"], ["output"], transB=1),
    ], [weight("c.w", 4, 2, 3, 3), weight("c.b", 4), weight("fc.w", 3, 4), weight("fc.b", 3)], [2, 5, 5], external=True)

    # Self-attention without weights: softmax(x·xᵀ)·x, a MatMul of two computed values.
    save("attention", [
        node("Transpose", ["input"], ["keys"], perm=[0, 2, 1]),
        node("MatMul", ["input", "keys"], ["scores"]),
        node("Softmax", ["scores"], ["weights"], axis=-1),
        node("MatMul", ["weights", "input"], ["mixed"]),
        node("MatMul", ["mixed", "proj"], ["output"]),
    ], [weight("proj", 6, 4)], [5, 6])

    copy_backend_tests()


# Cases of the onnx package's backend test data (PyTorch-exported single operators)
# whose operators and shapes the importer supports. test_PReLU_2d_multiparam is left
# out: its opset-6 PRelu broadcasts a per-channel slope the legacy way, which the
# version converter does not rewrite, so no opset >= 7 runtime accepts it.
BACKEND_TESTS = {
    "pytorch-converted": [
        "test_AvgPool2d", "test_AvgPool2d_stride", "test_BatchNorm2d_eval", "test_BatchNorm2d_momentum_eval",
        "test_Conv2d", "test_Conv2d_depthwise", "test_Conv2d_depthwise_padded", "test_Conv2d_depthwise_strided",
        "test_Conv2d_depthwise_with_multiplier", "test_Conv2d_dilated", "test_Conv2d_groups", "test_Conv2d_groups_thnn",
        "test_Conv2d_no_bias", "test_Conv2d_padding", "test_Conv2d_strided", "test_ELU", "test_LeakyReLU",
        "test_LeakyReLU_with_negval", "test_Linear", "test_Linear_no_bias", "test_LogSoftmax", "test_MaxPool2d",
        "test_MaxPool2d_stride_padding_dilation", "test_PReLU_2d", "test_ReLU",
        "test_Sigmoid", "test_Softmax", "test_Tanh", "test_log_softmax_lastdim", "test_ZeroPad2d", "test_ConstantPad2d",
    ],
    # Of pytorch-operator, these are left out: addconstant (its recorded float64 input is
    # uninitialised memory beyond float32's range), basic (two inputs), maxpool (1-D),
    # view (input without a shape) and params (a leading axis that is not a batch).
    "pytorch-operator": ["test_operator_clip", "test_operator_flatten"],
}


def copy_backend_tests():
    source = os.path.join(os.path.dirname(onnx.__file__), "backend", "test", "data")
    for collection, cases in BACKEND_TESTS.items():
        for case in cases:
            folder = os.path.join(source, collection, case)
            size = sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(folder) for f in files)
            if size > 120_000:
                print("skipping large case", case, size)
                continue
            target = os.path.join(ROOT, "backend", collection, case)
            shutil.copytree(folder, target)
            upgrade(os.path.join(target, "model.onnx"), os.path.join(target, "test_data_set_0"))


def upgrade(path, data):
    """These cases were exported at opset 6; the importer reads 7 to 21, so each is
    upgraded with onnx's version converter and checked against its recorded output."""
    model = version_converter.convert_version(onnx.load(path), 9)
    onnx.checker.check_model(model)
    tensors = {}
    for prefix in ("input", "output"):
        with open(os.path.join(data, prefix + "_0.pb"), "rb") as handle:
            tensors[prefix] = numpy_helper.to_array(onnx.TensorProto.FromString(handle.read()))
    session = onnxruntime.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    result = session.run(None, {session.get_inputs()[0].name: tensors["input"]})[0]
    np.testing.assert_allclose(result, tensors["output"], rtol=1e-4, atol=1e-5)
    onnx.save_model(model, path)


if __name__ == "__main__":
    main()
