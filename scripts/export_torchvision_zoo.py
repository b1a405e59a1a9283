#!/usr/bin/env python3
"""Exports every torchvision classification architecture, with seeded random
weights (no downloads), to ONNX for the importer's opt-in large-model tests,
with onnxruntime's outputs on real photos and, for six models, Captum's input
gradients. Everything goes to --models (default models/zoo, ignored by git).

For each architecture `torch.manual_seed(0)` is set before it is built with
`weights=None`; then, from a generator seeded 0, the BatchNorm layers get
non-trivial statistics: their running mean and variance are measured on a
calibration batch (the two photos below, their mirror images, and both shifted
by a quarter of the image; BatchNorm layers alone in training mode, cumulative
average), then perturbed (mean + 0.1·σ·N(0,1), variance × U(0.8, 1.2)), and
their affine weight and bias are drawn (U(0.8, 1.2), 0.05·N(0,1)). Purely random
statistics, as export_pytorch_models.py's randomise_batch_norm draws them, were
tried first: they leave MobileNet, EfficientNet, MNASNet, ShuffleNet and
GoogLeNet blind to their input (the two photos' logits equal to 1e-7, input
gradients of 1e-16) and blow Inception-v3's logits up to 1e12, so every model
is now checked to tell the two photos apart (max |row difference| > 5% of the
max |logit|). LayerNorm affine parameters are moved off 1/0, ConvNeXt's layer
scales (initialised to 1e-6, which would hide the residual branches) are set to
U(0.1, 0.5), and classifier Linears that torchvision initialises to zero (ViT's
head, so all logits would be 0) are drawn N(0, 0.02). Each model is exported in
eval mode as

    torch.onnx.export(model, (x,), "<arch>.onnx", dynamo=False, opset_version=17,
                      input_names=["input"], output_names=["logits"])

(fixed batch of 1, constant folding on); resnet18, mobilenet_v2 and vit_b_16
are exported at opset 11 and 13 too (`<arch>_opset11.onnx`, `<arch>_opset13.onnx`).
vit_b_16 cannot be exported below opset 14 as it is: the exporter has no
aten::scaled_dot_product_attention before opset 14 and no aten::unflatten
(nn.MultiheadAttention's in-projection split) before 13, so for those exports
torch's own later symbolics, which emit only opset-11 operators, are registered
for the export's opset (recorded as a note in the manifest; see LATER_SYMBOLICS).

Files, for each exported `<file>.onnx`:
- `<file>.input.npy`   1x3xHxW float32: skimage.data.chelsea() (the cat) through
  torchvision's ImageNet recipe: Resize(256) of the shorter side, bilinear with
  antialias, CenterCrop(224), to [0, 1], Normalize(mean=[0.485, 0.456, 0.406],
  std=[0.229, 0.224, 0.225]); inception_v3 uses Resize(342)/CenterCrop(299).
- `<file>.output.npy`  onnxruntime's logits for it (checked against PyTorch).
- `<file>.batch2.onnx`, `<file>.batch2.input.npy`, `<file>.batch2.output.npy`:
  the fixed-batch export cannot run a batch of 2 (its input is declared
  [1, 3, H, W], and exports such as ViT's fold the batch size 1 into Reshape
  shapes), so the same model is exported a second time with
  dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}} (otherwise the
  same call) and run on the cat and skimage.data.astronaut() stacked (2x3xHxW).
  The script checks that this export's first row equals the primary output.
- for resnet18, mobilenet_v3_small, efficientnet_b0, convnext_tiny, vit_b_16
  and swin_t (PyTorch model, target = argmax of the primary output):
  `<arch>.saliency.npy` = captum Saliency(model).attribute(x, target, abs=False)
  (the signed input gradient), `<arch>.ig.npy` = IntegratedGradients with a zero
  baseline, n_steps=16, method="gausslegendre", internal_batch_size=4, and
  `<arch>.gradients.json` with the target, the parameters, the convergence delta
  and the versions.
- `manifest.json`: every file with its input shape, opset, batch axis, FLOPs
  (torch.utils.flop_counter on the batch-1 forward: 2 per multiply-add, only
  convolutions and matrix products), max |output|, the operators of the graph,
  sizes and sha256, the per-model and total run times.

Run by hand (CI never runs Python); 12 minutes on this 2-core machine while others
used it too (7 minutes of CPU time), 6 GB of disk:
    pip install torch==2.15.0 torchvision==0.29.2 onnx==1.23.2 onnxruntime==1.32.0 \
        numpy==2.4.6 captum==0.9.0 scikit-image==0.26.0
    python3 scripts/export_torchvision_zoo.py [--models models/zoo] [--only resnet18,vit_b_16]
    GLASSBOX_MODELS=models swift test --filter TorchvisionZoo   # reads models/zoo/

Deterministic on one machine (fixed seeds; two threads for torch and
onnxruntime, one for the gradients, whose last bits vary from run to run with
two): a second run writes byte-identical .npy and .onnx files.
"""
import argparse
import copy
import hashlib
import json
import os
import time
import warnings
from collections import Counter, OrderedDict
from importlib import metadata

