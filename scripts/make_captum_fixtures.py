#!/usr/bin/env python3
"""Writes the explanation fixtures into Tests/GlassboxExplainTests/Fixtures: two
PyTorch CNNs exported to ONNX, fixed inputs, and the attributions Captum (and
pytorch-grad-cam for Grad-CAM++) computes for them, which the Swift tests
compare with Glassbox's own methods run on the imported `.onnx` models.

- `tiny_cnn` (3x16x16): seeded random weights, inputs of standard normal noise.
- `digits_cnn` (1x8x8): the PyTorch twin of Glassbox's built-in `small-cnn`,
  trained on scikit-learn's `load_digits` (pixels / 16), inputs four test
  digits of different classes with their true labels as targets.

Every case is listed in `manifest.json` (model, method id, file, targets,
Captum's parameter names and values, the ONNX value name of the layer for the
layer methods); `README.md` there records the versions and the Captum
conventions this script checks (IG points and weights, Occlusion windows,
guided backprop / deconvolution ReLU rules, Grad-CAM averaging, Guided
Grad-CAM's interpolation, the Grad-CAM++ formula).

Regenerate (run by hand; CI never runs Python). Deterministic: a second run on
the same machine writes byte-identical files (one CPU thread, fixed seeds):
    pip install torch==2.15.0 onnx==1.23.2 onnxruntime==1.32.0 numpy scikit-learn \
        captum==0.9.0 grad-cam==1.5.7
    python3 scripts/make_captum_fixtures.py
    sha256sum Tests/GlassboxExplainTests/Fixtures/*   # compare two runs
"""
import inspect
import io
import json
import os
import warnings
from collections import OrderedDict
from importlib import metadata

import numpy as np
import onnx
import onnxruntime
import torch
import torch.nn.functional as F
from torch import nn

from captum.attr import (Deconvolution, GuidedBackprop, GuidedGradCam, InputXGradient, IntegratedGradients,
                         LayerAttribution, LayerGradCam, NoiseTunnel, Occlusion, Saliency)
from captum.attr._utils.approximation_methods import approximation_parameters
from pytorch_grad_cam import GradCAMPlusPlus
from pytorch_grad_cam.utils.image import scale_cam_image
from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.normpath(os.path.join(HERE, "..", "Tests", "GlassboxExplainTests", "Fixtures"))

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)
warnings.filterwarnings("ignore")

CASES = []


# ---------------------------------------------------------------- models

def tiny_cnn():
    torch.manual_seed(0)
    model = nn.Sequential(OrderedDict([
        ("conv1", nn.Conv2d(3, 8, 3, padding=1)), ("relu1", nn.ReLU()),
        ("conv2", nn.Conv2d(8, 8, 3, padding=1)), ("relu2", nn.ReLU()),
        ("pool", nn.MaxPool2d(2)),
        ("conv3", nn.Conv2d(8, 16, 3, padding=1)), ("relu3", nn.ReLU()),
        ("gap", nn.AdaptiveAvgPool2d(1)), ("flatten", nn.Flatten()),
        ("fc", nn.Linear(16, 5)),
    ]))
    # Default init leaves the pooled features at ~0.1 and the logits at ~0.1;
    # scale the last layer's weights so the input-dependent part is O(1).
    with torch.no_grad():
        model.fc.weight.mul_(20.0)
    return model.eval()


def digits_cnn_untrained():
    torch.manual_seed(0)
    # Module names as Glassbox's `small-cnn` (Architecture.swift).
    return nn.Sequential(OrderedDict([
        ("conv1", nn.Conv2d(1, 16, 3, padding=1)), ("relu1", nn.ReLU()),
        ("conv2", nn.Conv2d(16, 32, 3, padding=1)), ("relu2", nn.ReLU()),
        ("pool", nn.MaxPool2d(2)), ("dropout1", nn.Dropout(0.25)),
        ("flatten", nn.Flatten()),
        ("fc1", nn.Linear(512, 64)), ("relu3", nn.ReLU()), ("dropout2", nn.Dropout(0.5)),
        ("logits", nn.Linear(64, 10)),
    ]))


