#!/usr/bin/env python3
"""Times PyTorch + Captum (and, for the perturbation methods, lime, shap, the RISE
reference code and pytorch-grad-cam) on the architectures and methods of
`glassbox bench` and prints, per row and reference, the time per explanation, the
peak RSS of this process while the row ran and the ratio Glassbox / reference
(below 1: Glassbox is faster). Run by hand; CI never runs it.

    pip install torch torchvision captum numpy lime==0.2.0.1 shap scikit-image grad-cam
    swift build -c release
    .build/release/glassbox bench --device cpu --json > bench.json      # add --quick for the quick rows
    python3 scripts/compare_captum.py --glassbox bench.json [more.json …] [--threads 2] [--device cpu|cuda] \
        [--filter "resnet-18 LIME"]

Measured with torch 2.15, torchvision, captum 0.9.0, lime 0.2.0.1, shap 0.51.0,
grad-cam 1.5.7, scikit-image 0.26.0. `--filter` keeps the rows whose "model method"
contains the text (case-insensitive), as `glassbox bench --filter` does, so the two can
alternate row by row; several `--glassbox` files are merged.

Same models (random weights, same layer shapes: the digits CNN on 1x8x8, the
VGG-style CIFAR CNN on 3x32x32, torchvision's ResNet-18 on 3x224x224), same
methods and batch settings: NoiseTunnel(Saliency) with 50 samples in one batch
(`nt_samples_batch_size=50`), IntegratedGradients with 50 steps in one batch
(`internal_batch_size=50`), GuidedBackprop, LayerGradCam on the last
convolution block, Occlusion with the bench's windows in one batch
(`perturbations_per_eval` = all windows), MC-dropout as 100 copies in one
forward pass in train mode, and Bayes-100 as 100 copies through the same
networks with locally reparameterised Bayesian conv/linear layers. PyTorch uses
`--threads` intra-op threads (default: all cores, as Glassbox does).

The perturbation rows (CIFAR CNN and ResNet-18; input Gaussian noise, target class 3)
use the features of the bench: a regular grid of superpixels (8×8 cells of 4×4 pixels on
32², 14×14 cells of 16×16 pixels on 224²; labels as Glassbox's `RegularGrid`):
- LIME-1000: `lime_image.LimeImageExplainer(random_state=0).explain_instance(image,
  classify, labels=(3,), top_labels=None, hide_color=None, num_samples=1000,
  batch_size=10 and 256, segmentation_fn=<the grid>)`, `classify` the model's softmax
  under `torch.no_grad()` on the H×W×C float32 batch lime builds; and Captum's `Lime`
  (ridge α = 1 as lime's, the cells' mean colours as baselines, the softmax output,
  `feature_mask` = the grid, `perturbations_per_eval=64`).
- KernelSHAP-2048: `shap.KernelExplainer(f, zeros(1, F)).shap_values(ones(1, F),
  nsamples=2048, l1_reg=False)` (no l1 selection, as Glassbox), where `f` takes shap's
  n×F coalitions (1: the cell from the input, 0: from the zero baseline), builds the
  masked images as Captum's `feature_mask` does (x · z[:, grid]) and runs them 64 at a
  time, returning the target's raw output; and Captum's `KernelShap` (baseline 0,
  `feature_mask` = the grid, `perturbations_per_eval=64`).
- RISE-4000: the authors' code (github.com/eclique/RISE, `generate_masks` with numpy and
  skimage's `resize`, N = 4000, s = 7, p1 = 0.5, then the softmax of the masked inputs in
  batches of 100) with two changes: the masked copies are made per batch rather than all
  4000 at once, and the saliency is the target's row only (the reference multiplies the
  scores of all classes by the masks: for 1000 classes another 0.4 TFLOP).
- Score-CAM: pytorch-grad-cam's `ScoreCAM` on the last block (`layer4[-1]` of ResNet-18,
  the ReLU after the CIFAR CNN's last convolution) with its default batch of 16 and with 128.
ResNet-18's perturbation rows (thousands of passes) warm up on 64 samples, as the bench's do.
"""
import argparse
import json
import os
import time

os.environ.setdefault("TQDM_DISABLE", "1")  # lime's and pytorch-grad-cam's progress bars

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from captum.attr import GuidedBackprop, IntegratedGradients, LayerGradCam, NoiseTunnel, Occlusion, Saliency


class BayesianLinear(nn.Linear):
    """Local reparameterisation (Kingma et al. 2015): mean and variance maps, then Gaussian noise."""

    def forward(self, x):
        rho = torch.full_like(self.weight, -5.0)
        mean = F.linear(x, self.weight, self.bias)
        variance = F.linear(x * x, F.softplus(rho) ** 2, F.softplus(torch.full_like(self.bias, -5.0)) ** 2)
        return mean + variance.sqrt() * torch.randn_like(mean)


