#!/usr/bin/env bash
# Golden outputs for refactors: runs one sentryscan binary over the bundled demo and
# over small git repositories built from it (audit, range, staged, stdin) in every
# report format, masks what legitimately varies (timings, the temporary directory),
# and writes one file per run into OUTDIR. Compare two builds with `diff -r`.
#   scripts/golden.sh BINARY OUTDIR
# Commits are made with fixed names and dates, so their ids are stable.
set -euo pipefail
bin=$(realpath "$1"); out=$(realpath -m "$2")
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export GIT_AUTHOR_NAME=golden GIT_AUTHOR_EMAIL=golden@example.com GIT_COMMITTER_NAME=golden
export GIT_COMMITTER_EMAIL=golden@example.com GIT_AUTHOR_DATE='2024-05-01T00:00:00Z'
export GIT_COMMITTER_DATE='2024-05-01T00:00:00Z' GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1

mask() { sed -E -e "s#$work#WORK#g" -e "s#$root#ROOT#g" \
  -e 's/in [0-9.]+ s/in N s/g' -e 's/"seconds": ?[0-9.e+-]+/"seconds": N/g' \
  -e 's/"(start|end)_time": "[0-9T:-]+"/"\1_time": "T"/g'; }
run() {  # NAME CWD ARGS...
  local name=$1 cwd=$2; shift 2
  local status=0
  (cd "$cwd" && "$bin" "$@" --progress never >"$out/$name.out" 2>"$out/$name.err" </dev/null) || status=$?
  for f in "$out/$name.out" "$out/$name.err"; do mask <"$f" >"$f.tmp"; mv "$f.tmp" "$f"; done
  echo "exit $status" >>"$out/$name.out"
}

# A history: the demo arrives in two commits, a secret file is deleted, a branch adds more.
repo=$work/repo
git init -q -b main "$repo"
cp -r "$root/examples/demo/." "$repo/"
(cd "$repo" && git add config && git commit -qm "config" && git add -A && git commit -qm "rest of the demo" \
  && git rm -q .env && git commit -qm "drop .env" && git tag base \
  && git checkout -qb feature && cp "$root/examples/demo/.env" moved.env && git add moved.env \
  && git commit -qm "bring it back" && git checkout -q main)
staged=$work/staged
git init -q -b main "$staged"
(cd "$staged" && echo hello >README && git add README && git commit -qm init \
  && cp "$root/examples/demo/.env" .env && git add .env)

for format in text json jsonl sarif github gitlab; do
  run "scan-demo.$format" "$root" scan examples/demo --format "$format" -j 2
  run "audit.$format" "$repo" git . --format "$format" -j 2
  run "range.$format" "$repo" git . --range base..feature --format "$format" -j 2
  run "staged.$format" "$staged" staged . --format "$format"
done
run scan-demo.show-secrets "$root" scan examples/demo --show-secrets -j 1
run scan-demo.fail-on-critical "$root" scan examples/demo --fail-on critical
status=0; "$bin" scan - --format json <"$root/examples/demo/.env" >"$out/scan-stdin.out" 2>&1 || status=$?
echo "exit $status" >>"$out/scan-stdin.out"
run audit.all-objects "$repo" git . --all-objects --format jsonl -j 1
"$bin" rules >"$out/rules.out"
echo "golden outputs in $out: $(ls "$out" | wc -l) files"
