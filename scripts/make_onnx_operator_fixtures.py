#!/usr/bin/env python3
"""Writes small single-operator ONNX models, with onnxruntime's outputs, into
Tests/GlassboxONNXTests/Fixtures/operators/ for the importer's default tests.

Each case is `<case>.onnx` (built with onnx.helper, seeded weights) with
`<case>.input.npy` (batch of 2) and onnxruntime's `<case>.output.npy`
(`<case>.output1.npy`, ... for further graph outputs; `<case>.size2.*.npy`
for a second input size where the spatial dimensions are symbolic). Every
model has exactly one graph input, "input", declared with a symbolic leading
batch axis "N"; every other operand is an initializer or a Constant node.
The batch samples are independent: the script runs each sample alone and
checks it against its row of the batch output, so no case reduces,
normalises or indexes along axis 0 (some move it, as PyTorch's
MultiheadAttention and Swin's window partition do, and move it back). Most
cases put a computed value (a Mul by a constant, a Conv, a MatMul) in front
of the operator under test so that an importer cannot fold it away.

`manifest.json` lists, for each case: the operators it exercises, its opset,
the declared input and output names and shapes, a tolerance (rtol, atol) for
comparing with onnxruntime, and notes on what the case pins down.

Regenerate (run by hand; CI never runs Python). Deterministic: each case
draws from its own generator seeded by a CRC of its name, so a second run
writes byte-identical files and adding a case changes no other:
    pip install onnx==1.23.2 onnxruntime==1.32.0 numpy==2.4.6
    python3 scripts/make_onnx_operator_fixtures.py
    sha256sum Tests/GlassboxONNXTests/Fixtures/operators/*   # compare two runs
"""
import json
import math
import os
import shutil
import zlib
from collections import OrderedDict

import numpy as np
import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "GlassboxONNXTests",
                                     "Fixtures", "operators"))
INT64_MAX = np.iinfo(np.int64).max
MAX_FILE_BYTES = 20_000
CASES = []


class Case:
    """One model under construction: nodes, initializers and a generator of its own."""

    def __init__(self, name):
        self.name = name
        self.rng = np.random.default_rng(zlib.crc32(name.encode()))
        self.nodes = []
        self.initializers = []
        self.counter = 0

    def fresh(self, stem):
        self.counter += 1
        return f"{stem}_{self.counter}"

    def weight(self, name, *shape, scale=0.5, low=None, high=None):
        if low is not None:
            values = self.rng.uniform(low, high, shape)
        else:
            values = self.rng.standard_normal(shape) * scale
        self.initializers.append(numpy_helper.from_array(np.asarray(values, dtype=np.float32), name))
        return name

    def init(self, name, values, dtype=np.float32):
        self.initializers.append(numpy_helper.from_array(np.asarray(values, dtype=dtype), name))
        return name

    def const(self, values, dtype=np.float32, stem="const"):
        """A Constant node (not an initializer)."""
        output = self.fresh(stem)
        tensor = numpy_helper.from_array(np.asarray(values, dtype=dtype), output + "_value")
        self.nodes.append(helper.make_node("Constant", [], [output], name=output, value=tensor))
        return output

    def op(self, op_type, inputs, outputs=None, **attributes):
        if outputs is None:
            outputs = [self.fresh(op_type.lower())]
        elif isinstance(outputs, str):
            outputs = [outputs]
        self.nodes.append(helper.make_node(op_type, list(inputs), list(outputs), name=outputs[0], **attributes))
        return outputs[0] if len(outputs) == 1 else outputs

    def scale(self, value, shape, stem="scaled"):
        """A computed value: value * (per-element constant), so the op after it cannot be folded."""
        return self.op("Mul", [value, self.weight(self.fresh(stem + ".w"), *shape, low=0.5, high=1.5)])


def ir_version(opset):
    return 7 if opset < 15 else 10


def save(case, input_shape, outputs=("output",), opset=13, tolerance=(1e-4, 1e-5), data="normal", notes="",
         declared_input=None, second_size=None, input_type=np.float32):
    """input_shape excludes the batch axis; data: "normal", "positive" or a callable rng -> array;
    input_type: the input's numpy dtype (np.int64 for token ids, drawn by a callable `data`)."""
    rng = case.rng

    def draw(shape):
        if callable(data):
            return np.asarray(data(rng, shape), dtype=input_type)
        if data == "positive":
            return rng.uniform(0.2, 2.0, shape).astype(np.float32)
        return rng.standard_normal(shape).astype(np.float32)

    x = draw([2] + list(input_shape))
    declared = ["N"] + list(declared_input if declared_input is not None else input_shape)

    def build(output_shapes):
        graph = helper.make_graph(
            case.nodes, case.name,
            [helper.make_tensor_value_info("input", helper.np_dtype_to_tensor_dtype(np.dtype(input_type)), declared)],
            [helper.make_tensor_value_info(name, TensorProto.FLOAT, shape) for name, shape in zip(outputs, output_shapes)],
            initializer=case.initializers)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                                  producer_name="glassbox-fixtures")
        model.ir_version = ir_version(opset)
        return model

    def run(model_bytes, value):
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
        session = onnxruntime.InferenceSession(model_bytes, options, providers=["CPUExecutionProvider"])
        return session.run(None, {"input": value})

    x2 = draw([2] + list(second_size)) if second_size is not None else None
    # Output shapes from a first run: batch "N", other axes fixed unless they change with the input size.
    untyped = build([None] * len(outputs)).SerializeToString()
    first = run(untyped, x)
    second = run(untyped, x2) if x2 is not None else first
    output_shapes = [["N"] + [a if a == b else None for a, b in zip(r.shape[1:], r2.shape[1:])]
                     for r, r2 in zip(first, second)]
    model = build(output_shapes)
    onnx.checker.check_model(model, full_check=True)
    serialized = model.SerializeToString()
    results = run(serialized, x)
    # Batch samples are independent: each sample alone gives its row of the batch result.
    for index in range(len(x)):
        alone = run(serialized, x[index:index + 1])
        for name, batch_result, single in zip(outputs, results, alone):
            np.testing.assert_allclose(single[0], batch_result[index], rtol=1e-5, atol=1e-6,
                                       err_msg=f"{case.name}: output {name}, sample {index} alone")
    for name, result in zip(outputs, results):
        assert result.dtype == np.float32, (case.name, name, result.dtype)
        assert np.all(np.isfinite(result)), (case.name, name)

    path = os.path.join(ROOT, case.name)
    onnx.save_model(model, path + ".onnx")
    np.save(path + ".input.npy", x)
    files = [case.name + ".onnx", case.name + ".input.npy"]
    for index, result in enumerate(results):
        suffix = ".output.npy" if index == 0 else f".output{index}.npy"
        np.save(path + suffix, result)
        files.append(case.name + suffix)
    extra = OrderedDict()
    if x2 is not None:
        results2 = run(serialized, x2)
        np.save(path + ".size2.input.npy", x2)
        files.append(case.name + ".size2.input.npy")
        for index, result in enumerate(results2):
            suffix = ".size2.output.npy" if index == 0 else f".size2.output{index}.npy"
            np.save(path + suffix, result)
            files.append(case.name + suffix)
        extra["size2_input_shape"] = list(x2.shape)
    for file in files:
        size = os.path.getsize(os.path.join(ROOT, file))
        assert size < MAX_FILE_BYTES, (file, size)

    operators = sorted({n.op_type for n in case.nodes})
    entry = OrderedDict(
        case=case.name, operators=operators, opset=opset, ir_version=model.ir_version,
        input=OrderedDict(name="input", declared_shape=declared, shape=list(x.shape)),
        outputs=[OrderedDict(name=name, file=case.name + (".output.npy" if i == 0 else f".output{i}.npy"),
                             shape=list(r.shape)) for i, (name, r) in enumerate(zip(outputs, results))],
        tolerance=OrderedDict(rtol=tolerance[0], atol=tolerance[1]),
        constants=OrderedDict(initializers=len(case.initializers),
                              constant_nodes=sum(n.op_type == "Constant" for n in case.nodes)),
        files=files, notes=notes)
    if input_type != np.float32:
        entry["input"]["dtype"] = np.dtype(input_type).name
    entry.update(extra)
    CASES.append(entry)


