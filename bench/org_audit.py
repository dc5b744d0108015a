#!/usr/bin/env python3
"""The 20-repository audit of issue 15, from a git server on 127.0.0.1.

    bench/org_audit.py --binary build-bench/sentryscan [--mirror GITDIR…] [--generated N]
                       [--work DIR] [--threads N]

Serves bare repositories over smart HTTP (`git http-backend` behind a small
CGI server here, on 127.0.0.1 only), writes their URLs to a `--repos` list and
times, under /usr/bin/time -v:
  1. the first audit into an empty --cache-dir (clones everything),
  2. the same again (the cache is fetched, everything is scanned again),
  3. with --state, first run (full, records the tips),
  4. with --state again, nothing new (scans nothing),
  5. with --state after one new commit in one repository.
The repositories: copies of the given mirrors (real history; complete ones —
a server cannot send a pack with missing objects) and N generated with
bench/gen_inputs.py (seeded). Prints a Markdown table: wall, CPU, peak RSS,
exit status, blobs scanned (from the manifest) and findings of each run.
"""
import argparse
import http.server
import json
import os
import re
import shutil
import socketserver
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BACKEND = "/usr/lib/git-core/git-http-backend"


class CgiHandler(http.server.BaseHTTPRequestHandler):
    """Runs git-http-backend for every request (RFC 3875 CGI, what git documents)."""
    root = ""

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.cgi()

    def do_POST(self):
        self.cgi()

    def cgi(self):
        path, _, query = self.path.partition("?")
        body = b""
        if "Content-Length" in self.headers:
            body = self.rfile.read(int(self.headers["Content-Length"]))
        env = {"GIT_PROJECT_ROOT": self.root, "GIT_HTTP_EXPORT_ALL": "1", "PATH_INFO": path,
               "QUERY_STRING": query, "REQUEST_METHOD": self.command, "REMOTE_ADDR": "127.0.0.1",
               "CONTENT_TYPE": self.headers.get("Content-Type", ""), "CONTENT_LENGTH": str(len(body)),
               "GIT_PROTOCOL": self.headers.get("Git-Protocol", ""), "PATH": os.environ["PATH"]}
        if self.headers.get("Content-Encoding") == "gzip":
            env["HTTP_CONTENT_ENCODING"] = "gzip"
        out = subprocess.run([BACKEND], input=body, env=env, capture_output=True).stdout
        head, _, payload = out.partition(b"\r\n\r\n")
        status = 200
        headers = []
        for line in head.split(b"\r\n"):
            name, _, value = line.decode().partition(":")
            if name.lower() == "status":
                status = int(value.split()[0])
            elif name:
                headers.append((name, value.strip()))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def timed(argv, work):
    report = os.path.join(work, ".time.txt")
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v", "-o", report] + argv, capture_output=True)
    wall = time.perf_counter() - start
    text = open(report).read()
    field = lambda name: float(re.search(re.escape(name) + r":\s*([0-9.]+)", text).group(1))
    return dict(wall=wall, cpu=field("User time (seconds)") + field("System time (seconds)"),
                rss=field("Maximum resident set size (kbytes)") / 1024, code=proc.returncode,
                stderr=proc.stderr.decode(errors="replace"))


