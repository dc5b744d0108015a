#!/bin/sh
# The packaging tests (CTest LABEL packaging, tests/packaging): builds the
# Debian package with CPack and the portable release archive
# (scripts/make-release-archive.sh, a second build in $build-portable), then
# unpacks and runs both in temporary directories; and the container image
# (tests/container: the Dockerfile built offline with podman, then run).
# Never installs anything into /usr but the tools of
# scripts/packages-packaging.txt and scripts/container-host-packages.txt, when missing.
# SENTRYSCAN_BUILD_DIR selects the build directory (default build).
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/install-deps.sh packages-packaging.txt
# The container image test (tests/container): podman, runc, debootstrap.
./scripts/install-deps.sh container-host-packages.txt
build="${SENTRYSCAN_BUILD_DIR:-build}"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$build"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" -L packaging
