#!/usr/bin/env bash
# Regenerates Sources/GlassboxONNX/Generated/onnx.pb.swift from onnx.proto.
# Run by hand (CI never does): it needs protoc (apt-get install protobuf-compiler),
# the onnx Python package for the schema (pip install onnx==1.23.2), and builds
# protoc-gen-swift from apple/swift-protobuf 1.39.0 (the version Package.swift uses).
#   ./scripts/generate-onnx-protobuf.sh [path/to/swift-protobuf checkout]
set -euo pipefail
cd "$(dirname "$0")/.."
out=Sources/GlassboxONNX/Generated
plugin_source=${1:-/tmp/swift-protobuf}
if [ ! -d "$plugin_source" ]; then
  git clone https://github.com/apple/swift-protobuf "$plugin_source"
fi
git -C "$plugin_source" checkout -q 1.39.0
swift build -c release --package-path "$plugin_source" --product protoc-gen-swift
schema=$(python3 -c "import onnx, os; print(os.path.join(os.path.dirname(onnx.__file__), 'onnx.proto'))")
cp "$schema" "$out/onnx.proto"
protoc --plugin=protoc-gen-swift="$plugin_source/.build/release/protoc-gen-swift" \
  --swift_opt=Visibility=Internal --swift_out="$out" --proto_path="$out" "$out/onnx.proto"
echo "generated $out/onnx.pb.swift from onnx $(python3 -c 'import onnx; print(onnx.__version__)')"