def new(name):
    return Case(name)


# ---------------------------------------------------------------- activations

def activations():
    c = new("hardsigmoid_default")
    c.op("HardSigmoid", [c.scale("input", [3, 4, 5])], "output")
    save(c, [3, 4, 5], data=lambda r, s: r.standard_normal(s) * 4,
         notes="HardSigmoid with the ONNX defaults alpha=0.2, beta=0.5: max(0, min(1, 0.2x+0.5)).")

    c = new("hardsigmoid_torch")
    c.op("HardSigmoid", [c.scale("input", [3, 4, 5])], "output", alpha=1.0 / 6.0, beta=0.5)
    save(c, [3, 4, 5], data=lambda r, s: r.standard_normal(s) * 4,
         notes="HardSigmoid alpha=1/6, beta=0.5, as PyTorch exports nn.Hardsigmoid.")

    c = new("hardswish")
    c.op("HardSwish", [c.scale("input", [3, 4, 5])], "output")
    save(c, [3, 4, 5], opset=14, data=lambda r, s: r.standard_normal(s) * 4,
         notes="HardSwish (opset 14): x * max(0, min(1, x/6 + 0.5)).")

    c = new("erf")
    c.op("Erf", [c.scale("input", [4, 6])], "output")
    save(c, [4, 6], data=lambda r, s: r.standard_normal(s) * 1.5)

    for approximate in ("none", "tanh"):
        c = new(f"gelu_opset20_{approximate}")
        c.op("Gelu", [c.scale("input", [4, 6])], "output", approximate=approximate)
        save(c, [4, 6], opset=20, data=lambda r, s: r.standard_normal(s) * 2,
             notes=f"Gelu (opset 20), approximate=\"{approximate}\".")

    c = new("gelu_erf_pattern")
    x = c.op("MatMul", ["input", c.weight("fc.w", 6, 6, scale=0.6)])
    x = c.op("Add", [c.weight("fc.b", 6, scale=0.2), x])
    divided = c.op("Div", [x, c.const(1.4142135381698608)])
    erf = c.op("Erf", [divided])
    plus = c.op("Add", [erf, c.const(1.0)])
    times = c.op("Mul", [x, plus])
    c.op("Mul", [times, c.const(0.5)], "output")
    save(c, [5, 6], opset=17,
         notes="Exact GELU as torch.onnx (dynamo=False) exports F.gelu / nn.GELU at opset 17 (ViT, Swin, ConvNeXt): "
               "Div(x, √2) → Erf → Add 1 → Mul x → Mul 0.5, scalars as Constant nodes; fed by MatMul + Add(bias, x).")


# ---------------------------------------------------------------- normalisation

def layer_norms():
    for axis, shape in ((-1, [6]), (-2, [4, 6])):
        for bias in (True, False):
            name = f"layernorm_axis{'_minus1' if axis == -1 else '_minus2'}{'' if bias else '_nobias'}"
            c = new(name)
            inputs = [c.scale("input", [3, 4, 6]), c.weight("ln.scale", *shape, low=0.5, high=1.5)]
            if bias:
                inputs.append(c.weight("ln.bias", *shape, scale=0.3))
            c.op("LayerNormalization", inputs, "output", axis=axis, epsilon=1e-5)
            save(c, [3, 4, 6], opset=17, data=lambda r, s: r.standard_normal(s) * 2 + 0.5,
                 notes=f"LayerNormalization (opset 17) over the axes from {axis} on, scale {shape}"
                       f"{', bias' if bias else ', no bias input'}, epsilon 1e-5.")

    c = new("layernorm_decomposed_opset13")
    x = c.scale("input", [5, 6])
    mean = c.op("ReduceMean", [x], axes=[-1])
    centred = c.op("Sub", [x, mean])
    squared = c.op("Pow", [centred, c.const(2.0)])
    variance = c.op("ReduceMean", [squared], axes=[-1])
    shifted = c.op("Add", [variance, c.const(9.999999974752427e-07)])
    deviation = c.op("Sqrt", [shifted])
    normalised = c.op("Div", [centred, deviation])
    scaled = c.op("Mul", [normalised, c.weight("ln.weight", 6, low=0.5, high=1.5)])
    c.op("Add", [scaled, c.weight("ln.bias", 6, scale=0.3)], "output")
    save(c, [5, 6], opset=13, data=lambda r, s: r.standard_normal(s) * 2 + 0.5,
         notes="LayerNorm as torch.onnx exports nn.LayerNorm below opset 17 (vit_b_16_opset13): ReduceMean(axes=[-1]) → "
               "Sub → Pow 2 → ReduceMean → Add ε → Sqrt → Div → Mul weight → Add bias.")


# ---------------------------------------------------------------- reductions

def reductions():
    # ReduceSum takes axes as an input from opset 13, the others from opset 18.
    attribute_opset = {"ReduceMean": 13, "ReduceMax": 13, "ReduceL2": 13, "ReduceSum": 11}
    input_opset = {"ReduceMean": 18, "ReduceMax": 18, "ReduceL2": 18, "ReduceSum": 13}
    for op in ("ReduceMean", "ReduceSum", "ReduceMax", "ReduceL2"):
        stem = op[len("Reduce"):].lower()
        opset = attribute_opset[op]
        c = new(f"reduce{stem}_opset{opset}_attr_axes23_keepdims1")
        c.op(op, [c.scale("input", [3, 4, 5])], "output", axes=[2, 3], keepdims=1)
        save(c, [3, 4, 5], opset=opset, notes=f"{op} (opset {opset}) axes=[2, 3] as an attribute, keepdims=1.")

        c = new(f"reduce{stem}_opset{opset}_attr_axis_minus1_keepdims0")
        c.op(op, [c.scale("input", [3, 4, 5])], "output", axes=[-1], keepdims=0)
        save(c, [3, 4, 5], opset=opset, notes=f"{op} (opset {opset}) axes=[-1] as an attribute, keepdims=0.")

        opset = input_opset[op]
        c = new(f"reduce{stem}_opset{opset}_input_axes13_keepdims0")
        c.op(op, [c.scale("input", [3, 4, 5]), c.init("axes", [1, 3], np.int64)], "output", keepdims=0)
        save(c, [3, 4, 5], opset=opset, notes=f"{op} (opset {opset}) axes=[1, 3] as an initializer input, keepdims=0.")

        c = new(f"reduce{stem}_opset{opset}_input_axes_minus2_keepdims1")
        c.op(op, [c.scale("input", [3, 4, 5]), c.const([-2, 1], np.int64)], "output", keepdims=1)
        save(c, [3, 4, 5], opset=opset,
             notes=f"{op} (opset {opset}) axes=[-2, 1] (unsorted, one negative) from a Constant node, keepdims=1.")


