#!/usr/bin/env bash
# Side-by-side training-step benchmark: engine-bench (release) and PyTorch (2 threads), alternated
# over ROUNDS rounds so that drifting machine load hits both alike.
#
#   scripts/bench/engine-vs-pytorch.sh [STEPS] [ROUNDS]
#
# PYTHON (default .venv/bin/python) is the interpreter with torch and transformers. With
# BUILD_LOCK set, the build runs under `flock "$BUILD_LOCK"` (machines where builds must not overlap).
#
# Rows: the engine with the OpenBLAS environment as found (round 1 only), with OPENBLAS_CORETYPE
# forced to SkylakeX (AVX-512) and to Haswell (AVX2), and PyTorch. OPENBLAS_L2_SIZE is left as
# found. Without OPENBLAS_CORETYPE, OpenBLAS 0.3.21 misdetects this VM's CPU and runs its SSE3
# "Prescott" kernel. Each figure is a median over STEPS steps after 2 warm-up steps; the table
# gives the median over rounds and the per-round ratio to PyTorch.
set -euo pipefail
cd "$(dirname "$0")/../.."
STEPS="${1:-10}"
ROUNDS="${2:-3}"
PYTHON="${PYTHON:-.venv/bin/python}"
OUT="$(mktemp -d)"
${BUILD_LOCK:+flock "$BUILD_LOCK"} swift build -c release --product engine-bench >/dev/null
echo "# $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# environment: OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(unset)} OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE:-(unset)}"
.build/release/engine-bench --steps "$STEPS" --json > "$OUT/engine-env.1.json"
for r in $(seq 1 "$ROUNDS"); do
  OPENBLAS_CORETYPE=SkylakeX .build/release/engine-bench --steps "$STEPS" --json > "$OUT/engine-skylakex.$r.json"
  "$PYTHON" scripts/bench/bench_pytorch.py --steps "$STEPS" --threads 2 2>/dev/null > "$OUT/pytorch.$r.json"
  OPENBLAS_CORETYPE=Haswell .build/release/engine-bench --steps "$STEPS" --json > "$OUT/engine-haswell.$r.json"
  echo "# round $r done; load: $(cut -d' ' -f1-3 /proc/loadavg)"
done
cat "$OUT"/*.json
"$PYTHON" - "$OUT" "$ROUNDS" <<'PY'
import json, os, statistics, sys
d, rounds = sys.argv[1], int(sys.argv[2])
def load(name, r): return json.load(open(os.path.join(d, f"{name}.{r}.json")))
torch = [load("pytorch", r) for r in range(1, rounds + 1)]
print(f"{'run':<30}{'tokens/s (median of rounds)':>30}{'per-round x torch':>24}{'% sgemm peak':>14}{'RSS MiB':>9}")
for name in ["engine-env", "engine-skylakex", "engine-haswell"]:
    rs = [load(name, r) for r in range(1, rounds + 1) if os.path.exists(os.path.join(d, f"{name}.{r}.json"))]
    ratios = " ".join(f"{x['tokens_per_s'] / t['tokens_per_s']:.2f}" for x, t in zip(rs, torch))
    label = f"{name} ({rs[0]['openblas_core']})"
    print(f"{label:<30}{statistics.median(x['tokens_per_s'] for x in rs):>30.0f}{ratios:>24}"
          f"{100 * statistics.median(x['fraction_of_peak'] for x in rs):>13.1f}%{rs[0]['peak_rss_mib']:>9.0f}")
print(f"{'pytorch ' + torch[0]['torch']:<30}{statistics.median(t['tokens_per_s'] for t in torch):>30.0f}"
      f"{'1.00':>24}{'':>14}{torch[0]['peak_rss_mib']:>9.0f}")
PY
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
