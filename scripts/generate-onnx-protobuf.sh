#!/usr/bin/env bash
# Regenerates Sources/GlassboxONNX/Generated/onnx.pb.swift (and the copy of
# onnx.proto beside it) from the onnx.proto (proto2) of the onnx Python package.
# Run by hand when the schema or swift-protobuf changes; CI never runs it: the
# generated code is committed.
#
# Needs: protoc (apt-get install -y protobuf-compiler; libprotoc 3.21.12 was used),
#        pip (downloads the onnx wheel, without installing it), unzip,
#        git and the Swift toolchain (builds protoc-gen-swift from apple/swift-protobuf).
# Pinned: onnx 1.23.2 (ONNX_VERSION) and swift-protobuf 1.39.0 (the version
#         Package.swift uses; generated code must match the library's version).
#
#   ./scripts/generate-onnx-protobuf.sh [swift-protobuf checkout]
#
# The checkout defaults to /tmp/swift-protobuf and is cloned when absent
# (SWIFT_PROTOBUF_URL, default https://github.com/apple/swift-protobuf). Building
# protoc-gen-swift takes about 4 minutes on 2 cores the first time.
set -euo pipefail
cd "$(dirname "$0")/.."

ONNX_VERSION=${ONNX_VERSION:-1.23.2}
SWIFT_PROTOBUF_VERSION=1.39.0
out=Sources/GlassboxONNX/Generated
plugin_source=${1:-/tmp/swift-protobuf}

if [ ! -d "$plugin_source" ]; then
  git clone "${SWIFT_PROTOBUF_URL:-https://github.com/apple/swift-protobuf}" "$plugin_source"
fi
git -C "$plugin_source" checkout -q "$SWIFT_PROTOBUF_VERSION"
swift build -c release --package-path "$plugin_source" --product protoc-gen-swift
plugin="$plugin_source/.build/release/protoc-gen-swift"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pip download --quiet --no-deps --only-binary=:all: "onnx==$ONNX_VERSION" -d "$work/wheel"
wheel=$(ls "$work"/wheel/onnx-*.whl)
unzip -q -j "$wheel" onnx/onnx.proto -d "$work"
cp "$work/onnx.proto" "$out/onnx.proto"

protoc --plugin=protoc-gen-swift="$plugin" \
  --swift_opt=Visibility=Internal \
  --swift_out="$out" --proto_path="$out" "$out/onnx.proto"
echo "generated $out/onnx.pb.swift from onnx $ONNX_VERSION's onnx.proto with protoc-gen-swift $SWIFT_PROTOBUF_VERSION ($(protoc --version))"
