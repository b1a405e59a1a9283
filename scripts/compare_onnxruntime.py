#!/usr/bin/env python3
"""Times onnxruntime's forward pass on the imported-model rows of `glassbox bench`,
in the same run on the same machine, and prints per model Glassbox's predict time,
onnxruntime's, and their ratio (below 1: Glassbox is faster). Run by hand; CI never
runs it.

    pip install onnxruntime numpy            # measured with onnxruntime 1.32.0, numpy 2.4.6
    python3 scripts/export_torchvision_zoo.py                      # once: models/zoo
    swift build -c release --product glassbox
    python3 scripts/compare_onnxruntime.py [--glassbox .build/release/glassbox] [--models models/zoo]
        [--rows predict|all] [--threads N] [--json bench.json]

For each model (resnet50, mobilenet_v3_small, vit_b_16 by default) the script runs

    <glassbox> bench --device cpu --models <models> --filter "<model> predict" --json

as a subprocess (`--rows all`: `--filter <model>`, so saliency and SmoothGrad-16 too),
and right after it times onnxruntime on the same file and the same input
(`<model>.input.npy`): an InferenceSession on the CPU execution provider with
`intra_op_num_threads` = --threads (default: every core, as Glassbox uses),
`inter_op_num_threads` = 1, sequential execution and every graph optimisation on;
three warm-up runs, then the median of at least 10 runs and 2 seconds. Glassbox's
time is its bench's: one warm-up, then the mean of the runs of at least 1 second.

It prints two Markdown tables: per model (forward GFLOP, Glassbox predict, its
GFLOP/s, onnxruntime, its GFLOP/s, Glassbox / onnxruntime), and every row measured
(with the FMA peak Glassbox measured at the start of that model's run, and the row's
time over onnxruntime's forward). With --json it writes every Glassbox row (the peak
rows included) and the onnxruntime rows (backend "onnxruntime <version>").
"""
import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import time

import numpy as np
import onnxruntime

MODELS = ["resnet50", "mobilenet_v3_small", "vit_b_16"]


def glassbox_rows(binary, models, model, rows):
    """The bench rows of one model, from a `glassbox bench --json` subprocess."""
    label = f"{model} predict" if rows == "predict" else model
    command = [binary, "bench", "--device", "cpu", "--models", models, "--filter", label, "--json"]
    print("$ " + shlex.join(command), file=sys.stderr, flush=True)
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    if result.stderr.strip():
        print(result.stderr.strip(), file=sys.stderr)
    return [row for row in json.loads(result.stdout) if row["group"] in (model, "peak")]


def onnxruntime_seconds(path, x, threads, minimum_runs=10, minimum_seconds=2.0):
    """Median seconds of one forward pass of `x` through the model at `path`, after three warm-up runs."""
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    feed = {session.get_inputs()[0].name: x}
    for _ in range(3):
        session.run(None, feed)
    times, start = [], time.perf_counter()
    while len(times) < minimum_runs or time.perf_counter() - start < minimum_seconds:
        began = time.perf_counter()
        session.run(None, feed)
        times.append(time.perf_counter() - began)
    return statistics.median(times), len(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--glassbox", default=".build/release/glassbox", help="the glassbox binary (release build)")
    parser.add_argument("--models", default="models/zoo", help="the folder of <model>.onnx and <model>.input.npy")
    parser.add_argument("--only", default=",".join(MODELS), help="comma-separated models (default: all three)")
    parser.add_argument("--rows", choices=["predict", "all"], default="predict",
                        help="Glassbox rows to run: predict only, or predict, saliency and SmoothGrad-16")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="onnxruntime intra-op threads")
    parser.add_argument("--json", help="write every row (Glassbox and onnxruntime) to this file")
    arguments = parser.parse_args()

    rows, comparisons = [], []
    for model in arguments.only.split(","):
        path = os.path.join(arguments.models, f"{model}.onnx")
        if not os.path.exists(path):
            print(f"{model}: skipped, no {path}", file=sys.stderr)
            continue
        measured = glassbox_rows(arguments.glassbox, arguments.models, model, arguments.rows)
        rows += measured
        measured = [row for row in measured if row["group"] == model]
        x = np.load(os.path.join(arguments.models, f"{model}.input.npy")).astype(np.float32)
        seconds, runs = onnxruntime_seconds(path, x, arguments.threads)
        predict = next((row for row in measured if row["name"] == "predict"), None)
        flops = predict["forwardGFLOP"] * 1e9 if predict else None
        rows.append({
            "backend": f"onnxruntime {onnxruntime.__version__}", "group": model, "name": "predict",
            "seconds": seconds, **({"gflops": flops / seconds / 1e9} if flops else {}),
        })
        comparisons.append((model, predict, seconds, runs))
        print(f"{model}: Glassbox {predict['seconds'] * 1000 if predict else float('nan'):.1f} ms, "
              f"onnxruntime {seconds * 1000:.1f} ms (median of {runs})", file=sys.stderr, flush=True)

    print(f"onnxruntime {onnxruntime.__version__}, {arguments.threads} intra-op threads, {os.cpu_count()} cores")
    print()
    print("| model | forward GFLOP | Glassbox predict | GFLOP/s | onnxruntime | GFLOP/s | Glassbox / onnxruntime |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for model, predict, seconds, _ in comparisons:
        if predict is None:
            print(f"| {model} |  |  |  | {seconds * 1000:.1f} ms |  |  |")
            continue
        gflop = predict["forwardGFLOP"]
        print(f"| {model} | {gflop:.3f} | {predict['seconds'] * 1000:.1f} ms | {predict['gflops']:.1f} "
              f"| {seconds * 1000:.1f} ms | {gflop / seconds:.1f} | {predict['seconds'] / seconds:.2f} |")
    print()
    print("| model | row | time | GFLOP/s | % of the run's peak | peak RSS | ÷ onnxruntime predict |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    reference = {model: seconds for model, _, seconds, _ in comparisons}
    peak = None
    for row in rows:
        if row["group"] == "peak":
            peak = row["gflops"]
            continue
        if row["backend"].startswith("onnxruntime"):
            rate = row.get("gflops")
            print(f"| {row['group']} | onnxruntime predict | {row['seconds'] * 1000:.1f} ms "
                  f"| {f'{rate:.1f}' if rate else ''} | {f'{100 * rate / peak:.0f}%' if rate and peak else ''} |  | 1 |")
            continue
        print(f"| {row['group']} | {row['name']} | {row['seconds'] * 1000:.1f} ms | {row['gflops']:.1f} "
              f"| {100 * row['ratioToPeak']:.0f}% (of {peak:.0f}) | {row['peakResidentBytes'] / 2**20:.0f} MiB "
              f"| {row['seconds'] / reference[row['group']]:.1f} |")
    if arguments.json:
        with open(arguments.json, "w") as file:
            json.dump(rows, file, indent=1)


if __name__ == "__main__":
    main()
