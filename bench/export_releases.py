#!/usr/bin/env python3
"""Exports the trees of a repository's newest release tags as plain files, for
`bench/compare.sh --tree`: a real source corpus (bench/README.md, "Real corpora").

    bench/export_releases.py GITDIR OUTDIR [--tags N] [--match GLOB]

Each tag's tree goes to OUTDIR/<tag>/, written blob by blob through one
`git cat-file --batch`, because `git archive` stops at the first missing
object of a partial mirror and honours `export-ignore`. Symbolic links and
submodules are skipped; missing blobs are counted. OUTDIR/SOURCES records the
tag -> commit ids so a table can name exactly what it measured.
"""
import argparse
import os
import subprocess
import sys


def git(gitdir, *args):
    return subprocess.run(["git", "--git-dir", gitdir, *args], capture_output=True, check=True).stdout


def export(gitdir, rev, out, cat):
    missing = written = 0
    for entry in git(gitdir, "ls-tree", "-r", "-z", rev).split(b"\0"):
        if not entry:
            continue
        meta, path = entry.split(b"\t", 1)
        mode, kind, oid = meta.split()
        if kind != b"blob" or mode == b"120000":
            continue
        cat.stdin.write(oid + b"\n")
        cat.stdin.flush()
        header = cat.stdout.readline()
        if header.endswith(b"missing\n"):
            missing += 1
            continue
        size = int(header.split()[2])
        data = cat.stdout.read(size)
        cat.stdout.read(1)
        target = os.path.join(out.encode(), path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(data)
        written += 1
    return written, missing


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("gitdir")
    parser.add_argument("outdir")
    parser.add_argument("--tags", type=int, default=10, help="how many of the newest tags")
    parser.add_argument("--match", default="[0-9]*", help="tag glob (default: version-like)")
    args = parser.parse_args()
    tags = git(args.gitdir, "tag", "--list", args.match, "--sort=-creatordate").decode().split()
    tags = tags[: args.tags]
    os.makedirs(args.outdir, exist_ok=True)
    cat = subprocess.Popen(["git", "--git-dir", args.gitdir, "cat-file", "--batch"],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    with open(os.path.join(args.outdir, "SOURCES"), "a") as sources:
        for tag in tags:
            commit = git(args.gitdir, "rev-parse", tag + "^{commit}").decode().strip()
            written, missing = export(args.gitdir, tag, os.path.join(args.outdir, tag), cat)
            sources.write(f"{os.path.abspath(args.gitdir)} {tag} {commit} files={written} missing={missing}\n")
            print(f"{tag} {commit[:12]}: {written} files, {missing} missing", file=sys.stderr)
    cat.stdin.close()
    cat.wait()


if __name__ == "__main__":
    main()
