#!/usr/bin/env python3
"""Writes the ONNX importer's recurrent-network fixtures into
Tests/GlassboxONNXTests/Fixtures/recurrent/.

Most cases are small PyTorch models with `nn.LSTM` (seeded weights, hidden sizes
8 to 16, 7 steps of 6 features) exported by `torch.onnx.export(..., dynamo=False)`,
the TorchScript exporter, as the other PyTorch fixtures are (one case uses the
dynamo exporter); a few are built with onnx.helper to reach what PyTorch never
writes (layout 1, a reverse direction, several sequences in one sample).
onnxruntime runs LSTM only in layout 0, so for a layout-1 model the script
records onnxruntime's outputs of the same graph with each LSTM made layout 0
between Transposes, and checks them against onnx's reference evaluator run on
the layout-1 model itself. Each case `<case>` has:

- `<case>.onnx`, whose one graph input `input` is a float batch with the batch
  axis first (symbolic `N` unless the case says the batch is fixed);
- `<case>.<batch>.input.npy` for each batch of the case (`batch2`: two samples;
  `batch5`: five samples through the same dynamic-batch model) and onnxruntime's
  output `<case>.<batch>.<output>.npy` for each graph output;
- for PyTorch cases, `<case>.batch2.seed.npy` (a random r shaped as the first
  output) and `<case>.batch2.input_gradient.npy`, PyTorch's gradient of
  Σ r ⊙ output with respect to the input.

Refusal cases (a sequence-major model input, a model that reads the last cell
state, a learned initial state, and onnx.helper models with what the importer
does not support: clip, input_forget, other activations, peepholes, shorter
sequence lengths) have only the model and the text the importer's error must
contain. `manifest.json` lists every case with its outputs, batches,
opset, exporter, expected error and what it pins down. The script checks
PyTorch's outputs against onnxruntime's and that each sample run alone equals
its row of the batch result, so no case mixes samples.

Regenerate (run by hand; CI never runs Python). Deterministic: each case seeds
torch and numpy from a CRC of its name, so a second run writes identical arrays
and models (but `lstm_dynamo.onnx`, whose value names the dynamo exporter may
order differently from run to run):
    pip install torch==2.15.0 onnx==1.23.2 onnxruntime==1.32.0 numpy
    python3 scripts/make_onnx_recurrent_fixtures.py
"""
import io
import json
import os
import shutil
import warnings
import zlib

import numpy as np
import onnx
import onnx.reference
import onnxruntime
import torch
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "GlassboxONNXTests", "Fixtures",
                    "recurrent")
STEPS, FEATURES = 7, 6
cases = []


def seed_of(name):
    return zlib.crc32(name.encode())


def run(model_bytes, x):
    session = onnxruntime.InferenceSession(model_bytes, providers=["CPUExecutionProvider"])
    return session.run(None, {"input": x})


def layout0_twin(model):
    """The model with each layout-1 LSTM made layout 0 between Transposes (onnxruntime runs
    only layout 0): X and the initial states transposed in, Y and Y_h transposed out."""
    twin = onnx.ModelProto()
    twin.CopyFrom(model)
    nodes = []
    for node in twin.graph.node:
        layout = next((a.i for a in node.attribute if a.name == "layout"), 0)
        if node.op_type != "LSTM" or layout == 0:
            nodes.append(node)
            continue
        inputs, outputs = list(node.input), list(node.output)
        for index in (0, 5, 6):
            if index < len(inputs) and inputs[index]:
                nodes.append(helper.make_node("Transpose", [inputs[index]], [inputs[index] + "#0"], perm=[1, 0, 2]))
                inputs[index] += "#0"
        after = []
        for index, perm in ((0, [2, 0, 1, 3]), (1, [1, 0, 2]), (2, [1, 0, 2])):
            if index < len(outputs) and outputs[index]:
                after.append(helper.make_node("Transpose", [outputs[index] + "#0"], [outputs[index]], perm=perm))
                outputs[index] += "#0"
        attributes = {a.name: helper.get_attribute_value(a) for a in node.attribute if a.name != "layout"}
        nodes.append(helper.make_node("LSTM", inputs, outputs, **attributes))
        nodes += after
    del twin.graph.node[:]
    twin.graph.node.extend(nodes)
    return twin.SerializeToString()


