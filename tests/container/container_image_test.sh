#!/usr/bin/env bash
# The container image, end to end with podman (CTest: Container.Image, label
# packaging): builds the Dockerfile offline from the local base images
# (scripts/container-base-images.sh), then runs what a user runs:
#   --version; a scan of a directory mounted at /src (exit 1, the finding in
#   JSON); a `git` audit of a repository owned by another uid (safe.directory);
#   the user is not root; the pre-commit docker_image hook's entry exactly as
#   the framework runs it; the GitHub Action's Scan step with `image:`.
# Prints the image size and build time. Exit 77 (skipped) when podman cannot
# run containers here.
#   bash tests/container/container_image_test.sh SOURCE_DIR WORK_DIR
set -uo pipefail
src="$(cd "$1" && pwd)"
work="$2"
rm -rf "$work" && mkdir -p "$work"
work="$(cd "$work" && pwd)"

skip() { echo "SKIP: $*"; exit 77; }
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

command -v podman >/dev/null || skip "podman is not installed (apt-get install podman runc)"
# Debian's podman on these machines: runc, cgroupfs, no network, and no
# default ulimits (the stock nofile limit is above what the sandbox allows).
export CONTAINERS_CONF="$work/containers.conf"
printf '[containers]\ndefault_ulimits = []\n' >"$CONTAINERS_CONF"
pod() { podman --runtime runc --cgroup-manager=cgroupfs "$@"; }

build_base=localhost/sentryscan-base-build:bookworm
runtime_base=localhost/sentryscan-base-runtime:bookworm
pod image exists "$build_base" && pod image exists "$runtime_base" ||
  skip "no local base images (scripts/container-base-images.sh: needs podman, runc, debootstrap and the Debian mirror)"
probe=$(pod run --rm --network=none "$runtime_base" true 2>&1) || skip "podman cannot run containers here: $probe"

image=localhost/sentryscan:test
started=$(date +%s)
if ! pod build --network=none --build-arg BUILD_IMAGE="$build_base" --build-arg RUNTIME_IMAGE="$runtime_base" \
    -t "$image" -f "$src/Dockerfile" "$src" >"$work/build.log" 2>&1; then
  tail -40 "$work/build.log"
  echo "FAIL: podman build"
  exit 1
fi
echo "image built in $(($(date +%s) - started)) s"
size=$(pod image inspect --format '{{.Size}}' "$image")
echo "image size: $size bytes ($((size / 1000000)) MB); runtime base alone: $(($(pod image inspect --format '{{.Size}}' "$runtime_base") / 1000000)) MB"

run() { pod run --rm --network=none "$@"; }

