#!/usr/bin/env python3
"""Rebuilds the ONNX model zoo's SqueezeNet 1.0, VGG-19 and ZFNet-512 (Caffe2
conversions) with seeded random weights into models/zoo-lookalikes/ (ignored by
git), with onnxruntime's outputs on a real photo, for the importer's opt-in
large-model tests.

No PyPI package ships the zoo's .onnx files, and the zoo cannot be reached from
here, but the onnx package ships their graphs: onnx/backend/test/data/light/
light_{squeezenet,vgg19,zfnet512}.onnx are the zoo models (producer
onnx-caffe2, IR 3, opset 9, graph names "squeezenet_old", "vgg19", "zfnet512")
with each tensor of more than 64 values replaced by `ConstantOfShape(<name>__SHAPE,
value=0.02)` (the smaller ones, some biases, are the zoo's own values); the
onnx backend's "real" tests (test_squeezenet, test_vgg19, test_zfnet512) run
exactly these files. Evaluating them materialises every weight at load time
(VGG-19's fc6 is ConstantOfShape([4096, 25088]), 411 MB; ZFNet's is
[4096, 18432]), and with all weights equal every class gets the same score,
so their recorded outputs are a uniform 0.001.

This script turns each light graph back into a zoo-style file: every
ConstantOfShape weight becomes an initializer of that shape with seeded random
values (He-normal weights, N(0, 0.01) biases), the `__SHAPE` initializers and
graph inputs go, and everything else is kept as the light file has it
(node order and names r0, r1, ..., the initializers listed as graph inputs
too, as IR-3 Caffe2 conversions do, VGG's and ZFNet's Reshape to the
constant OC2_DUMMY_1 = [1, 25088] / [1, 18432] (batch fixed to 1), ZFNet's
unused float input+initializer `gpu_0/imagenet1k_blobs_queue_…_0` [1, 1],
the two-output Dropout (output and mask), SqueezeNet's Softmax on the rank-4
GlobalAveragePool output [1, 1000, 1, 1] with the default axis 1, no Reshape
or Flatten). Each is written at opset 9 (the light file's), opset 7 (the zoo's
`-7` files; onnx's version converter, checked to change nothing but the
opset, since every operator used has the same schema at 7 and 9) and opset 12
(the zoo's `-12` files; onnx's version converter, which moves Dropout's ratio
attribute away as Dropout-12 wants, and IR 7).

Files, for each `<model>-<opset>.onnx` (model = squeezenet1.0, vgg19, zfnet512):
`<file>.input.npy` (1x3x224x224: skimage.data.chelsea() through Resize(256) /
CenterCrop(224) / ImageNet mean and std, as export_torchvision_zoo.py),
`<file>.output.npy` (onnxruntime's output, the softmax) and `<file>.logits.npy`
(the value that goes into the final Softmax), plus the light files themselves
(`light/`, copied from the onnx package with their recorded outputs) and
`manifest.json`.

Run by hand (CI never runs Python); 6 minutes on this 2-core machine while others used
it too (1 minute of CPU time), 2.7 GB of disk:
    pip install onnx==1.23.2 onnxruntime==1.32.0 numpy==2.4.6 torch==2.15.0 torchvision==0.29.2 \
        scikit-image==0.26.0
    python3 scripts/make_zoo_lookalikes.py [--models models/zoo-lookalikes]
"""
import argparse
import hashlib
import json
import os
import shutil
import time
from collections import Counter, OrderedDict

import numpy as np
import onnx
import onnxruntime
import skimage.data
import torch
import torchvision.transforms.functional as TF
from onnx import defs, helper, numpy_helper, version_converter
from torchvision.transforms import InterpolationMode

HERE = os.path.dirname(os.path.abspath(__file__))
LIGHT = os.path.join(os.path.dirname(onnx.__file__), "backend", "test", "data", "light")
MODELS = OrderedDict([("squeezenet1.0", "squeezenet"), ("vgg19", "vgg19"), ("zfnet512", "zfnet512")])
OPSETS = (7, 9, 12)
SEEDS = {"squeezenet1.0": 10, "vgg19": 19, "zfnet512": 512}


