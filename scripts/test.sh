#!/bin/sh
# README command 2: build everything and run the whole test suite with CTest.
# The tests labelled `packaging` (Debian package, release archive) are slow
# and left out: scripts/test-packages.sh runs them.
# SENTRYSCAN_BUILD_DIR and extra CMake arguments (e.g. -DSENTRYSCAN_SANITIZE=ON)
# select another configuration.
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
build="${SENTRYSCAN_BUILD_DIR:-build}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$build"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" -LE packaging
