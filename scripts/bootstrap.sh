#!/bin/sh
# README command 1: install what is missing, build, and scan the bundled demo.
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target sentryscan sentryscan_docs  # the docs: man page and completions for cmake --install
echo
echo "== sentryscan scan examples/demo =="
status=0
./build/sentryscan scan examples/demo || status=$?
echo "exit status $status (1 means findings at or above --fail-on, as expected for the demo)"
[ "$status" -eq 1 ]
