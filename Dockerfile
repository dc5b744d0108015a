# sentryscan container image (README, "Container image"):
#   podman build -t sentryscan .        (or docker build)
#   podman run --rm -v "$PWD:/src:ro" sentryscan git .
# Two stages: a Debian 12 build stage compiles sentryscan (Release, no tests;
# the rules are compiled into the binary) and a slim Debian 12 runtime stage
# holds the binary and the shared libraries it loads, and runs it as a non-root
# user. With a network the base images are Debian's; offline, pass the local
# ones scripts/container-base-images.sh makes (they already hold the packages,
# so the apt-get steps below do nothing):
#   --build-arg BUILD_IMAGE=localhost/sentryscan-base-build:bookworm
#   --build-arg RUNTIME_IMAGE=localhost/sentryscan-base-runtime:bookworm
ARG BUILD_IMAGE=debian:bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${BUILD_IMAGE} AS build
COPY scripts/image-build-packages.txt /tmp/packages.txt
# apt-get only for what is missing: a no-op on a base image that has it all.
RUN set -eu; missing=""; \
    for p in $(cat /tmp/packages.txt); do \
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"; \
    done; \
    if [ -n "$missing" ]; then \
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing; \
      rm -rf /var/lib/apt/lists/*; \
    fi
COPY . /usr/src/sentryscan
RUN cmake -S /usr/src/sentryscan -B /tmp/build -G Ninja -DCMAKE_BUILD_TYPE=Release -DSENTRYSCAN_BUILD_TESTS=OFF \
 && cmake --build /tmp/build --target sentryscan \
 && strip /tmp/build/sentryscan

FROM ${RUNTIME_IMAGE}
COPY scripts/image-runtime-packages.txt /tmp/packages.txt
RUN set -eu; missing=""; \
    for p in $(cat /tmp/packages.txt); do \
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"; \
    done; \
    if [ -n "$missing" ]; then \
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing; \
      rm -rf /var/lib/apt/lists/*; \
    fi; \
    rm /tmp/packages.txt
# A fixed uid, not root. The scanned repository is mounted, so it belongs to
# whoever owns it on the host: git (and libgit2) refuse a repository owned by
# another user unless it is a safe.directory. The container exists to read
# what is mounted at /src and sentryscan runs nothing from a repository (no
# hooks, no filters), so /src is safe. Debian 12's libgit2 (1.5) ignores
# `directory = *` and matches the path exactly: a repository mounted
# elsewhere is read by running as its owner (--user "$(id -u):$(id -g)").
RUN groupadd --gid 10001 sentryscan \
 && useradd --uid 10001 --gid 10001 --create-home --shell /usr/sbin/nologin sentryscan \
 && printf '[safe]\n\tdirectory = /src\n' >> /etc/gitconfig
COPY --from=build /tmp/build/sentryscan /usr/local/bin/sentryscan
LABEL org.opencontainers.image.title="sentryscan" \
      org.opencontainers.image.description="Finds leaked Sentry credentials in files and git history"
USER 10001:10001
WORKDIR /src
ENTRYPOINT ["sentryscan"]
CMD ["scan", "."]