def photo():
    image = torch.from_numpy(np.ascontiguousarray(skimage.data.chelsea())).permute(2, 0, 1)
    image = TF.resize(image, [256], interpolation=InterpolationMode.BILINEAR, antialias=True)
    image = TF.convert_image_dtype(TF.center_crop(image, [224, 224]), torch.float32)
    return TF.normalize(image, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225])[None].numpy()


def materialise(light, seed):
    """The light graph with each ConstantOfShape weight turned into a random initializer."""
    rng = np.random.default_rng(seed)
    model = onnx.ModelProto()
    model.CopyFrom(light)
    graph = model.graph
    shapes = {i.name: numpy_helper.to_array(i) for i in graph.initializer if i.name.endswith("__SHAPE")}
    weights = OrderedDict()
    kept_nodes = []
    for node in graph.node:
        if node.op_type == "ConstantOfShape" and node.input[0] in shapes:
            shape = tuple(int(d) for d in shapes[node.input[0]])
            value = numpy_helper.to_array(node.attribute[0].t)
            assert value.shape == (1,) and abs(float(value[0]) - 0.02) < 1e-7, value
            weights[node.output[0]] = shape
        else:
            kept_nodes.append(node)
    # The light files kept the zoo's small tensors (biases of up to 64 values, OC2_DUMMY_1) as real
    # initializers; they stay as they are. Every replaced tensor gets random values.
    new_initializers = []
    for name, shape in weights.items():
        if len(shape) == 1:
            values = rng.standard_normal(shape, dtype=np.float32) * np.float32(0.01)
        else:
            fan_in = int(np.prod(shape[1:]))
            values = rng.standard_normal(shape, dtype=np.float32) * np.float32(np.sqrt(2.0 / fan_in))
        new_initializers.append(numpy_helper.from_array(values, name))
    old_initializers = [i for i in graph.initializer if i.name not in shapes]
    inputs = [i for i in graph.input if i.name not in shapes]
    # Zoo-style: the weights are graph inputs too (IR 3); add one for each new initializer, in the same order.
    present = {i.name for i in inputs}
    for initializer in new_initializers:
        if initializer.name not in present:
            inputs.append(helper.make_tensor_value_info(initializer.name, initializer.data_type,
                                                        list(initializer.dims)))
    del graph.node[:]
    graph.node.extend(kept_nodes)
    del graph.initializer[:]
    graph.initializer.extend(old_initializers + new_initializers)
    del graph.input[:]
    graph.input.extend(inputs)
    return model, {name: list(shape) for name, shape in weights.items()}


def at_opset(model, opset):
    if opset == model.opset_import[0].version:
        return model
    converted = version_converter.convert_version(model, opset)
    if opset < 9:
        # Every operator these graphs use means the same at 7 as at 9 (MaxPool-8 only adds the optional Indices
        # output and storage_order, Gemm-9 only integer types), so nothing but the opset may change.
        for node in model.graph.node:
            assert (defs.get_schema(node.op_type, 9).since_version <= opset
                    or node.op_type in ("MaxPool", "Gemm")), node.op_type
        assert [n.op_type for n in converted.graph.node] == [n.op_type for n in model.graph.node]
        converted.ir_version = 3
    else:
        converted.ir_version = 7
    return converted


def run(model, x, inner):
    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    probe.graph.output.append(helper.make_tensor_value_info(inner, onnx.TensorProto.FLOAT, None))
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 2
    options.log_severity_level = 3  # initializers listed as graph inputs (IR 3) warn once each
    session = onnxruntime.InferenceSession(probe.SerializeToString(), options, providers=["CPUExecutionProvider"])
    data_input = [i.name for i in model.graph.input if i.name not in {t.name for t in model.graph.initializer}]
    assert len(data_input) == 1, data_input
    return data_input[0], session.run(None, {data_input[0]: x})


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 24), b""):
            digest.update(block)
    return digest.hexdigest()


