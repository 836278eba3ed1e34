"""The query page of ``policy-kg serve``: the query library and three worked examples as ready tabs.

A small HTTP server (standard library, on the same loopback host as the SPARQL server) beside the
Oxigraph server ``serve`` starts, serving:

* ``/`` — one self-contained page, no CDN and no other asset: a tab per example
  (``queries/examples/*.rq``: a researcher's indicators of one document, a planner's projects and
  budgets per SDG goal, an export's CONSTRUCT of one document's graph) and per library query, each
  with its title, description and parameter fields; an editor (a textarea) holding the query, the
  project's prefixes listed and predeclared; a results table. Every text is written with
  ``textContent``; the page's data is JSON escaped for a ``<script>`` block.
* ``POST /run`` ``{"name": …, "params": {…}}`` — a library or example query with its parameters
  bound by the query library (``graph.query.run_query``: typed terms in a ``VALUES`` block, never
  pasted into the text), asked of the SPARQL server; rows typed as in ``query --format json``.
* ``POST /sparql`` ``{"query": …}`` — any query the user wrote, the project's prefixes prepended
  where the query does not declare them (SELECT and ASK give rows, CONSTRUCT and DESCRIBE Turtle).
* ``/explorer`` — the explorer page (``visualize explorer``) of the served graph, written on first use.

Requests whose ``Host`` is not this server's own address are refused (a web page elsewhere cannot
reach the graph through DNS rebinding). The server only reads: updates go to the SPARQL server's
own ``/update`` when ``serve --writable``.
"""

from __future__ import annotations

import html
import json
import logging
import re
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from policy_kg.graph.query import (
    QUERIES_DIR,
    QueryError,
    QuerySpec,
    bind_params,
    check_named_values,
    json_value,
    list_queries,
    load_query,
    predeclared_prefixes,
    query_form,
    run_query,
    unknown_term_hints,
    with_prefixes,
    with_values,
)

log = logging.getLogger(__name__)

__all__ = ["EXAMPLES_DIR", "QueryPage", "page_html", "page_specs"]

EXAMPLES_DIR = QUERIES_DIR / "examples"
MAX_BODY = 1 << 20  # a query typed into the page; library queries are sent by name


def list_examples(folder: Path = EXAMPLES_DIR) -> list[QuerySpec]:
    """The worked examples (``queries/examples/*.rq``): the researcher's, the planner's, the export's."""
    order = {"researcher": 0, "planner": 1, "export": 2}
    paths = sorted(folder.glob("*.rq"), key=lambda p: (order.get(p.stem.split("_")[0], 9), p.name))
    return [load_query(p) for p in paths]


def _spec_entry(spec: QuerySpec, group: str, defaults: dict[str, str]) -> dict[str, Any]:
    return {
        "name": f"{group}:{spec.name}", "group": group, "title": spec.title, "description": spec.description,
        "params": [{"name": p.name, "kind": p.kind, "required": p.required, "description": p.description,
                    "value": defaults.get(p.name, "") if p.required else ""} for p in spec.params],
        "text": spec.text, "form": query_form(spec.text), "columns": list(spec.columns),
    }


