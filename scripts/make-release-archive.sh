#!/bin/sh
# Builds the portable release archive for x86-64 Linux:
#   scripts/make-release-archive.sh [OUTDIR]    (default: dist/)
# makes OUTDIR/sentryscan-<version>-x86_64-linux.tar.gz holding
#   sentryscan-<version>-x86_64-linux/
#     bin/sentryscan       static Hyperscan, RE2, libgit2, OpenSSL, libstdc++ (cmake/portable.cmake)
#     lib/                 every other library it, libcurl and libarchive need, but the C runtime,
#                          each with the run path $ORIGIN; bin/sentryscan has $ORIGIN/../lib
#     share/man/man1/sentryscan.1, share/{bash-completion,zsh,fish}/..., share/doc/sentryscan/
#     hooks/pre-commit, README.md
# It runs on any x86-64 distribution whose glibc is at least Debian 12's (2.36),
# with no library package installed. Needs patchelf (scripts/test-packages.sh installs it).
# SENTRYSCAN_PORTABLE_BUILD_DIR selects the build directory (default build-portable).
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
out="${1:-$root/dist}"
build="${SENTRYSCAN_PORTABLE_BUILD_DIR:-build-portable}"
libdir=/usr/lib/x86_64-linux-gnu
command -v patchelf >/dev/null || { echo "make-release-archive: patchelf is missing (apt-get install patchelf)" >&2; exit 2; }

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSENTRYSCAN_PORTABLE=ON \
  -DSENTRYSCAN_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target sentryscan sentryscan_docs
version=$("$build/sentryscan" --version | sed 's/^sentryscan //')
name="sentryscan-$version-x86_64-linux"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
top="$stage/$name"

cmake --install "$build" --prefix "$top" --strip >/dev/null
mv "$top/share/sentryscan/hooks" "$top/hooks"
rmdir "$top/share/sentryscan"
cp README.md "$top/README.md"

# The C runtime is the one thing taken from the host: glibc's libraries and the vDSO.
c_runtime() {
  case "$1" in
    linux-vdso.so.* | ld-linux-x86-64.so.* | libc.so.* | libm.so.* | libdl.so.* | libpthread.so.* | librt.so.* | \
      libresolv.so.* | libutil.so.* | libanl.so.*) return 0 ;;
  esac
  return 1
}
# Copies into lib/ what $1 needs (ldd lists the whole closure), under its soname.
bundle_needs() {
  ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }' | while read -r soname path; do
    c_runtime "$soname" && continue
    [ -e "$top/lib/$soname" ] || cp -L "$path" "$top/lib/$soname"
  done
}
mkdir -p "$top/lib"
bundle_needs "$top/bin/sentryscan"
# Opened with dlopen on first use (core/lazy_library.h); the binary's run path finds them.
for lazy in libcurl.so.4 libarchive.so.13; do
  cp -L "$libdir/$lazy" "$top/lib/$lazy"
  bundle_needs "$libdir/$lazy"
done
patchelf --set-rpath '$ORIGIN/../lib' "$top/bin/sentryscan"
for library in "$top"/lib/*; do
  chmod 0644 "$library"
  patchelf --set-rpath '$ORIGIN' "$library"
done

mkdir -p "$out"
tar -C "$stage" --owner=0 --group=0 --numeric-owner --sort=name -czf "$out/$name.tar.gz" "$name"
echo "$out/$name.tar.gz"