# --version: the project's version.
version=$(sed -n 's/^project(sentryscan VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
out=$(run "$image" --version 2>&1)
[[ $? -eq 0 && "$out" == *"$version"* ]] && pass "--version says $version" || fail "--version: $out"

# Not root: the image's user and the process's uid.
user=$(pod image inspect --format '{{.Config.User}}' "$image")
uid=$(run --entrypoint id "$image" -u 2>&1)
[[ "$user" == 10001* && "$uid" == 10001 ]] && pass "runs as uid $uid" || fail "user '$user', id -u '$uid'"

# A fake token generated here: sntryu_ + 64 hex derived from a seed (support/fake_tokens.h does the same).
token="sntryu_$(printf 'container-image' | sha256sum | cut -c1-64)"

# scan: a directory mounted read-only at /src (the default working directory).
mkdir -p "$work/files"
printf 'SENTRY_AUTH_TOKEN=%s\n' "$token" >"$work/files/deploy.env"
printf 'nothing here\n' >"$work/files/clean.txt"
out=$(run -v "$work/files:/src:ro" "$image" scan --format json . 2>"$work/scan.err")
status=$?
[[ $status -eq 1 && "$out" == *'"deploy.env"'* && "$out" == *sentry-user-token* && "$out" != *"$token"* ]] &&
  pass "scan of /src: exit 1, deploy.env in the JSON report" || fail "scan of /src: exit $status: $out $(cat "$work/scan.err")"

# git audit of a repository owned by another uid than the container's user:
# without safe.directory libgit2 refuses to open it.
repo="$work/repo"
git init -q "$repo"
git -C "$repo" -c user.name=t -c user.email=t@example.invalid commit -q --allow-empty -m init
printf 'SENTRY_AUTH_TOKEN=%s\n' "$token" >"$repo/settings.env"
git -C "$repo" add settings.env
git -C "$repo" -c user.name=t -c user.email=t@example.invalid commit -q -m leak
git -C "$repo" rm -q settings.env
git -C "$repo" -c user.name=t -c user.email=t@example.invalid commit -q -m "remove it"
chown -R 4242:4242 "$repo"
out=$(run -v "$repo:/src:ro" "$image" git --format json . 2>"$work/git.err")
status=$?
[[ $status -eq 1 && "$out" == *'"settings.env"'* ]] &&
  pass "git audit of a repository owned by uid 4242: the removed token found in history" ||
  fail "git audit: exit $status: $out $(cat "$work/git.err")"
# Mounted elsewhere it is not a safe.directory (libgit2 1.5 matches the path
# exactly), and running as the repository's owner is the way (README).
out=$(run -v "$repo:/elsewhere:ro" --workdir /elsewhere "$image" git . 2>&1)
status=$?
[[ $status -eq 2 ]] && pass "the same repository mounted at /elsewhere: refused (exit 2)" ||
  fail "repository at /elsewhere as uid 10001: exit $status: $out"
out=$(run --user 4242:4242 -v "$repo:/elsewhere:ro" --workdir /elsewhere "$image" git --format json . 2>&1)
status=$?
[[ $status -eq 1 && "$out" == *'"settings.env"'* ]] && pass "at /elsewhere with --user 4242:4242: found" ||
  fail "repository at /elsewhere as its owner: exit $status: $out"

# The pre-commit framework's docker_image hook: its entry, run the way the
# framework runs a docker_image hook (the user's uid, the checkout at /src).
entry=$(awk '/^- id: sentryscan-docker$/ {found = 1} found && /^  entry: / {sub(/^  entry: /, ""); print; exit}' \
  "$src/.pre-commit-hooks.yaml")
language=$(awk '/^- id: sentryscan-docker$/ {found = 1} found && /^  language: / {print $2; exit}' "$src/.pre-commit-hooks.yaml")
hook_image=${entry%% *}
if [[ -z "$entry" || "$language" != docker_image ]]; then
  fail ".pre-commit-hooks.yaml has no sentryscan-docker hook with language docker_image"
else
  pod tag "$image" "$hook_image"
  hook() { (cd "$work/files" && pod run --rm --network=none -u "$(id -u):$(id -g)" -v "$PWD:/src:rw,Z" --workdir /src $entry "$@"); }
  out=$(hook clean.txt deploy.env 2>&1)
  status=$?
  [[ $status -eq 1 && "$out" == *deploy.env* ]] && pass "pre-commit hook '$entry' blocks deploy.env" ||
    fail "pre-commit hook: exit $status: $out"
  out=$(hook clean.txt 2>&1)
  status=$?
  [[ $status -eq 0 ]] && pass "pre-commit hook passes clean.txt" || fail "pre-commit hook on a clean file: exit $status: $out"
  pod rmi "$hook_image" >/dev/null
fi

# The GitHub Action with `image:`: its Scan step's own shell, with `docker`
# played by podman, gating a push that adds a token.
mkdir -p "$work/shim" "$work/runner"
cat >"$work/shim/docker" <<EOF
#!/bin/sh
# docker run ... -> podman with this machine's settings and no network.
[ "\$1" = run ] || { echo "docker shim: only run" >&2; exit 2; }
shift
exec podman --runtime runc --cgroup-manager=cgroupfs run --network=none "\$@"
EOF
chmod +x "$work/shim/docker"
push="$work/push"
git init -q "$push"
git -C "$push" -c user.name=t -c user.email=t@example.invalid commit -q --allow-empty -m init
before=$(git -C "$push" rev-parse HEAD)
printf 'SENTRY_AUTH_TOKEN=%s\n' "$token" >"$push/deploy.env"
git -C "$push" add deploy.env
git -C "$push" -c user.name=t -c user.email=t@example.invalid commit -q -m leak
head=$(git -C "$push" rev-parse HEAD)
scan_step=$(awk '/^    - name: / {step = substr($0, 13)} step == "Scan" && /^      run: \|$/ {inside = 1; next}
                 inside && /^        / {print substr($0, 9); next} inside && /^$/ {print; next} inside {exit}' "$src/action.yml")
: >"$work/runner/output"
(cd "$push" && PATH="$work/shim:$PATH" RUNNER_TEMP="$work/runner" GITHUB_OUTPUT="$work/runner/output" \
  EVENT=push PR_BASE= PR_HEAD= PUSH_BEFORE="$before" HEAD_SHA="$head" INPUT_BINARY= INPUT_IMAGE="$image" \
  INPUT_PATH=. INPUT_RANGE= INPUT_FAIL_ON=medium INPUT_SARIF=true INPUT_ANNOTATIONS=true INPUT_ARGS= \
  bash -c "$scan_step") >"$work/action.out" 2>&1
sarif="$work/runner/sentryscan.sarif"
if grep -qx 'exit-code=1' "$work/runner/output" && grep -q 'deploy.env' "$sarif" 2>/dev/null &&
    grep -q 'file=deploy.env' "$work/action.out"; then
  pass "Action with image: exit-code=1, SARIF and annotation name deploy.env"
else
  fail "Action with image: $(cat "$work/runner/output" "$work/action.out")"
fi

# Kept on a failure, with its build cache, to look at and to rebuild faster.
[[ $failures -eq 0 ]] || { echo "$failures check(s) failed; the image is kept as $image"; exit 1; }
pod rmi "$image" >/dev/null 2>&1
pod image prune -f >/dev/null 2>&1
echo "container image: all checks passed"
