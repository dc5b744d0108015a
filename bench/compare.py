#!/usr/bin/env python3
"""End-to-end comparison for SPEC section 7; run through bench/compare.sh.

Builds the inputs (bench/gen_inputs.py) under --work unless they exist, then
on the same inputs and thread counts times
  - `sentryscan scan` against ripgrep searching the rules' own prefilter
    patterns (what sentryscan's Hyperscan pass looks for),
  - `sentryscan git` against `git cat-file --batch-all-objects --batch`
    (and gitleaks, when it is on PATH), on each pack shape,
  - `sentryscan staged` on a small change in the big repository,
each after a warm-up run, --repeats times, interleaved so that load from
other processes hits both sides alike. Prints a Markdown table of medians,
the ratio sentryscan/other of medians from the same run, CPU seconds and
peak RSS (from /usr/bin/time -v), and checks that findings are identical
across thread counts and pack shapes and that every planted credential is
found.
"""
import argparse
import glob
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

try:
    import tomllib
except ImportError:  # Python < 3.11
    tomllib = None

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(HERE)

SIZES = {
    # tree: bytes, files; repo: commits, base files, large files x bytes x edits
    "small": dict(tree_bytes=60_000_000, tree_files=3_000, commits=2_000, base_files=300,
                  large_files=2, large_bytes=2_000_000, large_edits=20),
    "full": dict(tree_bytes=1_000_000_000, tree_files=30_000, commits=25_000, base_files=3_000,
                 large_files=4, large_bytes=8_000_000, large_edits=60),
}


def log(message):
    print(message, file=sys.stderr, flush=True)


class Run:
    def __init__(self, wall, cpu, rss_kib, code):
        self.wall, self.cpu, self.rss_kib, self.code = wall, cpu, rss_kib, code


def timed(argv, cwd=None, stdout=None, env=None):
    """Runs argv under /usr/bin/time -v; wall clock from here, CPU and peak RSS from time."""
    report = os.path.join(ARGS.work, ".time.txt")
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v", "-o", report] + argv, cwd=cwd, stdout=out,
                          stderr=subprocess.PIPE, env=env)
    wall = time.perf_counter() - start
    if stdout:
        out.close()
    text = open(report).read()
    field = lambda name: float(re.search(re.escape(name) + r":\s*([0-9.]+)", text).group(1))
    cpu = field("User time (seconds)") + field("System time (seconds)")
    return Run(wall, cpu, int(field("Maximum resident set size (kbytes)")), proc.returncode), proc.stderr


def bench_pair(name_a, argv_a, name_b, argv_b, repeats, ok_codes_a=(0, 1), ok_codes_b=(0, 1), **kw):
    """Warm-up once each, then `repeats` interleaved runs. Returns {name: [Run]}."""
    runs = {name_a: [], name_b: []}
    for i in range(repeats + 1):
        for name, argv, ok in ((name_a, argv_a, ok_codes_a), (name_b, argv_b, ok_codes_b)):
            if argv is None:
                continue
            run, err = timed(argv, **kw.get(name, {}))
            if run.code not in ok:
                log("%s failed (exit %d): %s\n%s" % (name, run.code, " ".join(argv), err.decode()[-2000:]))
                sys.exit(1)
            if i > 0:
                runs[name].append(run)
    return runs


def med(runs, attr):
    return statistics.median(getattr(r, attr) for r in runs)


def fmt_s(seconds):
    return "%.3f s" % seconds if seconds < 10 else "%.1f s" % seconds


def row(case, threads, runs, other=None, note=""):
    wall = med(runs, "wall")
    cells = [case, str(threads), fmt_s(wall)]
    if other:
        cells += [fmt_s(med(other, "wall")), "**%.2f**" % (wall / med(other, "wall"))]
    else:
        cells += ["", ""]
    cells += [fmt_s(med(runs, "cpu")), fmt_s(med(other, "cpu")) if other else "",
              "%.0f MiB" % (max(r.rss_kib for r in runs) / 1024), note]
    return "| " + " | ".join(cells) + " |"


def findings(path):
    """Findings of a JSONL report, normalised (no timings, sorted)."""
    out = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            item = json.loads(line)
            if "rule_id" in item:
                item.pop("validation", None)
                out.append(json.dumps(item, sort_keys=True))
    return sorted(out)


