#!/usr/bin/env python3
"""Regenerates the superpixel fixtures that GlassboxIOTests (SuperpixelTests, BoundaryTests) reads.

Small copies of scikit-image's sample photographs, segmented by scikit-image's SLIC and quickshift
(LIME's segmenters), and their segment outlines drawn by skimage.segmentation.mark_boundaries.
Made with scikit-image 0.26.0, scipy 1.17.1, numpy 2.4.6 and Pillow; CI needs none of them because
the outputs are committed. Deterministic: no random numbers are drawn here (quickshift draws its
tie-breaking noise from numpy.random.default_rng(42), its default). Run from the package root:

    python3 scripts/make_superpixel_fixtures.py

Writes Tests/GlassboxIOTests/Fixtures/superpixels/ (described in its README.md):
  <image>.png                          the photograph, resized with Pillow (LANCZOS), 8-bit
  <image>-slic-<set>.npy               int32 (H, W) labels of slic(..., start_label=0)
  <image>-quickshift-<set>.npy         int32 (H, W) labels of quickshift (LIME's defaults, and a finer set)
  <image>-slic-default-boundaries.png  mark_boundaries(image, slic labels), via img_as_ubyte
  <image>-slic-default-top.png         mark_boundaries(image, mask) with mask 1 on TOP_SEGMENTS,
                                       as LIME's get_image_and_mask(hide_rest=False) + mark_boundaries
"""

import os

import numpy as np
import skimage
from PIL import Image
from skimage import data
from skimage.segmentation import mark_boundaries, quickshift, slic
from skimage.util import img_as_ubyte

FOLDER = os.path.join("Tests", "GlassboxIOTests", "Fixtures", "superpixels")

# name: (loader, (height, width)); each photograph is centre-cropped to the aspect ratio, then resized.
IMAGES = {
    "astronaut": (data.astronaut, (96, 96)),
    "chelsea": (data.chelsea, (48, 64)),
    "coffee": (data.coffee, (64, 48)),
    "camera": (data.camera, (64, 64)),  # gray: segmented as one channel, without Lab conversion
}

# SLIC parameter sets: "default" is skimage's/Glassbox's default with LIME-style smoothing (sigma=1).
SLIC_SETS = {
    "default": dict(n_segments=100, compactness=10.0, sigma=1.0),
    "coarse": dict(n_segments=30, compactness=5.0, sigma=0.0),
}

# quickshift parameter sets: "lime" is LIME's default segmenter; "fine" makes many small segments.
QUICKSHIFT_SETS = {
    "lime": dict(kernel_size=4, max_dist=200, ratio=0.2, sigma=0),
    "fine": dict(kernel_size=2, max_dist=8, ratio=0.5, sigma=0),
}

TOP_SEGMENTS = [1, 4, 9, 10, 15]  # the segments outlined in <image>-slic-default-top.png


def load(loader, size):
    """The photograph, centre-cropped to the aspect ratio of size (height, width) and resized."""
    photo = loader()
    height, width = photo.shape[:2]
    target_height, target_width = size
    if height * target_width > width * target_height:
        crop = width * target_height // target_width
        top = (height - crop) // 2
        photo = photo[top : top + crop]
    else:
        crop = height * target_width // target_height
        left = (width - crop) // 2
        photo = photo[:, left : left + crop]
    resized = Image.fromarray(photo).resize((target_width, target_height), Image.LANCZOS)
    return np.asarray(resized)


def save_labels(name, labels):
    np.save(os.path.join(FOLDER, name + ".npy"), labels.astype(np.int32))


def save_png(name, image):
    Image.fromarray(image).save(os.path.join(FOLDER, name + ".png"))


def main():
    assert skimage.__version__ == "0.26.0", f"made with scikit-image 0.26.0, found {skimage.__version__}"
    os.makedirs(FOLDER, exist_ok=True)
    for name, (loader, size) in IMAGES.items():
        image = load(loader, size)
        save_png(name, image)
        gray = image.ndim == 2
        channel_axis = None if gray else -1
        for set_name, parameters in SLIC_SETS.items():
            labels = slic(image, **parameters, start_label=0, channel_axis=channel_axis)
            save_labels(f"{name}-slic-{set_name}", labels)
            print(f"{name} slic {set_name}: {labels.max() + 1} segments")
        for set_name, parameters in QUICKSHIFT_SETS.items():
            labels = quickshift(image, **parameters, convert2lab=not gray)
            save_labels(f"{name}-quickshift-{set_name}", labels)
            print(f"{name} quickshift {set_name}: {labels.max() + 1} segments")

        slic_labels = np.load(os.path.join(FOLDER, f"{name}-slic-default.npy"))
        save_png(f"{name}-slic-default-boundaries", img_as_ubyte(mark_boundaries(image, slic_labels)))
        mask = np.isin(slic_labels, TOP_SEGMENTS).astype(np.int32)
        save_png(f"{name}-slic-default-top", img_as_ubyte(mark_boundaries(image, mask)))


if __name__ == "__main__":
    main()
