#!/usr/bin/env python3
"""Exports PyTorch models with seeded random weights to ONNX, with onnxruntime's
outputs on a fixed input, for the importer's tests.

- small_cnn_torch (conv/BN/ReLU/pool/dropout/linear on 1x8x8 digits) is small and
  goes into Tests/GlassboxONNXTests/Fixtures (committed). Two files: one exported
  in eval mode (Dropout folded away by the exporter) and one with the Dropout
  nodes preserved (`*_dropout.onnx`), as a user would export for MC-dropout.
- resnet18, vgg11 and mobilenet_v2 (torchvision, 1x3x224x224) are large and go to
  the folder given by --models (default: models/, ignored by git); the opt-in
  test runs them when GLASSBOX_MODELS points at that folder.

Run by hand (CI never runs Python):
    pip install torch torchvision onnx onnxruntime numpy
    python3 scripts/export_pytorch_models.py [--models models]
"""
import argparse
import os

import numpy as np
import onnx
import onnxruntime
import torch
import torchvision
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "Tests", "GlassboxONNXTests", "Fixtures")


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(32 * 4 * 4, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


def randomise_batch_norm(model, generator):
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            module.running_mean.copy_(torch.randn(module.num_features, generator=generator) * 0.1)
            module.running_var.copy_(torch.rand(module.num_features, generator=generator) + 0.5)


def export(model, name, folder, input_shape, preserve_dropout=False):
    torch.manual_seed(0)
    x = torch.randn(*input_shape)
    model.eval()
    training = torch.onnx.TrainingMode.EVAL
    if preserve_dropout:
        for module in model.modules():
            if isinstance(module, nn.Dropout):
                module.train()
        training = torch.onnx.TrainingMode.PRESERVE
    path = os.path.join(folder, name + ".onnx")
    torch.onnx.export(model, (x,), path, input_names=["input"], output_names=["logits"], opset_version=13,
                      dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}}, training=training,
                      do_constant_folding=not preserve_dropout, dynamo=False)
    onnx.checker.check_model(onnx.load(path))
    np.save(os.path.join(folder, name + ".input.npy"), x.numpy())
    if not preserve_dropout:
        session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
        np.save(os.path.join(folder, name + ".output.npy"), session.run(None, {"input": x.numpy()})[0])
        with torch.no_grad():
            np.testing.assert_allclose(session.run(None, {"input": x.numpy()})[0], model(x).numpy(), rtol=1e-3, atol=1e-4)
    print("exported", path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", default=os.path.join(HERE, "..", "models"))
    arguments = parser.parse_args()
    os.makedirs(arguments.models, exist_ok=True)
    generator = torch.Generator().manual_seed(2026)
    torch.manual_seed(2026)
    with torch.no_grad():
        small = SmallCNN()
        randomise_batch_norm(small, generator)
        export(small, "small_cnn_torch", FIXTURES, (2, 1, 8, 8))
        export(small, "small_cnn_torch_dropout", FIXTURES, (2, 1, 8, 8), preserve_dropout=True)
        for name, constructor in [("resnet18", torchvision.models.resnet18), ("vgg11", torchvision.models.vgg11),
                                  ("mobilenet_v2", torchvision.models.mobilenet_v2)]:
            torch.manual_seed(2026)
            model = constructor(weights=None)
            randomise_batch_norm(model, generator)
            export(model, name, arguments.models, (1, 3, 224, 224))


if __name__ == "__main__":
    main()