def train_digits():
    digits = load_digits()
    x = (digits.images / 16.0).astype(np.float32)[:, None, :, :]
    y = digits.target.astype(np.int64)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, random_state=0, stratify=y)
    x_train, y_train = torch.from_numpy(x_train), torch.from_numpy(y_train)
    x_test_t, y_test_t = torch.from_numpy(x_test), torch.from_numpy(y_test)
    model = digits_cnn_untrained()
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
    generator = torch.Generator().manual_seed(0)
    accuracy = 0.0
    for epoch in range(30):
        model.train()
        order = torch.randperm(len(x_train), generator=generator)
        for start in range(0, len(order), 64):
            batch = order[start:start + 64]
            optimiser.zero_grad()
            loss = F.cross_entropy(model(x_train[batch]), y_train[batch])
            loss.backward()
            optimiser.step()
        model.eval()
        with torch.no_grad():
            accuracy = (model(x_test_t).argmax(1) == y_test_t).float().mean().item()
    print(f"digits_cnn: test accuracy {accuracy:.4f} after 30 epochs ({len(x_test)} test digits)")
    assert accuracy >= 0.95, accuracy
    return model.eval(), x_test, y_test, accuracy


# ---------------------------------------------------------------- export

def export_onnx(model, name, inputs, layers):
    """Exports `model`, checks onnxruntime against PyTorch, and finds the ONNX
    value name of each module in `layers` (name -> module): the output of the
    Conv node the module produced, confirmed by running onnxruntime with that
    value as an extra graph output against the module's forward-hook output."""
    buffer = io.BytesIO()
    torch.onnx.export(model, (inputs,), buffer, input_names=["input"], output_names=["logits"], opset_version=13,
                      dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}}, do_constant_folding=True,
                      training=torch.onnx.TrainingMode.EVAL, dynamo=False)
    graph = onnx.load_from_string(buffer.getvalue())
    onnx.checker.check_model(graph)
    with open(os.path.join(FIXTURES, name + ".onnx"), "wb") as file:
        file.write(buffer.getvalue())

    with torch.no_grad():
        logits = model(inputs)
    session = onnxruntime.InferenceSession(buffer.getvalue(), providers=["CPUExecutionProvider"])
    np.testing.assert_allclose(session.run(None, {"input": inputs.numpy()})[0], logits.numpy(), rtol=1e-4, atol=1e-5)

    conv_outputs = [node.output[0] for node in graph.graph.node if node.op_type == "Conv"]
    conv_modules = [module_name for module_name, module in model.named_children() if isinstance(module, nn.Conv2d)]
    assert len(conv_outputs) == len(conv_modules)
    names = {}
    for module_name in layers:
        value = conv_outputs[conv_modules.index(module_name)]
        captured = []
        handle = getattr(model, module_name).register_forward_hook(lambda m, i, o: captured.append(o.detach()))
        with torch.no_grad():
            model(inputs)
        handle.remove()
        probe = onnx.load_from_string(buffer.getvalue())
        probe.graph.output.append(onnx.helper.make_tensor_value_info(value, onnx.TensorProto.FLOAT, None))
        probe_session = onnxruntime.InferenceSession(probe.SerializeToString(), providers=["CPUExecutionProvider"])
        inner = probe_session.run([value], {"input": inputs.numpy()})[0]
        np.testing.assert_allclose(inner, captured[0].numpy(), rtol=1e-4, atol=1e-5)
        print(f"{name}: layer {module_name} is ONNX value {value!r} {tuple(inner.shape)}; onnxruntime matches the forward hook")
        difference = float(np.abs(inner - captured[0].numpy()).max())
        names[module_name] = {"layer": value, "layer_module": module_name, "layer_shape": list(inner.shape[1:]),
                              "layer_check": f"onnxruntime's {value} with it added as a graph output equals the "
                                             f"PyTorch module's forward-hook output (max abs difference {difference:.2e})"}
    return logits, names


# ---------------------------------------------------------------- writing

def save(name, array):
    array = np.ascontiguousarray(np.asarray(array, dtype=np.float32))
    np.save(os.path.join(FIXTURES, name), array)
    return name


