#!/usr/bin/env bash
# The built-in example: train a small CNN on the shipped handwritten digits,
# inspect it, and predict a few test images.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-debian.sh
swift build -c release --product glassbox
glassbox=.build/release/glassbox
mkdir -p demo
$glassbox train --dataset digits --arch small-cnn --epochs 15 --seed 0 --output demo/digits.glassbox
$glassbox info demo/digits.glassbox
$glassbox export-sample --dataset digits --index 0 1 2 3 --output demo/digits-test-0-3.npy
$glassbox predict --model demo/digits.glassbox --input demo/digits-test-0-3.npy --top 3 --output demo/logits.npy
