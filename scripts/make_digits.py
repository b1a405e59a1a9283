#!/usr/bin/env python3
"""Regenerates Glassbox's built-in handwritten-digits dataset.

Writes, next to the GlassboxIO sources:
  Sources/GlassboxIO/Data/digits-images.npy  uint8, shape (1797, 8, 8), values 0...16
  Sources/GlassboxIO/Data/digits-labels.npy  uint8, shape (1797,),      values 0...9

The data is scikit-learn's bundled copy of the UCI "Optical Recognition of
Handwritten Digits" test set (Alpaydin & Kaynak, 1998), loaded with
sklearn.datasets.load_digits(). Run from the package root:

    python3 scripts/make_digits.py
"""

import os
import sys

import numpy as np
from sklearn.datasets import load_digits


def main() -> int:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = os.path.join(root, "Sources", "GlassboxIO", "Data")
    os.makedirs(out, exist_ok=True)

    digits = load_digits()
    images = np.ascontiguousarray(digits.images.astype(np.uint8))
    labels = np.ascontiguousarray(digits.target.astype(np.uint8))
    assert images.shape == (1797, 8, 8), images.shape
    assert labels.shape == (1797,), labels.shape
    assert np.array_equal(images.astype(np.float64), digits.images), "pixels are not integers"
    assert images.max() <= 16 and labels.max() <= 9

    np.save(os.path.join(out, "digits-images.npy"), images)
    np.save(os.path.join(out, "digits-labels.npy"), labels)

    counts = np.bincount(labels, minlength=10)
    print("class counts:", counts.tolist())
    print("first label:", int(labels[0]))
    print("first image row 0:", images[0, 0].tolist())
    print("last label:", int(labels[-1]))
    print("pixel sum:", int(images.astype(np.int64).sum()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