def page_specs(defaults: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Every tab of the page: the examples first, then the library (title, description, parameters)."""
    defaults = defaults or {}
    return ([_spec_entry(s, "example", defaults) for s in list_examples()]
            + [_spec_entry(s, "library", defaults) for s in list_queries()])


def _find_spec(name: str) -> QuerySpec:
    group, _, stem = name.partition(":")
    folder = {"example": EXAMPLES_DIR, "library": QUERIES_DIR}.get(group)
    if folder is None or not re.fullmatch(r"[\w-]+", stem) or not (folder / f"{stem}.rq").is_file():
        raise QueryError(f"no query {name!r} on this page")
    return load_query(folder / f"{stem}.rq")


def _safe_json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def page_html(specs: list[dict[str, Any]], *, prefixes: dict[str, str] | None = None,
              documents: list[str] | None = None, endpoint: str = "", explorer: bool = True,
              title: str = "policy-kg query page") -> str:
    """The page's HTML: the template below with its data embedded as escaped JSON."""
    data = {"specs": specs, "prefixes": prefixes or predeclared_prefixes(), "documents": documents or [],
            "endpoint": endpoint, "explorer": explorer}
    return PAGE.replace("@@TITLE@@", html.escape(title)).replace("@@DATA@@", _safe_json(data))


# --- running what the page asks --------------------------------------------------------------------------


def _rows_payload(result, hints: list[str]) -> dict[str, Any]:
    rows = [[json_value(v) for v in row] for row in result.as_python_rows()]
    return {"columns": list(result.columns), "rows": rows, "hints": hints}


class _Runner:
    """Answers the page's requests from the SPARQL server at ``endpoint``."""

    def __init__(self, endpoint: str, timeout: float) -> None:
        from policy_kg.graph.stores import RemoteBackend

        self.endpoint = endpoint
        self.timeout = timeout
        self.backend = RemoteBackend(endpoint, timeout=timeout)

    def run(self, name: str, params: dict[str, Any]) -> dict[str, Any]:
        spec = _find_spec(name)
        raw = {k: str(v) for k, v in (params or {}).items() if str(v).strip() != ""}
        if query_form(spec.text) in ("CONSTRUCT", "DESCRIBE"):
            text = with_values(with_prefixes(spec.text), bind_params(spec, raw))
            body = self._request(text, "text/turtle")
            if not body.strip() or _only_prefixes(body):
                check_named_values(self.backend, spec, raw)
            return {"text": body}
        result = run_query(self.backend, spec, params=raw)
        hints: list[str] = []
        if not result.rows:
            check_named_values(self.backend, spec, raw)
            hints = unknown_term_hints(with_prefixes(spec.text))
        return _rows_payload(result, hints)

    def sparql(self, text: str) -> dict[str, Any]:
        from policy_kg.graph.stores import _parse_json_results

        text = with_prefixes(text)
        form = query_form(text)
        if form in ("CONSTRUCT", "DESCRIBE"):
            return {"text": self._request(text, "text/turtle")}
        data = json.loads(self._request(text, "application/sparql-results+json"))
        if "boolean" in data:
            return {"boolean": bool(data["boolean"])}
        result = _parse_json_results(data, self.endpoint)
        return _rows_payload(result, [] if result.rows else unknown_term_hints(text))

    def _request(self, text: str, accept: str) -> str:
        body = urllib.parse.urlencode({"query": text}).encode("utf-8")
        request = urllib.request.Request(self.endpoint, data=body, headers={
            "Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            detail = " ".join(exc.read().decode("utf-8", "replace").split())[:500]
            raise QueryError(f"HTTP {exc.code}: {detail or exc.reason}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise QueryError(f"the SPARQL server did not answer: {exc}") from exc

    def defaults(self) -> tuple[dict[str, str], list[str]]:
        """Parameter values the examples open with (the first document, the commonest fiscal
        year), and the documents' file names for the parameter fields' suggestions."""
        try:
            names = sorted(str(r[0]) for r in self.backend.select(
                "SELECT DISTINCT ?n WHERE { ?d <https://w3id.org/policy-kg/ontology#fileName> ?n } LIMIT 5000",
                {}).rows if r[0] is not None)
            years = self.backend.select(
                "SELECT ?y (COUNT(*) AS ?n) WHERE { ?a <https://w3id.org/policy-kg/ontology#fiscalYear> ?y } "
                "GROUP BY ?y ORDER BY DESC(?n) ?y LIMIT 1", {}).rows
        except QueryError as exc:
            log.warning("query page: no defaults from the server: %s", exc)
            return {}, []
        defaults = {}
        if names:
            defaults["document"] = names[0]
        if years and years[0][0] is not None:
            defaults["fiscal_year"] = str(years[0][0])
        return defaults, names


def _only_prefixes(turtle: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith(("@prefix", "PREFIX", "@base")) for line in turtle.splitlines())


# --- the server ------------------------------------------------------------------------------------------


class QueryPage:
    """The page's HTTP server; ``start()`` serves it in a thread, ``stop()`` ends it."""

    def __init__(self, endpoint: str, *, host: str = "127.0.0.1", port: int = 0,
                 explorer_source: Path | None = None, timeout: float = 60.0) -> None:
        self.runner = _Runner(endpoint, timeout)
        self.explorer_source = explorer_source
        self._explorer: bytes | None = None
        self._explorer_lock = threading.Lock()
        self._scratch: tempfile.TemporaryDirectory | None = None
        self.httpd = ThreadingHTTPServer((host, port), _handler(self))
        self.httpd.daemon_threads = True
        self.host, self.port = host, self.httpd.server_address[1]
        self._thread: threading.Thread | None = None
        self._page: bytes | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def page(self) -> bytes:
        if self._page is None:
            defaults, documents = self.runner.defaults()
            self._page = page_html(page_specs(defaults), documents=documents, endpoint=self.runner.endpoint,
                                   explorer=self.explorer_source is not None).encode("utf-8")
        return self._page

    def explorer(self) -> bytes | None:
        if self.explorer_source is None:
            return None
        with self._explorer_lock:
            if self._explorer is None:
                from policy_kg.visualize.explorer import render_explorer

                self._scratch = tempfile.TemporaryDirectory(prefix="policy-kg-explorer-")
                page = render_explorer(self.explorer_source, Path(self._scratch.name) / "index.html")
                self._explorer = page.read_bytes()
            return self._explorer

    def start(self) -> QueryPage:
        self.page()  # the defaults are read once, before the banner says the page is there
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="policy-kg-query-page", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._scratch is not None:
            self._scratch.cleanup()

    def allowed_host(self, header: str | None) -> bool:
        if not header:
            return False
        names = {f"{self.host}:{self.port}", f"localhost:{self.port}", f"[{self.host}]:{self.port}"}
        if self.host in ("127.0.0.1", "::1"):
            names |= {f"127.0.0.1:{self.port}", f"[::1]:{self.port}"}
        return header.strip().lower() in names


def _handler(page: QueryPage) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "policy-kg-query-page"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 — the base class's name
            log.debug("query page: " + format, *args)

        def _send(self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Cache-Control", "no-store")
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, value: Any) -> None:
            self._send(status, json.dumps(value, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

        def _refused(self) -> bool:
            if page.allowed_host(self.headers.get("Host")):
                return False
            self._send(403, b"forbidden: unknown Host\n", "text/plain; charset=utf-8")
            return True

        def do_GET(self) -> None:  # noqa: N802 — http.server's naming
            if self._refused():
                return
            path = urllib.parse.urlsplit(self.path).path
            if path in ("/", "/index.html"):
                csp = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                       "connect-src 'self'; img-src 'self' data:; form-action 'none'; base-uri 'none'")
                self._send(200, page.page(), "text/html; charset=utf-8", {"Content-Security-Policy": csp})
            elif path in ("/explorer", "/explorer/", "/explorer/index.html"):
                try:
                    body = page.explorer()
                except Exception as exc:  # noqa: BLE001 — the page says why, the server goes on
                    log.warning("explorer: %s", exc)
                    self._send(500, f"the explorer could not be written: {exc}\n".encode(), "text/plain; charset=utf-8")
                    return
                if body is None:
                    self._send(404, b"the explorer needs the graph file: serve --graph FILE\n", "text/plain; charset=utf-8")
                else:
                    self._send(200, body, "text/html; charset=utf-8")
            else:
                self._send(404, b"not found\n", "text/plain; charset=utf-8")

        def do_POST(self) -> None:  # noqa: N802
            if self._refused():
                return
            path = urllib.parse.urlsplit(self.path).path
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if not 0 <= length <= MAX_BODY:
                self._json(413, {"error": f"a request body is at most {MAX_BODY} bytes"})
                return
            try:
                request = json.loads(self.rfile.read(length) or b"{}")
                if not isinstance(request, dict):
                    raise ValueError("not an object")
            except ValueError as exc:
                self._json(400, {"error": f"the request is not JSON: {exc}"})
                return
            try:
                if path == "/run":
                    params = request.get("params") or {}
                    if not isinstance(params, dict):
                        raise QueryError("params must be an object")
                    self._json(200, page.runner.run(str(request.get("name", "")), params))
                elif path == "/sparql":
                    self._json(200, page.runner.sparql(str(request.get("query", ""))))
                else:
                    self._json(404, {"error": "not found"})
            except QueryError as exc:
                self._json(200, {"error": str(exc)})
            except Exception as exc:  # noqa: BLE001 — one bad request must not stop the page
                log.exception("query page")
                self._json(500, {"error": f"{type(exc).__name__}: {exc}"})

    return Handler


PAGE = r"""<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>@@TITLE@@</title>
<style>
  body { margin: 0; font: 14px/1.45 system-ui, "Noto Sans CJK JP", "IPAGothic", sans-serif; color: #1d2733; }
  header { padding: 8px 16px; background: #1d3557; color: #fff; display: flex; gap: 16px; align-items: baseline; }
  header h1 { font-size: 17px; margin: 0; }
  header a { color: #cfe3ff; }
  #wrap { display: flex; min-height: calc(100vh - 42px); }
  nav { width: 300px; border-right: 1px solid #d7dde4; padding: 8px; overflow-y: auto; background: #f6f8fa; }
  nav h2 { font-size: 12px; text-transform: uppercase; color: #5b6b7b; margin: 12px 4px 4px; }
  nav button { display: block; width: 100%; text-align: left; border: 0; background: none; padding: 5px 8px;
               border-radius: 4px; cursor: pointer; font: inherit; }
  nav button:hover { background: #e3e9f0; }
  nav button[aria-selected="true"] { background: #1d3557; color: #fff; }
  nav button small { display: block; color: #6b7b8b; font-size: 11px; }
  nav button[aria-selected="true"] small { color: #cfe3ff; }
  main { flex: 1; padding: 12px 18px; min-width: 0; }
  #description { color: #3d4b59; max-width: 70em; }
  #params { display: flex; flex-wrap: wrap; gap: 8px 16px; margin: 8px 0; }
  #params label { display: flex; flex-direction: column; font-size: 12px; color: #3d4b59; }
  #params input { font: inherit; padding: 3px 6px; min-width: 16em; }
  textarea { width: 100%; box-sizing: border-box; min-height: 16em; font: 13px/1.4 ui-monospace, monospace; }
  #bar { display: flex; gap: 12px; align-items: center; margin: 6px 0; }
  #run { font: inherit; padding: 5px 18px; background: #2a9d8f; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
  #status { color: #5b6b7b; }
  #status.error { color: #b00020; }
  #hints { color: #8a5a00; }
  table { border-collapse: collapse; margin-top: 6px; font-size: 13px; }
  th, td { border: 1px solid #d7dde4; padding: 3px 6px; text-align: left; vertical-align: top; max-width: 40em; }
  th { background: #eef2f6; position: sticky; top: 0; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  pre { background: #f6f8fa; padding: 8px; overflow: auto; max-height: 60vh; }
  details { margin: 8px 0; }
</style>
</head>
<body>
<header><h1>@@TITLE@@</h1><span id="endpoint"></span><a id="explorer-link" href="/explorer" hidden>explorer</a></header>
<div id="wrap">
<nav id="tabs" role="tablist" aria-label="queries"></nav>
<main>
  <h2 id="title"></h2>
  <p id="description"></p>
  <div id="params"></div>
  <textarea id="editor" spellcheck="false" aria-label="SPARQL query"></textarea>
  <div id="bar"><button id="run" type="button">Run</button><span id="status"></span></div>
  <div id="hints"></div>
  <div id="results"></div>
  <details id="prefix-box"><summary>Predeclared prefixes (a query may use them without PREFIX lines)</summary><pre id="prefixes"></pre></details>
</main>
</div>
<datalist id="documents"></datalist>
<script type="application/json" id="page-data">@@DATA@@</script>
<script>
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("page-data").textContent);
  var specs = data.specs, current = null, inputs = {};
  function el(tag, text, attrs) {
    var n = document.createElement(tag);
    if (text !== undefined && text !== null) n.textContent = String(text);
    if (attrs) Object.keys(attrs).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    return n;
  }
  var prefixText = Object.keys(data.prefixes).map(function (p) { return "PREFIX " + p + ": <" + data.prefixes[p] + ">"; });
  document.getElementById("prefixes").textContent = prefixText.join("\n");
  document.getElementById("endpoint").textContent = data.endpoint ? "SPARQL endpoint: " + data.endpoint : "";
  if (data.explorer) document.getElementById("explorer-link").hidden = false;
  var list = document.getElementById("documents");
  data.documents.forEach(function (d) { list.appendChild(el("option", null, { value: d })); });

  function short(value) {  // an IRI under a known prefix, as prefix:local
    if (typeof value !== "string") return value;
    var best = null;
    Object.keys(data.prefixes).forEach(function (p) {
      var ns = data.prefixes[p];
      if (value.indexOf(ns) === 0 && value.length > ns.length && (!best || ns.length > data.prefixes[best].length)) best = p;
    });
    return best ? best + ":" + value.slice(data.prefixes[best].length) : value;
  }

  var nav = document.getElementById("tabs"), groups = { example: "Examples: the three tasks", library: "Query library" };
  var buttons = [];
  ["example", "library"].forEach(function (group) {
    nav.appendChild(el("h2", groups[group]));
    specs.forEach(function (spec, i) {
      if (spec.group !== group) return;
      var b = el("button", null, { type: "button", role: "tab", "data-name": spec.name, "aria-selected": "false" });
      b.appendChild(document.createTextNode(spec.title));
      b.appendChild(el("small", spec.group === "library" ? spec.name.split(":")[1] : spec.form));
      b.addEventListener("click", function () { select(i); });
      nav.appendChild(b);
      buttons.push([i, b]);
    });
  });
  var blank = el("button", null, { type: "button", role: "tab", "data-name": "blank", "aria-selected": "false" });
  blank.appendChild(document.createTextNode("Your own query"));
  blank.appendChild(el("small", "SELECT, ASK, CONSTRUCT, DESCRIBE"));
  blank.addEventListener("click", function () { select(-1); });
  nav.appendChild(el("h2", "Write"));
  nav.appendChild(blank);

  function select(i) {
    current = i >= 0 ? specs[i] : null;
    buttons.forEach(function (pair) { pair[1].setAttribute("aria-selected", String(pair[0] === i)); });
    blank.setAttribute("aria-selected", String(i < 0));
    document.getElementById("title").textContent = current ? current.title : "Your own query";
    document.getElementById("description").textContent = current ? current.description :
      "Any SPARQL query; the prefixes below are predeclared.";
    var box = document.getElementById("params");
    while (box.firstChild) box.removeChild(box.firstChild);
    inputs = {};
    (current ? current.params : []).forEach(function (p) {
      var label = el("label", p.name + " (" + p.kind + (p.required ? ", required" : ", optional") + ")");
      var input = el("input", null, { type: "text", name: p.name, placeholder: p.description || p.kind, title: p.description || "" });
      if (p.name === "document") input.setAttribute("list", "documents");
      input.value = p.value || "";
      label.appendChild(input);
      box.appendChild(label);
      inputs[p.name] = input;
    });
    document.getElementById("editor").value = current ? current.text : "SELECT ?project ?name\nWHERE { ?project a pkg:Project ; skos:prefLabel ?name }\nLIMIT 20\n";
    clear();
  }

  function clear() {
    var r = document.getElementById("results");
    while (r.firstChild) r.removeChild(r.firstChild);
    document.getElementById("hints").textContent = "";
    status("");
  }
  function status(text, error) {
    var s = document.getElementById("status");
    s.textContent = text;
    s.className = error ? "error" : "";
  }

  function show(answer) {
    clear();
    if (answer.error) { status(answer.error, true); return; }
    var r = document.getElementById("results");
    if (answer.hints && answer.hints.length) document.getElementById("hints").textContent = "hint: " + answer.hints.join("; ");
    if (answer.text !== undefined) {
      var lines = answer.text.split("\n").filter(function (l) { return l.trim() && l.charAt(0) !== "@"; }).length;
      status(lines + " line(s) of Turtle");
      r.appendChild(el("pre", answer.text, { id: "turtle" }));
      return;
    }
    if (answer.boolean !== undefined) { status("ASK: " + answer.boolean); r.appendChild(el("pre", String(answer.boolean))); return; }
    status(answer.rows.length + " row" + (answer.rows.length === 1 ? "" : "s"));
    var table = el("table", null, { id: "result-table" }), head = el("tr");
    answer.columns.forEach(function (c) { head.appendChild(el("th", c)); });
    table.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    answer.rows.slice(0, 5000).forEach(function (row) {
      var tr = el("tr");
      row.forEach(function (v, c) {
        var yen = typeof v === "number" && /_jpy$/.test(answer.columns[c]);
        var td = el("td", v === null ? "" : yen ? v.toLocaleString("ja-JP") : short(v));
        if (typeof v === "number") td.className = "num";
        if (typeof v === "string" && short(v) !== v) td.title = v;
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.appendChild(body);
    r.appendChild(table);
    if (answer.rows.length > 5000) r.appendChild(el("p", "(the first 5000 rows are shown)"));
  }

  function post(url, payload) {
    status("running…");
    document.body.setAttribute("data-busy", "true");
    return fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload) })
      .then(function (response) { return response.json(); })
      .then(show, function (err) { status(String(err), true); })
      .then(function () { document.body.setAttribute("data-busy", "false"); });
  }

  document.getElementById("run").addEventListener("click", function () {
    var text = document.getElementById("editor").value;
    if (current && text === current.text) {  // as shipped: run by name, the parameters bound by the server
      var params = {};
      Object.keys(inputs).forEach(function (k) { if (inputs[k].value.trim()) params[k] = inputs[k].value.trim(); });
      post("/run", { name: current.name, params: params });
    } else {
      post("/sparql", { query: text });
    }
  });
  select(0);
  document.body.setAttribute("data-ready", "true");
})();
</script>
</body>
</html>
"""
