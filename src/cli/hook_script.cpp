// The hooks/pre-commit script, compiled in so `sentryscan install-hook` works
// from any installed binary. A test keeps it identical to hooks/pre-commit.
#include "cli/hook_script.h"

namespace sentryscan::git {

std::string_view pre_commit_hook_script() {
  return R"hook(#!/bin/sh
# sentryscan pre-commit hook (sentryscan-managed-hook)
#
# Blocks a commit whose staged changes add a Sentry credential. It checks what
# `git commit` will record (the index), not the working tree, and only the
# lines the commit adds. Installed by `sentryscan install-hook`. Silent when
# the commit is clean.
#
#   SKIP=sentryscan       skip this hook once (comma-separated list, as in the
#                         pre-commit framework: SKIP=flake8,sentryscan)
#   SENTRYSCAN=/path/bin  the sentryscan binary (default: sentryscan on PATH)
#   SENTRYSCAN_ARGS       extra arguments for `sentryscan staged`, e.g. "--fail-on high"
#
# The pre-commit hook that was here before `sentryscan install-hook --force`
# (a pre-commit framework hook, say) is kept next to this one as
# pre-commit.before-sentryscan and runs after the check passes, with the same
# arguments and standard input; its exit status is then this hook's.

# Entered again from the chained hook (a chain that leads back here): the
# outer run is already checking this commit. Keyed by the hooks directory,
# so a hook that commits in another repository still gets that one checked.
case $0 in */*) here=${0%/*} ;; *) here=. ;; esac
here=$(cd "$here" && pwd -P)
[ "${SENTRYSCAN_HOOK_ACTIVE:-}" = "$here" ] && exit 0
SENTRYSCAN_HOOK_ACTIVE=$here
export SENTRYSCAN_HOOK_ACTIVE

chained="$here/pre-commit.before-sentryscan"
run_chained() {
  # git runs only executable hooks; so does the chain.
  [ -x "$chained" ] || exit 0
  "$chained" "$@"
  exit $?
}

skip=$(printf '%s' "${SKIP:-}" | tr -d ' ')
case ",$skip," in
  *,sentryscan,*)
    echo "sentryscan: skipped (SKIP=$SKIP)" >&2
    run_chained "$@"
    ;;
esac

bin=${SENTRYSCAN:-sentryscan}
if ! command -v "$bin" >/dev/null 2>&1; then
  echo "sentryscan: '$bin' not found; install sentryscan or set SENTRYSCAN=/path/to/sentryscan" >&2
  echo "sentryscan: to commit without the check: SKIP=sentryscan git commit ...  (or git commit --no-verify)" >&2
  exit 1
fi

# The report is held back until the outcome is known: a clean commit prints
# nothing (its "No Sentry credentials found" line included). Warnings still
# go straight to stderr. SENTRYSCAN_ARGS is split into words on purpose.
# shellcheck disable=SC2086
report=$("$bin" staged ${SENTRYSCAN_ARGS:-})
status=$?
[ "$status" -eq 0 ] && run_chained "$@"
printf '%s\n' "$report"

{
  echo
  case $status in
    1) echo "sentryscan: commit blocked: the staged changes add what looks like a Sentry credential." ;;
    3) echo "sentryscan: commit blocked: the staged changes could not be checked completely (see above)." ;;
    *) echo "sentryscan: commit blocked: sentryscan failed (exit status $status)." ;;
  esac
  echo "  - Remove the secret, stage the file again (git add), and revoke the credential in Sentry"
  echo "    if it was ever pushed or shared."
  echo "  - A false positive or a test fixture? Put 'sentryscan:allow' in a comment on that line, or"
  echo "    add the finding's fingerprint to .sentryscanignore."
  echo "  - To commit anyway, this once: git commit --no-verify   (or: SKIP=sentryscan git commit ...)"
} >&2
exit "$status"
)hook";
}

std::string_view hook_marker() { return "sentryscan-managed-hook"; }

}  // namespace sentryscan::git
