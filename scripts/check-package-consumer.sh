#!/usr/bin/env bash
# Checks that a package depending on Glassbox *by version* resolves, builds and
# runs. SwiftPM refuses a versioned (or branch/revision) dependency whose library
# products carry unsafe build flags ("contains unsafe build flags"), which a
# local `swift build` of this package never notices.
#
# It clones this repository into a temporary directory, tags a commit 0.1.0
# there (the clone keeps no other tag, so `from: "0.1.0"` can only pick that
# one), writes a throwaway package that depends on it with
# `.package(url: "file://…", from: "0.1.0")`, imports GlassboxCore, GlassboxNN
# and GlassboxExplain, multiplies two matrices on the CPU backend and computes a
# saliency map of the small CNN, then builds and runs it. Everything lives under
# one temporary directory (its own scratch path and caches), removed on exit.
#
# Usage: scripts/check-package-consumer.sh [REVISION]
#   no argument   the working tree as it is now: tracked files and untracked
#                 files git does not ignore, committed in the clone
#   REVISION      a commit of this repository, e.g. HEAD
set -euo pipefail

repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
revision=${1:-}
version=0.1.0

work=$(mktemp -d "${TMPDIR:-/tmp}/glassbox-consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT
clone="$work/glassbox"
consumer="$work/consumer"

git clone --quiet "$repo" "$clone"
git -C "$clone" tag -l | xargs -r git -C "$clone" tag -d >/dev/null
if [[ -z "$revision" ]]; then
    # Replace the clone's files by the working tree's and commit them.
    find "$clone" -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
    git -C "$repo" ls-files -z --cached --others --exclude-standard |
        while IFS= read -r -d '' path; do
            # A tracked file deleted in the working tree stays deleted.
            if [[ -e "$repo/$path" || -L "$repo/$path" ]]; then printf '%s\0' "$path"; fi
        done |
        tar -C "$repo" --null -T - -cf - | tar -C "$clone" -xf -
    git -C "$clone" add -A
    git -C "$clone" -c user.name="consumer check" -c user.email="consumer-check@localhost" \
        commit --quiet --allow-empty -m "Working tree for the package consumer check"
    commit=$(git -C "$clone" rev-parse HEAD)
    echo "Checking the working tree of $repo as Glassbox $version"
else
    commit=$(git -C "$repo" rev-parse --verify "$revision^{commit}")
    echo "Checking $revision ($commit) of $repo as Glassbox $version"
fi
git -C "$clone" tag "$version" "$commit"

mkdir -p "$consumer/Sources/GlassboxConsumer"
cat > "$consumer/Package.swift" <<EOF
// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "GlassboxConsumer",
    dependencies: [.package(url: "file://$clone", from: "$version")],
    targets: [
        .executableTarget(
            name: "GlassboxConsumer",
            dependencies: [
                .product(name: "GlassboxCore", package: "glassbox"),
                .product(name: "GlassboxNN", package: "glassbox"),
                .product(name: "GlassboxExplain", package: "glassbox"),
            ]
        ),
    ]
)
EOF
cat > "$consumer/Sources/GlassboxConsumer/main.swift" <<'EOF'
import GlassboxCore
import GlassboxExplain
import GlassboxNN

let backend = CPUBackend.shared

// A 7×20 by 20×18 product (partial 6-row and 16-column tiles) against plain loops.
let (m, k, n) = (7, 20, 18)
let a = (0..<(m * k)).map { Float(($0 * 7) % 11) - 5 }, b = (0..<(k * n)).map { Float(($0 * 5) % 13) - 6 }
let product = try backend.gemm(try backend.upload(a, shape: [m, k]), try backend.upload(b, shape: [k, n]),
                               transposeA: false, transposeB: false, alpha: 1, beta: 0, accumulator: nil).toArray()
var gemmError: Float = 0
for i in 0..<m {
    for j in 0..<n {
        let expected = (0..<k).reduce(Float(0)) { $0 + a[i * k + $1] * b[$1 * n + j] }
        gemmError = max(gemmError, abs(product[i * n + j] - expected))
    }
}
print("gemm \(m)×\(k) · \(k)×\(n): max error \(gemmError)")
guard gemmError == 0 else { fatalError("the CPU matrix product is wrong") }

// Saliency of a random 8×8 image for the small CNN.
let nodes = try Architecture.smallCNN.nodes(inputShape: [1, 8, 8], classes: 10)
let graph = try Graph.initialized(inputShape: [1, 8, 8], nodes: nodes, seed: 0, backend: backend)
var state: UInt64 = 42
let pixels = (0..<64).map { _ -> Float in
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Float(state >> 40) / Float(1 << 24)
}
let saliency = try Saliency().attribute(try backend.upload(pixels, shape: [1, 1, 8, 8]), targets: [3], model: graph).values
let values = try saliency.toArray()
print("saliency \(saliency.shape): sum \(values.reduce(0, +))")
guard saliency.shape == [1, 1, 8, 8], values.allSatisfy(\.isFinite), values.contains(where: { $0 > 0 }) else {
    fatalError("the saliency map is wrong")
}
print("consumer check passed")
EOF

# Its own scratch path, caches and configuration: nothing of this checkout's .build is touched.
options=(--package-path "$consumer" --scratch-path "$consumer/.build" --cache-path "$work/cache"
         --config-path "$work/config" --security-path "$work/security")

# Runs one step with its output in a log, shown (with the reason) if the step fails.
step() {
    local name=$1
    shift
    echo "== $name"
    if ! "$@" >"$work/$name.log" 2>&1; then
        cat "$work/$name.log" >&2
        if grep -q "unsafe build flags" "$work/$name.log"; then
            echo "FAILED: a product of Glassbox carries unsafe build flags, so no package can depend on it by version" >&2
        else
            echo "FAILED: $name of a package that depends on Glassbox $version" >&2
        fi
        exit 1
    fi
}

step resolve swift package "${options[@]}" resolve
step build swift build "${options[@]}"
grep -E "warning:|Build complete" "$work/build.log" || true
step run swift run "${options[@]}" --skip-build GlassboxConsumer
cat "$work/run.log"
if ! grep -q "^consumer check passed$" "$work/run.log"; then
    echo "FAILED: the consumer's run did not pass" >&2
    exit 1
fi
