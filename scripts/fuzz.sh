#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang and runs each for N
# seconds (default 20) on a copy of its checked-in corpus, two at a time.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# Exits non-zero if any target crashes, leaks, hangs or breaks an invariant;
# the input that did it is kept under $SENTRYSCAN_FUZZ_BUILD_DIR/artifacts.
# docs/fuzzing.md says how to run longer and how to turn a crash into a test.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-20}"
shift || true
build="${SENTRYSCAN_FUZZ_BUILD_DIR:-build-fuzz}"
jobs="${SENTRYSCAN_FUZZ_JOBS:-$(nproc)}"
all_targets=(fuzz_matcher fuzz_org_token fuzz_dsn fuzz_config fuzz_ignore_file fuzz_baseline fuzz_report
  fuzz_cache_tree fuzz_pack_reader fuzz_tree_parse)
targets=("${@:-${all_targets[@]}}")

if ! command -v clang++ >/dev/null; then
  echo "fuzz.sh: clang++ not found (Debian: apt-get install clang libclang-rt-dev)" >&2
  exit 2
fi

echo "== building fuzzers in $build"
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DSENTRYSCAN_BUILD_FUZZERS=ON -DSENTRYSCAN_BUILD_TESTS=OFF -DSENTRYSCAN_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" --target fuzzers

work="$(mktemp -d "${TMPDIR:-/tmp}/sentryscan-fuzz.XXXXXX")"
trap 'rm -rf "$work"' EXIT
artifacts="$build/artifacts"
mkdir -p "$artifacts"

run_target() {
  local target="$1" name="${1#fuzz_}"
  local corpus="$work/corpus/$name"
  mkdir -p "$corpus"
  # A copy: what the fuzzer finds stays out of the repository.
  if [ -d "tests/fuzz/corpus/$name" ]; then cp -R "tests/fuzz/corpus/$name/." "$corpus/"; fi
  local dict=()
  if [ -f "tests/fuzz/dict/$name.dict" ]; then dict=(-dict="tests/fuzz/dict/$name.dict"); fi
  local status=0
  "$build/tests/fuzz/$target" "$corpus" "${dict[@]}" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix="$artifacts/$target-" -print_final_stats=1 \
    >"$work/$target.log" 2>&1 || status=$?
  echo "$status" >"$work/$target.status"
}

echo "== running ${#targets[@]} targets for ${seconds}s each, $jobs at a time"
declare -A pids=()
failed=()
wait_one() {
  local done_pid target
  wait -n -p done_pid || true
  for target in "${!pids[@]}"; do
    if [ "${pids[$target]}" = "$done_pid" ]; then
      unset "pids[$target]"
      report "$target"
      return
    fi
  done
}
report() {
  local target="$1" log="$work/$1.log" runs status
  runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')"
  status="$(cat "$work/$target.status" 2>/dev/null || echo missing)"
  if [ "$status" != 0 ] || grep -q -E '^==[0-9]+==ERROR|fuzz invariant broken|Test unit written' "$log"; then
    failed+=("$target")
    echo "FAIL $target (exit $status, $runs runs)"
    grep -E -A30 '^==[0-9]+==ERROR|fuzz invariant broken|libFuzzer: (timeout|out-of-memory|deadly signal)' "$log" | head -60
    grep -E 'Test unit written' "$log" || true
  else
    echo "ok   $target ($runs runs)"
  fi
}
for target in "${targets[@]}"; do
  while [ "${#pids[@]}" -ge "$jobs" ]; do wait_one; done
  run_target "$target" &
  pids[$target]=$!
done
while [ "${#pids[@]}" -gt 0 ]; do wait_one; done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz.sh: ${#failed[@]} target(s) failed: ${failed[*]}; inputs in $artifacts (see docs/fuzzing.md)" >&2
  exit 1
fi
echo "fuzz.sh: all targets ran ${seconds}s without a crash"
