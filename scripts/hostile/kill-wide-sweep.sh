#!/usr/bin/env bash
# A wide sweep under SIGKILL: a matrix stage of N trivial shell members (default 10,000) whose
# `trellis run --jobs 2` is SIGKILLed K times at random moments. After each kill every member must
# be `fresh` or `missing` (committed with its output and record, or to rerun; nothing half-recorded);
# then one run finishes the sweep, every member is fresh, `trellis verify` finds nothing wrong and
# sampled outputs hold what their member wrote. The CLI test WideRunKillTests does the same at 2,000.
# Usage: scripts/hostile/kill-wide-sweep.sh [MEMBERS=10000] [KILLS=5] [TRELLIS]
set -euo pipefail
MEMBERS=${1:-10000}; KILLS=${2:-5}
TRELLIS=${3:-$(cd "$(dirname "$0")/../.." && pwd)/.build/release/trellis}
WORK=$(mktemp -d /tmp/trellis-kill-wide-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
ROWS=$(( (MEMBERS + 99) / 100 ))
{
  echo "trellis: 1"; echo "name: killwide"; echo "stages:"; echo "  m:"
  echo '    run: "echo ${matrix.i} ${matrix.j} > ${out}/o.txt"'
  echo "    matrix: {i: [$(seq -s ', ' 0 $((ROWS - 1)))], j: [$(seq -s ', ' 0 99)]}"
} > trellis.yaml
TOTAL=$((ROWS * 100))

count_states() {  # prints "fresh missing other"
  "$TRELLIS" status --json | python3 -c '
import json, sys
rows = json.load(sys.stdin)
fresh = sum(r["state"] == "fresh" for r in rows); missing = sum(r["state"] == "missing" for r in rows)
print(fresh, missing, len(rows) - fresh - missing)'
}

failures=0
for k in $(seq 1 "$KILLS"); do
  "$TRELLIS" run --jobs 2 > run-$k.log 2>&1 &
  pid=$!
  sleep "$(python3 -c "import random; print(round(random.uniform(0.5, 4.0), 2))")"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  read -r fresh missing other < <(count_states)
  echo "kill $k: fresh $fresh, missing $missing, other $other (of $TOTAL)"
  if [ "$other" != 0 ] || [ $((fresh + missing)) != "$TOTAL" ]; then echo "FAIL: a member is neither fresh nor missing"; failures=$((failures + 1)); fi
done
start=$(date +%s.%N)
"$TRELLIS" run --jobs 2 > final.log 2>&1 || { echo "FAIL: the final run failed"; tail -20 final.log; failures=$((failures + 1)); }
echo "final run: $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s"
read -r fresh missing other < <(count_states)
echo "after the final run: fresh $fresh of $TOTAL"
[ "$fresh" = "$TOTAL" ] || { echo "FAIL: not every member is fresh"; failures=$((failures + 1)); }
"$TRELLIS" verify > verify.log 2>&1 || { echo "FAIL: verify"; tail -20 verify.log; failures=$((failures + 1)); }
if grep -Eq "CORRUPT|MISSING" verify.log; then echo "FAIL: verify reports damage"; failures=$((failures + 1)); fi
for member in "0 0" "$((ROWS - 1)) 99" "$((ROWS / 2)) 57"; do
  set -- $member
  out=$("$TRELLIS" show "m[i=$1,j=$2]" | awk '/output:/ {print $NF}')
  [ "$(cat "$out/o.txt")" = "$1 $2" ] || { echo "FAIL: m[i=$1,j=$2] holds $(cat "$out/o.txt")"; failures=$((failures + 1)); }
done
leftover=$(find artifacts/work -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
echo "staging folders left: $leftover"
[ "$failures" = 0 ] && echo "PASS: $KILLS kills of a $TOTAL-member sweep, nothing lost or half-recorded" || { echo "$failures failure(s)"; exit 1; }
