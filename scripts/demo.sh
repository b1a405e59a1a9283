#!/usr/bin/env bash
# The built-in example: train a small CNN on the shipped handwritten digits,
# compare the attribution methods side by side (demo/digits-methods.png), and
# catch a planted watermark shortcut (demo/shortcut-methods.png and the table
# of attribution shares printed at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-debian.sh
swift build -c release --product glassbox
.build/release/glassbox demo --output demo "$@"
