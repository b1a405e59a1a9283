#!/usr/bin/env bash
# Runs the whole test suite (after the one-time system set-up), then checks the
# formatting (.swift-format, 120 columns; the generated ONNX protobuf code aside)
# and that a package depending on Glassbox by version builds and runs.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-debian.sh
git ls-files -z '*.swift' ':!Sources/GlassboxONNX/Generated' | xargs -0 swift format lint --strict
swift build --build-tests
swift test --skip-build "$@"
./scripts/check-package-consumer.sh