def record(name, model_bytes, outputs, batches, rng, notes, opset, exporter, torch_model=None, runnable=None):
    """Saves the model, each batch's input and onnxruntime's outputs (of `runnable`, an
    equivalent model onnxruntime runs, when given), checks that the samples stay apart,
    and with a PyTorch model checks it and records its input gradient."""
    with open(os.path.join(ROOT, name + ".onnx"), "wb") as file:
        file.write(model_bytes)
    runnable = runnable or model_bytes
    for label, size in batches:
        x = rng.standard_normal([size] + list(batches_shape[name])).astype(np.float32)
        results = run(runnable, x)
        if runnable is not model_bytes:
            evaluated = onnx.reference.ReferenceEvaluator(onnx.load_from_string(model_bytes)).run(None, {"input": x})
            for result, value in zip(results, evaluated):
                assert np.allclose(result, value, atol=1e-5), name
        for index in range(size if name not in fixed_batch else 0):
            for together, alone in zip(results, run(runnable, x[index:index + 1])):
                assert np.allclose(together[index:index + 1], alone, atol=1e-5), name
        np.save(os.path.join(ROOT, f"{name}.{label}.input.npy"), x)
        for output, result in zip(outputs, results):
            np.save(os.path.join(ROOT, f"{name}.{label}.{output}.npy"), result.astype(np.float32))
        if torch_model is not None:
            expected = torch_model(torch.from_numpy(x))
            expected = expected if isinstance(expected, tuple) else (expected,)
            for result, value in zip(results, expected):
                assert np.allclose(result, value.detach().numpy(), atol=1e-5), name
    gradient = torch_model is not None
    if gradient:
        x = torch.from_numpy(np.load(os.path.join(ROOT, f"{name}.batch2.input.npy"))).requires_grad_(True)
        output = torch_model(x)
        output = output[0] if isinstance(output, tuple) else output
        r = torch.from_numpy(rng.standard_normal(output.shape).astype(np.float32))
        (output * r).sum().backward()
        np.save(os.path.join(ROOT, f"{name}.batch2.seed.npy"), r.numpy())
        np.save(os.path.join(ROOT, f"{name}.batch2.input_gradient.npy"), x.grad.numpy())
    cases.append(dict(case=name, outputs=outputs, batches=[label for label, _ in batches], opset=opset,
                      exporter=exporter, gradient=gradient, error=None, notes=notes))


batches_shape = {}
fixed_batch = set()


def export(model, opset, outputs, dynamic=True, dynamo=False, shape=(STEPS, FEATURES)):
    x = torch.zeros([2] + list(shape))
    buffer = io.BytesIO()
    if dynamo:
        program = torch.onnx.export(model, (x,), dynamo=True, opset_version=opset, input_names=["input"],
                                    output_names=outputs,
                                    dynamic_shapes={"x": {0: torch.export.Dim("N")}} if dynamic else None)
        return program.model_proto.SerializeToString()
    axes = {name: {0: "N"} for name in ["input"] + outputs} if dynamic else None
    torch.onnx.export(model, (x,), buffer, input_names=["input"], output_names=outputs, opset_version=opset,
                      dynamic_axes=axes, dynamo=False, training=torch.onnx.TrainingMode.EVAL)
    return buffer.getvalue()


def torch_case(name, make, outputs, opset, notes, batches=(("batch2", 2),), dynamic=True, dynamo=False,
               shape=(STEPS, FEATURES)):
    torch.manual_seed(seed_of(name))
    rng = np.random.default_rng(seed_of(name))
    model = make().eval()
    batches_shape[name] = shape
    if not dynamic:
        fixed_batch.add(name)
    exporter = f"torch {torch.__version__.split('+')[0]} " + ("dynamo" if dynamo else "TorchScript")
    model_bytes = export(model, opset, outputs, dynamic=dynamic, dynamo=dynamo, shape=shape)
    record(name, model_bytes, outputs, batches, rng, notes, opset, exporter, torch_model=model)


def refused(name, make, outputs, opset, error, notes, shape=(STEPS, FEATURES), dynamic=True):
    torch.manual_seed(seed_of(name))
    model = make().eval()
    model_bytes = export(model, opset, outputs, dynamic=dynamic, shape=shape)
    with open(os.path.join(ROOT, name + ".onnx"), "wb") as file:
        file.write(model_bytes)
    cases.append(dict(case=name, outputs=outputs, batches=[], opset=opset,
                      exporter=f"torch {torch.__version__.split('+')[0]} TorchScript", gradient=False, error=error,
                      notes=notes))