def findings(path):
    with open(path) as f:
        return sum(1 for line in f if line.strip())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--mirror", action="append", default=[])
    parser.add_argument("--generated", type=int, default=None, help="generated repositories (default: 20 - mirrors)")
    parser.add_argument("--work", default="/tmp/sentryscan-org-audit")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()
    srv = os.path.join(args.work, "srv")
    os.makedirs(srv, exist_ok=True)
    names = []
    for mirror in args.mirror:
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", os.path.basename(mirror.rstrip("/").removesuffix("/repo"))) + ".git"
        if not os.path.exists(os.path.join(srv, name)):
            subprocess.run(["git", "clone", "-q", "--bare", "--no-local", mirror, os.path.join(srv, name)], check=True)
        names.append(name)
    generated = args.generated if args.generated is not None else max(0, 20 - len(names))
    for i in range(generated):
        name = "generated-%02d.git" % i
        path = os.path.join(srv, name)
        if not os.path.exists(path):
            work = os.path.join(args.work, "gen-%02d" % i)
            shutil.rmtree(work, ignore_errors=True)
            subprocess.run([sys.executable, os.path.join(HERE, "gen_inputs.py"), "repo", work, "--commits", "300",
                            "--base-files", "60", "--large-files", "1", "--large-bytes", "500000",
                            "--large-edits", "10", "--seed", str(100 + i)], check=True, capture_output=True)
            subprocess.run(["git", "clone", "-q", "--bare", "--no-local", work, path], check=True)
        names.append(name)
    CgiHandler.root = srv
    server = Server(("127.0.0.1", 0), CgiHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d/" % server.server_address[1]
    repos = os.path.join(args.work, "repos.txt")
    with open(repos, "w") as f:
        f.write("# bench/org_audit.py\n" + "".join(base + n + "\n" for n in names))
    cache = os.path.join(args.work, "cache")
    state = os.path.join(args.work, "state.json")
    shutil.rmtree(cache, ignore_errors=True)
    for stale in (state,):
        if os.path.exists(stale):
            os.remove(stale)

    def audit(label, extra):
        report = os.path.join(args.work, "report.jsonl")
        run = timed([args.binary, "git", "--repos", repos, "--cache-dir", cache, "--threads", str(args.threads),
                     "--format", "jsonl", "--progress", "never", "--output", report] + extra, args.work)
        run["findings"] = findings(report) if os.path.exists(report) else 0
        # What was scanned, and the --state note, from the manifest next to the report.
        try:
            with open(report + ".manifest.json") as f:
                summary = json.load(f).get("summary", {})
            run["blobs"] = summary.get("items_scanned", 0)
        except (OSError, ValueError):
            run["blobs"] = -1
        run["label"] = label
        if run["code"] not in (0, 1):
            print("%s: exit %d\n%s" % (label, run["code"], run["stderr"][-3000:]), file=sys.stderr)
        return run

    runs = [audit("first audit, empty --cache-dir (clones all)", []),
            audit("again, warm cache (fetch, full scan)", []),
            audit("--state, first run (full, records tips)", ["--state", state]),
            audit("--state, nothing new", ["--state", state])]
    # One new commit in one repository, pushed through a scratch clone.
    scratch = os.path.join(args.work, "scratch")
    shutil.rmtree(scratch, ignore_errors=True)
    subprocess.run(["git", "clone", "-q", os.path.join(srv, names[-1]), scratch], check=True)
    with open(os.path.join(scratch, "NEW_FILE.md"), "w") as f:
        f.write("a new file, %f\n" % time.time())
    subprocess.run(["git", "-C", scratch, "add", "NEW_FILE.md"], check=True)
    subprocess.run(["git", "-C", scratch, "-c", "user.name=bench", "-c", "user.email=bench@example.invalid",
                    "commit", "-q", "-m", "new"], check=True)
    subprocess.run(["git", "-C", scratch, "push", "-q", "origin", "HEAD"], check=True)
    runs.append(audit("--state, one new commit in one repository", ["--state", state]))
    server.shutdown()

    blobs = subprocess.run(["sh", "-c", "for r in %s/*.git; do git --git-dir $r rev-list --all --objects | wc -l; done"
                            % srv], capture_output=True, text=True).stdout.split()
    print("## 20-repository audit from a local smart-HTTP server (bench/org_audit.py)\n")
    print("%d repositories (%d copies of mirrors, %d generated), %d objects reachable in all; --threads %d\n" % (
        len(names), len(args.mirror), generated, sum(int(b) for b in blobs), args.threads))
    print("| run | wall | CPU | peak RSS | exit | blobs scanned | findings |\n|---|---|---|---|---|---|---|")
    for r in runs:
        print("| %s | %.2f s | %.2f s | %.0f MiB | %d | %d | %d |" % (r["label"], r["wall"], r["cpu"], r["rss"], r["code"],
                                                                  r["blobs"], r["findings"]))


if __name__ == "__main__":
    main()
