#!/bin/sh
# One command for the SPEC 7 comparison table:
#   bench/compare.sh [--size small|full] [--threads N] [--repeats N] [--only scan,git,staged] [--output FILE]
#   bench/compare.sh --tree DIR [--tree DIR…] [--repo GITDIR…]   # real inputs instead (bench/README.md)
# Builds sentryscan in Release (build-bench/, next to build/), makes the inputs
# under $BENCH_WORK (default /tmp/sentryscan-bench; never in the repository;
# reused by later runs, delete it when done) and prints a Markdown table.
# --size small (default) takes a few minutes; --size full (1 GB tree,
# 25k-commit repository of ~2.4 GB blob content) needs ~10 GB of disk and
# much longer, mostly to generate the inputs once.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${BENCH_BUILD_DIR:-$root/build-bench}
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DSENTRYSCAN_BUILD_BENCH=ON -DSENTRYSCAN_BUILD_TESTS=OFF >/dev/null
fi
ninja -C "$build" sentryscan >/dev/null
exec python3 "$here/compare.py" --binary "$build/sentryscan" "$@"
