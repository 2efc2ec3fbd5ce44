#!/usr/bin/env bash
# report-screenshot.sh HTML PNG: renders a report page with headless Chromium (Debian `chromium`)
# at 1400×2400 CSS pixels and writes a PNG, for checking the layout without a desktop.
set -euo pipefail
if [ $# -ne 2 ]; then
    echo "usage: $0 HTML PNG" >&2
    exit 2
fi
html="$(realpath "$1")"
png="$(realpath -m "$2")"
browser="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome)}"
# --headless (the new headless mode, the default since Chromium 112); --no-sandbox because this
# usually runs as root in a container; --hide-scrollbars keeps the capture clean.
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --screenshot="$png" --window-size=1400,2400 "file://$html" 2>/dev/null
test -s "$png"
echo "$png"