def check_planted(name, manifest_path, found, by_path=True):
    manifest = json.load(open(manifest_path))
    got = {(json.loads(f)["location"]["path"] if by_path else "", json.loads(f)["secret"]) for f in found}
    missing = []
    for p in manifest["planted"]:
        key = (p["path"] if by_path else "", p["secret"])
        if by_path:
            ok = any(k[1] == p["secret"] and k[0].endswith(p["path"]) for k in got)
        else:
            ok = any(k[1] == p["secret"] for k in got)
        if not ok:
            missing.append("%s (%s)" % (p["path"], p["rule"]))
    CHECKS.append("%s: %d of %d planted credentials found%s; %d findings in all" % (
        name, len(manifest["planted"]) - len(missing), len(manifest["planted"]),
        (" — MISSING: " + ", ".join(missing)) if missing else "", len(found)))
    if missing:
        FAILED.append(name + ": planted credentials missing")


def same(name, results):
    """results: {label: findings}. All must be equal."""
    labels = list(results)
    first = results[labels[0]]
    diffs = [l for l in labels[1:] if results[l] != first]
    if diffs:
        FAILED.append("%s: findings differ between %s and %s" % (name, labels[0], ", ".join(diffs)))
        CHECKS.append("%s: findings DIFFER: %s" % (name, "; ".join(
            "%s=%d" % (l, len(results[l])) for l in labels)))
    else:
        CHECKS.append("%s: findings identical across %s (%d findings)" % (name, ", ".join(labels), len(first)))


def line_pattern(prefilter):
    """ripgrep is line-oriented and refuses a literal newline: a pattern that
    looks at the next line keeps its first line (`\\r?\\n…` -> `\\r?$`), and a
    newline in a class of line starts goes (`[\\n{,]` -> `[{,]`, `^` covers it)."""
    pattern = prefilter.replace("(?:^|\\n)", "^").replace("[\\n{,]", "[{,]")
    return re.sub(r"\\r\?\\n.*$", r"\\r?$", pattern)


def rg_patterns(path):
    """The rules' Hyperscan prefilters, as ripgrep patterns (line-oriented: `(?:^|\\n)` -> `^`)."""
    patterns = []
    for rule_file in sorted(glob.glob(os.path.join(SOURCE, "rules", "*.toml"))):
        with open(rule_file, "rb") as f:
            for rule in tomllib.load(f)["rule"]:
                for pattern in rule["pattern"]:
                    patterns.append(line_pattern(pattern["prefilter"]))
    with open(path, "w") as f:
        f.write("\n".join(patterns) + "\n")
    return len(patterns)