class Sequence(torch.nn.Module):
    """An nn.LSTM returning its output sequence, batch first; with `transposed`, a
    batch_first=False LSTM between two transposes."""

    def __init__(self, hidden=8, layers=1, bidirectional=False, transposed=False):
        super().__init__()
        self.transposed = transposed
        self.lstm = torch.nn.LSTM(FEATURES, hidden, num_layers=layers, bidirectional=bidirectional,
                                  batch_first=not transposed)

    def forward(self, x):
        if self.transposed:
            return self.lstm(x.transpose(0, 1))[0].transpose(0, 1)
        return self.lstm(x)[0]


class WithLastStates(torch.nn.Module):
    """A bidirectional LSTM returning its output and both directions' last hidden states
    side by side (h_n moved batch first)."""

    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(FEATURES, 8, bidirectional=True, batch_first=True)

    def forward(self, x):
        y, (h, _) = self.lstm(x)
        return y, h.transpose(0, 1).reshape(x.shape[0], -1)


class Classifier(torch.nn.Module):
    """An LSTM classifier reading the last step's output, the maximum over time, the last
    hidden state h_n, or (refused) the last cell state c_n."""

    def __init__(self, reads, hidden=16, layers=1, bidirectional=False, classes=3):
        super().__init__()
        self.reads = reads
        self.lstm = torch.nn.LSTM(FEATURES, hidden, num_layers=layers, bidirectional=bidirectional,
                                  batch_first=True)
        self.head = torch.nn.Linear(hidden * (2 if bidirectional else 1), classes)

    def forward(self, x):
        y, (h, c) = self.lstm(x)
        if self.reads == "last step":
            return self.head(y[:, -1, :])
        if self.reads == "max":
            return self.head(y.max(dim=1).values)
        if self.reads == "hidden":
            return self.head(h[-1])
        return self.head(c[-1])


class SequenceMajor(torch.nn.Module):
    """A batch_first=False LSTM whose model input is the sequence [T, N, D] itself."""

    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(FEATURES, 8)

    def forward(self, x):
        return self.lstm(x)[0]


class LearnedInitialState(torch.nn.Module):
    """An LSTM starting from a learned (nonzero) initial state."""

    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(FEATURES, 8, batch_first=True)
        self.h0 = torch.nn.Parameter(torch.randn(1, 1, 8))
        self.c0 = torch.nn.Parameter(torch.randn(1, 1, 8))

    def forward(self, x):
        n = x.shape[0]
        return self.lstm(x, (self.h0.expand(1, n, 8).contiguous(), self.c0.expand(1, n, 8).contiguous()))[0]


def helper_case(name, nodes, initializers, input_shape, outputs, opset, notes, dynamic=True):
    """A model built with onnx.helper; a fixed batch of 2 (not `dynamic`) where a constant
    operand has the batch's extent."""
    rng = np.random.default_rng(seed_of(name))
    batch = "N" if dynamic else 2
    if not dynamic:
        fixed_batch.add(name)
    constants = [numpy_helper.from_array(value, key) for key, value in initializers(rng).items()]

    def build(output_shapes):
        graph = helper.make_graph(
            nodes, name, [helper.make_tensor_value_info("input", TensorProto.FLOAT, [batch] + list(input_shape))],
            [helper.make_tensor_value_info(output, TensorProto.FLOAT, shape)
             for output, shape in zip(outputs, output_shapes)],
            initializer=constants)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                                  producer_name="glassbox-fixtures")
        model.ir_version = 7 if opset < 15 else 10
        return model

    # The outputs' shapes (batch symbolic) from a first run, so the checker sees a complete model.
    probe = run(layout0_twin(build([None] * len(outputs))), np.zeros([2] + list(input_shape), np.float32))
    model = build([[batch] + list(result.shape[1:]) for result in probe])
    onnx.checker.check_model(model)
    batches_shape[name] = input_shape
    record(name, model.SerializeToString(), outputs, [("batch2", 2)], rng, notes, opset, "onnx.helper",
           runnable=layout0_twin(model))


