// The html report's stylesheet and script (html_internal.h). They are
// constants: the page's Content-Security-Policy allows exactly these bytes by
// their SHA-256. The script reads the JSON data block and builds every element
// with createElement and textContent (never innerHTML, never a string of
// markup), so report text (paths, commit messages, authors, payload fields,
// rule descriptions) is always text. Links come from the data's
// revoke.links, which the C++ side built from validated parts, and are checked
// once more to be http(s) before an <a> is made.
#include "report/html_internal.h"

namespace sentryscan::report_detail {

const std::string_view kHtmlStyle = R"css(
:root { --fg: #1f1d2b; --muted: #6b6880; --line: #e3e1ea; --bg: #fbfbfd; --accent: #5b3fa8;
  --critical: #b3123b; --high: #d1451b; --medium: #b07a00; --low: #4a7b3d; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 1400px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 22px; margin: 8px 0 2px; } h2 { font-size: 17px; margin: 28px 0 8px; }
.muted { color: var(--muted); }
.note { background: #fff7e0; border: 1px solid #f0d78a; padding: 6px 10px; border-radius: 6px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; min-width: 120px; }
.card strong { display: block; font-size: 22px; }
.tallies { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
table { border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f3f2f7; font-weight: 600; white-space: nowrap; }
th button { font: inherit; border: 0; background: none; cursor: pointer; padding: 0; color: inherit; }
td.num, th.num { text-align: right; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; word-break: break-all; }
.sev { font-weight: 600; text-transform: uppercase; font-size: 12px; }
.sev-critical { color: var(--critical); } .sev-high { color: var(--high); }
.sev-medium { color: var(--medium); } .sev-low { color: var(--low); }
.status { font-size: 12px; padding: 1px 6px; border-radius: 10px; background: #eee; white-space: nowrap; }
.status-live { background: #fde0e6; color: var(--critical); font-weight: 600; }
.status-revoked { background: #e3f3e0; color: var(--low); }
.status-unknown { background: #fff0c8; }
.filters { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 8px 0; }
.filters select, .filters input { font: inherit; padding: 3px 6px; }
.filters input { min-width: 260px; }
.findings { width: 100%; }
.findings td.where { max-width: 340px; }
.small { font-size: 12px; }
.nowrap { white-space: nowrap; }
.timeline { display: grid; grid-template-columns: 110px 1fr; gap: 2px 10px; align-items: center; }
.bar { height: 14px; background: var(--accent); border-radius: 3px; min-width: 3px; }
details summary { cursor: pointer; color: var(--accent); }
a { color: var(--accent); }
)css";

const std::string_view kHtmlScript = R"js(
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("sentryscan-data").textContent);
  const app = document.getElementById("app");
  const SEVERITY_RANK = { critical: 3, high: 2, medium: 1, low: 0 };

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function add(parent, ...children) {
    for (const child of children) parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    return parent;
  }
  function plural(n, noun) { return n + " " + noun + (n === 1 ? "" : "s"); }
  function shortCommit(commit) { return commit ? commit.slice(0, 12) : ""; }
  function safeClass(text) { return String(text).replace(/[^a-z_-]/g, ""); }
  function link(l) {
    // Built by the report writer from sentry.io or an allowed base; checked again here.
    if (!/^https?:\/\/[^\s"'<>\\]+$/.test(l.url)) return el("span", "muted", l.label);
    const a = el("a", null, l.label);
    a.href = l.url;
    a.rel = "noopener noreferrer";
    return a;
  }

  function header() {
    add(app, el("h1", null, "sentryscan report"));
    const meta = [data.tool.name + " " + data.tool.version];
    if (data.generated_at) meta.push("generated " + data.generated_at);
    meta.push(data.redacted ? "secrets redacted" : "secrets shown in full (--show-secrets): handle this file as a secret");
    add(app, el("p", "muted", meta.join(" · ")));
    add(app, el("p", "mono small", data.summary_line));
    if (data.issues.length) {
      const box = el("div", "note");
      add(box, el("strong", null, data.issues.length + " scan problem(s)"));
      const list = el("ul");
      for (const issue of data.issues) add(list, el("li", null, issue.kind + ": " + (issue.where ? issue.where + ": " : "") + issue.message));
      add(app, add(box, list));
    }
  }

  function tallyTable(title, rows, label) {
    const table = el("table", "tally");
    const head = el("tr");
    add(head, el("th", null, label), el("th", "num", "secrets"), el("th", "num", "locations"));
    add(table, add(el("thead"), head));
    const body = el("tbody");
    for (const row of rows) {
      const tr = el("tr");
      add(tr, el("td", null, row.name === "" ? "(none)" : row.name), el("td", "num", row.secrets), el("td", "num", row.locations));
      add(body, tr);
    }
    add(table, body);
    return add(el("section"), el("h3", null, title), table);
  }

  function summary() {
    add(app, el("h2", null, "Summary"));
    const cards = el("div", "cards");
    const live = data.secrets.filter(s => s.status === "live").length;
    for (const [n, what] of [[data.secrets.length, "distinct secrets"], [data.findings.length, "findings (locations)"], [live, "live"]]) {
      add(cards, add(el("div", "card"), el("strong", null, n), el("span", "muted", what)));
    }
    add(app, cards);
    const tallies = el("div", "tallies");
    const s = data.summary;
    if (s.by_repository.some(r => r.name !== "")) add(tallies, tallyTable("By repository", s.by_repository, "repository"));
    add(tallies, tallyTable("By rule", s.by_rule, "rule"));
    add(tallies, tallyTable("By severity", [...s.by_severity].sort((a, b) => SEVERITY_RANK[b.name] - SEVERITY_RANK[a.name]), "severity"));
    add(tallies, tallyTable("By validation status", s.by_status, "status"));
    add(app, tallies);
  }

  function timeline() {
    add(app, el("h2", null, "When each secret entered history"));
    const dated = data.secrets.filter(s => s.first.date);
    if (!dated.length) {
      add(app, el("p", "muted", "No dates: this report comes from files, not from git history, so it cannot say when a secret was introduced."));
      return;
    }
    dated.sort((a, b) => a.first.date < b.first.date ? -1 : a.first.date > b.first.date ? 1 : 0);
    const months = new Map();
    for (const s of dated) months.set(s.first.date.slice(0, 7), (months.get(s.first.date.slice(0, 7)) || 0) + 1);
    const most = Math.max(...months.values());
    const chart = el("div", "timeline");
    chart.id = "timeline-chart";
    for (const [month, count] of months) {
      const bar = el("div", "bar");
      bar.style.width = Math.max(1, Math.round(100 * count / most)) + "%";
      bar.title = count + " secret(s) first committed in " + month;
      add(chart, el("span", "mono", month + " (" + count + ")"), bar);
    }
    add(app, chart);
    const table = el("table", "findings");
    table.id = "timeline";
    const hasRepository = dated.some(s => s.repository !== "");
    const head = el("tr");
    for (const h of ["first committed", "severity", "rule", ...(hasRepository ? ["repository"] : []), "path", "commit", "author", "locations", "status"])
      add(head, el("th", null, h));
    add(table, add(el("thead"), head));
    const body = el("tbody");
    for (const s of dated) {
      const tr = el("tr");
      add(tr, el("td", "mono nowrap", s.first.date), el("td", "sev sev-" + safeClass(s.severity), s.severity),
          add(el("td", null, s.rule_id), el("div", "small muted", s.description)));
      if (hasRepository) add(tr, el("td", null, s.repository));
      add(tr, el("td", "mono", s.first.path + ":" + s.first.line),
          add(el("td"), el("span", "mono", shortCommit(s.first.commit)), el("div", "small muted", s.first.message)),
          el("td", null, s.first.author),
          el("td", null, plural(s.locations, "place") + ": " + plural(s.paths, "path") + ", " + plural(s.commits, "commit")),
          add(el("td"), el("span", "status status-" + safeClass(s.status), s.status)));
      add(body, tr);
    }
    add(app, add(table, body));
  }

  function suppressCell(f, s) {
    const cell = el("td", "small");
    const d = el("details");
    add(d, el("summary", null, "suppress / revoke"));
    add(d, el("div", null, "Revoke: " + s.revoke.text));
    if (s.revoke.links.length) {
      const p = el("div", null, "Open: ");
      s.revoke.links.forEach((l, i) => { if (i) add(p, " · "); add(p, link(l)); });
      add(d, p);
    }
    add(d, el("div", null, "Suppress here: add a comment containing sentryscan:allow on line " + f.line + " of " + f.path + "."));
    add(d, add(el("div", null, "Suppress everywhere: add this fingerprint to .sentryscanignore (or keep it in a --baseline report): "), el("code", null, s.fingerprint)));
    return add(cell, d);
  }

  function findingsTable() {
    add(app, el("h2", null, "Findings"));
    const hasRepository = data.findings.some(f => f.repository !== "");
    const filters = el("div", "filters");
    const selects = {};
    function select(key, label, values) {
      const s = el("select");
      s.id = "filter-" + key;
      s.setAttribute("aria-label", label);
      add(s, el("option", null, "all " + label));
      s.firstChild.value = "";
      for (const v of [...new Set(values)].sort()) { const o = el("option", null, v === "" ? "(none)" : v); o.value = v; add(s, o); }
      s.addEventListener("change", apply);
      selects[key] = s;
      add(filters, s);
    }
    select("rule", "rules", data.findings.map(f => f.rule_id));
    select("severity", "severities", data.findings.map(f => f.severity));
    select("status", "statuses", data.findings.map(f => f.status));
    if (hasRepository) select("repository", "repositories", data.findings.map(f => f.repository));
    const search = el("input");
    search.id = "filter-text";
    search.type = "search";
    search.placeholder = "search path, commit, author, message, fingerprint";
    search.addEventListener("input", apply);
    const count = el("span", "muted");
    count.id = "shown-count";
    add(filters, search, count);
    add(app, filters);

    const columns = [
      ["severity", "severity", f => SEVERITY_RANK[f.severity]],
      ["rule", "rule", f => f.rule_id],
      ["status", "status", f => f.status],
      ...(hasRepository ? [["repository", "repository", f => f.repository]] : []),
      ["where", "path:line", f => f.path + "\u0000" + String(f.line).padStart(10, "0")],
      ["commit", "commit", f => f.date + f.commit],
      ["author", "author", f => f.author],
      ["secret", "secret", f => data.secrets[f.secret_group].secret],
      ["actions", "suppress / revoke", null]];
    const table = el("table", "findings");
    table.id = "findings";
    const head = el("tr");
    let sortKey = null, sortDown = false;
    for (const [key, label, value] of columns) {
      const th = el("th");
      if (value) {
        const b = el("button", null, label);
        b.type = "button";
        b.id = "sort-" + key;
        b.addEventListener("click", () => { sortDown = sortKey === key ? !sortDown : key === "severity"; sortKey = key; sortRows(value); });
        add(th, b);
      } else add(th, label);
      add(head, th);
    }
    add(table, add(el("thead"), head));
    const body = el("tbody");
    const rows = data.findings.map(f => {
      const s = data.secrets[f.secret_group];
      const tr = el("tr");
      const rule = el("td", null, f.rule_id);
      rule.title = s.description;
      add(tr, el("td", "sev sev-" + safeClass(f.severity), f.severity), rule);
      const st = add(el("td"), el("span", "status status-" + safeClass(f.status), f.status));
      if (f.status_detail) add(st, el("div", "small muted", f.status_detail));
      add(tr, st);
      if (hasRepository) add(tr, el("td", null, f.repository));
      const where = add(el("td", "where"), el("span", "mono", f.path + ":" + f.line));
      if (f.decoded.length) add(where, el("div", "small muted", "decoded: " + f.decoded.join(" → ")));
      add(tr, where);
      const commit = el("td");
      if (f.commit) add(commit, el("span", "mono", shortCommit(f.commit)), el("div", "small muted nowrap", f.date), el("div", "small", f.message));
      add(tr, commit);
      add(tr, add(el("td"), el("span", null, f.author), el("div", "small muted", f.email)));
      add(tr, el("td", "mono", s.secret));
      add(tr, suppressCell(f, s));
      add(body, tr);
      const haystack = [f.path, f.commit, f.author, f.email, f.message, f.rule_id, s.fingerprint, f.repository, f.status_detail].join("\n").toLowerCase();
      return { f, tr, haystack };
    });
    add(table, body);
    add(app, table);

    function sortRows(value) {
      rows.sort((a, b) => {
        const x = value(a.f), y = value(b.f);
        const order = x < y ? -1 : x > y ? 1 : 0;
        return sortDown ? -order : order;
      });
      for (const r of rows) body.appendChild(r.tr);
    }
    function apply() {
      const want = {};
      for (const key in selects) want[key] = selects[key].value;
      const text = search.value.trim().toLowerCase();
      let shown = 0;
      for (const r of rows) {
        const f = r.f;
        const visible = (!want.rule || f.rule_id === want.rule) && (!want.severity || f.severity === want.severity) &&
            (!want.status || f.status === want.status) && (!want.repository || f.repository === want.repository) &&
            (!text || r.haystack.includes(text));
        r.tr.hidden = !visible;
        if (visible) ++shown;
      }
      count.textContent = shown + " of " + rows.length + " findings shown";
    }
    apply();
  }

  header();
  summary();
  timeline();
  findingsTable();
})();
)js";

}  // namespace sentryscan::report_detail