class BayesianConv2d(nn.Conv2d):
    def forward(self, x):
        rho = torch.full_like(self.weight, -5.0)
        bias = self.bias if self.bias is not None else torch.zeros(self.out_channels)
        mean = self._conv_forward(x, self.weight, bias)
        variance = self._conv_forward(x * x, F.softplus(rho) ** 2, F.softplus(torch.full_like(bias, -5.0)) ** 2)
        return mean + variance.sqrt() * torch.randn_like(mean)


def digits_cnn(bayesian=False):
    conv, linear = (BayesianConv2d, BayesianLinear) if bayesian else (nn.Conv2d, nn.Linear)
    return nn.Sequential(conv(1, 16, 3, padding=1), nn.ReLU(), conv(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Dropout(0.25), nn.Flatten(), linear(512, 64), nn.ReLU(), nn.Dropout(0.5), linear(64, 10))


def cifar_cnn(bayesian=False):
    conv, linear = (BayesianConv2d, BayesianLinear) if bayesian else (nn.Conv2d, nn.Linear)
    return nn.Sequential(conv(3, 32, 3, padding=1), nn.ReLU(), conv(32, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         conv(32, 64, 3, padding=1), nn.ReLU(), conv(64, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         conv(64, 128, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         linear(2048, 256), nn.ReLU(), nn.Dropout(0.5), linear(256, 10))


def resnet18(bayesian=False):
    import torchvision
    model = torchvision.models.resnet18(num_classes=1000)
    if bayesian:
        for name, module in list(model.named_modules()):
            for child_name, child in list(module.named_children()):
                if isinstance(child, nn.Conv2d):
                    replacement = BayesianConv2d(child.in_channels, child.out_channels, child.kernel_size, child.stride,
                                                 child.padding, bias=True)
                    setattr(module, child_name, replacement)
                elif isinstance(child, nn.Linear):
                    setattr(module, child_name, BayesianLinear(child.in_features, child.out_features))
    return model


def last_conv(model):
    return [m for m in model.modules() if isinstance(m, nn.Conv2d)][-1]


def seconds(run, minimum, warm_up=None):
    (warm_up or run)()
    start, runs = time.perf_counter(), 0
    while True:
        run()
        runs += 1
        if time.perf_counter() - start >= minimum:
            return (time.perf_counter() - start) / runs


def reset_peak_rss():
    """Resets this process's VmHWM to its current resident size, as `glassbox bench` does (Linux)."""
    try:
        with open("/proc/self/clear_refs", "w") as file:
            file.write("5")
    except OSError:
        pass


def peak_rss_mib():
    with open("/proc/self/status") as file:
        for line in file:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


def grid_segments(height, width, cells):
    """Glassbox's `RegularGrid`: row band ((y + 1)·cells − 1) // height, columns likewise."""
    rows = ((np.arange(height) + 1) * cells - 1) // height
    columns = ((np.arange(width) + 1) * cells - 1) // width
    return rows[:, None] * cells + columns[None, :]


def lime_image_row(model, x, segments, target, batch_size):
    """lime's `LimeImageExplainer` on the H×W×C image, the grid as its segmentation, a softmax classifier."""
    from lime import lime_image
    image = x[0].permute(1, 2, 0).contiguous().numpy()

    def classify(images):
        with torch.no_grad():
            batch = torch.from_numpy(images).permute(0, 3, 1, 2).contiguous()
            return F.softmax(model(batch), dim=1).numpy()

    def run(samples):
        lime_image.LimeImageExplainer(random_state=0).explain_instance(
            image, classify, labels=(target,), top_labels=None, hide_color=None, num_samples=samples,
            batch_size=batch_size, segmentation_fn=lambda _: segments)
    return run


def cell_means(x, segments):
    """Each pixel the mean colour of its grid cell (lime's `hide_color=None` fill)."""
    labels = torch.from_numpy(segments).long().flatten()
    channels = x.shape[1]
    flat = x[0].reshape(channels, -1)
    sums = torch.zeros(channels, int(labels.max()) + 1).index_add_(1, labels, flat)
    means = sums / torch.bincount(labels).float()
    return means[:, labels].reshape(x.shape)


def captum_lime_row(model, x, segments, target):
    from captum._utils.models.linear_model import SkLearnRidge
    from captum.attr import Lime
    feature_mask = torch.from_numpy(segments).long()[None, None]

    def run(samples):
        Lime(lambda inputs: F.softmax(model(inputs), dim=1), interpretable_model=SkLearnRidge(alpha=1.0)).attribute(
            x, target=target, baselines=cell_means(x, segments), feature_mask=feature_mask, n_samples=samples,
            perturbations_per_eval=64)
    return run


def shap_kernel_row(model, x, segments, target, batch=64):
    """shap's KernelExplainer over the F grid cells: its coalitions become masked images (zero baseline)."""
    import shap
    cells = int(segments.max()) + 1
    labels = torch.from_numpy(segments).long()

    def f(coalitions):
        outputs = []
        with torch.no_grad():
            for start in range(0, len(coalitions), batch):
                masks = torch.from_numpy(coalitions[start:start + batch]).float()[:, labels]
                outputs.append(model(x * masks[:, None])[:, target])
        return torch.cat(outputs).numpy()

    def run(samples):
        shap.KernelExplainer(f, np.zeros((1, cells))).shap_values(
            np.ones((1, cells)), nsamples=samples, l1_reg=False, silent=True)
    return run


def captum_kernel_shap_row(model, x, segments, target):
    from captum.attr import KernelShap
    feature_mask = torch.from_numpy(segments).long()[None, None]

    def run(samples):
        KernelShap(model).attribute(x, target=target, baselines=0, feature_mask=feature_mask, n_samples=samples,
                                    perturbations_per_eval=64)
    return run


def rise_row(model, x, target, s=7, p1=0.5, batch=100):
    """eclique/RISE's `generate_masks` and forward pass, the copies made per batch, the target's saliency only."""
    from skimage.transform import resize
    height, width = x.shape[2:]

    def run(samples):
        cell_size = np.ceil(np.array((height, width)) / s)
        up_size = ((s + 1) * cell_size).astype(int)
        grid = (np.random.rand(samples, s, s) < p1).astype("float32")
        masks = np.empty((samples, height, width))
        for i in range(samples):
            dx, dy = np.random.randint(0, cell_size[0]), np.random.randint(0, cell_size[1])
            masks[i] = resize(grid[i], up_size, order=1, mode="reflect", anti_aliasing=False)[
                dx:dx + height, dy:dy + width]
        masks = torch.from_numpy(masks.reshape(-1, 1, height, width)).float()
        with torch.no_grad():
            scores = torch.cat([F.softmax(model(masks[i:i + batch] * x), dim=1)[:, target]
                                for i in range(0, samples, batch)])
            (scores @ masks.view(samples, height * width)).view(height, width) / samples / p1
    return run


def score_cam_row(model, x, layer, target, batch_size):
    from pytorch_grad_cam import ScoreCAM
    from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget

    def run():
        with ScoreCAM(model=model, target_layers=[layer]) as cam:
            cam.batch_size = batch_size
            cam(input_tensor=x, targets=[ClassifierOutputTarget(target)])
    return run


def last_block(model):
    """pytorch-grad-cam's usual target layer: ResNet's `layer4[-1]`, else the module after the last convolution."""
    if hasattr(model, "layer4"):
        return model.layer4[-1]
    modules = list(model)
    return modules[max(i for i, m in enumerate(modules) if isinstance(m, nn.Conv2d)) + 1]


def perturbation_rows(model, x, grid, warm_up_samples):
    """(method, reference, run, warm-up) of LIME-1000, KernelSHAP-2048, RISE-4000 and Score-CAM."""
    _, _, height, width = x.shape
    segments, target = grid_segments(height, width, grid), 3
    cells = f"{grid}×{grid} grid"
    channels = [m for m in model.modules() if isinstance(m, nn.Conv2d)][-1].out_channels

    def sized(make, samples):
        return (lambda: make(samples)), (lambda: make(min(samples, warm_up_samples))) if warm_up_samples else None

    rows = [
        (f"LIME-1000 ({cells})", "lime (batch 10)", *sized(lime_image_row(model, x, segments, target, 10), 1000)),
        (f"LIME-1000 ({cells})", "lime (batch 256)", *sized(lime_image_row(model, x, segments, target, 256), 1000)),
        (f"LIME-1000 ({cells})", "Captum Lime (64 per eval)", *sized(captum_lime_row(model, x, segments, target), 1000)),
        (f"KernelSHAP-2048 ({cells})", "shap KernelExplainer (batch 64)",
         *sized(shap_kernel_row(model, x, segments, target), 2048)),
        (f"KernelSHAP-2048 ({cells})", "Captum KernelShap (64 per eval)",
         *sized(captum_kernel_shap_row(model, x, segments, target), 2048)),
        ("RISE-4000 (7×7 cells)", "RISE reference (batch 100)", *sized(rise_row(model, x, target), 4000)),
    ]
    for batch in (16, 128):
        rows.append((f"Score-CAM ({channels} maps)", f"pytorch-grad-cam ScoreCAM (batch {batch})",
                     score_cam_row(model, x, last_block(model), target, batch), None))
    return rows


def rows_for(name, build, shape, device, minimum, selects, grid=None):
    """{(model, method, reference): (seconds, peak RSS MiB)} for the rows `selects` keeps."""
    model = build().to(device).eval()
    x = torch.randn(1, *shape, device=device)
    c, h, w = shape
    window = (c, max(1, h // 4), max(1, w // 4))
    strides = (c, max(1, h // 8), max(1, w // 8))
    windows = ((h - window[1]) // strides[1] + 1) * ((w - window[2]) // strides[2] + 1)
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)

    def mc_dropout():
        model.train()
        with torch.no_grad():
            F.softmax(model(x.expand(100, *shape)), dim=1)
        model.eval()

    bayesian = build(bayesian=True).to(device).eval() if selects(f"{name} Bayes-100") else None

    def bayes():
        with torch.no_grad():
            F.softmax(bayesian(x.expand(100, *shape)), dim=1)

    rows = [
        ("SmoothGrad-50", "Captum", lambda: NoiseTunnel(Saliency(model)).attribute(
            x, nt_type="smoothgrad", nt_samples=50, nt_samples_batch_size=50, stdevs=0.15, target=3, abs=True), None),
        ("IG-50", "Captum",
         lambda: IntegratedGradients(model).attribute(x, target=3, n_steps=50, internal_batch_size=50), None),
        ("guided backprop", "Captum", lambda: GuidedBackprop(model).attribute(x, target=3), None),
        ("Grad-CAM", "Captum", lambda: LayerGradCam(model, last_conv(model)).attribute(x, target=3), None),
        (f"occlusion ({windows} windows)", "Captum", lambda: Occlusion(model).attribute(
            x, target=3, sliding_window_shapes=window, strides=strides, perturbations_per_eval=windows), None),
    ]
    if any(isinstance(m, nn.Dropout) for m in model.modules()):
        rows.append(("MC-dropout-100", "Captum", mc_dropout, None))
    rows.append(("Bayes-100", "Captum", bayes, None))
    if grid:
        rows += perturbation_rows(model, x, grid, 64 if name == "resnet-18" else None)
    results = {}
    for method, reference, run, warm_up in rows:
        if not selects(f"{name} {method}"):
            continue

        def body(run=run):
            run()
            sync()
        reset_peak_rss()
        value = seconds(body, minimum, warm_up and (lambda warm_up=warm_up: (warm_up(), sync())))
        results[(name, method, reference)] = (value, peak_rss_mib())
        print(f"  {name} {method}, {reference}: {value * 1000:.1f} ms", flush=True)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--glassbox", nargs="+", help="JSON written by `glassbox bench --json` (several are merged)")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--minimum", type=float, default=1.0, help="seconds of timed runs per row")
    parser.add_argument("--skip-resnet", action="store_true")
    parser.add_argument("--filter", help="only rows whose \"model method\" contains this text (case-insensitive)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    np.random.seed(0)

    def selects(label):
        return args.filter is None or args.filter.lower() in label.lower()
    models = [("digits-cnn", digits_cnn, (1, 8, 8), None), ("cifar-cnn", cifar_cnn, (3, 32, 32), 8)]
    if not args.skip_resnet:
        models.append(("resnet-18", resnet18, (3, 224, 224), 14))
    references = {}
    for name, build, shape, grid in models:
        references.update(rows_for(name, build, shape, args.device, args.minimum, selects, grid))
    ours = {}
    for path in args.glassbox or []:
        with open(path) as file:
            for row in json.load(file):
                if row["backend"] == "cpu" or (args.device == "cuda" and row["backend"].startswith("opencl")):
                    ours[(row["group"], row["name"])] = row
    print(f"PyTorch {torch.__version__}, {args.threads} threads, {args.device}")
    print(f"{'model':<11} {'method':<28} {'reference':<38} {'ref ms':>10} {'ref RSS':>8} {'Glassbox ms':>12} "
          f"{'Glassbox RSS':>12} {'Glassbox/ref':>13}")
    for (model, method, reference), (value, rss) in references.items():
        mine = ours.get((model, method))
        seconds_ours = mine["seconds"] if mine else None
        ratio = f"{seconds_ours / value:13.3f}" if mine else f"{'—':>13}"
        mine_text = f"{seconds_ours * 1000:12.1f}" if mine else f"{'—':>12}"
        mine_rss = f"{mine['peakResidentBytes'] / 1048576:8.0f} MiB" if mine and mine.get("peakResidentBytes") else \
            f"{'—':>12}"
        rss_text = f"{rss:4.0f} MiB" if rss else f"{'—':>8}"
        print(f"{model:<11} {method:<28} {reference:<38} {value * 1000:10.1f} {rss_text:>8} {mine_text} {mine_rss} "
              f"{ratio}")


if __name__ == "__main__":
    main()
