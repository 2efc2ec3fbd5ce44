#!/usr/bin/env bash
# Rebuild Tests/TokenizationTests/Fixtures from Debian packages and HF tokenizers, end to end.
# Usage (from the package root): bash scripts/oracles/make_fixtures.sh [WORK_DIR]
# Needs: apt-get (run `apt-get update` once), dpkg-deb, python3 (3.11), network access to
# Debian's archive and PyPI. WORK_DIR (default /tmp/tokdata) receives the .debs and text; it
# is not committed.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${1:-/tmp/tokdata}
FIX="$ROOT/Tests/TokenizationTests/Fixtures"
mkdir -p "$WORK/debs" "$WORK/x"
# Exact versions used for the committed fixtures (Debian 12 "bookworm"):
#   debian-handbook 11.20220922, gnome-user-docs 43.0-2, libreoffice-help-hi 4:7.4.7-1+deb12u14,
#   libpython3.11-stdlib 3.11.2-6+deb12u9, golang-1.19-src 1.19.8-2
( cd "$WORK/debs" && apt-get download debian-handbook gnome-user-docs libreoffice-help-en-us libreoffice-help-hi \
    libpython3.11-stdlib golang-1.19-src )
for f in "$WORK"/debs/*.deb; do p=$(basename "$f" | cut -d_ -f1); mkdir -p "$WORK/x/$p"; dpkg-deb -x "$f" "$WORK/x/$p"; done
python3 "$ROOT/scripts/corpus/extract_text.py" "$WORK/x" "$WORK/text"
python3 "$ROOT/scripts/oracles/make_fixture_text.py" "$WORK/text" "$FIX" --seed 20250601 --budget 18000 --heldout 24
[ -x "$ROOT/.venv/bin/python" ] || python3 -m venv "$ROOT/.venv"
"$ROOT/.venv/bin/pip" install -q tokenizers==0.23.3
"$ROOT/.venv/bin/python" "$ROOT/scripts/oracles/hf_oracle.py" train "$FIX"
( cd "$FIX" && python3 - <<'PY'
import hashlib, json, os
files = sorted(f for f in os.listdir(".") if f.endswith((".txt", ".json")) and f != "MANIFEST.json")
with open("MANIFEST.json", "w") as out:
    json.dump({f: hashlib.sha256(open(f, "rb").read()).hexdigest() for f in files}, out, indent=2)
    out.write("\n")
PY
)
# Check a Swift-exported tokenizer.json with HF (needs a release build of tokenizer-bench).
swift build -c release --package-path "$ROOT" --product tokenizer-bench
"$ROOT/.build/release/tokenizer-bench" --oracle-export "$FIX/train.txt" "$FIX/heldout.txt" 2048 "$WORK/oracle-check"
"$ROOT/.venv/bin/python" "$ROOT/scripts/oracles/hf_oracle.py" check "$FIX" "$WORK/oracle-check"
