#!/usr/bin/env python3
"""Regenerates the small image fixtures that GlassboxIOTests reads.

The images are written by Pillow, the expected pixels decoded by Pillow (JPEG
through libjpeg, so Glassbox's stb_image decoder may differ by a level or two
there), and the resized tensors computed by PyTorch's
torch.nn.functional.interpolate. Needs numpy, Pillow and torch; CI needs none
of them because the outputs are committed. Run from the package root:

    python3 scripts/make_image_fixtures.py

Fixtures (all in Tests/GlassboxIOTests/Fixtures/images/), for a 9x13 test
pattern (smooth gradients plus a little seeded noise):
  gray.png, rgb.png, rgba.png     8-bit PNGs (modes L, RGB, RGBA)
  gray16.png                      a 16-bit grayscale PNG
  gray.jpg, rgb.jpg               baseline JPEGs, quality 95, no chroma subsampling
  progressive.jpg                 the RGB pattern as a progressive JPEG
  rgb.bmp                         a 24-bit BMP
  animated.gif                    a two-frame palette GIF (decoders read frame one)
  <name>.<ext>.npy                the decoded pixels, uint8 (height, width, channels);
                                  16-bit samples v as v >> 8, as stb_image converts them;
                                  GIF frame one as RGBA, as stb_image returns it
  rgb-luma.npy                    rgb.png converted to grayscale by Pillow (mode "L")
  resized-<mode>-<H>x<W>.npy      rgb.png as a float32 (3, H, W) tensor in 0...1, resized
                                  by F.interpolate with align_corners=False; <mode> is
                                  nearest, bilinear or bilinear-antialias (antialias=True)
"""

import os

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

FOLDER = os.path.join("Tests", "GlassboxIOTests", "Fixtures", "images")
HEIGHT, WIDTH = 9, 13
SIZES = [(20, 17), (4, 5), (6, 29)]  # upscaling, downscaling, and down in one axis, up in the other


def pattern(channels, rng, maximum=255):
    """A smooth gradient per channel with seeded noise, as integers in 0...maximum."""
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float64)
    planes = []
    for channel in range(channels):
        base = (x / (WIDTH - 1) * (0.4 + 0.2 * channel) + y / (HEIGHT - 1) * (0.6 - 0.2 * channel)) * maximum
        planes.append(base + rng.normal(0, maximum / 40, size=base.shape))
    return np.clip(np.rint(np.stack(planes, axis=-1)), 0, maximum)


def save_decoded(name, image):
    array = np.asarray(image, dtype=np.uint8)
    if array.ndim == 2:
        array = array[:, :, None]
    np.save(os.path.join(FOLDER, name + ".npy"), array)


def main():
    os.makedirs(FOLDER, exist_ok=True)
    rng = np.random.default_rng(0)
    gray = pattern(1, rng).astype(np.uint8)[:, :, 0]
    rgb = pattern(3, rng).astype(np.uint8)
    rgba = np.concatenate([pattern(3, rng), pattern(1, rng)], axis=-1).astype(np.uint8)
    gray16 = pattern(1, rng, maximum=65535).astype(np.uint16)[:, :, 0]

    def path(name):
        return os.path.join(FOLDER, name)

    Image.fromarray(gray).save(path("gray.png"))
    Image.fromarray(rgb).save(path("rgb.png"))
    Image.fromarray(rgba).save(path("rgba.png"))
    Image.fromarray(gray16).save(path("gray16.png"))
    Image.fromarray(gray).save(path("gray.jpg"), quality=95)
    Image.fromarray(rgb).save(path("rgb.jpg"), quality=95, subsampling=0)
    Image.fromarray(rgb).save(path("progressive.jpg"), quality=95, subsampling=0, progressive=True)
    Image.fromarray(rgb).save(path("rgb.bmp"))
    frames = [Image.fromarray(rgb).quantize(16), Image.fromarray(255 - rgb).quantize(16)]
    frames[0].save(path("animated.gif"), save_all=True, append_images=frames[1:], duration=100, loop=0)

    for name in ["gray.png", "rgb.png", "rgba.png", "gray.jpg", "rgb.jpg", "progressive.jpg", "rgb.bmp"]:
        save_decoded(name, Image.open(path(name)))
    with Image.open(path("gray16.png")) as image:
        assert image.mode.startswith("I"), image.mode
        save_decoded("gray16.png", (np.asarray(image).astype(np.uint32) >> 8).astype(np.uint8))
    with Image.open(path("animated.gif")) as image:
        assert image.n_frames == 2
        image.seek(0)
        save_decoded("animated.gif", image.convert("RGBA"))
    save_decoded("rgb-luma", Image.open(path("rgb.png")).convert("L"))

    tensor = torch.from_numpy(rgb.astype(np.float32) / 255).permute(2, 0, 1)[None]
    for height, width in SIZES:
        for mode, arguments in [
            ("nearest", dict(mode="nearest")),
            ("bilinear", dict(mode="bilinear", align_corners=False)),
            ("bilinear-antialias", dict(mode="bilinear", align_corners=False, antialias=True)),
        ]:
            resized = F.interpolate(tensor, size=(height, width), **arguments)[0].numpy().astype(np.float32)
            np.save(path(f"resized-{mode}-{height}x{width}.npy"), resized)


if __name__ == "__main__":
    main()
