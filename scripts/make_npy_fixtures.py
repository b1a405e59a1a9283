#!/usr/bin/env python3
"""Regenerates the small .npy fixtures that GlassboxIOTests reads.

Every file is written by numpy itself, so the tests check Glassbox's parser
against the reference writer. Uses numpy only. Run from the package root:

    python3 scripts/make_npy_fixtures.py

Fixtures (all in Tests/GlassboxIOTests/Fixtures/):
  <dtype-name>.npy   the values 0, 1, -2, 3, 4, 127 (unsigned: 0, 1, 2, 3, 4, 127)
                     as a (2, 3) C-order array of that dtype, version 1.0
  bool.npy           [[True, False, True], [False, False, True]]
  v2.npy, v3.npy     float32 (2, 3) values 0.5 * arange(6), format versions 2.0 and 3.0
  scalar.npy         float64 scalar 2.5, shape ()
  empty.npy          float32, shape (0, 4)
  nonfinite.npy      float32 [nan, inf, -inf]
  fortran.npy        float32 (2, 3) in Fortran order (must be rejected)
  complex.npy        complex64 (2,) (must be rejected: unsupported dtype '<c8')
"""

import os

import numpy as np

SIGNED = [0, 1, -2, 3, 4, 127]
UNSIGNED = [0, 1, 2, 3, 4, 127]

DTYPES = {
    "f4-le": "<f4",
    "f4-be": ">f4",
    "f8-le": "<f8",
    "f8-be": ">f8",
    "i1": "|i1",
    "i2-le": "<i2",
    "i2-be": ">i2",
    "i4-le": "<i4",
    "i4-be": ">i4",
    "i8-le": "<i8",
    "i8-be": ">i8",
    "u1": "|u1",
    "u2-le": "<u2",
    "u2-be": ">u2",
    "u4-le": "<u4",
    "u4-be": ">u4",
    "u8-le": "<u8",
    "u8-be": ">u8",
}


def write(directory: str, name: str, array: np.ndarray, version=(1, 0)) -> None:
    with open(os.path.join(directory, name), "wb") as handle:
        np.lib.format.write_array(handle, array, version=version, allow_pickle=False)


def main() -> None:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = os.path.join(root, "Tests", "GlassboxIOTests", "Fixtures")
    os.makedirs(out, exist_ok=True)

    for name, dtype in DTYPES.items():
        values = UNSIGNED if dtype[1] == "u" else SIGNED
        write(out, name + ".npy", np.array(values, dtype=dtype).reshape(2, 3))

    write(out, "bool.npy", np.array([[True, False, True], [False, False, True]]))
    halves = (0.5 * np.arange(6, dtype=np.float32)).reshape(2, 3)
    write(out, "v2.npy", halves, version=(2, 0))
    write(out, "v3.npy", halves, version=(3, 0))
    write(out, "scalar.npy", np.array(2.5, dtype=np.float64))
    write(out, "empty.npy", np.zeros((0, 4), dtype=np.float32))
    write(out, "nonfinite.npy", np.array([np.nan, np.inf, -np.inf], dtype=np.float32))
    write(out, "fortran.npy", np.asfortranarray(halves))
    write(out, "complex.npy", np.array([1 + 2j, 3 - 4j], dtype=np.complex64))


if __name__ == "__main__":
    main()
