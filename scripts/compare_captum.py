#!/usr/bin/env python3
"""Times PyTorch + Captum on the architectures and methods of `glassbox bench`
and prints, per row, the time per explanation and the ratio Glassbox / Captum
(below 1: Glassbox is faster). Run by hand; CI never runs it.

    pip install torch captum numpy
    swift build -c release
    .build/release/glassbox bench --device cpu --json > bench.json      # add --quick for the quick rows
    python3 scripts/compare_captum.py --glassbox bench.json [--threads 2] [--device cpu|cuda]

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
"""
import argparse
import json
import os
import time

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


def seconds(run, minimum):
    run()
    start, runs = time.perf_counter(), 0
    while True:
        run()
        runs += 1
        if time.perf_counter() - start >= minimum:
            return (time.perf_counter() - start) / runs


def rows_for(name, build, shape, device, minimum):
    model = build().to(device).eval()
    x = torch.randn(1, *shape, device=device)
    c, h, w = shape
    window = (c, max(1, h // 4), max(1, w // 4))
    strides = (c, max(1, h // 8), max(1, w // 8))
    windows = ((h - window[1]) // strides[1] + 1) * ((w - window[2]) // strides[2] + 1)
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)

    def timed(run):
        def body():
            run()
            sync()
        return seconds(body, minimum)

    results = {
        "SmoothGrad-50": timed(lambda: NoiseTunnel(Saliency(model)).attribute(
            x, nt_type="smoothgrad", nt_samples=50, nt_samples_batch_size=50, stdevs=0.15, target=3, abs=True)),
        "IG-50": timed(lambda: IntegratedGradients(model).attribute(x, target=3, n_steps=50, internal_batch_size=50)),
        "guided backprop": timed(lambda: GuidedBackprop(model).attribute(x, target=3)),
        "Grad-CAM": timed(lambda: LayerGradCam(model, last_conv(model)).attribute(x, target=3)),
        f"occlusion ({windows} windows)": timed(lambda: Occlusion(model).attribute(
            x, target=3, sliding_window_shapes=window, strides=strides, perturbations_per_eval=windows)),
    }
    if any(isinstance(m, nn.Dropout) for m in model.modules()):
        def mc_dropout():
            model.train()
            with torch.no_grad():
                F.softmax(model(x.expand(100, *shape)), dim=1)
            model.eval()
        results["MC-dropout-100"] = timed(mc_dropout)
    bayesian = build(bayesian=True).to(device).eval()

    def bayes():
        with torch.no_grad():
            F.softmax(bayesian(x.expand(100, *shape)), dim=1)
    results["Bayes-100"] = timed(bayes)
    return {(name, row): value for row, value in results.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--glassbox", help="JSON written by `glassbox bench --json`")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--minimum", type=float, default=1.0, help="seconds of timed runs per row")
    parser.add_argument("--skip-resnet", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    models = [("digits-cnn", digits_cnn, (1, 8, 8)), ("cifar-cnn", cifar_cnn, (3, 32, 32))]
    if not args.skip_resnet:
        models.append(("resnet-18", resnet18, (3, 224, 224)))
    captum = {}
    for name, build, shape in models:
        captum.update(rows_for(name, build, shape, args.device, args.minimum))
    ours = {}
    if args.glassbox:
        with open(args.glassbox) as file:
            for row in json.load(file):
                if row["backend"] == "cpu" or (args.device == "cuda" and row["backend"].startswith("opencl")):
                    ours[(row["group"], row["name"])] = row["seconds"]
    print(f"PyTorch {torch.__version__}, {args.threads} threads, {args.device}")
    print(f"{'model':<11} {'method':<28} {'Captum ms':>10} {'Glassbox ms':>12} {'Glassbox/Captum':>16}")
    for (model, method), value in captum.items():
        mine = ours.get((model, method))
        ratio = f"{mine / value:16.2f}" if mine else f"{'—':>16}"
        mine_text = f"{mine * 1000:12.1f}" if mine else f"{'—':>12}"
        print(f"{model:<11} {method:<28} {value * 1000:10.1f} {mine_text} {ratio}")


if __name__ == "__main__":
    main()
