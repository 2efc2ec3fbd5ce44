#!/usr/bin/env bash
# Side-by-side training-step benchmark: engine-bench (release) and PyTorch (2 threads), alternated
# over ROUNDS rounds so that drifting machine load hits both alike.
#
#   scripts/bench/engine-vs-pytorch.sh [STEPS] [ROUNDS]
#
# PYTHON (default .venv/bin/python) is the interpreter with torch and transformers. With
# BUILD_LOCK set, the build runs under `flock "$BUILD_LOCK"` (machines where builds must not overlap).
#
# Rows, each round: the engine with the OpenBLAS environment as found, PyTorch, and optionally
# BASELINE (another engine-bench binary, e.g. one built from an older commit, run with
# OPENBLAS_CORETYPE=SkylakeX because older engines did not correct OpenBLAS's CPU detection)
# and HASWELL=1 (this engine with OPENBLAS_CORETYPE=Haswell, the AVX2 kernel). OPENBLAS_L2_SIZE
# is left as found. OpenBLAS 0.3.21 misdetects this VM's CPU and picks its SSE3 "Prescott"
# kernel; the engine re-selects SkylakeX/Haswell itself when OPENBLAS_CORETYPE is unset
# (`openblas_core` in the JSON says which ran). Each figure is a median over STEPS steps after
# 2 warm-up steps; the table gives the median over rounds and the per-round ratio to PyTorch.
# With BF16=1 each round also runs mixed precision on both sides (engine `--bf16`: bf16 matmuls on
# AMX tiles where the CPU has them; PyTorch `--bf16`: torch.autocast bf16), compared with each other.
set -euo pipefail
cd "$(dirname "$0")/../.."
STEPS="${1:-10}"
ROUNDS="${2:-3}"
PYTHON="${PYTHON:-.venv/bin/python}"
OUT="$(mktemp -d)"
${BUILD_LOCK:+flock "$BUILD_LOCK"} swift build -c release --product engine-bench >/dev/null
echo "# $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# environment: OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(unset)} OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE:-(unset)}"
for r in $(seq 1 "$ROUNDS"); do
  .build/release/engine-bench --steps "$STEPS" --json > "$OUT/engine.$r.json"
  "$PYTHON" scripts/bench/bench_pytorch.py --steps "$STEPS" --threads 2 2>/dev/null > "$OUT/pytorch.$r.json"
  if [ -n "${BASELINE:-}" ]; then
    OPENBLAS_CORETYPE=SkylakeX "$BASELINE" --steps "$STEPS" --json > "$OUT/baseline.$r.json"
  fi
  if [ -n "${BF16:-}" ]; then
    .build/release/engine-bench --steps "$STEPS" --bf16 --no-peak --json > "$OUT/engine-bf16.$r.json"
    "$PYTHON" scripts/bench/bench_pytorch.py --steps "$STEPS" --threads 2 --bf16 2>/dev/null > "$OUT/pytorch-bf16.$r.json"
  fi
  if [ -n "${HASWELL:-}" ]; then
    OPENBLAS_CORETYPE=Haswell .build/release/engine-bench --steps "$STEPS" --json > "$OUT/engine-haswell.$r.json"
  fi
  echo "# round $r done; load: $(cut -d' ' -f1-3 /proc/loadavg)"
done
cat "$OUT"/*.json
"$PYTHON" - "$OUT" "$ROUNDS" <<'PY'
import json, os, statistics, sys
d, rounds = sys.argv[1], int(sys.argv[2])
def load(name, r): return json.load(open(os.path.join(d, f"{name}.{r}.json")))
torch = [load("pytorch", r) for r in range(1, rounds + 1)]
print(f"{'run':<30}{'tokens/s (median of rounds)':>30}{'per-round x torch':>24}{'% sgemm peak':>14}{'RSS MiB':>9}")
for name in ["engine", "baseline", "engine-haswell"]:
    rs = [load(name, r) for r in range(1, rounds + 1) if os.path.exists(os.path.join(d, f"{name}.{r}.json"))]
    if not rs: continue
    ratios = " ".join(f"{x['tokens_per_s'] / t['tokens_per_s']:.2f}" for x, t in zip(rs, torch))
    label = f"{name} ({rs[0]['openblas_core']})"
    print(f"{label:<30}{statistics.median(x['tokens_per_s'] for x in rs):>30.0f}{' ' + ratios:>24}"
          f"{100 * statistics.median(x['fraction_of_peak'] for x in rs):>13.1f}%{rs[0]['peak_rss_mib']:>9.0f}")
print(f"{'pytorch ' + torch[0]['torch']:<30}{statistics.median(t['tokens_per_s'] for t in torch):>30.0f}"
      f"{'1.00':>24}{'':>14}{torch[0]['peak_rss_mib']:>9.0f}")
print("per round (tokens/s; engine: % of that run's sgemm peak, peak GFLOP/s; fastest step):")
for r in range(1, rounds + 1):
    cells = []
    for name in ["engine", "baseline", "engine-haswell"]:
        path = os.path.join(d, f"{name}.{r}.json")
        if os.path.exists(path):
            x = json.load(open(path))
            cells.append(f"{name} {x['tokens_per_s']:.0f} ({100 * x['fraction_of_peak']:.0f}% of {x['sgemm_peak_gflops']:.0f}, "
                         f"best step {x['min_step_s']:.3f} s)")
    t = load("pytorch", r)
    print(f"  round {r}: " + ", ".join(cells) + f", pytorch {t['tokens_per_s']:.0f} (best step {t['min_step_s']:.3f} s)")
bf = [r for r in range(1, rounds + 1) if os.path.exists(os.path.join(d, f"engine-bf16.{r}.json"))]
if bf:
    e, t = [load("engine-bf16", r) for r in bf], [load("pytorch-bf16", r) for r in bf]
    ratios = " ".join(f"{x['tokens_per_s'] / y['tokens_per_s']:.2f}" for x, y in zip(e, t))
    print(f"mixed precision (bf16): engine {statistics.median(x['tokens_per_s'] for x in e):.0f} tokens/s, "
          f"pytorch autocast {statistics.median(y['tokens_per_s'] for y in t):.0f} tokens/s; per-round x torch-bf16: {ratios}; "
          f"per-round engine-bf16 / torch-fp32: " + " ".join(f"{x['tokens_per_s'] / y['tokens_per_s']:.2f}" for x, y in zip(e, torch)))
    print("  losses after the last step: engine fp32 %.6f bf16 %.6f; pytorch fp32 %.6f bf16 %.6f" %
          (load("engine", bf[0])["last_loss"], e[0]["last_loss"], torch[bf[0] - 1]["last_loss"], t[0]["last_loss"]))
PY
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