# ---------------------------------------------------------------- element-wise

def elementwise():
    def positive_case(name, build, notes="", tolerance=(1e-4, 1e-5)):
        c = new(name)
        build(c, c.scale("input", [3, 5]))
        save(c, [3, 5], data="positive", notes=notes, tolerance=tolerance)

    positive_case("sqrt", lambda c, x: c.op("Sqrt", [x], "output"), "Sqrt of positive values.")
    for exponent in (2.0, 3.0, 0.5):
        label = {2.0: "2", 3.0: "3", 0.5: "0_5"}[exponent]
        positive_case(f"pow_{label}", lambda c, x, e=exponent: c.op("Pow", [x, c.const(e)], "output"),
                      f"Pow with a constant (Constant-node scalar) exponent {exponent} on positive values.")
    c = new("pow_computed_exponent")
    base = c.op("Add", [c.op("Abs", [c.scale("input", [3, 5])]), c.const(0.5)])
    exponent = c.op("Tanh", [c.op("Mul", ["input", c.weight("e.w", 3, 5)])])
    c.op("Pow", [base, exponent], "output")
    save(c, [3, 5], notes="Pow whose base (|a·x| + 0.5) and exponent (tanh(b·x)) are both computed.")

    c = new("exp")
    c.op("Exp", [c.scale("input", [3, 5])], "output")
    save(c, [3, 5])
    positive_case("log", lambda c, x: c.op("Log", [x], "output"), "Log of positive values.")
    c = new("neg")
    c.op("Neg", [c.scale("input", [3, 5])], "output")
    save(c, [3, 5])
    c = new("abs")
    c.op("Abs", [c.scale("input", [3, 5])], "output")
    save(c, [3, 5])
    c = new("reciprocal")
    c.op("Reciprocal", [c.op("Add", [c.op("Abs", [c.scale("input", [3, 5])]), c.const(0.25)])], "output")
    save(c, [3, 5], notes="Reciprocal of |a·x| + 0.25.")


# ---------------------------------------------------------------- split, expand, where

def split_expand_where():
    c = new("split_opset13_sizes")
    x = c.op("Conv", ["input", c.weight("c.w", 5, 2, 1, 1)], kernel_shape=[1, 1])
    first, second = c.op("Split", [x, c.init("split", [2, 3], np.int64)], ["first", "second"], axis=1)
    c.op("Concat", [c.op("Mul", [second, c.const(2.0)]), first], "output", axis=1)
    save(c, [2, 3, 4], opset=13,
         notes="Split (opset 13) on axis 1 with split sizes [2, 3] as an input; both outputs used (Concat(2·second, first)).")

    c = new("split_opset18_num_outputs")
    x = c.scale("input", [3, 6, 4])
    first, second = c.op("Split", [x], ["first", "second"], axis=2, num_outputs=2)
    c.op("Sub", [c.op("Mul", [first, second]), second], "output")
    save(c, [3, 6, 4], opset=18, notes="Split (opset 18) num_outputs=2 on axis 2 (6 → 3 + 3); output first·second − second.")

    c = new("split_opset18_num_outputs_uneven")
    x = c.scale("input", [7, 3])
    parts = c.op("Split", [x], ["a", "b", "c"], axis=1, num_outputs=3)
    c.op("Concat", [parts[2], parts[0], c.op("Neg", [parts[1]])], "output", axis=1)
    save(c, [7, 3], opset=18,
         notes="Split (opset 18) num_outputs=3 of a length-7 axis: sizes 3, 3, 1 (the last chunk is smaller); "
               "all three outputs used, reordered.")

    c = new("expand_computed")
    x = c.scale("input", [3, 1, 5])
    c.op("Expand", [x, c.init("shape", [1, 3, 4, 5], np.int64)], "output")
    save(c, [3, 1, 5], notes="Expand of a computed [N,3,1,5] value to shape [1,3,4,5] (batch broadcast stays N).")

    c = new("expand_rank_increase")
    x = c.scale("input", [4])
    c.op("Expand", [c.op("Unsqueeze", [x, c.const([1], np.int64)]), c.const([3, 1], np.int64)], "output")
    save(c, [4], notes="Expand of a computed [N,1,4] value with a shorter shape [3, 1] → [N, 3, 4].")

    c = new("where_attention_mask")
    x = c.op("MatMul", ["input", c.weight("q.w", 4, 4)])
    keys = c.op("Transpose", ["input"], perm=[0, 2, 1])
    scores = c.op("MatMul", [x, keys])
    mask = np.triu(np.ones((5, 5), dtype=bool), k=1)
    masked = c.op("Where", [c.init("mask", mask, np.bool_), c.const(-np.inf), scores])
    c.op("Softmax", [masked], "output", axis=-1)
    save(c, [5, 4], notes="Attention-mask pattern: Where(constant causal bool mask [5,5], −inf, scores) then Softmax over "
                          "the last axis; each row keeps at least its diagonal, so the output is finite and "
                          "exactly 0 where masked.")

    c = new("equal_where_computed")
    x = c.scale("input", [3, 4])
    rectified = c.op("Relu", [x])
    zero = c.op("Equal", [rectified, c.const(0.0)])
    c.op("Where", [zero, c.init("fill", [-1.5]), c.op("Mul", [x, c.const(3.0)])], "output")
    save(c, [3, 4], notes="Equal of a computed value (Relu(a·x) == 0, exact) feeding Where(eq, −1.5, 3·a·x).")


# ---------------------------------------------------------------- resize

def shape_derived_sizes(c, x, spatial):
    """sizes = Concat(Shape(x)[0:2], spatial), as torch.onnx exports F.interpolate(size=...)."""
    shape = c.op("Shape", [x])
    head = c.op("Slice", [shape, c.const([0], np.int64), c.const([2], np.int64), c.const([0], np.int64)])
    return c.op("Concat", [head, c.const(spatial, np.int64)], axis=0)


