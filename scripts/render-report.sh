#!/usr/bin/env bash
# Renders a journal's HTML report to a PNG with headless Chromium, to check that the page
# renders (no network, no script needed) and to look at it.
#
#   scripts/render-report.sh JOURNAL.db OUT.png [WIDTHxHEIGHT]
#
# Needs Debian's `chromium` (apt-get install -y chromium); the test suite does not.
# DMAJOURNAL overrides the tool (default: .build/debug/dmajournal, built if missing).
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: $0 JOURNAL.db OUT.png [WIDTHxHEIGHT]" >&2
    exit 2
fi
journal=$1 png=$2 size=${3:-1100x3000}
root=$(cd "$(dirname "$0")/.." && pwd)
tool=${DMAJOURNAL:-$root/.build/debug/dmajournal}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
    echo "$0: no chromium found; install it with: apt-get install -y chromium" >&2
    exit 2
fi
[ -x "$tool" ] || (cd "$root" && swift build --product dmajournal >&2)
html=$(mktemp --suffix=.html)
profile=$(mktemp -d)
trap 'rm -rf "$html" "$profile"' EXIT
"$tool" report "$journal" -o "$html" >&2
# --no-sandbox: root in a container has no user namespaces for the sandbox.
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
    --window-size="${size/x/,}" --screenshot="$(realpath -m "$png")" "file://$html" 2>/dev/null
[ -s "$png" ] || { echo "$0: chromium wrote no screenshot" >&2; exit 1; }
echo "$png: screenshot of the report of $journal ($size)"
