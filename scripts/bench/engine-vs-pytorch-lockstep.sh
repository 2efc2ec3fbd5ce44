#!/usr/bin/env bash
# Side-by-side training-step benchmark in lock step: the engine and PyTorch (2 threads) stay in
# memory and take one step each in turn, ROUNDS times (scripts/bench/lockstep.py), so each
# per-round ratio compares two steps taken seconds apart on this drifting machine.
#
#   scripts/bench/engine-vs-pytorch-lockstep.sh [ROUNDS]
#
# PYTHON (default .venv/bin/python): the interpreter with torch and transformers. BUILD_LOCK: run
# the build under `flock "$BUILD_LOCK"`. BF16=1 adds both sides' mixed precision (engine --bf16,
# PyTorch autocast bf16). BASELINE=path adds another engine-bench binary (it must know --lockstep).
# The reference of the ratios is PyTorch fp32. The engine also measures the sgemm peak every 5
# rounds, right after its step; its "% sgemm peak" uses the peak nearest in time.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS="${1:-30}"
PYTHON="${PYTHON:-.venv/bin/python}"
${BUILD_LOCK:+flock "$BUILD_LOCK"} swift build -c release --product engine-bench >/dev/null
echo "# $(nproc) cores; OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(unset)} OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE:-(unset)}"
contestants=(engine=".build/release/engine-bench --lockstep")
[ -n "${BASELINE:-}" ] && contestants+=(baseline="$BASELINE --lockstep")
[ -n "${BF16:-}" ] && contestants+=(engine-bf16=".build/release/engine-bench --lockstep --bf16"
                                   pytorch-bf16="$PYTHON scripts/bench/bench_pytorch.py --lockstep --threads 2 --bf16")
contestants+=(pytorch="$PYTHON scripts/bench/bench_pytorch.py --lockstep --threads 2")
exec "$PYTHON" scripts/bench/lockstep.py --rounds "$ROUNDS" --reference pytorch "${contestants[@]}"