def describe(model):
    nodes = []
    for node in model.graph.node:
        attributes = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        nodes.append(OrderedDict(op=node.op_type, inputs=list(node.input), outputs=list(node.output),
                                 attributes={k: (v.decode() if isinstance(v, bytes) else v) for k, v in attributes.items()
                                             if not isinstance(v, onnx.TensorProto)}))
    return nodes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", default=os.path.join(HERE, "..", "models", "zoo-lookalikes"))
    arguments = parser.parse_args()
    folder = os.path.normpath(arguments.models)
    os.makedirs(os.path.join(folder, "light"), exist_ok=True)
    started = time.time()
    x = photo()
    entries, models = [], OrderedDict()
    for zoo_name, light_name in MODELS.items():
        light_path = os.path.join(LIGHT, f"light_{light_name}.onnx")
        for suffix in (".onnx", "_output_0.pb"):
            shutil.copyfile(os.path.join(LIGHT, f"light_{light_name}{suffix}"),
                            os.path.join(folder, "light", f"light_{light_name}{suffix}"))
        light = onnx.load(light_path)
        base, replaced = materialise(light, SEEDS[zoo_name])
        softmax = [n for n in base.graph.node if n.op_type == "Softmax"]
        assert len(softmax) == 1 and softmax[0].output[0] == base.graph.output[0].name
        inner = softmax[0].input[0]
        for opset in OPSETS:
            model = at_opset(base, opset)
            onnx.checker.check_model(model)
            stem = f"{zoo_name}-{opset}"
            path = os.path.join(folder, stem + ".onnx")
            onnx.save_model(model, path)
            data_input, (output, logits) = run(model, x, inner)
            np.save(os.path.join(folder, stem + ".input.npy"), x)
            np.save(os.path.join(folder, stem + ".output.npy"), output)
            np.save(os.path.join(folder, stem + ".logits.npy"), logits)
            print(f"{stem}: output {output.shape}, max {output.max():.4g}, logits max|.| {np.abs(logits).max():.4g}",
                  flush=True)
            entries.append(OrderedDict(
                file=stem + ".onnx", bytes=os.path.getsize(path), sha256=sha256(path), model=zoo_name, opset=opset,
                ir_version=model.ir_version, producer=f"{model.producer_name} {model.producer_version}".strip(),
                graph_name=model.graph.name, data_input=data_input, input_shape=list(x.shape),
                output=OrderedDict(name=model.graph.output[0].name, shape=list(output.shape),
                                   file=stem + ".output.npy", argmax=int(output.reshape(-1).argmax()),
                                   max=float(output.max())),
                logits=OrderedDict(name=inner, shape=list(logits.shape), file=stem + ".logits.npy",
                                   max_abs=float(np.abs(logits).max())),
                graph_inputs=len(model.graph.input), initializers=len(model.graph.initializer),
                operators=dict(sorted(Counter(n.op_type for n in model.graph.node).items())),
                input_file=stem + ".input.npy"))
        models[zoo_name] = OrderedDict(
            light_file=f"light/light_{light_name}.onnx", light_ir_version=light.ir_version,
            light_opset=light.opset_import[0].version, light_producer=light.producer_name,
            light_graph_name=light.graph.name,
            kept_initializers={i.name: list(i.dims) for i in light.graph.initializer if not i.name.endswith("__SHAPE")},
            replaced_constant_of_shape=replaced, light_nodes=describe(light))
    manifest = OrderedDict(
        script="scripts/make_zoo_lookalikes.py",
        versions=OrderedDict(onnx=onnx.__version__, onnxruntime=onnxruntime.__version__, numpy=np.__version__),
        source="onnx/backend/test/data/light/light_{squeezenet,vgg19,zfnet512}.onnx from the onnx package",
        input="skimage.data.chelsea(), Resize(256)/CenterCrop(224), ImageNet mean/std, 1x3x224x224",
        seconds=round(time.time() - started, 1), files=entries, models=models)
    with open(os.path.join(folder, "manifest.json"), "w") as handle:
        json.dump(manifest, handle, indent=1)
        handle.write("\n")
    print(f"{len(entries)} models in {folder}, {manifest['seconds']} s")


if __name__ == "__main__":
    main()
