#!/usr/bin/env python3
"""Prints the Markdown table of BENCHMARKS.md from `glassbox bench --json` output.

Usage: python3 scripts/benchmarks_table.py bench.json

One row per benchmark row, with time, GFLOP/s, % of the measured peak,
samples/s, peak RSS, % of OpenBLAS (CPU GEMM rows) and, for OpenCL rows, the
row's time over the CPU backend's time on the same row ("÷ CPU time").
Standard library only.
"""
import json
import sys


def time_text(seconds):
    if seconds <= 0:
        return ""
    milliseconds = seconds * 1000
    if milliseconds < 1:
        return f"{milliseconds:.2f} ms"
    if milliseconds < 100:
        return f"{milliseconds:.1f} ms"
    return f"{milliseconds:.0f} ms"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: benchmarks_table.py bench.json")
    with open(sys.argv[1]) as file:
        rows = json.load(file)
    cpu_times = {(row["group"], row["name"]): row["seconds"] for row in rows if row["backend"] == "cpu"}
    print("| backend | group | row | time | GFLOP/s | % of peak | samples/s | peak RSS | % of OpenBLAS | ÷ CPU time |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        backend = row["backend"]
        if backend.startswith("opencl") and "pthread" in backend:
            backend = backend.split(" ")[0] + " (PoCL)"
        cells = [
            backend, row["group"], row["name"], time_text(row["seconds"]),
            f"{row['gflops']:.1f}" if "gflops" in row else "",
            f"{100 * row['ratioToPeak']:.1f}%" if "ratioToPeak" in row else "",
            f"{row['samplesPerSecond']:.0f}" if "samplesPerSecond" in row else "",
            f"{row['peakResidentBytes'] / 2**20:.0f} MiB" if "peakResidentBytes" in row else "",
            f"{100 * row['ratioToOpenBLAS']:.0f}%" if "ratioToOpenBLAS" in row else "",
            "",
        ]
        reference = cpu_times.get((row["group"], row["name"]))
        if row["backend"] != "cpu" and not row["backend"].startswith("openblas") and reference:
            cells[-1] = f"{row['seconds'] / reference:.1f}×"
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