import numpy as np
import onnx
import onnxruntime
import skimage.data
import torch
import torchvision
import torchvision.transforms.functional as TF
from torch import nn
from torch.utils.flop_counter import FlopCounterMode
from torchvision.transforms import InterpolationMode

from captum.attr import IntegratedGradients, Saliency
from torch.onnx._internal.torchscript_exporter import symbolic_opset13, symbolic_opset14

HERE = os.path.dirname(os.path.abspath(__file__))
THREADS = 2
torch.set_num_threads(THREADS)
warnings.filterwarnings("ignore")

ARCHITECTURES = [
    "alexnet", "vgg11_bn", "resnet18", "resnet50", "resnext50_32x4d", "wide_resnet50_2", "densenet121",
    "squeezenet1_0", "squeezenet1_1", "mobilenet_v2", "mobilenet_v3_small", "mnasnet0_5", "shufflenet_v2_x0_5",
    "efficientnet_b0", "efficientnet_v2_s", "regnet_y_400mf", "convnext_tiny", "googlenet", "inception_v3",
    "vit_b_16", "swin_t", "maxvit_t",
]
EXTRA_OPSETS = {"resnet18": (11, 13), "mobilenet_v2": (11, 13), "vit_b_16": (11, 13)}
GRADIENTS = ["resnet18", "mobilenet_v3_small", "efficientnet_b0", "convnext_tiny", "vit_b_16", "swin_t"]
IG = OrderedDict(baseline="zeros", n_steps=16, method="gausslegendre", internal_batch_size=4)
MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


# ---------------------------------------------------------------- inputs

def photo(image, resize, crop):
    """torchvision's ImageNet evaluation recipe (the ImageClassification preset) on a uint8 HxWx3 array."""
    tensor = torch.from_numpy(np.ascontiguousarray(image)).permute(2, 0, 1)
    tensor = TF.resize(tensor, [resize], interpolation=InterpolationMode.BILINEAR, antialias=True)
    tensor = TF.center_crop(tensor, [crop, crop])
    tensor = TF.convert_image_dtype(tensor, torch.float32)
    result = TF.normalize(tensor, MEAN, STD)[None]
    # The same as the preset that torchvision's weights use (transforms only, no download).
    preset = torchvision.transforms._presets.ImageClassification(crop_size=crop, resize_size=resize)
    assert torch.equal(result[0], preset(torch.from_numpy(np.ascontiguousarray(image)).permute(2, 0, 1)))
    return result.contiguous()


def inputs_for(arch):
    resize, crop = (342, 299) if arch == "inception_v3" else (256, 224)
    cat = photo(skimage.data.chelsea(), resize, crop)
    astronaut = photo(skimage.data.astronaut(), resize, crop)
    return cat, torch.cat([cat, astronaut]), {"resize": resize, "crop": crop}


# ---------------------------------------------------------------- models

def calibration_batch(batch2):
    """The two photos, their mirror images, and both shifted by a quarter of the image down and right."""
    quarter = batch2.shape[-1] // 4
    return torch.cat([batch2, batch2.flip(-1), batch2.roll(quarter, -1), batch2.roll(quarter, -2)])