def resizes():
    smooth = lambda r, s: r.standard_normal(s)  # noqa: E731

    def resize_case(name, opset, mode, shape, scales=None, sizes=None, axes=None, tolerance=(1e-4, 1e-5), notes="",
                    **attributes):
        c = new(name)
        x = c.op("Conv", ["input", c.weight("c.w", 2, 2, 1, 1)], kernel_shape=[1, 1])
        if sizes is not None and axes is None:
            inputs = [x, "", "", shape_derived_sizes(c, x, sizes)]
        elif sizes is not None:
            inputs = [x, "", "", c.init("sizes", sizes, np.int64)]
        else:
            inputs = [x, "", c.init("scales", scales)]
        if axes is not None:
            attributes["axes"] = axes
        c.op("Resize", inputs, "output", mode=mode, **attributes)
        description = ", ".join(f"{k}={v}" for k, v in attributes.items())
        target = f"scales {scales}" if scales is not None else f"sizes {sizes}" + (
            " (initializer, with axes)" if axes is not None else " (Concat(Shape(x)[0:2], sizes), as torch exports)")
        save(c, [2] + shape, opset=opset, data=smooth, tolerance=tolerance,
             notes=f"Resize (opset {opset}) mode={mode} {target}; {description or 'default attributes'}. {notes}".strip())

    # opset 13: roi empty; scales or full-rank sizes
    resize_case("resize13_nearest_scales2_asymmetric_floor", 13, "nearest", [3, 4], scales=[1, 1, 2, 2],
                coordinate_transformation_mode="asymmetric", nearest_mode="floor",
                notes="F.interpolate(mode='nearest') as torch exports it.")
    resize_case("resize13_nearest_scales2_default", 13, "nearest", [3, 4], scales=[1, 1, 2, 2],
                notes="Defaults: half_pixel, round_prefer_floor.")
    resize_case("resize13_nearest_sizes_round_prefer_floor", 13, "nearest", [3, 4], sizes=[5, 7],
                coordinate_transformation_mode="half_pixel", nearest_mode="round_prefer_floor")
    resize_case("resize13_nearest_sizes_asymmetric_floor", 13, "nearest", [3, 4], sizes=[5, 7],
                coordinate_transformation_mode="asymmetric", nearest_mode="floor")
    resize_case("resize13_nearest_downscale_sizes", 13, "nearest", [6, 8], sizes=[4, 3],
                coordinate_transformation_mode="half_pixel", nearest_mode="round_prefer_floor")
    resize_case("resize13_linear_scales2_half_pixel", 13, "linear", [3, 4], scales=[1, 1, 2, 2],
                coordinate_transformation_mode="half_pixel")
    resize_case("resize13_linear_sizes_pytorch_half_pixel", 13, "linear", [5, 6], sizes=[1, 9],
                coordinate_transformation_mode="pytorch_half_pixel",
                notes="An output axis of length 1, where pytorch_half_pixel (source 0) and half_pixel differ.")
    resize_case("resize13_linear_scales2_align_corners", 13, "linear", [3, 4], scales=[1, 1, 2, 2],
                coordinate_transformation_mode="align_corners")
    resize_case("resize13_linear_scales2_asymmetric", 13, "linear", [3, 4], scales=[1, 1, 2, 2],
                coordinate_transformation_mode="asymmetric")
    resize_case("resize13_linear_downscale_half_pixel", 13, "linear", [6, 8], scales=[1, 1, 0.5, 0.5],
                coordinate_transformation_mode="half_pixel", notes="Downscale by 2 without antialiasing.")
    # opset 19: axes attribute, sizes/scales only for the spatial axes
    resize_case("resize19_nearest_scales2_asymmetric_floor", 19, "nearest", [3, 4], scales=[1, 1, 2, 2],
                coordinate_transformation_mode="asymmetric", nearest_mode="floor")
    resize_case("resize19_nearest_sizes_axes_round_prefer_floor", 19, "nearest", [3, 4], sizes=[5, 7], axes=[2, 3],
                coordinate_transformation_mode="half_pixel", nearest_mode="round_prefer_floor")
    resize_case("resize19_linear_scales_axes_half_pixel", 19, "linear", [3, 4], scales=[2.0, 2.0], axes=[2, 3],
                coordinate_transformation_mode="half_pixel")
    resize_case("resize19_linear_sizes_axes_pytorch_half_pixel", 19, "linear", [5, 6], sizes=[1, 9], axes=[2, 3],
                coordinate_transformation_mode="pytorch_half_pixel")
    resize_case("resize19_linear_sizes_align_corners", 19, "linear", [3, 4], sizes=[5, 7],
                coordinate_transformation_mode="align_corners")
    resize_case("resize19_linear_downscale_asymmetric", 19, "linear", [6, 8], scales=[1, 1, 0.5, 0.5],
                coordinate_transformation_mode="asymmetric")

    for mode, scales in (("nearest", [1, 1, 2, 3]), ("linear", [1, 1, 2, 2])):
        c = new(f"upsample9_{mode}")
        x = c.op("Conv", ["input", c.weight("c.w", 2, 2, 1, 1)], kernel_shape=[1, 1])
        c.op("Upsample", [x, c.init("scales", scales)], "output", mode=mode)
        save(c, [2, 3, 4], opset=9,
             notes=f"Upsample (opset 9) mode={mode}, scales {scales} as an input; Upsample's coordinates are "
                   "asymmetric (x_in = x_out / scale), nearest rounds down.")


# ---------------------------------------------------------------- softmax

def softmaxes():
    for op in ("Softmax", "LogSoftmax"):
        stem = op.lower()
        for shape, axis, tag, note in (
                ([3, 2, 2], 1, "rank4_axis1", "coerced to 2-D: normalised over the 3·2·2 = 12 trailing values together"),
                ([5, 1, 1], 1, "rank4_axis1_squeezenet", "the ONNX-zoo SqueezeNet tail [N, C, 1, 1]"),
                ([3, 4], 1, "rank3_axis1", "coerced to 2-D: over the 12 trailing values"),
                ([3, 4], 2, "rank3_axis2", "over the last axis")):
            c = new(f"{stem}11_{tag}")
            c.op(op, [c.scale("input", shape)], "output", axis=axis)
            save(c, shape, opset=11, data=lambda r, s: r.standard_normal(s) * 2,
                 notes=f"{op} (opset 11) axis={axis} on rank {len(shape) + 1}: {note}.")
        c = new(f"{stem}13_rank4_axis1")
        c.op(op, [c.scale("input", [3, 2, 2])], "output", axis=1)
        save(c, [3, 2, 2], opset=13, data=lambda r, s: r.standard_normal(s) * 2,
             notes=f"{op} (opset 13) axis=1 on rank 4: over axis 1 alone (contrast with the opset-11 case).")


# ---------------------------------------------------------------- indexing

