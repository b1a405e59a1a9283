#!/usr/bin/env bash
# Runs the whole test suite (after the one-time system set-up).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-debian.sh
swift build --build-tests
swift test --skip-build "$@"
./scripts/check-package-consumer.sh
