#!/bin/sh
# Installs the Debian 12 packages sentryscan builds with (scripts/packages.txt,
# or the list given as $1, e.g. packages-packaging.txt), only when something is missing.
set -eu
cd "$(dirname "$0")"
list="${1:-packages.txt}"
missing=""
for pkg in $(cat "$list"); do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing:$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
