#!/usr/bin/env python3
"""Regenerates Glassbox's built-in breast-cancer table.

Writes, next to the GlassboxIO sources:
  Sources/GlassboxIO/Data/breast-cancer.csv  a header row of the 30 feature names and `target`,
                                             then 569 rows of 30 numbers and the class (0 or 1)

The data is scikit-learn's bundled copy of the UCI "Breast Cancer Wisconsin (Diagnostic)" data set
(Wolberg, Street & Mangasarian, 1995): the rows of sklearn/datasets/data/breast_cancer.csv, whose
numbers are copied as written there (no rounding), under the feature names of
sklearn.datasets.load_breast_cancer().feature_names. Target 0 is malignant, 1 benign, as in
scikit-learn. Made with scikit-learn 1.9.1; run from the package root:

    python3 scripts/make_breast_cancer.py
"""

import csv
import io
import os
import sys
from importlib import resources

import numpy as np
from sklearn.datasets import load_breast_cancer


def main() -> int:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = os.path.join(root, "Sources", "GlassboxIO", "Data", "breast-cancer.csv")

    bundled = resources.files("sklearn.datasets.data").joinpath("breast_cancer.csv").read_text(encoding="ascii")
    records = list(csv.reader(io.StringIO(bundled)))
    # The bundled file's first record is "569,30,malignant,benign": rows, features, class names.
    assert records[0] == ["569", "30", "malignant", "benign"], records[0]
    rows = records[1:]
    dataset = load_breast_cancer()
    names = [str(name) for name in dataset.feature_names]
    assert len(rows) == 569 and len(names) == 30
    assert all(len(row) == 31 for row in rows)
    assert list(dataset.target_names) == ["malignant", "benign"]
    assert all("," not in name and '"' not in name for name in names)
    values = np.array([[float(field) for field in row[:30]] for row in rows])
    targets = np.array([int(row[30]) for row in rows])
    assert np.array_equal(values, dataset.data), "the bundled rows differ from load_breast_cancer()"
    assert np.array_equal(targets, dataset.target)

    with open(out, "w", encoding="ascii", newline="") as file:
        file.write(",".join(names + ["target"]) + "\n")
        for row in rows:
            file.write(",".join(row) + "\n")

    counts = np.bincount(targets, minlength=2)
    print("rows:", len(rows), "class counts (malignant, benign):", counts.tolist())
    print("first row:", rows[0][:3], "... target", rows[0][30])
    print("column means:", np.round(values.mean(axis=0)[:3], 4).tolist(), "...")
    print("wrote", os.path.relpath(out, root), os.path.getsize(out), "bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
