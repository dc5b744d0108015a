#!/usr/bin/env python3
"""Reproducible benchmark inputs for bench/compare.py (no network, stdlib only).

  gen_inputs.py tree DIR --bytes N --files N [--seed S]
      A source-like tree: code, configs, lockfiles (dense hex), minified
      bundles (one long line), binary blobs, tiny and empty files and a few
      large files, with fake Sentry credentials planted in some of them.
      Writes DIR.manifest.json listing every planted credential.

  gen_inputs.py repo DIR --commits N --base-files N --large-files N
                --large-bytes N --large-edits N [--seed S]
      A git repository made with `git fast-import`: a long linear history of
      small edits, large files edited many times (their versions are written
      back to back so fast-import stores them as delta chains), side branches
      and tags, and credentials committed then deleted. Writes
      DIR.manifest.json listing every planted credential.

Every byte comes from random.Random(seed), so the same arguments give the
same inputs on every machine. The credentials are fake: random bytes in the
shape of Sentry tokens, made here at generation time.
"""
import argparse
import base64
import json
import os
import random
import subprocess
import sys

IDENTIFIERS = ["request", "response", "config", "handler", "buffer", "options", "context", "result",
               "value", "index", "session", "user", "client", "logger", "items", "payload", "headers",
               "count", "state", "retry", "timeout", "cache", "stream", "enabled"]

PLAIN_LINES = [
    '    const auto {a} = {b}.get("{c}");',
    '    if ({a} == nullptr || {b}.empty()) return std::nullopt;',
    'def {a}(self, {b}, {c}=None):',
    '        return self.{a}.{b}({c}, timeout=30)',
    '    for (let i = 0; i < {a}.length; i++) {{ {b}.push({a}[i]); }}',
    '# TODO({a}): refresh the {b} before the {c} expires',
    "import {{ {a}, {b} }} from './{c}';",
    '    logger.info("sending %d {a} to %s", len({b}), {c})',
    '  "{a}": "{b}",',
    '      {a}: {b} ? {c} : undefined,',
    '    }}', '', '  }}', '    return {a};',
    'public static final String {a} = "{b}";',
    '    std::vector<std::string> {a}({b}.begin(), {b}.end());',
    '    err := {a}.{b}(ctx, {c})',
    '    if err != nil {{ return nil, fmt.Errorf("{a}: %w", err) }}',
    '/* Copyright 2024 The {a} Authors. Licensed under the Apache License 2.0. */',
    '  - name: {a}', '    image: registry.example.net/{b}:1.2.3',
    'SELECT {a}, {b} FROM {c} WHERE id = ?;',
    '    self.{a} = {b}.{c}',
]

# Lines carrying the words the rules key on, one line in 128 (see bench/corpus.cpp).
KEYWORD_LINES = [
    '// {a}: see https://github.com/example/{b}/blob/main/README.md for {c}',
    "    {a}.headers['Authorization'] = 'Bearer ' + {b}.{c};",
    '    url = "https://api.example.net/v2/{a}/{b}?page={c}"',
    '    Sentry.init({{ dsn: process.env.SENTRY_DSN, tracesSampleRate: 0.2 }});',
    '    self.{a} = os.environ.get("SENTRY_AUTH_TOKEN")',
    '    auth_token = get_token("{a}")  # token from the {b} store',
    '    <a href="http://www.example.org/{a}">{b}</a>',
    '    const apiKey = config.{a}.apiKey || {b};',
]

MINIFIED_PIECES = [
    'function(e,t){var n=e.apply(t,arguments);return n&&n.then?n:Promise.resolve(n)}',
    ';var r="https://cdn.example.net/assets/"+o+".js"',
    ',i={auth:null,token:void 0,apiKey:""}',
    ';if(!t.headers)t.headers={};t.headers.Authorization="Bearer "+a',
    ',s=Object.assign({},u,{sentry:{enabled:!0,sampleRate:.25}})',
    ';for(var c=0;c<l.length;c++)l[c]=l[c]^255',
    ';e.exports=function(e){return e&&e.__esModule?e:{default:e}}',
    ',f=new RegExp("^https?://","i")',
    ',p=[1,2,3,4,5,6,7,8,9].map(function(e){return e*2})',
    ';try{localStorage.setItem("auth_token",g)}catch(e){}',
]