def build(arch, batch2):
    torch.manual_seed(0)
    model = getattr(torchvision.models, arch)(weights=None).eval()
    generator = torch.Generator().manual_seed(0)
    changes = Counter()
    with torch.no_grad():
        norms = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
        if norms:
            # Running statistics from the calibration batch (BatchNorm layers alone in training mode,
            # cumulative average), then perturbed: random statistics unrelated to the activations
            # (export_pytorch_models.py's randomise_batch_norm) leave deep nets blind to their input.
            for norm in norms:
                norm.reset_running_stats()
                norm.momentum = None
                norm.train()
            model(calibration_batch(batch2))
            for norm in norms:
                norm.eval()
                norm.momentum = 0.1
                spread = norm.running_var.sqrt()
                norm.running_mean.add_(0.1 * spread * torch.randn(norm.num_features, generator=generator))
                norm.running_var.mul_(torch.rand(norm.num_features, generator=generator) * 0.4 + 0.8)
                norm.weight.copy_(torch.rand(norm.num_features, generator=generator) * 0.4 + 0.8)
                norm.bias.copy_(0.05 * torch.randn(norm.num_features, generator=generator))
            changes["BatchNorm statistics calibrated and perturbed, affine drawn"] = len(norms)
        for name, module in model.named_modules():
            if isinstance(module, nn.LayerNorm) and module.elementwise_affine:
                module.weight.copy_(1 + 0.1 * torch.randn(module.weight.shape, generator=generator))
                if module.bias is not None:
                    module.bias.copy_(0.1 * torch.randn(module.bias.shape, generator=generator))
                changes["LayerNorm weight and bias"] += 1
            elif isinstance(module, nn.Linear) and not module.weight.any():
                module.weight.copy_(0.02 * torch.randn(module.weight.shape, generator=generator))
                if module.bias is not None:
                    module.bias.copy_(0.02 * torch.randn(module.bias.shape, generator=generator))
                changes[f"zero-initialised Linear {name}"] += 1
        for name, parameter in model.named_parameters():
            if name.endswith("layer_scale"):
                parameter.copy_(torch.rand(parameter.shape, generator=generator) * 0.4 + 0.1)
                changes["layer_scale"] += 1
    assert not model.training and not any(m.training for m in model.modules())
    return model, dict(changes)


# Symbolics that torch's TorchScript exporter has only from a later opset, though they emit
# nothing newer than opset 11 (the attention-mask and causal branches of the SDPA symbolic,
# which torchvision's models do not reach, are the exception): aten::unflatten (opset 13:
# Shape, Slice, Add, Mod, Concat, Reshape), nn.MultiheadAttention's in-projection split, and
# aten::scaled_dot_product_attention (opset 14: Transpose, Mul by √scale, MatMul, Softmax
# over the last axis, MatMul). Registered only for an export that fails without them.
LATER_SYMBOLICS = {
    "aten::unflatten": symbolic_opset13.unflatten,
    "aten::scaled_dot_product_attention": symbolic_opset14.scaled_dot_product_attention,
}


def export(model, x, path, opset, dynamic):
    """Returns the symbolics registered for an export that needed them."""
    extra = {"dynamic_axes": {"input": {0: "batch"}, "logits": {0: "batch"}}} if dynamic else {}
    call = dict(dynamo=False, opset_version=opset, input_names=["input"], output_names=["logits"], **extra)
    registered = []
    try:
        while True:
            try:
                torch.onnx.export(model, (x,), path, **call)
                break
            except torch.onnx.errors.UnsupportedOperatorError as error:
                missing = [name for name in LATER_SYMBOLICS if f"'{name}'" in str(error) and name not in registered]
                if not missing:
                    raise
                torch.onnx.register_custom_op_symbolic(missing[0], LATER_SYMBOLICS[missing[0]], opset)
                registered.append(missing[0])
    finally:
        for name in registered:
            torch.onnx.unregister_custom_op_symbolic(name, opset)
    onnx.checker.check_model(path)
    if registered:
        return (f"torch's exporter has no symbolic for {', '.join(registered)} at opset {opset}; exported with the "
                f"later opsets' symbolics (which emit only opset-{opset} operators) registered for opset {opset}")
    return None


def session(path):
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = THREADS
    options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def describe(path):
    model = onnx.load(path, load_external_data=False)
    shape = [d.dim_param or d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim]
    operators = Counter(node.op_type for node in model.graph.node)
    return shape, dict(sorted(operators.items()))


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 24), b""):
            digest.update(block)
    return digest.hexdigest()


def close(actual, expected, what, rtol=1e-3):
    """Tolerance scaled to the output's magnitude: random deep nets reach logits in the hundreds for one photo
    while staying O(1) for the other, and float32 rounding grows with them (efficientnet_v2_s: 0.03 at 300)."""
    atol = 1e-3 * max(1.0, float(np.abs(expected).max()))
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol, err_msg=what)
    return float(np.abs(actual - expected).max())


def file_entry(folder, name, **fields):
    path = os.path.join(folder, name)
    entry = OrderedDict(file=name, bytes=os.path.getsize(path))
    entry.update(fields)
    entry["sha256"] = sha256(path)
    return entry


# ---------------------------------------------------------------- one architecture

