"""The query page of ``serve`` (issue 16): every library query and the three task examples as tabs,
prefixes predeclared, parameters bound by the server, no network but loopback; checked in Chromium."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from policy_kg.graph.query import list_queries
from policy_kg.graph.query_page import list_examples, page_html, page_specs, query_form

from tests.conftest import REPO, stop_server
from tests.test_visualize_explorer import open_browser

SHEET = "midorino_city_evaluation_sheet.txt"


def test_the_page_offers_every_library_query_and_three_examples():
    specs = page_specs({"document": SHEET, "fiscal_year": "2023"})
    library = [s for s in specs if s["group"] == "library"]
    assert [s["title"] for s in library] == [q.title for q in list_queries()]
    assert all(s["description"] for s in library)
    examples = {s["name"]: s for s in specs if s["group"] == "example"}
    assert set(examples) == {"example:researcher_indicators", "example:planner_sdg_budgets",
                             "example:export_document_graph"}
    assert examples["example:export_document_graph"]["form"] == "CONSTRUCT"
    assert examples["example:researcher_indicators"]["params"][0]["value"] == SHEET  # opens ready to run
    assert len(list_examples()) == 3 and query_form("PREFIX a: <x:>\n# c\nASK {}") == "ASK"


def test_page_data_cannot_break_out_of_its_script_block():
    specs = [{"name": "library:x", "group": "library", "title": "</script><b>x</b>", "description": "&\u2028",
              "params": [], "text": "SELECT * WHERE { ?s ?p ?o }", "form": "SELECT", "columns": []}]
    page = page_html(specs, documents=["<img src=x onerror=alert(1)>"])
    assert "<b>x</b>" not in page and "<img" not in page and "\u2028" not in page
    assert page.count("</script>") == 2  # the data block and the page's code
    assert "innerHTML" not in page and not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """``policy-kg serve`` on the samples; yields (page URL, endpoint URL)."""
    folder = tmp_path_factory.mktemp("page")
    build = subprocess.run([sys.executable, str(REPO / "build_graph.py"), "build", "--out", str(folder), "--quiet"],
                           capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    log = folder / "serve.out"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, str(REPO / "build_graph.py"), "serve", "--graph",
                                 str(folder / "graph.trig"), "--port", "0"], stdout=out, stderr=subprocess.STDOUT,
                                cwd=folder, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        deadline = time.monotonic() + 120
        while "Press Ctrl-C to stop." not in log.read_text(encoding="utf-8", errors="replace"):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"serve did not start: {log.read_text(encoding='utf-8', errors='replace')}")
            time.sleep(0.1)
        banner = log.read_text(encoding="utf-8")
        page = re.search(r"query page:\s+(\S+)", banner).group(1)
        endpoint = re.search(r"SPARQL endpoint:\s+(\S+)", banner).group(1)
        yield page, endpoint
    finally:
        stop_server(proc)


def _post(url: str, payload: dict) -> dict:
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def test_served_page_runs_library_queries_with_bound_parameters(served):
    page, endpoint = served
    assert page.startswith("http://127.0.0.1:") and page != endpoint.removesuffix("query")
    answer = _post(page + "run", {"name": "library:budgets", "params": {"fiscal_year": "令和5", "document": SHEET}})
    assert answer["rows"] and {row[1] for row in answer["rows"]} == {2023}
    assert all(type(row[3]) is int for row in answer["rows"])  # yen as numbers
    hostile = _post(page + "run", {"name": "library:projects", "params": {"document": 'x" } ?s ?p ?o { "'}})
    assert "no document" in hostile["error"]  # bound, not pasted: it is just a name the graph lacks
    own = _post(page + "sparql", {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?p a pkg:Project }"})  # no PREFIX
    assert own["columns"] == ["n"] and own["rows"][0][0] > 10
    hint = _post(page + "sparql", {"query": "SELECT ?v WHERE { ?x pkg:valu ?v }"})
    assert hint["rows"] == [] and "did you mean pkg:value" in hint["hints"][0]
    graph = _post(page + "run", {"name": "example:export_document_graph", "params": {"document": SHEET}})
    assert "https://w3id.org/policy-kg/ontology#fileName" in graph["text"]
    assert "error" in _post(page + "run", {"name": "../../etc/passwd", "params": {}})


def test_served_page_refuses_other_hosts_and_serves_the_explorer(served):
    page, _ = served
    request = urllib.request.Request(page, headers={"Host": "attacker.example"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 403
    with urllib.request.urlopen(page + "explorer", timeout=120) as response:
        assert b'id="explorer-data"' in response.read()


@pytest.fixture
def browser(tmp_path):
    b = open_browser(tmp_path, loopback=True)  # the page's own server only: any other host resolves nowhere
    yield b
    b.close()


def test_the_served_page_in_chromium_lists_the_library_and_runs_a_query(served, browser):
    page, _ = served
    browser.open(page)
    browser.wait_for("document.body.getAttribute('data-ready') === 'true'")
    tabs = browser.js("Array.from(document.querySelectorAll('nav button')).map(function (b) {"
                      " return [b.getAttribute('data-name'), b.firstChild.textContent]; })")
    names = {name for name, _ in tabs}
    assert {f"library:{q.name}" for q in list_queries()} <= names
    assert {"example:researcher_indicators", "example:planner_sdg_budgets", "example:export_document_graph"} <= names
    assert {q.title for q in list_queries()} <= {title for _, title in tabs}
    assert "PREFIX pkg: <https://w3id.org/policy-kg/ontology#>" in browser.js(
        "document.getElementById('prefixes').textContent")

    # the researcher's example opens with a document filled in: run it
    browser.click('nav button[data-name="example:researcher_indicators"]')
    assert browser.js("document.querySelector('#params input[name=document]').value") in (
        SHEET, "kitakaze_agency_business_plan.txt")
    browser.click("#run")
    browser.wait_for("document.querySelectorAll('#result-table tbody tr').length > 0")
    headers = browser.js("Array.from(document.querySelectorAll('#result-table th')).map(function (t) { return t.textContent; })")
    assert headers[:4] == ["indicator", "owner", "unit", "role"]

    # a library query with a parameter typed in (an era year), run by name
    browser.click('nav button[data-name="library:budgets"]')
    assert "Budget lines" in browser.js("document.getElementById('description').textContent")
    browser.type("#params input[name=fiscal_year]", "R5")
    browser.click("#run")
    browser.wait_for("document.querySelectorAll('#result-table tbody tr').length > 0")
    years = browser.js("Array.from(document.querySelectorAll('#result-table tbody tr td:nth-child(2)'))"
                       ".map(function (t) { return t.textContent; })")
    assert set(years) == {"2023"}
    status = browser.js("document.getElementById('status').textContent")
    assert re.fullmatch(r"\d+ rows?", status), status

    # the export example gives Turtle
    browser.click('nav button[data-name="example:export_document_graph"]')
    browser.click("#run")
    browser.wait_for("document.getElementById('turtle') !== null")
    # nothing but the page's own server was asked
    assert all(url.startswith(page) or url.startswith("data:") or url == "about:blank" for url in browser.requests()), \
        browser.requests()
