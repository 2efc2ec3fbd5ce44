#!/usr/bin/env python3
"""Time HF tokenizers on the same corpus and settings as `tokenizer-bench`.

Usage: hf_bench.py CORPUS [--vocab 8192] [--runs 3] [--out DIR]

Training: BLOOM's pipeline (scripts/oracles/hf_oracle.py) trained with Tokenizer.train([CORPUS])
(line by line, all cores via rayon). Encoding: encode_batch(lines, add_special_tokens=False) on
the corpus lines without their "\n" (and encode_batch_fast when this version has it).
Prints a JSON report on stdout; with --out also writes DIR/hf-tokenizer.json and DIR/hf-report.json.
"""
import argparse
import json
import os
import statistics
import sys
import time

import tokenizers

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "oracles"))
from hf_oracle import train  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--vocab", type=int, default=8192)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out")
    a = ap.parse_args()
    train_times, tok = [], None
    for run in range(a.runs):
        t0 = time.perf_counter()
        tok = train([a.corpus], a.vocab)
        train_times.append(time.perf_counter() - t0)
        print(f"[hf] train run {run + 1}: {train_times[-1]:.3f} s", file=sys.stderr)
    with open(a.corpus, "rb") as f:
        data = f.read()
    lines = data.decode("utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    serialized = tok.to_str()
    encode_times, fast_times, tokens = [], [], 0
    for run in range(a.runs):
        fresh = tokenizers.Tokenizer.from_str(serialized)  # cold cache, as in a new process
        t0 = time.perf_counter()
        enc = fresh.encode_batch(lines, add_special_tokens=False)
        encode_times.append(time.perf_counter() - t0)
        tokens = sum(len(e.ids) for e in enc)
        del enc
        msg = f"[hf] encode run {run + 1}: {encode_times[-1]:.3f} s"
        if hasattr(fresh, "encode_batch_fast"):
            fresh = tokenizers.Tokenizer.from_str(serialized)
            t0 = time.perf_counter()
            fresh.encode_batch_fast(lines, add_special_tokens=False)
            fast_times.append(time.perf_counter() - t0)
            msg += f" (encode_batch_fast {fast_times[-1]:.3f} s)"
        print(msg, file=sys.stderr)
    report = {
        "tokenizers": tokenizers.__version__, "corpusBytes": len(data), "lines": len(lines), "vocabularySize": a.vocab,
        "trainingSeconds": train_times, "encodingSeconds": encode_times, "encodingFastSeconds": fast_times,
        "medianTrainingSeconds": statistics.median(train_times), "medianEncodingSeconds": statistics.median(encode_times),
        "medianEncodingFastSeconds": statistics.median(fast_times) if fast_times else None, "tokens": tokens,
    }
    if a.out:
        os.makedirs(a.out, exist_ok=True)
        tok.save(os.path.join(a.out, "hf-tokenizer.json"))
        with open(os.path.join(a.out, "hf-report.json"), "w") as f:
            json.dump(report, f, indent=2)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
