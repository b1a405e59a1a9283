"""Writes the small ONNX models the command-line tests (Tests/GlassboxCLITests) run.

Each model passes its input through unchanged, flattened to [N, C·H·W] in
channels-first order, so `glassbox predict --output` shows exactly the array an
input became — the numbers `--preprocess`, symbolic input dimensions and
`--layout` produce can be checked against hand-computed values:

- probe_nchw_2x2.onnx       input [N, 3, 2, 2] → Flatten
- probe_nchw_symbolic.onnx  input [N, 3, "H", "W"] → Flatten
- probe_nhwc_symbolic.onnx  input [N, "H", "W", 3] → Transpose [0, 3, 1, 2] → Flatten
                            (the Keras/tf2onnx layout glassbox detects)

Nodes are named as torch.onnx names them ("/flatten/Flatten"), so the tests can
address a node by its ONNX node name as well as by its output value.

Run from the repository root (needs the `onnx` package):

    python3 scripts/make_cli_fixtures.py

and commit Tests/GlassboxCLITests/Fixtures/.
"""

import os

import onnx
from onnx import TensorProto, helper

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "GlassboxCLITests", "Fixtures")


def save(name, input_shape, nodes, output_size):
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N"] + input_shape)],
        [helper.make_tensor_value_info("probe", TensorProto.FLOAT, ["N", output_size])])
    model = helper.make_model(graph, producer_name="make_cli_fixtures", opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(ROOT, name + ".onnx"))


def flatten(source):
    return helper.make_node("Flatten", [source], ["probe"], name="/flatten/Flatten", axis=1)


def main():
    os.makedirs(ROOT, exist_ok=True)
    save("probe_nchw_2x2", [3, 2, 2], [flatten("input")], 12)
    save("probe_nchw_symbolic", [3, "H", "W"], [flatten("input")], "CHW")
    transpose = helper.make_node("Transpose", ["input"], ["/transpose/Transpose_output_0"],
                                 name="/transpose/Transpose", perm=[0, 3, 1, 2])
    save("probe_nhwc_symbolic", ["H", "W", 3], [transpose, flatten("/transpose/Transpose_output_0")], "CHW")


if __name__ == "__main__":
    main()
