#!/usr/bin/env python3
"""Loads a local html file in headless Chromium and reports what happened.

    browser_probe.py CHROMIUM FILE.html STEPS_JSON

Drives Chromium through its DevTools protocol over --remote-debugging-pipe
(fd 3: commands in, fd 4: answers out, NUL-separated JSON), so it needs only
the Python standard library. It records console messages, uncaught
exceptions, Log entries (Chromium reports CSP violations there),
securitypolicyviolation events, JavaScript dialogs (dismissed) and every
network request, then runs STEPS (a JSON list) one by one and probes the page
after the load and after each step:

    {"select": "#filter-severity", "value": "critical"}  set a <select>, fire "change"
    {"type": "#filter-text", "value": "deploy"}          set an <input>, fire "input"
    {"click": "#sort-where"}                             click an element

Prints one JSON object on stdout: {"console", "exceptions", "log",
"violations", "dialogs", "requests", "probes"}; exit 2 on a harness failure.
"""
import fcntl
import json
import os
import pathlib
import select
import shutil
import subprocess
import sys
import tempfile
import time

PROBE = r"""
(() => {
  const rows = [...document.querySelectorAll('#findings tbody tr')];
  const visible = rows.filter(r => !r.hidden);
  const text = s => { const e = document.querySelector(s); return e ? e.textContent : null; };
  return {
    rows: rows.length,
    visible: visible.length,
    visible_paths: visible.map(r => r.querySelector('td.where .mono').textContent),
    timeline_rows: document.querySelectorAll('#timeline tbody tr').length,
    shown_count: text('#shown-count'),
    body_text: document.body.textContent,  // closed <details> included
    elements: [...document.querySelectorAll('*')].map(e => e.tagName.toLowerCase()),
    links: [...document.querySelectorAll('a')].map(a => a.getAttribute('href')),
    handlers: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name)).filter(n => n.startsWith('on')),
    violations: window.__violations || [],
  };
})()
"""

WATCH = "window.__violations = []; document.addEventListener('securitypolicyviolation', " \
        "e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"


class Pipe:
    def __init__(self, chromium, profile):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        # Out of the way of 3 and 4 before the child moves them there.
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_chrome_r, from_chrome_w)]
        os.close(to_chrome_r)
        os.close(from_chrome_w)

        def child_fds():
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        args = [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                "--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--disable-default-apps", "--mute-audio", "about:blank"]
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, preexec_fn=child_fds, pass_fds=(3, 4))
        for fd in high:
            os.close(fd)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        return self.wait(lambda m: m.get("id") == self.next_id)

    def read_one(self, deadline):
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from chromium")
            ready, _, _ = select.select([self.from_chrome], [], [], left)
            if ready:
                chunk = os.read(self.from_chrome, 1 << 16)
                if not chunk:
                    raise EOFError("chromium closed the pipe")
                self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def wait(self, done, seconds=30):
        deadline = time.monotonic() + seconds
        while True:
            message = self.read_one(deadline)
            if "id" not in message:
                self.events.append(message)
                if message.get("method") == "Page.javascriptDialogOpening":
                    # Dismiss at once: an open dialog blocks the page (and its load event).
                    self.next_id += 1
                    os.write(self.to_chrome, json.dumps({"id": self.next_id, "sessionId": self.session,
                                                         "method": "Page.handleJavaScriptDialog",
                                                         "params": {"accept": False}}).encode() + b"\0")
            if done(message):
                if "error" in message:
                    raise RuntimeError(json.dumps(message["error"]))
                return message

    def close(self):
        try:
            self.send("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def main():
    chromium, page, steps = sys.argv[1], pathlib.Path(sys.argv[2]).resolve(), json.loads(sys.argv[3])
    profile = tempfile.mkdtemp(prefix="sentryscan-chromium-")
    browser = Pipe(chromium, profile)
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["result"]["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["result"]["sessionId"]
        browser.session = session
        for domain in ("Runtime", "Log", "Network", "Page"):
            browser.send(domain + ".enable", session=session)
        browser.send("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH}, session=session)
        url = page.as_uri()
        browser.send("Page.navigate", {"url": url}, session=session)
        browser.wait(lambda m: m.get("method") == "Page.loadEventFired")

        def evaluate(expression):
            answer = browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                       "awaitPromise": True}, session=session)
            if "exceptionDetails" in answer["result"]:
                raise RuntimeError("probe failed: " + json.dumps(answer["result"]["exceptionDetails"]))
            return answer["result"]["result"].get("value")

        probes = [evaluate(PROBE)]
        for step in steps:
            if "select" in step or "type" in step:
                selector = step.get("select") or step.get("type")
                event = "change" if "select" in step else "input"
                evaluate("(() => { const e = document.querySelector(%s); e.value = %s; "
                         "e.dispatchEvent(new Event(%s)); })()"
                         % (json.dumps(selector), json.dumps(step["value"]), json.dumps(event)))
            elif "click" in step:
                evaluate("document.querySelector(%s).click()" % json.dumps(step["click"]))
            probes.append(evaluate(PROBE))
        # Anything the page does late (timers, lazy loads) still gets reported.
        evaluate("new Promise(r => setTimeout(r, 200))")
        probes.append(evaluate(PROBE))
    finally:
        browser.close()
        shutil.rmtree(profile, ignore_errors=True)

    def of(method):
        return [m["params"] for m in browser.events if m.get("method") == method]

    print(json.dumps({
        "console": [{"type": p["type"], "text": " ".join(str(a.get("value", a.get("description", "")))
                                                          for a in p.get("args", []))}
                    for p in of("Runtime.consoleAPICalled")],
        "exceptions": [p["exceptionDetails"].get("text", "") + " " +
                       p["exceptionDetails"].get("exception", {}).get("description", "")
                       for p in of("Runtime.exceptionThrown")],
        "log": [{"level": p["entry"]["level"], "source": p["entry"]["source"], "text": p["entry"]["text"]}
                for p in of("Log.entryAdded")],
        "dialogs": [p.get("message", "") for p in of("Page.javascriptDialogOpening")],
        "requests": [p["request"]["url"] for p in of("Network.requestWillBeSent")],
        "page_url": url,
        "probes": probes,
    }))


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # a harness failure, not a test verdict
        print("browser_probe: %s: %s" % (type(error).__name__, error), file=sys.stderr)
        sys.exit(2)