class Content:
    """Pools of pre-expanded lines, so gigabytes are made by joining, not formatting."""

    def __init__(self, rng):
        self.rng = rng
        ids = IDENTIFIERS

        def expand(template):
            return template.format(a=rng.choice(ids), b=rng.choice(ids), c=rng.choice(ids)) + "\n"

        pool = [expand(rng.choice(PLAIN_LINES)) for _ in range(127 * 64)]
        pool += [expand(rng.choice(KEYWORD_LINES)) for _ in range(64)]
        self.source_lines = pool
        self.hex_lines = []
        for _ in range(4096):
            kind = rng.randrange(4)
            if kind == 0:
                self.hex_lines.append('checksum = "%s"\n' % self.hex(64))
            elif kind == 1:
                self.hex_lines.append("%s  dist/%s.tar.gz\n" % (self.hex(64), rng.choice(ids)))
            elif kind == 2:
                self.hex_lines.append('  resolved "https://registry.yarnpkg.com/%s/-/x-1.2.3.tgz#%s"\n'
                                      % (rng.choice(ids), self.hex(40)))
            else:
                self.hex_lines.append(self.hex(128) + "\n")

    def hex(self, n):
        return "%0*x" % (n, self.rng.getrandbits(4 * n))

    def _lines(self, pool, size, avg):
        text = "".join(self.rng.choices(pool, k=size // avg + 1))
        return text[:size]

    def source(self, size):
        return self._lines(self.source_lines, size, 40)

    def lockfile(self, size):
        return self._lines(self.hex_lines, size, 80)

    def minified(self, size):
        return self._lines(MINIFIED_PIECES, size, 50).replace("\n", "")

    def binary(self, size):
        return self.rng.randbytes(size)


class Credentials:
    """Fake credentials in the shapes of SPEC section 1, never real."""

    KINDS = ["org", "user", "dsn", "legacy", "dsn_secret"]
    RULES = {"org": "sentry-org-token", "user": "sentry-user-token", "dsn": "sentry-dsn",
             "legacy": "sentry-legacy-token", "dsn_secret": "sentry-dsn-secret"}

    def __init__(self, rng):
        self.rng = rng
        self.count = 0

    def make(self, kind=None):
        """Returns (kind, secret, line)."""
        rng = self.rng
        kind = kind or self.KINDS[self.count % len(self.KINDS)]
        self.count += 1
        hexs = lambda n: "%0*x" % (n, rng.getrandbits(4 * n))
        if kind == "org":
            payload = json.dumps({"iat": 1714521600.0 + self.count, "url": "https://sentry.io",
                                  "region_url": "https://us.sentry.io", "org": "bench-org-%d" % self.count},
                                 separators=(",", ":"))
            # 32 random bytes: 43 base64 digits, the last one with two zero bits.
            raw = bytearray(rng.randbytes(32))
            raw[-1] &= 0xF0
            secret = "sntrys_%s_%s" % (base64.b64encode(payload.encode()).decode(),
                                       base64.b64encode(bytes(raw)).decode().rstrip("="))
            return kind, secret, "SENTRY_AUTH_TOKEN=%s\n" % secret
        if kind == "user":
            secret = "sntryu_" + hexs(64)
            return kind, secret, 'headers = {"Authorization": "Bearer %s"}\n' % secret
        if kind == "dsn":
            secret = "https://%s@o%d.ingest.us.sentry.io/%d" % (hexs(32), 4500000 + self.count, 1000 + self.count)
            return kind, secret, 'Sentry.init({ dsn: "%s" });\n' % secret
        if kind == "legacy":
            secret = hexs(64)
            return kind, secret, "export SENTRY_AUTH_TOKEN=%s\n" % secret
        secret = "https://%s:%s@sentry.internal.corp.net/%d" % (hexs(32), hexs(32), 2000 + self.count)
        return kind, secret, "RAVEN_DSN = '%s'\n" % secret


def insert_line(rng, text, line):
    """Puts `line` at the start of a random line of `text`."""
    if not text:
        return line
    at = text.find("\n", rng.randrange(len(text)))
    at = len(text) if at < 0 else at + 1
    return text[:at] + line + text[at:]


# ---------------------------------------------------------------- tree

def gen_tree(root, total_bytes, files, seed):
    rng = random.Random(seed)
    content = Content(rng)
    creds = Credentials(rng)
    planted = []
    # File kinds: (weight, extension, generator, size range)
    kinds = [
        (80, ".py", "source", (200, 40000)), (6, ".json", "source", (100, 8000)),
        (3, ".lock", "lockfile", (4000, 400000)), (3, ".min.js", "minified", (20000, 2000000)),
        (3, ".bin", "binary", (1000, 500000)), (5, ".txt", "tiny", (0, 64)),
    ]
    weights = [k[0] for k in kinds]
    plan = []
    for i in range(files):
        kind = rng.choices(kinds, weights)[0]
        low, high = kind[3]
        # Log-uniform sizes: many small files, a long tail of big ones.
        size = int(low * (high / low) ** rng.random()) if low else rng.randrange(high)
        plan.append([kind, size])
    # A few large files (read through mmap, cut in slices): 1% of the bytes each.
    large = max(2, files // 10000)
    for _ in range(large):
        plan.append([(0, ".data.js", "source", None), total_bytes // 100])
    # Scale the ordinary files so the tree has about total_bytes.
    fixed = sum(s for k, s in plan if k[3] is None)
    ordinary = sum(s for k, s in plan if k[3] is not None) or 1
    scale = max(total_bytes - fixed, 0) / ordinary
    per_dir = 60
    os.makedirs(root, exist_ok=True)
    written = 0
    for i, (kind, size) in enumerate(plan):
        if kind[3] is not None and kind[2] != "tiny":
            size = int(size * scale)
        d = os.path.join("pkg%03d" % (i // (per_dir * 20)), "mod%02d" % (i // per_dir % 20))
        rel = os.path.join(d, "file%06d%s" % (i, kind[1]))
        if kind[2] == "binary":
            data = content.binary(size)
        else:
            text = {"source": content.source, "lockfile": content.lockfile, "minified": content.minified,
                    "tiny": content.source}[kind[2]](size)
            # One file in 97 gets a credential; never lockfiles, where
            # unprefixed tokens are ignored by design.
            if i % 97 == 13 and kind[2] != "lockfile":
                k, secret, line = creds.make()
                if kind[2] == "minified":
                    line = ";" + line.strip() + ";"
                text = insert_line(rng, text, line) if kind[2] != "minified" else text + line
                planted.append({"path": rel, "kind": k, "rule": Credentials.RULES[k], "secret": secret})
            data = text.encode()
        if kind[2] == "binary" and i % 97 == 13:
            # Apps embed DSNs in binaries: one credential inside random bytes.
            k, secret, line = creds.make("dsn")
            mid = len(data) // 2
            data = data[:mid] + b"\0" + line.encode() + data[mid:]
            planted.append({"path": rel, "kind": k, "rule": Credentials.RULES[k], "secret": secret})
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        written += len(data)
    manifest = {"files": len(plan), "bytes": written, "planted": planted}
    with open(root.rstrip("/") + ".manifest.json", "w") as f:
        json.dump(manifest, f, indent=1)
    print("tree: %d files, %.1f MB, %d credentials planted" % (len(plan), written / 1e6, len(planted)))


# ---------------------------------------------------------------- repository

class FastImport:
    def __init__(self, repo):
        self.proc = subprocess.Popen(
            ["git", "-C", repo, "fast-import", "--quiet", "--depth=50", "--active-branches=16"],
            stdin=subprocess.PIPE)
        self.out = self.proc.stdin
        self.mark = 0
        self.when = 1600000000

    def data(self, payload):
        if isinstance(payload, str):
            payload = payload.encode()
        self.out.write(b"data %d\n" % len(payload))
        self.out.write(payload)
        self.out.write(b"\n")

    def blob(self, payload):
        self.mark += 1
        self.out.write(b"blob\nmark :%d\n" % self.mark)
        self.data(payload)
        return self.mark

    def commit(self, ref, message, changes, parent=None):
        """changes: list of ("M", path, mark_or_bytes) or ("D", path)."""
        self.mark += 1
        self.when += 97
        w = self.out.write
        w(b"commit %s\nmark :%d\n" % (ref.encode(), self.mark))
        w(b"author Bench Author <author@example.com> %d +0000\n" % self.when)
        w(b"committer Bench Committer <committer@example.com> %d +0000\n" % self.when)
        self.data(message)
        if parent is not None:
            w(b"from :%d\n" % parent)
        for change in changes:
            if change[0] == "D":
                w(b"D %s\n" % change[1].encode())
            elif isinstance(change[2], int):
                w(b"M 100644 :%d %s\n" % (change[2], change[1].encode()))
            else:
                w(b"M 100644 inline %s\n" % change[1].encode())
                self.data(change[2])
        w(b"\n")
        return self.mark

    def tag(self, name, mark):
        self.out.write(b"reset refs/tags/%s\nfrom :%d\n\n" % (name.encode(), mark))

    def close(self):
        self.out.close()
        if self.proc.wait() != 0:
            sys.exit("git fast-import failed")


def edit_text(rng, content, text, lines=3):
    """A small edit: replace a few lines, sometimes append some."""
    for _ in range(lines):
        at = rng.randrange(len(text)) if text else 0
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        end = len(text) if end < 0 else end + 1
        text = text[:start] + content.source(rng.randrange(20, 120)).split("\n")[0] + "\n" + text[end:]
    if rng.random() < 0.3:
        text += content.source(rng.randrange(100, 2000))
    return text


def gen_repo(repo, commits, base_files, large_files, large_bytes, large_edits, seed):
    rng = random.Random(seed)
    content = Content(rng)
    creds = Credentials(rng)
    planted = []
    subprocess.run(["git", "init", "-q", "-b", "main", repo], check=True)
    subprocess.run(["git", "-C", repo, "config", "gc.auto", "0"], check=True)
    fi = FastImport(repo)

    # Large files first, every version back to back: fast-import deltifies each
    # blob against the one written just before it, so these become delta
    # chains of multi-megabyte blobs, the hard case for any history reader.
    large_marks = []
    for k in range(large_files):
        text = bytearray((content.source(large_bytes // 2) + content.lockfile(large_bytes // 2)).encode())
        marks = []
        secret_version = large_edits // 2 if k == 0 else -1
        for version in range(large_edits + 1):
            for _ in range(8):  # a few lines rewritten in place, same length
                at = rng.randrange(len(text) - 200)
                repl = content.source(120).encode()[:100]
                text[at:at + len(repl)] = repl
            if version == secret_version:
                kind, secret, line = creds.make("user")
                at = rng.randrange(len(text) - 200)
                text[at:at] = line.encode()
                marks.append(fi.blob(bytes(text)))
                del text[at:at + len(line)]
                planted.append({"path": "data/large%d.js" % k, "kind": kind, "rule": Credentials.RULES[kind],
                                "secret": secret, "removed": True})
            else:
                marks.append(fi.blob(bytes(text)))
        large_marks.append(marks)

    files = {}
    for i in range(base_files):
        path = "src/pkg%02d/mod%02d/file%05d.py" % (i % 37, i % 23, i)
        files[path] = content.source(int(200 * (40000 / 200) ** rng.random()))
    first = [("M", p, t) for p, t in files.items()]
    first += [("M", "data/large%d.js" % k, large_marks[k][0]) for k in range(large_files)]
    head = fi.commit("refs/heads/main", "Initial import\n", first)
    large_version = [0] * large_files
    large_every = max(1, commits // max(1, large_files * large_edits))
    pending_removal = []
    paths = sorted(files)
    next_new = base_files
    branch_points = {commits // 3: "feature/upload", (2 * commits) // 3: "release/2.x"}
    for n in range(1, commits):
        changes = []
        for _ in range(rng.choice((1, 1, 2, 3))):
            path = rng.choice(paths)
            files[path] = edit_text(rng, content, files[path])
            changes.append(("M", path, files[path]))
        if rng.random() < 0.05:  # a new file
            path = "src/new/file%05d.py" % next_new
            next_new += 1
            files[path] = content.source(rng.randrange(200, 20000))
            paths.append(path)
            changes.append(("M", path, files[path]))
        if n % large_every == 0:
            k = (n // large_every) % large_files
            if large_version[k] < large_edits:
                large_version[k] += 1
                changes.append(("M", "data/large%d.js" % k, large_marks[k][large_version[k]]))
        # Every 500 commits a credential is committed, and removed 7 commits later.
        if n % 500 == 250:
            path = rng.choice(paths)
            kind, secret, line = creds.make()
            files[path] = insert_line(rng, files[path], line)
            changes.append(("M", path, files[path]))
            pending_removal.append((n + 7, path, line))
            planted.append({"path": path, "kind": kind, "rule": Credentials.RULES[kind], "secret": secret,
                            "removed": True})
        for due, path, line in [p for p in pending_removal if p[0] == n]:
            files[path] = files[path].replace(line, "", 1)
            if not any(c[1] == path for c in changes):
                changes.append(("M", path, files[path]))
            else:
                changes = [c if c[1] != path else ("M", path, files[path]) for c in changes]
            pending_removal.remove((due, path, line))
        head = fi.commit("refs/heads/main", "Change %d: update %s\n" % (n, changes[0][1]), changes, parent=head)
        if n in branch_points:
            # A side branch whose only credential is never merged into main.
            name = branch_points[n]
            kind, secret, line = creds.make()
            path = "config/%s.env" % name.replace("/", "-")
            b = fi.commit("refs/heads/" + name, "Branch work on %s\n" % name, [("M", path, line)], parent=head)
            b = fi.commit("refs/heads/" + name, "More work on %s\n" % name,
                          [("M", path, "# moved to the secret store\n")], parent=b)
            fi.tag("v%d.0" % len(planted), b)
            planted.append({"path": path, "kind": kind, "rule": Credentials.RULES[kind], "secret": secret,
                            "removed": True, "ref": name})
    fi.close()
    subprocess.run(["git", "-C", repo, "checkout", "-q", "-f", "main"], check=True)
    size = subprocess.run(["git", "-C", repo, "count-objects", "-vH"], capture_output=True, text=True).stdout
    manifest = {"commits": commits, "planted": planted}
    with open(repo.rstrip("/") + ".manifest.json", "w") as f:
        json.dump(manifest, f, indent=1)
    print("repo: %d commits, %d credentials planted\n%s" % (commits, len(planted), size.strip()))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    t = sub.add_parser("tree")
    t.add_argument("dir")
    t.add_argument("--bytes", type=int, required=True)
    t.add_argument("--files", type=int, required=True)
    t.add_argument("--seed", type=int, default=7)
    r = sub.add_parser("repo")
    r.add_argument("dir")
    r.add_argument("--commits", type=int, required=True)
    r.add_argument("--base-files", type=int, required=True)
    r.add_argument("--large-files", type=int, required=True)
    r.add_argument("--large-bytes", type=int, required=True)
    r.add_argument("--large-edits", type=int, required=True)
    r.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    if args.what == "tree":
        gen_tree(args.dir, args.bytes, args.files, args.seed)
    else:
        gen_repo(args.dir, args.commits, args.base_files, args.large_files, args.large_bytes, args.large_edits,
                 args.seed)


if __name__ == "__main__":
    main()