def case(model, method, file, targets, parameters, **extra):
    entry = OrderedDict(model=model, method=method, file=file, shape=list(np.load(os.path.join(FIXTURES, file)).shape),
                        onnx=model + ".onnx", inputs=model + ".inputs.npy", logits=model + ".logits.npy",
                        targets=[int(t) for t in targets], parameters=parameters)
    entry.update(extra)
    CASES.append(entry)


def attributions(model, name, inputs, targets, layer_module, layer_info, occlusions, riemann_extra):
    x = inputs.clone()
    t = list(targets)

    def run(method, file, tensor, parameters, **extra):
        array = tensor.detach() if torch.is_tensor(tensor) else tensor
        case(name, method, save(f"{name}.{file}.npy", array), t, parameters, **extra)

    gradient = plain_gradient(model, x, t)
    saliency = Saliency(model).attribute(x, target=t, abs=True)
    signed = Saliency(model).attribute(x, target=t, abs=False)
    input_x_gradient = InputXGradient(model).attribute(x, target=t)
    assert torch.equal(signed, gradient) and torch.equal(saliency, gradient.abs())
    assert torch.equal(input_x_gradient, x * gradient)
    run("saliency", "saliency", saliency, {"abs": True})
    run("saliency-signed", "saliency-signed", signed, {"abs": False})
    run("input-x-gradient", "input-x-gradient", input_x_gradient, {})

    ig_settings = [("riemann_trapezoid", 32), ("gausslegendre", 32)]
    if riemann_extra:
        ig_settings += [("riemann_left", 16), ("riemann_right", 16), ("riemann_middle", 16)]
    for method, n_steps in ig_settings:
        attribution, delta = IntegratedGradients(model).attribute(
            x, baselines=torch.zeros_like(x), target=t, n_steps=n_steps, method=method, return_convergence_delta=True)
        step_sizes_func, alphas_func = approximation_parameters(method)
        # Captum's sum: sum_k step_k * grad f(alpha_k x) (steps rounded to float32), times x.
        reference = sum(float(np.float32(step)) * plain_gradient(model, alpha * x, t)
                        for step, alpha in zip(step_sizes_func(n_steps), alphas_func(n_steps))) * x
        np.testing.assert_allclose(attribution.numpy(), reference.numpy(), rtol=1e-4, atol=1e-6)
        with torch.no_grad():
            drop = model(x)[range(len(x)), t] - model(torch.zeros_like(x))[range(len(x)), t]
        np.testing.assert_allclose(delta.numpy(), (attribution.sum(dim=(1, 2, 3)) - drop).numpy(), rtol=1e-4, atol=1e-5)
        stem = f"ig-{method}-{n_steps}"
        delta_file = save(f"{name}.{stem}.delta.npy", delta.detach())
        run("integrated-gradients", stem, attribution,
            {"baselines": 0.0, "n_steps": n_steps, "method": method, "return_convergence_delta": True},
            delta_file=delta_file, alphas=alphas_func(n_steps),
            step_sizes=[float(np.float32(s)) for s in step_sizes_func(n_steps)])

    guided_backprop = GuidedBackprop(model).attribute(x, target=t)
    deconvnet = Deconvolution(model).attribute(x, target=t)
    assert not torch.allclose(guided_backprop, gradient) and not torch.allclose(deconvnet, gradient)
    np.testing.assert_allclose(guided_backprop.numpy(), modified_relu_gradient(model, x, t, "guided").numpy(),
                               rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(deconvnet.numpy(), modified_relu_gradient(model, x, t, "deconv").numpy(),
                               rtol=1e-5, atol=1e-7)
    run("guided-backprop", "guided-backprop", guided_backprop, {})
    run("deconvnet", "deconvnet", deconvnet, {})

    # Grad-CAM on the layer's (pre-ReLU Conv) output.
    grad_cam = LayerGradCam(model, layer_module)
    plain = grad_cam.attribute(x, target=t, relu_attributions=False)
    relu = grad_cam.attribute(x, target=t, relu_attributions=True)
    assert torch.equal(relu, F.relu(plain))
    activation, layer_gradient = layer_activation_and_gradient(model, layer_module, x, t)
    reference = (layer_gradient.mean(dim=(2, 3), keepdim=True) * activation).sum(dim=1, keepdim=True)
    np.testing.assert_allclose(plain.detach().numpy(), reference.numpy(), rtol=1e-5, atol=1e-7)
    layer_extra = dict(layer_info, attribute_to_layer_input=False)
    run("grad-cam", "grad-cam", relu, {"relu_attributions": True}, relu=True, **layer_extra)
    run("grad-cam", "grad-cam-signed", plain, {"relu_attributions": False}, relu=False, **layer_extra)
    size = tuple(x.shape[2:])
    for mode in ("bilinear", "nearest"):
        up = LayerAttribution.interpolate(relu, size, interpolate_mode=mode)
        reference = F.interpolate(relu, size, mode=mode, **({"align_corners": False} if mode == "bilinear" else {}))
        assert torch.equal(up, reference)
        run("grad-cam-upsampled", f"grad-cam-{mode}", up,
            {"relu_attributions": True, "interpolate_dims": list(size), "interpolate_mode": mode},
            relu=True, interpolate_mode=mode, align_corners=False if mode == "bilinear" else None, **layer_extra)

    default_mode = inspect.signature(GuidedGradCam.attribute).parameters["interpolate_mode"].default
    assert default_mode == "nearest", default_mode
    guided = GuidedGradCam(model, layer_module).attribute(x, target=t)
    check = GuidedBackprop(model).attribute(x, target=t) * F.interpolate(relu, size, mode="nearest")
    assert torch.allclose(guided, check, rtol=0, atol=0), (guided - check).abs().max()
    run("guided-grad-cam", "guided-grad-cam", guided, {"interpolate_mode": default_mode},
        relu=True, interpolate_mode=default_mode, **layer_extra)

    for window, strides, baseline in occlusions:
        attribution = Occlusion(model).attribute(x, sliding_window_shapes=window, strides=strides, baselines=baseline,
                                                 target=t)
        positions = [int(np.ceil((d - w) / s)) + 1 for d, w, s in zip(x.shape[1:], window, strides)]
        stem = "occlusion-" + "x".join(map(str, window)) + "-s" + "x".join(map(str, strides)) + f"-b{baseline:g}"
        check = occlusion_reference(model, x, t, window, strides, baseline)
        np.testing.assert_allclose(attribution.numpy(), check, rtol=1e-5, atol=1e-6)
        divides = [(d - w) % s == 0 for d, w, s in zip(x.shape[1:], window, strides)]
        run("occlusion", stem, attribution,
            {"sliding_window_shapes": list(window), "strides": list(strides), "baselines": float(baseline),
             "perturbations_per_eval": 1},
            positions_per_axis=positions, stride_divides_extent_minus_window=divides,
            window_starts_per_axis=[[k * s for k in range(n)] for n, s in zip(positions, strides)])

    # Grad-CAM++ (pytorch-grad-cam), raw low-resolution map before its min-max scaling.
    raw, conditioning = grad_cam_plus_plus(model, layer_module, x, t)
    run("grad-cam-plus-plus", "grad-cam-plus-plus", raw,
        {"library": "pytorch-grad-cam", "class": "GradCAMPlusPlus", "eps": 1e-6},
        relu=True, output="raw (N,1,h,w) relu(sum_k w_k A_k) before scale_cam_image and resizing",
        formula="g = d score_target / d A (raw logit, ClassifierOutputTarget); S_k = sum_ij A_kij; "
                "a_kij = g^2 / (2 g^2 + S_k g^3 + 1e-6) where g != 0 else 0; w_k = sum_ij max(g,0) a_kij; "
                "cam = max(sum_k w_k A_k, 0)",
        conditioning=conditioning, **layer_extra)


def plain_gradient(model, x, targets):
    x = x.detach().clone().requires_grad_()
    model(x)[range(len(x)), targets].sum().backward()
    model.zero_grad()
    return x.grad.detach()


class _ModifiedReLU(torch.autograd.Function):
    @staticmethod
    def forward(context, x, rule):
        context.save_for_backward(x)
        context.rule = rule
        return x.clamp(min=0)

    @staticmethod
    def backward(context, grad):
        (x,) = context.saved_tensors
        if context.rule == "guided":  # relu(grad_out * 1[x > 0])
            return F.relu(grad * (x > 0).to(grad.dtype)), None
        return F.relu(grad), None  # deconvnet: relu(grad_out), the forward mask ignored


def modified_relu_gradient(model, x, targets, rule):
    """Guided backprop / deconvnet by a custom ReLU backward, independent of Captum's hooks."""
    handles = [module.register_forward_hook(lambda m, i, o: _ModifiedReLU.apply(i[0], rule))
               for module in model.modules() if isinstance(module, nn.ReLU)]
    try:
        return plain_gradient(model, x, targets)
    finally:
        for handle in handles:
            handle.remove()


def layer_activation_and_gradient(model, layer, x, targets):
    captured = {}

    def hook(module, inputs, output):
        captured["activation"] = output
        output.register_hook(lambda grad: captured.__setitem__("gradient", grad))

    handle = layer.register_forward_hook(hook)
    model(x.detach().clone())[range(len(x)), targets].sum().backward()
    handle.remove()
    model.zero_grad()
    return captured["activation"].detach(), captured["gradient"].detach()


def occlusion_reference(model, x, targets, window, strides, baseline):
    """Independent re-implementation of Captum's placement: ceil((D-w)/s)+1
    positions per axis starting at k*s, windows cut at the border, the sum of
    output drops divided by how many windows covered each element."""
    with torch.no_grad():
        base = model(x)[range(len(x)), targets]
        total = torch.zeros_like(x)
        count = torch.zeros_like(x)
        ranges = [range(int(np.ceil((d - w) / s)) + 1) for d, w, s in zip(x.shape[1:], window, strides)]
        for c in ranges[0]:
            for i in ranges[1]:
                for j in ranges[2]:
                    mask = torch.zeros(x.shape[1:])
                    mask[c * strides[0]:c * strides[0] + window[0], i * strides[1]:i * strides[1] + window[1],
                         j * strides[2]:j * strides[2] + window[2]] = 1
                    occluded = x * (1 - mask) + baseline * mask
                    drop = base - model(occluded)[range(len(x)), targets]
                    total += drop[:, None, None, None] * mask
                    count += mask
    return (total / count).numpy()


def grad_cam_plus_plus(model, layer, x, targets):
    """relu(sum_k w_k A_k) with pytorch-grad-cam's own `get_cam_weights`, on the
    activations and gradients captured by hooks; checked against the class's
    output after the same min-max scaling and resizing it applies."""
    activations, gradients = (tensor.numpy() for tensor in layer_activation_and_gradient(model, layer, x, targets))

    cam_object = GradCAMPlusPlus(model=model, target_layers=[layer])
    weights = cam_object.get_cam_weights(x, [layer], None, activations, gradients)
    raw = np.maximum((weights[:, :, None, None] * activations).sum(axis=1), 0)

    theirs = cam_object(input_tensor=x.clone(), targets=[ClassifierOutputTarget(int(c)) for c in targets])
    cam_object.activations_and_grads.release()
    size = (x.shape[-1], x.shape[-2])
    mine = scale_cam_image(np.maximum(scale_cam_image(raw, size), 0))
    np.testing.assert_allclose(mine, theirs, rtol=1e-5, atol=1e-6)
    model.zero_grad()

    # How well conditioned the formula is here: the denominator is g^2 (2 + S g) + eps,
    # and conv activations (pre-ReLU) can make S g close to -2.
    g, a = gradients.astype(np.float64), activations.astype(np.float64)
    s = a.sum(axis=(2, 3), keepdims=True)
    a_ij = np.where(g != 0, g ** 2 / (2 * g ** 2 + s * g ** 3 + 1e-6), 0)
    raw64 = np.maximum(((np.maximum(g, 0) * a_ij).sum(axis=(2, 3))[:, :, None, None] * a).sum(axis=1), 0)
    conditioning = {
        "min_abs_2_plus_S_g_where_g_positive": float(np.abs(2 + s * g)[g > 0].min()),
        "a_ij_range_where_g_positive": [float(a_ij[g > 0].min()), float(a_ij[g > 0].max())],
        "float64_vs_float32_max_abs_difference_over_max": float(np.abs(raw64 - raw).max() / np.abs(raw64).max()),
    }
    return raw[:, None, :, :], conditioning


# ---------------------------------------------------------------- main

def noise_tunnel(model, name, x, target):
    sample = x[:1].clone()
    parameters = {"nt_samples": 4096, "nt_samples_batch_size": 512, "stdevs": 0.3, "abs": False,
                  "draw_baseline_from_distrib": False}
    results = {}
    for nt_type, method in [("smoothgrad", "smoothgrad"), ("smoothgrad_sq", "smoothgrad-sq"), ("vargrad", "vargrad")]:
        torch.manual_seed(1234)  # the same noise draws for all three
        results[nt_type] = NoiseTunnel(Saliency(model)).attribute(
            sample, nt_type=nt_type, nt_samples=4096, nt_samples_batch_size=512, stdevs=0.3, target=target, abs=False)
        case(name, method, save(f"{name}.{method}.npy", results[nt_type]), [target],
             dict(parameters, nt_type=nt_type), sample_index=0, torch_seed=1234,
             attribution_method="Saliency", statistical=True)
    np.testing.assert_allclose(results["vargrad"].numpy(),
                               (results["smoothgrad_sq"] - results["smoothgrad"] ** 2).numpy(), rtol=1e-4, atol=1e-6)


def main():
    os.makedirs(FIXTURES, exist_ok=True)
    for entry in os.listdir(FIXTURES):
        if entry.startswith(("tiny_cnn.", "digits_cnn.")) or entry == "manifest.json":
            os.remove(os.path.join(FIXTURES, entry))

    # tiny_cnn
    model = tiny_cnn()
    torch.manual_seed(1)
    x = torch.randn(3, 3, 16, 16)
    targets = [0, 3, 1]
    logits, names = export_onnx(model, "tiny_cnn", x, ["conv3"])
    save("tiny_cnn.inputs.npy", x)
    save("tiny_cnn.logits.npy", logits)
    print("tiny_cnn logits:\n", logits.numpy().round(3))
    attributions(model, "tiny_cnn", x, targets, model.conv3, names["conv3"],
                 occlusions=[((3, 4, 4), (3, 2, 2), 0.0), ((1, 3, 3), (1, 2, 2), 0.5)], riemann_extra=True)
    noise_tunnel(model, "tiny_cnn", x, targets[0])

    # digits_cnn
    model, x_test, y_test, accuracy = train_digits()
    picked = []
    with torch.no_grad():
        predictions = model(torch.from_numpy(x_test)).argmax(1).numpy()
    for index in range(len(y_test)):
        if predictions[index] == y_test[index] and y_test[index] not in [y_test[i] for i in picked]:
            picked.append(index)
        if len(picked) == 4:
            break
    x = torch.from_numpy(x_test[picked].copy())
    targets = [int(y_test[i]) for i in picked]
    logits, names = export_onnx(model, "digits_cnn", x, ["conv2"])
    save("digits_cnn.inputs.npy", x)
    save("digits_cnn.logits.npy", logits)
    print(f"digits_cnn: test indices {picked}, targets {targets}")
    attributions(model, "digits_cnn", x, targets, model.conv2, names["conv2"],
                 occlusions=[((1, 3, 3), (1, 1, 1), 0.0)], riemann_extra=False)
    for entry in CASES:
        if entry["model"] == "digits_cnn":
            entry["test_accuracy"] = round(accuracy, 4)
            entry["test_indices"] = picked

    with open(os.path.join(FIXTURES, "manifest.json"), "w") as file:
        json.dump(CASES, file, indent=1)
        file.write("\n")
    versions = {package: metadata.version(package) for package in
                ["torch", "captum", "grad-cam", "onnx", "onnxruntime", "numpy", "scikit-learn", "opencv-python-headless"]}
    print("versions:", json.dumps(versions))
    total = sum(os.path.getsize(os.path.join(FIXTURES, f)) for f in os.listdir(FIXTURES))
    print(f"{len(CASES)} cases, {total} bytes in {FIXTURES}")


if __name__ == "__main__":
    main()