def run_architecture(arch, folder, files):
    started, cpu_started = time.time(), time.process_time()
    x, batch2, recipe = inputs_for(arch)
    model, changes = build(arch, batch2)
    with torch.no_grad():
        reference = model(x).numpy()
        reference2 = model(batch2).numpy()
    # The model must see its input: the two photos' logits differ by a fair part of their size.
    sensitivity = float(np.abs(reference2[0] - reference2[1]).max() / np.abs(reference2).max())
    assert sensitivity > 0.05, (arch, sensitivity)
    with FlopCounterMode(display=False) as counter:
        with torch.no_grad():
            model(x)
    flops = int(counter.get_total_flops())
    summary = OrderedDict(arch=arch, changes=changes, flops=flops, recipe=recipe,
                          photo_sensitivity=sensitivity, files=[])

    primary_output = None
    for opset in (17,) + EXTRA_OPSETS.get(arch, ()):
        stem = arch if opset == 17 else f"{arch}_opset{opset}"
        for dynamic in (False, True):
            onnx_name = stem + (".batch2.onnx" if dynamic else ".onnx")
            prefix = stem + (".batch2" if dynamic else "")
            path = os.path.join(folder, onnx_name)
            note = export(model, x, path, opset, dynamic)
            data = batch2 if dynamic else x
            output = session(path).run(None, {"input": data.numpy()})[0]
            difference = close(output, reference2 if dynamic else reference, f"{onnx_name} vs PyTorch")
            if dynamic:
                close(output[:1], primary_output, f"{onnx_name} row 0 vs the fixed-batch export")
            else:
                primary_output = output
            np.save(os.path.join(folder, prefix + ".input.npy"), data.numpy())
            np.save(os.path.join(folder, prefix + ".output.npy"), output)
            shape, operators = describe(path)
            common = dict(arch=arch, opset=opset, input_shape=list(data.shape), declared_input=shape,
                          batch_axis="dynamic (batch)" if dynamic else "fixed 1", **({"note": note} if note else {}))
            files.append(file_entry(folder, onnx_name, kind="model", flops_batch1=flops,
                                    max_abs_output=float(np.abs(output).max()),
                                    max_abs_difference_to_pytorch=difference, operators=operators, **common))
            files.append(file_entry(folder, prefix + ".input.npy", kind="input", model=onnx_name,
                                    images=["skimage.data.chelsea", "skimage.data.astronaut"][:len(data)], **common))
            files.append(file_entry(folder, prefix + ".output.npy", kind="output", model=onnx_name,
                                    output_shape=list(output.shape), max_abs_output=float(np.abs(output).max()),
                                    argmax=[int(i) for i in output.argmax(1)], **common))
            summary["files"] += [onnx_name, prefix + ".input.npy", prefix + ".output.npy"]
            print(f"  {onnx_name}: max|output| {np.abs(output).max():.4g}, max|ORT - torch| {difference:.2e}",
                  flush=True)

    if arch in GRADIENTS:
        # One thread for the backward passes: with two, the order of some reductions (depthwise convolutions'
        # weight gradients, pooling) varies from run to run and the last bits of the gradients with it.
        torch.set_num_threads(1)
        target = int(primary_output.argmax())
        gradient_input = x.clone()
        saliency = Saliency(model).attribute(gradient_input, target=target, abs=False).detach()
        ig, delta = IntegratedGradients(model).attribute(
            gradient_input, baselines=torch.zeros_like(gradient_input), target=target, n_steps=IG["n_steps"],
            method=IG["method"], internal_batch_size=IG["internal_batch_size"], return_convergence_delta=True)
        # The same two in float64: how far PyTorch's own float32 results are from exact arithmetic. A ReLU
        # network's input gradient is piecewise constant, so a rounding difference that flips one gate near 0
        # changes it over that unit's receptive field; this is the floor any float32 implementation can reach.
        model64 = copy.deepcopy(model).double()
        saliency64 = Saliency(model64).attribute(gradient_input.double(), target=target, abs=False).detach()
        ig64 = IntegratedGradients(model64).attribute(
            gradient_input.double(), baselines=torch.zeros_like(gradient_input).double(), target=target,
            n_steps=IG["n_steps"], method=IG["method"], internal_batch_size=IG["internal_batch_size"]).detach()
        del model64
        torch.set_num_threads(THREADS)
        assert saliency.abs().max() > 0 and ig.detach().abs().max() > 0

        def normalised(a, b):
            return float((a.double() - b).abs().max() / b.abs().max())
        np.save(os.path.join(folder, arch + ".saliency.npy"), saliency.numpy().astype(np.float32))
        np.save(os.path.join(folder, arch + ".ig.npy"), ig.detach().numpy().astype(np.float32))
        info = OrderedDict(
            model=arch + ".onnx", input=arch + ".input.npy", target=target, target_rule="argmax of the output",
            saliency=OrderedDict(file=arch + ".saliency.npy", call="captum.attr.Saliency(model).attribute(x, target, abs=False)"),
            integrated_gradients=OrderedDict(
                file=arch + ".ig.npy", baselines=0.0, n_steps=IG["n_steps"], method=IG["method"],
                internal_batch_size=IG["internal_batch_size"], convergence_delta=float(delta.item()),
                call="captum.attr.IntegratedGradients(model).attribute(x, baselines=zeros, target, n_steps=16, "
                     "method='gausslegendre', internal_batch_size=4, return_convergence_delta=True)"),
            float32_error=OrderedDict(
                saliency=normalised(saliency, saliency64), integrated_gradients=normalised(ig.detach(), ig64),
                meaning="max |float32 − float64| / max |float64| of Captum's own results"),
            computed_on="the PyTorch model (eval mode) the .onnx was exported from",
            versions=OrderedDict(captum=metadata.version("captum"), torch=torch.__version__,
                                 torchvision=torchvision.__version__),
            torch_threads=1)
        with open(os.path.join(folder, arch + ".gradients.json"), "w") as handle:
            json.dump(info, handle, indent=2)
            handle.write("\n")
        for name, kind in ((arch + ".saliency.npy", "saliency"), (arch + ".ig.npy", "integrated-gradients"),
                           (arch + ".gradients.json", "gradients-info")):
            files.append(file_entry(folder, name, kind=kind, arch=arch, model=arch + ".onnx", target=target,
                                    input_shape=list(x.shape)))
            summary["files"].append(name)
        print(f"  gradients: target {target}, max|saliency| {saliency.abs().max():.3g}, "
              f"max|IG| {ig.abs().max():.3g}, delta {delta.item():.3g}", flush=True)
    summary["seconds"] = round(time.time() - started, 1)
    summary["cpu_seconds"] = round(time.process_time() - cpu_started, 1)
    return summary


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", default=os.path.join(HERE, "..", "models", "zoo"))
    parser.add_argument("--only", default="", help="comma-separated architectures (default: all)")
    arguments = parser.parse_args()
    folder = os.path.normpath(arguments.models)
    os.makedirs(folder, exist_ok=True)
    selected = [a for a in ARCHITECTURES if not arguments.only or a in arguments.only.split(",")]
    started, cpu_started = time.time(), time.process_time()
    files, models = [], []
    for arch in selected:
        print(arch, flush=True)
        models.append(run_architecture(arch, folder, files))
        print(f"  {models[-1]['seconds']} s ({models[-1]['cpu_seconds']} s CPU)", flush=True)
    manifest = OrderedDict(
        script="scripts/export_torchvision_zoo.py",
        versions=OrderedDict((p, metadata.version(p)) for p in
                             ("torch", "torchvision", "onnx", "onnxruntime", "numpy", "captum", "scikit-image")),
        export_call='torch.onnx.export(model, (x,), path, dynamo=False, opset_version=OPSET, input_names=["input"], '
                    'output_names=["logits"]) (+ dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}} for '
                    '*.batch2.onnx)',
        preprocessing=OrderedDict(resize="shorter side, bilinear, antialias", mean=MEAN, std=STD,
                                  sizes="Resize(256)/CenterCrop(224); inception_v3 Resize(342)/CenterCrop(299)",
                                  batch1="skimage.data.chelsea()",
                                  batch2="[skimage.data.chelsea(), skimage.data.astronaut()]"),
        flops="torch.utils.flop_counter.FlopCounterMode on the batch-1 PyTorch forward: 2 per multiply-add, "
              "convolutions and matrix products only",
        threads=THREADS, total_seconds=round(time.time() - started, 1),
        total_cpu_seconds=round(time.process_time() - cpu_started, 1), models=models, files=files)
    name = "manifest.json" if not arguments.only else "manifest.partial.json"
    with open(os.path.join(folder, name), "w") as handle:
        json.dump(manifest, handle, indent=1)
        handle.write("\n")
    missing = [f["file"] for f in files if not os.path.exists(os.path.join(folder, f["file"]))]
    assert not missing, missing
    print(f"{len(files)} files in {folder}, {manifest['total_seconds']} s in all "
          f"({manifest['total_cpu_seconds']} s of CPU time)")


if __name__ == "__main__":
    main()