def helper_refused(name, attributes, extra_inputs, initializers, error, notes, opset=14):
    """A one-LSTM model (input [N, 4, 3] → Tanh → LSTM, H = 2, output Y_h moved batch first) with
    `attributes` and the inputs after W, R, B that the importer refuses."""
    rng = np.random.default_rng(seed_of(name))
    values = {**weights(rng, 1, 2, 3), **initializers}
    nodes = [helper.make_node("Tanh", ["input"], ["x"]),
             helper.make_node("LSTM", ["x", "W", "R", "B"] + extra_inputs, ["", "Y_h"], hidden_size=2, **attributes),
             helper.make_node("Transpose", ["Y_h"], ["y"], perm=[1, 0, 2])]
    graph = helper.make_graph(
        nodes, name, [helper.make_tensor_value_info("input", TensorProto.FLOAT, [4, 2, 3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 1, 2])],
        initializer=[numpy_helper.from_array(value, key) for key, value in values.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="glassbox-fixtures")
    model.ir_version = 7
    onnx.checker.check_model(model)
    with open(os.path.join(ROOT, name + ".onnx"), "wb") as file:
        file.write(model.SerializeToString())
    cases.append(dict(case=name, outputs=["y"], batches=[], opset=opset, exporter="onnx.helper", gradient=False,
                      error=error, notes=notes))


def weights(rng, directions, hidden, features, bias=True):
    gates = 4 * hidden
    values = {
        "W": (rng.uniform(-1, 1, [directions, gates, features]) / np.sqrt(hidden)).astype(np.float32),
        "R": (rng.uniform(-1, 1, [directions, gates, hidden]) / np.sqrt(hidden)).astype(np.float32),
    }
    if bias:
        values["B"] = (rng.uniform(-1, 1, [directions, 2 * gates]) / np.sqrt(hidden)).astype(np.float32)
    return values


def main():
    warnings.filterwarnings("ignore")
    shutil.rmtree(ROOT, ignore_errors=True)
    os.makedirs(ROOT)

    torch_case("lstm_batch_first", lambda: Sequence(), ["y"], 17,
               "nn.LSTM(batch_first=True): Transpose [1, 0, 2] → LSTM (layout 0) → Squeeze → Transpose; zero "
               "initial states from Shape → Gather → ConstantOfShape, folded at load time")
    torch_case("lstm_seq_first", lambda: Sequence(transposed=True), ["y"], 11,
               "nn.LSTM(batch_first=False) between x.transpose(0, 1) and y.transpose(0, 1), opset 11")
    torch_case("lstm_bidirectional", lambda: WithLastStates(), ["y", "last"], 14,
               "bidirectional: Y [T, 2, N, H] → Transpose → Reshape [T, N, 2H]; second output h_n (Y_h) moved "
               "batch first and flattened")
    torch_case("lstm_two_layers", lambda: Sequence(layers=2, bidirectional=True), ["y"], 17,
               "two bidirectional layers: the second LSTM reads the first's Y through Transpose [0, 2, 1, 3] and "
               "Reshape [0, 0, -1]; initial states sliced per layer from one ConstantOfShape")
    torch_case("lstm_last_step", lambda: Classifier("last step", layers=2), ["logits"], 13,
               "classifier on the last step's output of a two-layer LSTM (Gather of index −1 along time, Gemm); "
               "a batch of 2 and, through the same dynamic-batch model, of 5",
               batches=(("batch2", 2), ("batch5", 5)))
    torch_case("lstm_max_over_time", lambda: Classifier("max", hidden=8, bidirectional=True, classes=4),
               ["logits"], 17, "bidirectional LSTM, ReduceMax over time, Gemm")
    torch_case("lstm_hidden_state", lambda: Classifier("hidden", hidden=12), ["logits"], 9,
               "classifier on h_n[-1] (Y_h, Gather), opset 9")
    torch_case("lstm_fixed_batch", lambda: Sequence(), ["y"], 17,
               "exported with a fixed batch of 2 (no dynamic axes): zero initial states [1, 2, H] folded by the "
               "exporter", dynamic=False)
    torch_case("lstm_dynamo", lambda: Sequence(), ["y"], 18,
               "torch.onnx.export(dynamo=True): LSTM with Y only, Shape with start/end, Expand of zeros",
               dynamo=True)

    refused("lstm_sequence_major_input", lambda: SequenceMajor(), ["y"], 17, "batch first",
            "the model input is the sequence [T, N, D] (layout 0), its time axis where samples stack",
            shape=(2, FEATURES), dynamic=False)
    refused("lstm_cell_state", lambda: Classifier("cell", hidden=8), ["logits"], 17, "Y_c",
            "a classifier on c_n[-1], the last cell state, which the importer does not compute")
    refused("lstm_initial_state", lambda: LearnedInitialState(), ["y"], 17, "initial hidden state",
            "a learned nonzero initial state (initial_h, initial_c)")

    helper_refused("lstm_clip", dict(clip=3.0), [], {}, "clip", "the cell inputs clipped (attribute clip)")
    helper_refused("lstm_input_forget", dict(input_forget=1), [], {}, "input_forget",
                   "input and forget gates coupled (input_forget = 1)")
    helper_refused("lstm_relu_activations", dict(activations=["Sigmoid", "Relu", "Relu"]), [], {}, "activations",
                   "activations other than the default Sigmoid, Tanh, Tanh")
    helper_refused("lstm_peepholes", {}, ["", "", "", "P"], {"P": np.ones([1, 6], np.float32)}, "peephole",
                   "peephole weights P")
    helper_refused("lstm_short_sequences", {}, ["lengths"], {"lengths": np.array([4, 3], np.int32)},
                   "sequence lengths", "sequence_lens shorter than the sequence (padded sequences)")

    helper_case(
        "lstm_layout1_reverse",
        [helper.make_node("Tanh", ["input"], ["x"]),
         helper.make_node("LSTM", ["x", "W", "R", "B", "lengths"], ["Y", "Y_h"], hidden_size=6, layout=1,
                          direction="reverse")],
        lambda rng: {**weights(rng, 1, 6, 5), "lengths": np.array([5, 5], dtype=np.int32)},
        [5, 5], ["Y", "Y_h"], 14,
        "layout 1 ([N, T, D] in, Y [N, T, 1, H] and Y_h [N, 1, H] out), direction reverse, biases B and "
        "full-length sequence_lens given (a fixed batch of 2, the extent of sequence_lens)", dynamic=False)
    helper_case(
        "lstm_layout1_bidirectional",
        [helper.make_node("Mul", ["input", "scale"], ["x"]),
         helper.make_node("LSTM", ["x", "W", "R", "", "", "h0", "c0"], ["Y", "Y_h", ""], hidden_size=4, layout=1,
                          direction="bidirectional", activations=["Sigmoid", "Tanh", "Tanh"] * 2),
         helper.make_node("Reshape", ["Y", "flat"], ["y"])],
        lambda rng: {**weights(rng, 2, 4, 3, bias=False), "scale": np.array([0.5, -1, 2], dtype=np.float32),
                     "h0": np.zeros([2, 2, 4], np.float32), "c0": np.zeros([2, 2, 4], np.float32),
                     "flat": np.array([0, 0, -1], dtype=np.int64)},
        [6, 3], ["y", "Y_h"], 21,
        "layout 1, bidirectional, no B, zero initial_h/initial_c given (a fixed batch of 2, their extent), the "
        "default activations spelled out, Y_c not requested", dynamic=False)
    helper_case(
        "lstm_several_sequences",
        [helper.make_node("Reshape", ["input", "rows"], ["sequences"]),
         helper.make_node("Transpose", ["sequences"], ["x"], perm=[1, 0, 2]),
         helper.make_node("LSTM", ["x", "W", "R", "B"], ["Y", "Y_h", "Y_c"], hidden_size=5,
                          direction="bidirectional"),
         helper.make_node("Transpose", ["Y"], ["Y_batch"], perm=[2, 0, 1, 3]),
         helper.make_node("Reshape", ["Y_batch", "states_per_sample"], ["y"]),
         helper.make_node("Transpose", ["Y_h"], ["Y_h_batch"], perm=[1, 0, 2]),
         helper.make_node("Reshape", ["Y_h_batch", "last_per_sample"], ["last"])],
        lambda rng: {**weights(rng, 2, 5, 4), "rows": np.array([-1, 4, 4], dtype=np.int64),
                     "states_per_sample": np.array([-1, 3, 4 * 2 * 5], dtype=np.int64),
                     "last_per_sample": np.array([-1, 3, 2 * 5], dtype=np.int64)},
        [3, 4, 4], ["y", "last"], 14,
        "three sequences per sample (Reshape [N, 3, T, D] → [3N, T, D]): layout 0 with B = 3 per sample, "
        "bidirectional, Y_c unused")

    manifest = dict(
        generator="scripts/make_onnx_recurrent_fixtures.py",
        versions=dict(torch=torch.__version__.split("+")[0], onnx=onnx.__version__,
                      onnxruntime=onnxruntime.__version__, numpy=np.__version__),
        cases=cases)
    with open(os.path.join(ROOT, "manifest.json"), "w") as file:
        json.dump(manifest, file, indent=1)
        file.write("\n")
    print(f"{len(cases)} cases in {os.path.normpath(ROOT)}")


if __name__ == "__main__":
    main()