def indexing():
    c = new("gather_scalar_axis1")
    x = c.op("MatMul", ["input", c.weight("w", 4, 4)])
    c.op("Gather", [x, c.const(0, np.int64)], "output", axis=1)
    save(c, [5, 4], notes="Gather of a scalar index 0 on axis 1 of a computed [N,5,4] value (ViT's x[:, 0]) → [N,4].")

    c = new("gather_vector_axis2_repeat")
    x = c.scale("input", [2, 5, 3])
    c.op("Gather", [x, c.init("indices", [3, 0, -1, 3], np.int64)], "output", axis=2)
    save(c, [2, 5, 3], notes="Gather of indices [3, 0, −1, 3] (a repeat and a negative index) on axis 2.")

    c = new("slice_swin_patch_merging")
    x = c.scale("input", [4, 4, 3])
    parts = []
    for h, w in ((0, 0), (1, 0), (0, 1), (1, 1)):
        parts.append(c.op("Slice", [x, c.const([h, w], np.int64), c.const([INT64_MAX, INT64_MAX], np.int64),
                                    c.const([1, 2], np.int64), c.const([2, 2], np.int64)]))
    c.op("Concat", parts, "output", axis=-1)
    save(c, [4, 4, 3], notes="Swin's PatchMerging: x[..., 0::2, 0::2, :], x[..., 1::2, 0::2, :], x[..., 0::2, 1::2, :], "
                             "x[..., 1::2, 1::2, :] (Slice with steps 2 on axes 1, 2; ends INT64_MAX), Concat on −1.")

    c = new("slice_negative_starts_ends")
    x = c.scale("input", [5, 6, 4])
    c.op("Slice", [x, c.init("starts", [-4, 1, -3], np.int64), c.init("ends", [-1, INT64_MAX, 100], np.int64),
                   c.init("axes", [1, -1, 2], np.int64), c.init("steps", [1, 2, 1], np.int64)], "output")
    save(c, [5, 6, 4], notes="Slice on axes [1, −1, 2]: starts [−4, 1, −3], ends [−1, INT64_MAX, 100 (clamped)], "
                             "steps [1, 2, 1].")

    c = new("slice_negative_step")
    x = c.scale("input", [4, 6])
    c.op("Slice", [x, c.const([-1, 4], np.int64), c.const([-INT64_MAX, 0], np.int64), c.const([2, 1], np.int64),
                   c.const([-1, -2], np.int64)], "output")
    save(c, [4, 6], notes="Slice with negative steps: axis 2 reversed (x[:, :, ::-1]) and axis 1 from 4 down to 1 by −2.")

    c = new("slice_opset9_attributes")
    x = c.scale("input", [5, 6])
    c.op("Slice", [x], "output", starts=[1, -4], ends=[4, 1000], axes=[1, 2])
    save(c, [5, 6], opset=9, notes="Slice (opset 9) with starts/ends/axes as attributes (old exports).")

    c = new("concat_class_token_expand")
    tokens = c.op("MatMul", ["input", c.weight("proj", 6, 6)])
    shape = c.op("Shape", [tokens])
    batch = c.op("Gather", [shape, c.const(0, np.int64)], axis=0)
    batch1 = c.op("Unsqueeze", [batch, c.const([0], np.int64)])
    target = c.op("Concat", [batch1, c.const([-1], np.int64), c.const([-1], np.int64)], axis=0)
    flat = c.op("Reshape", [target, c.const([-1], np.int64)])
    ones = c.op("ConstantOfShape", [c.op("Shape", [flat])], value=numpy_helper.from_array(np.array([1], np.int64)))
    minus_ones = c.op("Mul", [ones, c.const(-1, np.int64)])
    is_minus_one = c.op("Equal", [flat, minus_ones])
    expand_shape = c.op("Where", [is_minus_one, ones, flat])
    token = c.op("Expand", [c.weight("class_token", 1, 1, 6), expand_shape])
    joined = c.op("Concat", [token, tokens], axis=1)
    c.op("Add", [joined, c.weight("pos_embedding", 1, 5, 6, scale=0.1)], "output")
    save(c, [4, 6], opset=17,
         notes="torchvision ViT's class token, node for node as torch.onnx exports class_token.expand(n, -1, -1): "
               "Shape → Gather 0 → Unsqueeze → Concat [n, −1, −1] → Reshape [−1] → ConstantOfShape(Shape) (int64 1s) "
               "→ Mul −1 → Equal → Where → Expand(class_token [1,1,6]) → Concat with the tokens on axis 1 → Add "
               "pos_embedding.")


# ---------------------------------------------------------------- text: embeddings, 1-D windows, masks

def token_ids(vocabulary, padded=False):
    """Token ids in 1..<vocabulary (0 is the padding id); with `padded`, each row ends in a run of zeros."""
    def draw(rng, shape):
        ids = rng.integers(1, vocabulary, shape)
        if padded:
            for row in ids.reshape(-1, shape[-1]):
                row[rng.integers(2, shape[-1]):] = 0
        return ids
    return draw


