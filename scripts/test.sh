#!/usr/bin/env bash
# Runs the whole test suite (after the one-time system set-up), and checks the
# formatting (.swift-format, 120 columns; the generated ONNX protobuf code aside),
# the DocC documentation, and that a package depending on Glassbox by version
# builds and runs.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-debian.sh
git ls-files -z '*.swift' ':!Sources/GlassboxONNX/Generated' | xargs -0 swift format lint --strict
swift build --build-tests
swift test --skip-build "$@"
# The DocC reference of every library, failing on any warning (a broken symbol link).
targets=(GlassboxCore GlassboxFMAKernels GlassboxReference GlassboxConformance GlassboxNN GlassboxONNX GlassboxExplain
         GlassboxIO GlassboxOpenCL GlassboxText)
swift package generate-documentation --warnings-as-errors "${targets[@]/#/--target=}"
./scripts/check-package-consumer.sh
