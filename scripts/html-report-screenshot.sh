#!/usr/bin/env bash
# The README's picture of the html report (docs/html-report.png): the bundled
# demo committed as a small history with fixed dates, audited with
# `sentryscan git --format html` (redacted: the demo's tokens are fake, and
# the page shows none of them in full anyway), rendered by headless Chromium.
#   scripts/html-report-screenshot.sh [BINARY] [OUT.png]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/sentryscan}
png=${2:-$root/docs/html-report.png}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
repo=$work/demo
git init -q -b main "$repo"
cp -r "$root/examples/demo/." "$repo/"
commit() {  # DATE AUTHOR MESSAGE PATHS...
  local date=$1 author=$2 message=$3; shift 3
  (cd "$repo" && git add -- "$@" &&
    GIT_AUTHOR_DATE="$date" GIT_COMMITTER_DATE="$date" git -c user.name="$author" \
      -c user.email="${author%% *}@example.com" commit -qm "$message")
}
commit 2023-03-14T09:12:00Z "Ada Lovelace" "Add CI configuration" ci config
commit 2023-09-02T16:40:00Z "Grace Hopper" "Android client and settings" android settings.py legacy.sh
commit 2024-05-21T11:05:00Z "Alan Turing" "Web app and local environment" .
(cd "$repo" && git rm -q .env && GIT_AUTHOR_DATE=2024-06-01T08:00:00Z GIT_COMMITTER_DATE=2024-06-01T08:00:00Z \
  git -c user.name="Alan Turing" -c user.email=alan@example.com commit -qm "Drop .env")

status=0
(cd "$repo" && "$bin" git . --format html -o "$work/report.html" --progress never) || status=$?
[ "$status" -le 1 ] || { echo "sentryscan failed with status $status" >&2; exit "$status"; }
chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
  --window-size=1200,1150 --screenshot="$work/shot.png" "file://$work/report.html" 2>/dev/null
mv "$work/shot.png" "$png"
echo "$png: $(stat -c %s "$png") bytes"
