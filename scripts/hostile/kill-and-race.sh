#!/usr/bin/env bash
# The store under abuse: N cycles of `trellis run` SIGKILLed at a random moment, then R rounds of
# four concurrent runs; after each phase the store must verify clean, every stage must be fresh and
# the outputs must equal those of an undisturbed reference run. Also counts leftover stage processes
# and staging folders. Usage: scripts/hostile/kill-and-race.sh [CYCLES=50] [ROUNDS=10] [TRELLIS]
set -euo pipefail
CYCLES=${1:-50}; ROUNDS=${2:-10}
TRELLIS=${3:-$(cd "$(dirname "$0")/../.." && pwd)/.build/debug/trellis}
WORK=$(mktemp -d /tmp/trellis-hostile-XXXXXX)
trap 'rm -rf "$WORK"' EXIT

manifest() {  # $1: salt, so each cycle has new keys to build
cat <<YAML
trellis: 1
name: hostile
params: {salt: "$1"}
stages:
  gen:   {run: "for i in \$(seq 1 200); do echo \${params.salt} \$i; done > \${out}/lines; sleep 0.\$((RANDOM % 3))"}
  split: {run: "split -l 20 \${gen.out}/lines \${out}/part-; sleep 0.1"}
  count: {run: "cd \${split.out} && wc -l part-* | sort > \${out}/counts; echo '{\"n\": 200}' > \${out}/metrics.json"}
  fan:   {run: "sleep 0.\$((RANDOM % 4)); grep -c \${params.salt} \${gen.out}/lines > \${out}/n_\${matrix.k}", matrix: {k: [1, 2, 3, 4]}}
  all:   {run: "for d in \${fan[*].out}; do cat \$d/n_*; done > \${out}/all; cat \${count.out}/counts >> \${out}/all"}
YAML
}

# The content of the last stage's output in a project.
final_output() { (cd "$1" && out=$("$TRELLIS" show all | awk '/output:/ {print $NF}') && cat "$out/all") 2>/dev/null || echo "(none)"; }

mkdir -p "$WORK/ref" "$WORK/p"
failures=0
check() {  # $1: phase name
  local st; st=$(cd "$WORK/p" && "$TRELLIS" status --json | python3 -c 'import json,sys; print(sorted({r["state"] for r in json.load(sys.stdin)}))')
  (cd "$WORK/p" && "$TRELLIS" verify >/dev/null 2>&1) || { echo "$1: verify FAILED"; failures=$((failures+1)); }
  [ "$st" = "['fresh']" ] || { echo "$1: states $st"; failures=$((failures+1)); }
}

killed=0
for c in $(seq 1 "$CYCLES"); do
  manifest "c$c" > "$WORK/p/trellis.yaml"
  (cd "$WORK/p" && exec "$TRELLIS" run -j 2 >/dev/null 2>&1) & pid=$!
  sleep "0.$((RANDOM % 9 + 1))"
  if kill -9 "$pid" 2>/dev/null; then killed=$((killed+1)); fi
  wait "$pid" 2>/dev/null || true
  (cd "$WORK/p" && "$TRELLIS" run -j 2 >/dev/null 2>&1) || { echo "cycle $c: rerun failed"; failures=$((failures+1)); }
  manifest "c$c" > "$WORK/ref/trellis.yaml"
  (cd "$WORK/ref" && rm -rf artifacts && "$TRELLIS" run -j 2 >/dev/null 2>&1)
  [ "$(final_output "$WORK/p")" = "$(final_output "$WORK/ref")" ] || { echo "cycle $c: output differs from the reference"; failures=$((failures+1)); }
  check "cycle $c"
done
stray=$(pgrep -f "grep -c c[0-9]|split -l 20" | wc -l || true)
staging=$(ls "$WORK/p/artifacts/work" | wc -l)
echo "kill loop: $CYCLES cycles, $killed killed mid-run, $failures failure(s), $stray stray stage process(es), $staging staging folder(s) left"

rf=0
for r in $(seq 1 "$ROUNDS"); do
  manifest "r$r" > "$WORK/p/trellis.yaml"
  pids=()
  for j in 1 2 3 4; do (cd "$WORK/p" && exec "$TRELLIS" run -j 2 >/dev/null 2>&1) & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p" || { echo "round $r: a run failed"; rf=$((rf+1)); }; done
  check "round $r"
done
echo "concurrency: $ROUNDS rounds of 4 runs, $rf failed run(s), $failures failure(s) in all"
[ "$failures" = 0 ] && [ "$rf" = 0 ]