def generate(size):
    s = SIZES[size]
    gen = [sys.executable, os.path.join(HERE, "gen_inputs.py")]
    tree = os.path.join(ARGS.work, "tree-" + size)
    if "scan" in ARGS.only and not os.path.exists(tree + ".manifest.json"):
        shutil.rmtree(tree, ignore_errors=True)
        log("generating %s (%d MB, %d files)..." % (tree, s["tree_bytes"] // 10**6, s["tree_files"]))
        subprocess.run(gen + ["tree", tree, "--bytes", str(s["tree_bytes"]), "--files", str(s["tree_files"])],
                       check=True)
    repo = os.path.join(ARGS.work, "repo-" + size)
    if "git" in ARGS.only or "staged" in ARGS.only:
        if not os.path.exists(repo + ".manifest.json"):
            shutil.rmtree(repo, ignore_errors=True)
            log("generating %s (%d commits) with git fast-import..." % (repo, s["commits"]))
            subprocess.run(gen + ["repo", repo, "--commits", str(s["commits"]), "--base-files", str(s["base_files"]),
                                  "--large-files", str(s["large_files"]), "--large-bytes", str(s["large_bytes"]),
                                  "--large-edits", str(s["large_edits"])], check=True)
        # Pack shape 2: what `git gc --aggressive`-like repacking makes of the
        # same objects (one pack, deltas searched across all blobs).
        repacked = repo + "-repacked"
        if "repacked" in ARGS.shapes and not os.path.exists(os.path.join(repacked, ".done")):
            shutil.rmtree(repacked, ignore_errors=True)
            log("repacking a copy as %s..." % repacked)
            subprocess.run(["git", "clone", "-q", "--mirror", "--no-local", repo, repacked], check=True)
            subprocess.run(["git", "-C", repacked, "repack", "-q", "-a", "-d", "-f", "--window=10", "--depth=50",
                            "--threads=%d" % ARGS.threads], check=True)
            open(os.path.join(repacked, ".done"), "w").close()
    return tree, repo


def blob_stats(repo):
    out = subprocess.run(["git", "-C", repo, "cat-file", "--batch-all-objects",
                          "--batch-check=%(objecttype) %(objectsize) %(objectsize:disk) %(deltabase)"],
                         capture_output=True, text=True, check=True).stdout
    blobs = size = disk = deltified = 0
    for line in out.splitlines():
        kind, osize, dsize, base = line.split()
        if kind == "blob":
            blobs += 1
            size += int(osize)
            disk += int(dsize)
            deltified += base != "0" * len(base)
    commits = int(subprocess.run(["git", "-C", repo, "rev-list", "--all", "--count"], capture_output=True,
                                 text=True, check=True).stdout)
    packs = len(glob.glob(os.path.join(repo, "objects/pack/*.pack")) +
                glob.glob(os.path.join(repo, ".git/objects/pack/*.pack")))
    return "%d commits, %d distinct blobs, %.2f GB of blob content (%.0f MB on disk, %d deltified), %d pack(s)" % (
        commits, blobs, size / 1e9, disk / 1e6, deltified, packs)


def sentryscan_supports(command):
    listing = subprocess.run([ARGS.binary, "--help"], capture_output=True, text=True).stdout
    return re.search(r"^\s+%s\s" % command, listing, re.M) is not None


def tree_stats(tree):
    files = size = 0
    for top, dirs, names in os.walk(tree):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in names:
            path = os.path.join(top, name)
            if os.path.isfile(path) and not os.path.islink(path):
                files += 1
                size += os.path.getsize(path)
    return files, size


def bench_scan(tree, rows, real=False):
    """One tree against ripgrep at each thread count. A real tree (--tree) has
    no planted credentials to check; its findings must still agree across
    thread counts, and it also gets a row with decoding off."""
    if ARGS.rg_patterns:
        # Issue 14's comparison: ripgrep as a user runs it, with given patterns
        # (the five plain Sentry ones: bench/README.md), counting matches.
        patterns = ARGS.rg_patterns
        n = sum(1 for line in open(patterns) if line.strip())
    else:
        patterns = os.path.join(ARGS.work, "rg-patterns.txt")
        n = rg_patterns(patterns)
    label = "`scan` %s" % (os.path.basename(os.path.normpath(tree)) if real else "tree")
    if real:
        files, size = tree_stats(tree)
        INPUTS.append("tree %s: %d files, %.0f MB (real, --tree)" % (tree, files, size / 1e6))
    else:
        manifest = json.load(open(tree + ".manifest.json"))
        INPUTS.append("tree: %d files, %.2f GB, %d planted credentials (bench/gen_inputs.py tree)" % (
            manifest["files"], manifest["bytes"] / 1e9, len(manifest["planted"])))
    results = {}
    variants = [("", [])] + ([(", decoding off", ["--max-decode-depth", "0", "--max-archive-depth", "0"])]
                             if real else [])
    for threads in ARGS.thread_counts:
        for suffix, extra in variants:
            report = os.path.join(ARGS.work, "scan-t%d%s.jsonl" % (threads, "-nodecode" if extra else ""))
            ss = [ARGS.binary, "scan", "--threads", str(threads), "--format", "jsonl", "--show-secrets",
                  "--progress", "never", "--output", report] + extra + [tree]
            rg_out = os.path.join(ARGS.work, "rg-t%d.txt" % threads)
            rg = ["rg", "-j", str(threads), "--no-config", "-uuu", "-a", "--no-messages", "-o", "-n",
                  "-g", "!.git", "--max-filesize", "50M", "-f", patterns, tree]
            if ARGS.rg_patterns:
                rg = ["rg", "-j", str(threads), "--no-config", "-c", "-f", patterns, tree]
            log("%s%s, %d thread(s)..." % (label, suffix, threads))
            runs = bench_pair("sentryscan", ss, "rg", rg, ARGS.repeats, ok_codes_a=(0, 1, 3),
                              rg={"stdout": rg_out})
            rg_matches = sum(1 for _ in open(rg_out))
            what = ("rg -c -f %s: %d files match, %d patterns" % (os.path.basename(patterns), rg_matches, n)
                    if ARGS.rg_patterns else "rg: %d prefilter matches, %d patterns" % (rg_matches, n))
            rows.append(row(label + suffix, threads, runs["sentryscan"], runs["rg"], what))
            if not extra:
                results["threads=%d" % threads] = findings(report)
    same(label, results)
    if not real:
        check_planted("scan", tree + ".manifest.json", next(iter(results.values())))


def bench_git(repo, rows):
    if not sentryscan_supports("git"):
        CHECKS.append("git: skipped, this sentryscan has no `git` subcommand yet")
        return
    shapes = {"fast-import": repo, "repacked": repo + "-repacked"}
    results = {}
    for shape in ARGS.shapes:
        path = shapes[shape]
        INPUTS.append("repository (%s): %s" % (shape, blob_stats(path)))
        catfile = ["git", "-C", path, "cat-file", "--batch-all-objects", "--batch"]
        for threads in ARGS.thread_counts:
            report = os.path.join(ARGS.work, "git-%s-t%d.jsonl" % (shape, threads))
            ss = [ARGS.binary, "git", "--threads", str(threads), "--format", "jsonl", "--show-secrets",
                  "--progress", "never", "--output", report, path]
            log("git (%s), %d thread(s)..." % (shape, threads))
            runs = bench_pair("sentryscan", ss, "cat-file", catfile, ARGS.repeats)
            rows.append(row("`git` (%s)" % shape, threads, runs["sentryscan"], runs["cat-file"],
                            "other: git cat-file --batch-all-objects --batch (1 thread)"))
            results["%s/threads=%d" % (shape, threads)] = findings(report)
        if shutil.which("gitleaks"):
            log("gitleaks (%s)..." % shape)
            run, _ = timed(["gitleaks", "detect", "--no-banner", "--source", path, "--report-path",
                            os.path.join(ARGS.work, "gitleaks.json")])
            rows.append("| gitleaks `detect` (%s) | - | | %s | | | %s | | one run of gitleaks |" % (
                shape, fmt_s(run.wall), fmt_s(run.cpu)))
    same("git", results)
    check_planted("git", repo + ".manifest.json", next(iter(results.values())), by_path=False)


def gitleaks_command(repo, report):
    """gitleaks 8.19+ has `git`; older releases `detect --source`."""
    help_text = subprocess.run(["gitleaks", "--help"], capture_output=True, text=True).stdout
    if re.search(r"^\s+git\s", help_text, re.M):
        return ["gitleaks", "git", "--no-banner", "--report-path", report, repo]
    return ["gitleaks", "detect", "--no-banner", "--source", repo, "--report-path", report]


def object_reader_option():
    listing = subprocess.run([ARGS.binary, "git", "--help"], capture_output=True, text=True).stdout
    return "--object-reader" in listing


def bench_real_repo(repo, rows):
    """A real repository or mirror (--repo): `git --all-objects` against
    `git cat-file --batch-all-objects --batch`, `git` (refs) against gitleaks
    when it is on PATH; findings equal across thread counts and, when the
    binary has more than one object reader, across readers."""
    name = os.path.basename(os.path.normpath(repo.rstrip("/").removesuffix("/repo"))) or repo
    INPUTS.append("repository %s: %s, HEAD %s" % (repo, blob_stats(repo), subprocess.run(
        ["git", "-C", repo, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()))
    catfile = ["git", "-C", repo, "cat-file", "--batch-all-objects", "--batch"]
    for mode, extra in (("--all-objects", ["--all-objects"]), ("refs", [])):
        results = {}
        for threads in ARGS.thread_counts:
            report = os.path.join(ARGS.work, "git-%s%s-t%d.jsonl" % (name, extra and "-all" or "", threads))
            ss = [ARGS.binary, "git", "--threads", str(threads), "--format", "jsonl", "--show-secrets",
                  "--progress", "never", "--output", report] + extra + [repo]
            log("git %s (%s), %d thread(s)..." % (mode, name, threads))
            if mode == "refs" and shutil.which("gitleaks") and threads == max(ARGS.thread_counts):
                leaks = os.path.join(ARGS.work, "gitleaks.json")
                runs = bench_pair("sentryscan", ss, "gitleaks", gitleaks_command(repo, leaks), ARGS.repeats,
                                  ok_codes_a=(0, 1, 3))
                rows.append(row("`git` %s (%s)" % (mode, name), threads, runs["sentryscan"], runs["gitleaks"],
                                "other: gitleaks, all its rules"))
            else:
                runs = bench_pair("sentryscan", ss, "cat-file", catfile, ARGS.repeats, ok_codes_a=(0, 1, 3))
                rows.append(row("`git` %s (%s)" % (mode, name), threads, runs["sentryscan"], runs["cat-file"],
                                "other: git cat-file --batch-all-objects --batch (1 thread)"))
            results["threads=%d" % threads] = findings(report)
        if object_reader_option():
            report = os.path.join(ARGS.work, "git-%s-libgit2.jsonl" % name)
            subprocess.run([ARGS.binary, "git", "--object-reader", "libgit2", "--format", "jsonl", "--show-secrets",
                            "--progress", "never", "--output", report] + extra + [repo])
            results["libgit2 reader"] = findings(report)
        same("git %s (%s)" % (mode, name), results)


def staged_worktrees(repo):
    """Non-bare repositories to stage a change in, one per pack shape."""
    trees = {}
    for shape in ARGS.shapes:
        if shape == "fast-import":
            trees[shape] = repo
        else:
            clone = repo + "-" + shape + "-worktree"
            if not os.path.exists(os.path.join(clone, ".git", ".done")):
                shutil.rmtree(clone, ignore_errors=True)
                subprocess.run(["git", "clone", "-q", repo + "-" + shape, clone], check=True)
                open(os.path.join(clone, ".git", ".done"), "w").close()
            trees[shape] = clone
    return trees


def real_worktree(repo):
    """A checkout of a real repository (bare mirrors have no index) to stage a change in."""
    clone = os.path.join(ARGS.work, "worktree-" + re.sub(r"[^A-Za-z0-9_.-]", "_", os.path.abspath(repo)))
    if not os.path.exists(os.path.join(clone, ".git", ".done")):
        shutil.rmtree(clone, ignore_errors=True)
        subprocess.run(["git", "clone", "-q", repo, clone], check=True)
        open(os.path.join(clone, ".git", ".done"), "w").close()
    return clone


def bench_staged(repo, rows):
    if not sentryscan_supports("staged"):
        CHECKS.append("staged: skipped, this sentryscan has no `staged` subcommand yet")
        return
    for shape, worktree in staged_worktrees(repo).items():
        bench_staged_in(shape, worktree, rows)


def bench_staged_in(shape, repo, rows):
    git = lambda *a: subprocess.run(["git", "-C", repo] + list(a), check=True, capture_output=True, text=True)
    git("reset", "-q", "--hard", "HEAD")
    tracked = git("ls-files", "src").stdout.split() or [
        f for f in git("ls-files").stdout.split() if f.endswith((".py", ".js", ".ts", ".go", ".rs", ".md"))]
    target = tracked[0]
    with open(os.path.join(repo, target), "a") as f:
        f.write("    return cached_value  # a small change\n")
    git("add", target)
    ss = [ARGS.binary, "staged", "--format", "jsonl", "--progress", "never"]
    diff = ["git", "diff", "--cached", "--stat"]
    log("staged (%s, clean change)..." % shape)
    runs = bench_pair("sentryscan", ss, "git diff --cached", diff, max(ARGS.repeats, 10), ok_codes_a=(0,),
                      **{"sentryscan": {"cwd": repo}, "git diff --cached": {"cwd": repo}})
    rows.append(row("`staged`, small change (%s)" % shape, ARGS.threads, runs["sentryscan"],
                    runs["git diff --cached"], "slowest run %s; other: git diff --cached --stat" % fmt_s(
                        max(r.wall for r in runs["sentryscan"]))))
    # The same change with a credential must be caught, and only it.
    with open(os.path.join(repo, target), "a") as f:
        f.write('token = "sntryu_%s"\n' % ("%064x" % (0x5EED * 0x9E3779B97F4A7C15 ** 3))[-64:])
    git("add", target)
    report = os.path.join(ARGS.work, "staged.jsonl")
    proc = subprocess.run(ss + ["--output", report], cwd=repo, capture_output=True)
    found = findings(report)
    ok = proc.returncode == 1 and len(found) == 1
    CHECKS.append("staged (%s): a staged credential is reported (exit %d, %d finding(s))" % (
        shape, proc.returncode, len(found)))
    if not ok:
        FAILED.append("staged (%s): expected exit 1 and one finding" % shape)
    git("reset", "-q", "--hard", "HEAD")


def machine():
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = open("/proc/meminfo").readline().split()[1]
    load = open("/proc/loadavg").read().split()[:3]
    versions = [subprocess.run(c, capture_output=True, text=True).stdout.splitlines()[0]
                for c in (["rg", "--version"], ["git", "--version"])]
    return ("%s, nproc %d, %.0f GiB RAM, %s %s; %s; %s; load average at the start %s" % (
        cpu, os.cpu_count(), int(mem) / 2**20, platform.system(), platform.release(), versions[0], versions[1],
        " ".join(load)))


def main():
    global ARGS, CHECKS, FAILED, INPUTS
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(SIZES), default=os.environ.get("BENCH_SIZE", "small"))
    parser.add_argument("--work", default=os.environ.get("BENCH_WORK", "/tmp/sentryscan-bench"))
    parser.add_argument("--binary", required=True)
    parser.add_argument("--threads", type=int, default=int(os.environ.get("BENCH_THREADS", os.cpu_count())))
    parser.add_argument("--thread-counts", help="comma-separated thread counts to measure (default: 1 and --threads)")
    parser.add_argument("--repeats", type=int, default=int(os.environ.get("BENCH_REPEATS", 5)))
    parser.add_argument("--only", default="scan,git,staged", help="comma-separated: scan,git,staged")
    parser.add_argument("--shapes", default="fast-import,repacked", help="comma-separated pack shapes")
    parser.add_argument("--output", help="also write the Markdown report here")
    parser.add_argument("--rg-patterns", help="scan: compare with `rg -j N -c -f FILE TREE` (ripgrep's defaults) "
                                              "instead of the rules' prefilters with -uuu -a -o")
    parser.add_argument("--generate-only", action="store_true", help="make the inputs and stop")
    parser.add_argument("--tree", action="append", default=[], help="a real source tree instead of the generated "
                        "one (repeatable; bench/README.md, Real corpora)")
    parser.add_argument("--repo", action="append", default=[], help="a real repository or bare mirror instead of "
                        "the generated one (repeatable)")
    ARGS = parser.parse_args()
    ARGS.only = ARGS.only.split(",")
    ARGS.shapes = ARGS.shapes.split(",")
    ARGS.thread_counts = (sorted({int(t) for t in ARGS.thread_counts.split(",")}) if ARGS.thread_counts
                          else sorted({1, ARGS.threads}))
    CHECKS, FAILED, INPUTS = [], [], []
    if tomllib is None:
        sys.exit("compare.py needs Python 3.11 or later (tomllib)")
    for tool in ("rg", "git", "/usr/bin/time"):
        if not shutil.which(tool):
            sys.exit("compare.py needs %s" % tool)
    os.makedirs(ARGS.work, exist_ok=True)
    start_machine = machine()
    rows = ["| case | threads | sentryscan wall | other wall | ratio wall | sentryscan CPU | other CPU | "
            "sentryscan peak RSS | notes |", "|---|---|---|---|---|---|---|---|---|"]
    if ARGS.tree or ARGS.repo:
        # Real inputs only: nothing is generated.
        for tree in ARGS.tree:
            bench_scan(tree, rows, real=True)
        for repo in ARGS.repo:
            bench_real_repo(repo, rows)
            if "staged" in ARGS.only:
                bench_staged_in(os.path.basename(repo), real_worktree(repo), rows)
    else:
        tree, repo = generate(ARGS.size)
        if ARGS.generate_only:
            return
        if "scan" in ARGS.only:
            bench_scan(tree, rows)
        if "git" in ARGS.only:
            bench_git(repo, rows)
        if "staged" in ARGS.only:
            bench_staged(repo, rows)
    report = ["## sentryscan benchmark (--size %s, %d repeats after a warm-up, medians)" % (ARGS.size, ARGS.repeats),
              "", "Machine: " + start_machine, "", "Inputs:"] + ["- " + i for i in INPUTS] + [""] + rows + [
              "", "Checks:"] + ["- " + c for c in CHECKS]
    text = "\n".join(report) + "\n"
    print(text)
    if ARGS.output:
        with open(ARGS.output, "w") as f:
            f.write(text)
    if FAILED:
        log("FAILED: " + "; ".join(FAILED))
        sys.exit(1)


if __name__ == "__main__":
    main()
