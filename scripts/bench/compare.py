#!/usr/bin/env python3
"""Run the Swift and HF tokenizer benchmarks interleaved, in one run, and report medians.

Usage (from the package root, after `swift build -c release`):
  .venv/bin/python scripts/bench/compare.py CORPUS [--rounds 3] [--vocab 8192] [--out DIR]

Each round runs `.build/release/tokenizer-bench CORPUS --runs 1` and then
`scripts/bench/hf_bench.py CORPUS --runs 1`, so background load hits both sides alike.
Prints both sides' times, medians and ratios, and whether the two trained tokenizer.json
files are byte-identical.
"""
import argparse
import filecmp
import json
import os
import platform
import statistics
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def run(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    sys.stderr.write(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--vocab", type=int, default=8192)
    ap.add_argument("--out", default="/tmp/tokenizer-bench")
    a = ap.parse_args()
    swift, hf = [], []
    for r in range(a.rounds):
        swift.append(run([os.path.join(ROOT, ".build/release/tokenizer-bench"), a.corpus, "--runs", "1",
                          "--vocab", str(a.vocab), "--out", a.out]))
        hf.append(run([sys.executable, os.path.join(ROOT, "scripts/bench/hf_bench.py"), a.corpus, "--runs", "1",
                       "--vocab", str(a.vocab), "--out", a.out]))
    med = lambda xs: statistics.median(xs)
    s_train = [x["trainingSeconds"][0] for x in swift]
    h_train = [x["trainingSeconds"][0] for x in hf]
    s_enc = [x["encodingSeconds"][0] for x in swift]
    s_off = [x["encodingWithOffsetsSeconds"][0] for x in swift]
    h_enc = [x["encodingSeconds"][0] for x in hf]
    h_fast = [x["encodingFastSeconds"][0] for x in hf if x["encodingFastSeconds"]]
    mb = swift[0]["corpusBytes"] / 1e6
    same = filecmp.cmp(os.path.join(a.out, "swift-tokenizer.json"), os.path.join(a.out, "hf-tokenizer.json"), shallow=False)
    f = lambda xs: ", ".join(f"{x:.2f}" for x in xs)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; tokenizers {hf[0]['tokenizers']}; corpus {mb:.1f} MB, "
          f"{swift[0]['lines']} lines; vocab {a.vocab}; {a.rounds} interleaved rounds")
    print(f"train   Swift [{f(s_train)}] median {med(s_train):.2f} s | HF [{f(h_train)}] median {med(h_train):.2f} s | "
          f"HF/Swift {med(h_train) / med(s_train):.2f}x")
    print(f"encode  Swift [{f(s_enc)}] median {med(s_enc):.2f} s ({mb / med(s_enc):.1f} MB/s) | HF encode_batch [{f(h_enc)}] "
          f"median {med(h_enc):.2f} s ({mb / med(h_enc):.1f} MB/s) | HF/Swift {med(h_enc) / med(s_enc):.2f}x")
    if h_fast:
        print(f"encode  HF encode_batch_fast [{f(h_fast)}] median {med(h_fast):.2f} s | HF fast/Swift {med(h_fast) / med(s_enc):.2f}x")
    print(f"encode+offsets Swift [{f(s_off)}] median {med(s_off):.2f} s | HF encode_batch (has offsets)/Swift {med(h_enc) / med(s_off):.2f}x")
    print(f"tokens: Swift {swift[0]['tokens']}, HF {hf[0]['tokens']}; tokenizer.json byte-identical: {same}")


if __name__ == "__main__":
    main()
