#!/bin/sh
# Makes the two local base images the Dockerfile can build from when no image
# registry is reachable (the container test, tests/container/):
#   sentryscan-base-build:bookworm    Debian 12 minbase + scripts/image-build-packages.txt
#   sentryscan-base-runtime:bookworm  Debian 12 minbase + scripts/image-runtime-packages.txt
# with `debootstrap` from the Debian mirror and `podman import`. Idempotent: the
# root file systems are cached as tarballs named after the hash of their package
# list (SENTRYSCAN_IMAGE_CACHE, default ~/.cache/sentryscan-images), and an image
# already imported from the same list is kept. Needs root, podman and debootstrap
# (scripts/container-host-packages.txt). Prints the two image names.
#   podman build --build-arg BUILD_IMAGE=localhost/sentryscan-base-build:bookworm \
#                --build-arg RUNTIME_IMAGE=localhost/sentryscan-base-runtime:bookworm ...
set -eu
cd "$(dirname "$0")"
cache="${SENTRYSCAN_IMAGE_CACHE:-${HOME:-/root}/.cache/sentryscan-images}"
mirror="${SENTRYSCAN_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
mkdir -p "$cache"
podman="podman --cgroup-manager=cgroupfs"

# make_image NAME PACKAGE_LIST
make_image() {
  name="$1"
  list="$2"
  packages=$(grep -v '^#' "$list" | tr -s ' \n' ',' | sed 's/^,//; s/,$//')
  key=$(printf '%s\n' "$packages" | sha256sum | cut -c1-16)
  image="localhost/sentryscan-base-$name:bookworm"
  if [ "$($podman image inspect --format '{{index .Labels "sentryscan.packages"}}' "$image" 2>/dev/null || true)" = "$key" ]; then
    echo "$image"
    return
  fi
  tarball="$cache/$name-$key.tar"
  if [ ! -s "$tarball" ]; then
    root="$cache/$name-root.$$"
    rm -rf "$root"
    echo "debootstrap $name ($packages); takes minutes" >&2
    # minbase: dpkg, apt and the Essential set; the list adds the rest.
    debootstrap --variant=minbase --include="$packages" bookworm "$root" "$mirror" >"$cache/$name-debootstrap.log" 2>&1 || {
      tail -20 "$cache/$name-debootstrap.log" >&2
      rm -rf "$root"
      exit 1
    }
    # What a slim image leaves out: downloaded packages, apt lists, docs, man pages, locales.
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* \
           "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/*
    tar -C "$root" --numeric-owner -cf "$tarball.part" .
    mv "$tarball.part" "$tarball"
    rm -rf "$root"
  fi
  $podman import --quiet --change "LABEL sentryscan.packages=$key" --change 'CMD ["/bin/bash"]' \
    "$tarball" "$image" >/dev/null
  echo "$image"
}

make_image build image-build-packages.txt
make_image runtime image-runtime-packages.txt