def text():
    c = new("embedding_gather_int64_ids")
    c.op("Gather", [c.weight("embedding.weight", 11, 5, scale=1.0), "input"], "output", axis=0)
    save(c, [7], input_type=np.int64, data=token_ids(11),
         notes="nn.Embedding as torch.onnx exports it: Gather(table [11, 5], ids) on axis 0, the graph input int64 "
               "token ids [N, 7] → [N, 7, 5].")

    c = new("embedding_cast_unsqueeze_int32_ids")
    ids = c.op("Cast", ["input"], to=TensorProto.INT64)
    ids = c.op("Unsqueeze", [ids, c.const([1], np.int64)])
    c.op("Gather", [c.weight("embedding.weight", 9, 4, scale=1.0), ids], "output", axis=0)
    save(c, [6], input_type=np.int32, data=token_ids(9),
         notes="int32 ids Cast to int64 and Unsqueezed ([N, 1, 6]) before the Gather of a [9, 4] table → [N, 1, 6, 4].")

    for name, channels, kernel, attributes, bias in (
            ("conv1d_pads", 3, 3, dict(pads=[1, 1]), True),
            ("conv1d_stride_dilation_asymmetric_pads", 3, 3, dict(strides=[2], dilations=[2], pads=[2, 1]), True),
            ("conv1d_groups_same_upper", 4, 2, dict(group=2, auto_pad="SAME_UPPER"), False)):
        c = new(name)
        x = c.scale("input", [channels, 10])
        groups = attributes.get("group", 1)
        inputs = [x, c.weight("conv.w", 6, channels // groups, kernel)] + ([c.weight("conv.b", 6)] if bias else [])
        c.op("Conv", inputs, "output", kernel_shape=[kernel], **attributes)
        save(c, [channels, 10], notes=f"1-D Conv (N×C×T) with kernel [{kernel}], {attributes}, "
                                      f"{'a bias' if bias else 'no bias'}: run as the 2-D convolution of height 1.")

    for name, op, attributes in (
            ("maxpool1d_stride_pads", "MaxPool", dict(kernel_shape=[3], strides=[2], pads=[1, 1])),
            ("maxpool1d_ceil_mode", "MaxPool", dict(kernel_shape=[2], strides=[2], ceil_mode=1)),
            ("averagepool1d_count_include_pad", "AveragePool",
             dict(kernel_shape=[3], strides=[2], pads=[1, 1], count_include_pad=1)),
            ("averagepool1d_exclude_pad", "AveragePool", dict(kernel_shape=[4], pads=[2, 1]))):
        c = new(name)
        c.op(op, [c.scale("input", [3, 9])], "output", **attributes)
        save(c, [3, 9], notes=f"1-D {op} (N×C×T) with {attributes}.")

    c = new("text_cnn_max_over_time")
    embedded = c.op("Gather", [c.weight("embedding.weight", 13, 4, scale=1.0), "input"], axis=0)
    channels_first = c.op("Transpose", [embedded], perm=[0, 2, 1])
    features = c.op("Relu", [c.op("Conv", [channels_first, c.weight("conv.w", 5, 4, 3), c.weight("conv.b", 5)],
                                  kernel_shape=[3], pads=[1, 1])])
    pooled = c.op("ReduceMax", [features], axes=[2], keepdims=0)
    c.op("Gemm", [pooled, c.weight("fc.w", 2, 5), c.weight("fc.b", 2)], "output", transB=1)
    save(c, [8], input_type=np.int64, data=token_ids(13),
         notes="A text CNN (Kim 2014) as torch.onnx exports it: Gather of int64 ids [N, 8] from a [13, 4] table → "
               "Transpose [0, 2, 1] → 1-D Conv k3 p1 → Relu → ReduceMax over time → Gemm to 2 classes.")

    c = new("masked_mean_embedding")
    embedded = c.op("Gather", [c.weight("embedding.weight", 12, 5, scale=1.0), "input"], axis=0)
    mask = c.op("Not", [c.op("Equal", ["input", c.const(0, np.int64)])])
    weights = c.op("Cast", [c.op("Unsqueeze", [mask, c.const([-1], np.int64)])], to=TensorProto.FLOAT)
    summed = c.op("ReduceSum", [c.op("Mul", [embedded, weights]), c.const([1], np.int64)], keepdims=0)
    lengths = c.op("ReduceSum", [c.op("Cast", [mask], to=TensorProto.INT64), c.const([1], np.int64)], keepdims=1)
    count = c.op("Clip", [c.op("Cast", [lengths], to=TensorProto.FLOAT), c.const(1.0)])
    c.op("Div", [summed, count], "output")
    save(c, [9], input_type=np.int64, data=token_ids(12, padded=True),
         notes="A masked mean of token vectors as torch.onnx exports (emb * (ids != 0).unsqueeze(-1).float()).sum(1) / "
               "(ids != 0).sum(1, keepdim=True).clamp(min=1): Equal → Not → Unsqueeze → Cast float → Mul → ReduceSum; "
               "Cast int64 → ReduceSum → Cast float → Clip → Div. Each row of ids [N, 9] ends in padding zeros.")


# ---------------------------------------------------------------- attention and layout

def attention_and_layout():
    c = new("einsum_maxvit_qk")
    q = c.scale("input", [2, 2, 3, 4], stem="q")
    k = c.scale("input", [2, 2, 3, 4], stem="k")
    c.op("Einsum", [q, k], "output", equation="bghid,bghjd->bghij")
    save(c, [2, 2, 3, 4], opset=12, notes="Einsum \"bghid,bghjd->bghij\" (MaxViT's q·kᵀ) of two computed rank-5 values.")

    c = new("einsum_maxvit_av")
    q = c.scale("input", [2, 2, 3, 4], stem="q")
    k = c.scale("input", [2, 2, 3, 4], stem="k")
    v = c.scale("input", [2, 2, 3, 4], stem="v")
    weights = c.op("Softmax", [c.op("Einsum", [q, k], equation="bghid,bghjd->bghij")], axis=-1)
    c.op("Einsum", [weights, v], "output", equation="bghij,bghjd->bghid")
    save(c, [2, 2, 3, 4], opset=12,
         notes="MaxViT attention: Einsum \"bghid,bghjd->bghij\" → Softmax → Einsum \"bghij,bghjd->bghid\".")

    c = new("einsum_maxvit_torch_equations")
    q = c.scale("input", [2, 2, 3, 4], stem="q")
    k = c.scale("input", [2, 2, 3, 4], stem="k")
    v = c.scale("input", [2, 2, 3, 4], stem="v")
    scores = c.op("Einsum", [q, k], equation="B G H I D, B G H J D -> B G H I J")
    c.op("Einsum", [c.op("Softmax", [scores], axis=-1), v], "output", equation="B G H I J, B G H J D -> B G H I D")
    save(c, [2, 2, 3, 4], opset=12,
         notes="MaxViT's Einsums with the equations exactly as torch.onnx writes them for torchvision's maxvit_t: "
               "upper-case subscripts separated by spaces, \"B G H I D, B G H J D -> B G H I J\" and "
               "\"B G H I J, B G H J D -> B G H I D\".")

    c = new("matmul_rank4_computed")
    a = c.scale("input", [2, 3, 4], stem="a")
    b = c.op("Transpose", [c.scale("input", [2, 3, 4], stem="b")], perm=[0, 1, 3, 2])
    c.op("MatMul", [a, b], "output")
    save(c, [2, 3, 4], notes="MatMul of two computed rank-4 values [N,2,3,4]·[N,2,4,3].")

    c = new("transpose_batch_axis")
    moved = c.op("Transpose", [c.scale("input", [5, 6])], perm=[1, 0, 2])
    projected = c.op("Add", [c.op("MatMul", [moved, c.weight("w", 6, 6)]), c.weight("b", 6, scale=0.1)])
    c.op("Transpose", [c.op("Relu", [projected])], "output", perm=[1, 0, 2])
    save(c, [5, 6], notes="Transpose [1,0,2] moves the batch axis to axis 1 (as torch's nn.MultiheadAttention exports "
                          "with batch_first=True), MatMul/Add/Relu in that layout, Transpose [1,0,2] back.")

    c = new("mha_batch_folded")
    heads, length, width = 2, 5, 4
    sequence_first = c.op("Transpose", [c.scale("input", [length, width])], perm=[1, 0, 2])      # [L, N, E]
    projected = c.op("Add", [c.weight("in_proj.b", 3 * width, scale=0.1),
                             c.op("MatMul", [sequence_first, c.weight("in_proj.w", width, 3 * width)])])
    split = c.op("Reshape", [projected, c.const([length, -1, 3, width], np.int64)])         # [L, N, 3, E]
    qkv = c.op("Transpose", [c.op("Unsqueeze", [split, c.const([0], np.int64)])], perm=[3, 1, 2, 0, 4])
    qkv = c.op("Squeeze", [qkv, c.const([3], np.int64)])                                      # [3, L, N, E]
    per_head = []
    for index in range(3):
        part = c.op("Gather", [qkv, c.const(index, np.int64)], axis=0)                         # [L, N, E]
        folded = c.op("Reshape", [part, c.const([length, -1, width // heads], np.int64)])       # [L, N·h, d]
        per_head.append(c.op("Transpose", [folded], perm=[1, 0, 2]))                            # [N·h, L, d]
    q, k, v = per_head
    scores = c.op("MatMul", [c.op("Mul", [q, c.const(1 / math.sqrt(width // heads))]),
                             c.op("Transpose", [k], perm=[0, 2, 1])])
    mixed = c.op("MatMul", [c.op("Softmax", [scores], axis=-1), v])                            # [N·h, L, d]
    back = c.op("Transpose", [mixed], perm=[1, 0, 2])                                           # [L, N·h, d]
    rows = c.op("Reshape", [back, c.const([-1, width], np.int64)])                             # [L·N, E]
    out = c.op("Gemm", [rows, c.weight("out_proj.w", width, width), c.weight("out_proj.b", width, scale=0.1)], transB=1)
    unfolded = c.op("Reshape", [out, c.const([length, -1, width], np.int64)])                  # [L, N, E]
    c.op("Transpose", [unfolded], "output", perm=[1, 0, 2])
    save(c, [length, width],
         notes="torch's nn.MultiheadAttention as exported in torchvision's ViT: sequence-first Transpose [1,0,2], "
               "the q/k/v split through Unsqueeze → Transpose [3,1,2,0,4] → Squeeze → Gather on axis 0 (not the batch), "
               "the batch folded with the heads (Reshape [L, N·h, d]) and with the sequence (Reshape [L·N, E] → Gemm), "
               "then unfolded and moved back. Reshape shapes use −1 for the batch.")

    c = new("sdpa_torch_scale")
    q = c.scale("input", [2, 3, 4], stem="q")
    k = c.scale("input", [2, 3, 4], stem="k")
    v = c.scale("input", [2, 3, 4], stem="v")
    last = c.op("Slice", [c.op("Shape", [q]), c.const([-1], np.int64), c.const([INT64_MAX], np.int64)])
    scale = c.op("Cast", [c.op("Div", [c.const([1.0]), c.op("Sqrt", [c.op("Cast", [last], to=TensorProto.FLOAT)])])],
                 to=TensorProto.FLOAT)
    q_scaled = c.op("Mul", [q, c.op("Sqrt", [scale])])
    k_scaled = c.op("Mul", [c.op("Transpose", [k], perm=[0, 1, 3, 2]), c.op("Sqrt", [scale])])
    weights = c.op("Softmax", [c.op("MatMul", [q_scaled, k_scaled])], axis=-1)
    c.op("MatMul", [weights, v], "output")
    save(c, [2, 3, 4], opset=14,
         notes="F.scaled_dot_product_attention as torch.onnx exports it (opset 14+): scale = Cast(1/√Cast(Shape(q)[-1:])), "
               "q and kᵀ each multiplied by √scale, MatMul, Softmax(−1), MatMul.")

    c = new("swin_window_partition")
    x = c.scale("input", [4, 4, 3])                                                       # [N, H, W, C]
    blocks = c.op("Reshape", [x, c.const([-1, 2, 2, 2, 2, 3], np.int64)])               # [N, H/2, 2, W/2, 2, C]
    windows = c.op("Transpose", [blocks], perm=[0, 1, 3, 2, 4, 5])
    folded = c.op("Reshape", [windows, c.const([-1, 4, 3], np.int64)])                  # [N·4, 4, C]
    mixed = c.op("Softmax", [c.op("MatMul", [folded, c.op("Transpose", [folded], perm=[0, 2, 1])])], axis=-1)
    attended = c.op("MatMul", [c.op("MatMul", [mixed, folded]), c.weight("proj", 3, 3)])
    unfolded = c.op("Reshape", [attended, c.const([-1, 2, 2, 2, 2, 3], np.int64)])
    merged = c.op("Transpose", [unfolded], perm=[0, 1, 3, 2, 4, 5])
    c.op("Reshape", [merged, c.const([-1, 4, 4, 3], np.int64)], "output")
    save(c, [4, 4, 3], notes="Swin window partition: Reshape [N, 2, 2, 2, 2, C] → Transpose [0,1,3,2,4,5] → Reshape "
                             "[N·4, 4, C] (windows folded into the leading axis), attention within each window, then "
                             "the reverse. Shapes use −1 for the batch.")

    c = new("swin_roll")
    x = c.scale("input", [4, 5, 3])
    # torch.roll(x, shifts=(-1, -2), dims=(1, 2)) as torch.onnx exports it: Slice + Concat per axis.
    head = c.op("Slice", [x, c.const([1], np.int64), c.const([INT64_MAX], np.int64), c.const([1], np.int64)])
    tail = c.op("Slice", [x, c.const([0], np.int64), c.const([1], np.int64), c.const([1], np.int64)])
    rolled = c.op("Concat", [head, tail], axis=1)
    head = c.op("Slice", [rolled, c.const([2], np.int64), c.const([INT64_MAX], np.int64), c.const([2], np.int64)])
    tail = c.op("Slice", [rolled, c.const([0], np.int64), c.const([2], np.int64), c.const([2], np.int64)])
    c.op("Concat", [head, tail], "output", axis=2)
    save(c, [4, 5, 3], notes="torch.roll(x, (−1, −2), (1, 2)) as exported for Swin's shifted windows: Slice + Concat.")


# ---------------------------------------------------------------- constants, layout, pooling

def miscellaneous():
    c = new("constantofshape_add")
    filled = c.op("ConstantOfShape", [c.init("shape", [1, 3, 4], np.int64)],
                  value=numpy_helper.from_array(np.array([0.75], np.float32)))
    c.op("Add", [c.scale("input", [3, 4]), filled], "output")
    save(c, [3, 4], notes="ConstantOfShape(shape initializer [1,3,4], value 0.75): a constant produced at load time, "
                          "added to a computed value.")

    c = new("constantofshape_from_shape")
    x = c.scale("input", [3, 4])
    filled = c.op("ConstantOfShape", [c.op("Shape", [x])], value=numpy_helper.from_array(np.array([-0.5], np.float32)))
    c.op("Mul", [c.op("Add", [x, filled]), x], "output")
    save(c, [3, 4], notes="ConstantOfShape of Shape(x) (depends on the batch size): (x − 0.5)·x.")

    c = new("concat_single_input")
    x = c.op("Conv", ["input", c.weight("c.w", 3, 2, 1, 1)], kernel_shape=[1, 1])
    c.op("Relu", [c.op("Concat", [x], axis=1)], "output")
    save(c, [2, 3, 3], notes="Concat with a single input (torch.cat([x]) in torchvision's DenseNet): an identity.")

    c = new("prelu_slope_1c11")
    c.op("PRelu", [c.op("Conv", ["input", c.weight("c.w", 3, 3, 1, 1)], kernel_shape=[1, 1]),
                   c.weight("slope", 1, 3, 1, 1, low=0.05, high=0.5)], "output")
    save(c, [3, 4, 5], notes="PRelu with a per-channel slope of shape [1, C, 1, 1].")

    c = new("prelu_slope_c_rank2")
    c.op("PRelu", [c.op("MatMul", ["input", c.weight("w", 6, 5)]), c.weight("slope", 5, low=0.05, high=0.5)], "output")
    save(c, [6], notes="PRelu with a slope [C] on a rank-2 [N, C] value (per-feature).")

    c = new("prelu_slope_c_rank4_trailing")
    c.op("PRelu", [c.scale("input", [3, 4, 5]), c.weight("slope", 5, low=0.05, high=0.5)], "output")
    save(c, [3, 4, 5], notes="PRelu with a slope of shape [5] on [N, 3, 4, 5]: ONNX (numpy) broadcasting applies it "
                             "along the LAST axis (W), not the channels.")

    c = new("clip_constant_nodes")
    c.op("Clip", [c.scale("input", [3, 4]), c.const(-0.5), c.const(0.8)], "output")
    save(c, [3, 4], notes="Clip (opset 13) with min −0.5 and max 0.8 given as Constant-node inputs.")

    c = new("clip_max_only")
    c.op("Clip", [c.scale("input", [3, 4]), "", c.const(0.6)], "output")
    save(c, [3, 4], notes="Clip with the min input left empty (\"\") and max 0.6 from a Constant node.")

    c = new("clip_relu6")
    c.op("Clip", [c.op("Mul", [c.scale("input", [3, 4]), c.const(5.0)]), c.const(0.0), c.const(6.0)], "output")
    save(c, [3, 4], notes="Clip(x, 0, 6), as torch exports nn.ReLU6 (MobileNetV2).")

    def shifted(c, shape):
        return c.op("Add", [c.scale("input", shape), c.const(-3.0)])

    c = new("maxpool_same_upper")
    c.op("MaxPool", [shifted(c, [2, 5, 6])], "output", kernel_shape=[3, 3], strides=[2, 2], auto_pad="SAME_UPPER")
    save(c, [2, 5, 6], notes="MaxPool kernel 3, stride 2, auto_pad SAME_UPPER on 5×6 (odd/even); values shifted by −3, "
                             "so a zero-valued padding would show.")

    c = new("maxpool_asymmetric_pads")
    c.op("MaxPool", [shifted(c, [2, 5, 6])], "output", kernel_shape=[3, 2], strides=[1, 2], pads=[1, 0, 0, 1])
    save(c, [2, 5, 6], notes="MaxPool kernel 3×2, strides [1, 2], explicit asymmetric pads [1, 0, 0, 1] "
                             "(top, left, bottom, right); values shifted by −3.")

    c = new("constant_node_weights")
    conv = c.op("Conv", ["input", c.const(c.rng.standard_normal((4, 2, 3, 3)) * 0.4),
                         c.const(c.rng.standard_normal(4) * 0.1)], kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    pooled = c.op("Flatten", [c.op("GlobalAveragePool", [c.op("Relu", [conv])])], axis=1)
    c.op("Gemm", [pooled, c.const(c.rng.standard_normal((3, 4)) * 0.5), c.const(c.rng.standard_normal(3) * 0.1)],
         "output", transB=1)
    save(c, [2, 5, 5], notes="Conv and Gemm whose weights and biases are Constant nodes, not initializers.")

    c = new("identity_initializer_alias")
    alias = c.op("Identity", [c.weight("bias", 4, scale=0.3)])
    conv = c.op("Conv", ["input", c.weight("c.w", 4, 2, 1, 1), alias], kernel_shape=[1, 1])
    c.op("Add", [conv, c.op("Unsqueeze", [alias, c.const([1, 2], np.int64)])], "output")
    save(c, [2, 3, 3], notes="An Identity of an initializer used as a Conv bias and elsewhere, as torch.onnx writes "
                             "deduplicated initializers (vit_b_16: out_proj.bias = Identity(conv_proj.bias)).")

    c = new("keras_nhwc_input")
    nchw = c.op("Transpose", ["input"], perm=[0, 3, 1, 2])
    conv = c.op("Relu", [c.op("Conv", [nchw, c.weight("c.w", 4, 3, 3, 3, scale=0.4), c.weight("c.b", 4, scale=0.1)],
                               kernel_shape=[3, 3], pads=[1, 1, 1, 1])])
    nhwc = c.op("Transpose", [conv], perm=[0, 2, 3, 1])
    pooled = c.op("ReduceMean", [nhwc], axes=[1, 2], keepdims=0)
    c.op("Add", [c.op("MatMul", [pooled, c.weight("d.w", 4, 3)]), c.weight("d.b", 3, scale=0.1)], "output")
    save(c, [5, 6, 3], notes="Keras-style NHWC input [N, 5, 6, 3] behind a leading Transpose [0,3,1,2], Conv, "
                             "Transpose back [0,2,3,1], ReduceMean over axes [1, 2] (global pooling), MatMul + Add.")

    c = new("two_outputs_scores_boxes")
    trunk = c.op("Relu", [c.op("Conv", ["input", c.weight("c.w", 4, 3, 3, 3, scale=0.4), c.weight("c.b", 4, scale=0.1)],
                                kernel_shape=[3, 3], pads=[1, 1, 1, 1])])
    pooled = c.op("Flatten", [c.op("GlobalAveragePool", [trunk])], axis=1)
    logits = c.op("Gemm", [pooled, c.weight("fc.w", 5, 4), c.weight("fc.b", 5, scale=0.1)], transB=1)
    c.op("Softmax", [logits], "scores", axis=1)
    boxes = c.op("Conv", [trunk, c.weight("box.w", 4, 4, 1, 1), c.weight("box.b", 4, scale=0.1)], kernel_shape=[1, 1])
    c.op("Flatten", [c.op("Transpose", [boxes], perm=[0, 2, 3, 1])], "boxes", axis=1)
    save(c, [3, 4, 4], outputs=("scores", "boxes"),
         notes="Two graph outputs: \"scores\" (Softmax of a Gemm head, [N, 5]) and \"boxes\" (a 1×1 Conv box-regression "
               "head, NHWC-flattened to [N, 4·4·4]).")

    c = new("symbolic_spatial_fcn")
    x = c.op("Relu", [c.op("Conv", ["input", c.weight("c1.w", 4, 3, 3, 3, scale=0.4), c.weight("c1.b", 4, scale=0.1)],
                           kernel_shape=[3, 3], pads=[1, 1, 1, 1])])
    x = c.op("Relu", [c.op("Conv", [x, c.weight("c2.w", 6, 4, 3, 3, scale=0.3)], kernel_shape=[3, 3], strides=[2, 2],
                           pads=[1, 1, 1, 1])])
    pooled = c.op("Flatten", [c.op("GlobalAveragePool", [x])], axis=1)
    c.op("Gemm", [pooled, c.weight("fc.w", 5, 6), c.weight("fc.b", 5, scale=0.1)], "output", transB=1)
    save(c, [3, 9, 11], declared_input=[3, "H", "W"], second_size=[3, 6, 7],
         notes="Input declared [N, 3, \"H\", \"W\"]: fully convolutional + GlobalAveragePool + Gemm. input.npy is "
               "2×3×9×11; size2.input.npy (2×3×6×7) runs the same model at another size.")


def main():
    shutil.rmtree(ROOT, ignore_errors=True)
    os.makedirs(ROOT)
    for group in (activations, layer_norms, reductions, elementwise, split_expand_where, resizes, softmaxes, indexing,
                  text, attention_and_layout, miscellaneous):
        group()
    names = [case["case"] for case in CASES]
    assert len(names) == len(set(names)), "duplicate case names"
    manifest = OrderedDict(
        script="scripts/make_onnx_operator_fixtures.py",
        versions=OrderedDict(onnx=onnx.__version__, onnxruntime=onnxruntime.__version__, numpy=np.__version__),
        conventions=OrderedDict(
            input="one graph input \"input\", leading batch axis declared \"N\"; input.npy has a batch of 2",
            outputs="<case>.output.npy for the first graph output, <case>.output<k>.npy for the k-th further one",
            reference="onnxruntime CPU, graph optimisations off, one thread",
            batch="each sample run alone equals its row of the batch result (checked by the script)",
            tolerance="compare with |actual − expected| <= atol + rtol·|expected|"),
        cases=CASES)
    with open(os.path.join(ROOT, "manifest.json"), "w") as handle:
        json.dump(manifest, handle, indent=1, ensure_ascii=False)
        handle.write("\n")
    total = sum(os.path.getsize(os.path.join(ROOT, f)) for f in os.listdir(ROOT))
    print(f"{len(CASES)} cases, {len(os.listdir(ROOT))} files, {total} bytes in {ROOT}")


if __name__ == "__main__":
    main()
