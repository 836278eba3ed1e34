"""The explorer page: its data (through the facts module and the query library), its escaping, the
CLI, and a real headless Chromium driven over the DevTools protocol (typing, clicking, reading).

The browser is driven with ``--remote-debugging-pipe`` (JSON messages on file descriptors 3 and 4),
so nothing beyond the standard library is needed.
"""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
from pathlib import Path

import pytest
from policy_kg.visualize.explorer import explorer_data, render_explorer

import build_graph

FIXTURE = Path(__file__).parent / "data" / "visualize" / "fixture.trig"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
CHROMIUM = Path("/usr/bin/chromium")
DATA_BLOCK = re.compile(r'<script type="application/json" id="explorer-data">(.*?)</script>', re.S)
MARKUP = "<b>x</b>&\"'</script>"
ID = "https://w3id.org/policy-kg/id/"


@pytest.fixture(scope="module")
def fixture_page(tmp_path_factory) -> Path:
    return render_explorer(FIXTURE, tmp_path_factory.mktemp("explorer") / "site")


@pytest.fixture(scope="module")
def samples_dataset():
    from policy_kg.graph.pipeline import build_documents

    result = build_documents([SAMPLES])
    assert not result.failures
    return result.dataset


def embedded(page: Path) -> dict:
    return json.loads(DATA_BLOCK.search(page.read_text(encoding="utf-8")).group(1))


def test_explorer_is_one_offline_file_with_the_data_embedded(fixture_page):
    assert fixture_page.name == "index.html"
    page = fixture_page.read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert "<link" not in page.lower() and "@import" not in page
    assert "vis.Network" in page and len(page) > 400_000  # the views' vis-network build, inlined
    assert page.count("</script>") == 3  # vis-network, the data, the page's code
    assert "innerHTML" not in page  # every text is written with textContent


def test_labels_from_documents_are_never_markup(fixture_page):
    page = fixture_page.read_text(encoding="utf-8")
    assert "<b>x</b>" not in page and "<!--" not in page
    data = embedded(fixture_page)
    marked = [e for e in data["entities"] if e["iri"].endswith("/doc/A/project/m1-p1")]
    assert marked[0]["label"] == MARKUP  # the browser receives the text itself


def test_line_separators_cannot_break_the_data_block(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8").replace("伝統工芸後継者支援", "伝統\u2028工芸\u2029</script>")
    src = tmp_path / "sep.trig"
    src.write_text(text, encoding="utf-8")
    page = render_explorer(src, tmp_path / "sep.html").read_text(encoding="utf-8")
    assert "\u2028" not in page and "\u2029" not in page
    labels = {e["label"] for e in json.loads(DATA_BLOCK.search(page).group(1))["entities"]}
    assert "伝統\u2028工芸\u2029</script>" in labels


def test_explorer_data_of_the_fixture(fixture_page):
    data = embedded(fixture_page)
    types = {e["type"] for e in data["entities"]}
    assert {"sdg_goal", "sdg_target", "measure", "project", "department", "organisation", "document"} <= types
    by_iri = {e["iri"]: i for i, e in enumerate(data["entities"])}
    p = by_iri[ID + "doc/A/project/m1-p1"]
    assert data["budgets"][str(p)] == {"2023": 1_000_000, "2024": 1_200_000}
    links = [(data["entities"][link["target"]]["code"], link["source"]) for link in data["links"] if link["project"] == p]
    assert links == [("8.1", "stated")]
    inferred = [link for link in data["links"] if link["source"] == "inferred"]
    assert len(inferred) == 2 and all(link["score"] is not None for link in inferred)
    # documents are named by title, not by file name
    assert {d["title"] for d in data["documents"]} == {"テスト市 評価シート", "テスト財団 事業計画"}


def test_explorer_data_of_the_samples_has_indicators_and_reasons(samples_dataset):
    data = explorer_data(samples_dataset)
    # every inferred link carries the suggester's method, rank and reason (query sdg_suggestions)
    inferred = [link for link in data["links"] if link["source"] == "inferred"]
    assert inferred and all(link["method"] and link["rank"] and link["reason"] for link in inferred)
    # indicators with target and actual values (query indicators)
    roles = {v["role"] for ind in data["indicators"] for v in ind["values"]}
    assert {"target", "actual"} <= roles
    goals = [e for e in data["entities"] if e["type"] == "sdg_goal"]
    assert [e["code"] for e in goals] == [str(n) for n in range(1, 18)]  # all 17, in natural order
    assert any(e.get("en") for e in goals)  # searchable in English too
    parts = [e for e in data["entities"] if e["type"] == "part"]
    assert parts  # the plan's parts are entities of their own kind, not projects
    # an organisation's other printed spellings are searchable (query alt_labels)
    seiko = next(e for e in data["entities"] if e["label"] == "北風精工")
    assert "北風精工㈱" in seiko["alt"]


def test_cli_writes_the_explorer(tmp_path, capsys):
    out = tmp_path / "site"
    assert build_graph.main(["visualize", "explorer", "--graph", str(FIXTURE), "--out", str(out)]) == 0
    assert (out / "index.html").is_file()
    single = tmp_path / "explore.html"
    assert build_graph.main(["visualize", "explorer", "--graph", str(FIXTURE), "--out", str(single)]) == 0
    assert single.is_file()


# --- a real browser over the DevTools protocol ---------------------------------------------------

class Browser:
    """Headless Chromium driven over ``--remote-debugging-pipe``, with every network request recorded."""

    def __init__(self, tmp_path: Path, width: int = 1400, height: int = 1000, *, loopback: bool = False) -> None:
        cmd_read, self._cmd = os.pipe()
        self._res, res_write = os.pipe()
        # the child's ends move above 9 first, so "3<&… 4>&…" cannot overwrite one with the other
        # (bash, not dash, reads file descriptors above 9 in redirections)
        cmd_read, res_write = (self._high(fd) for fd in (cmd_read, res_write))
        args = [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--remote-debugging-pipe",
            f"--user-data-dir={tmp_path / 'cdp-profile'}", f"--window-size={width},{height}",
            # no network at all: every host resolves nowhere, and no proxy answers (``loopback``: but
            # 127.0.0.1, for a page served by a local server)
            "--host-resolver-rules=MAP * ~NOTFOUND" + (", EXCLUDE 127.0.0.1" if loopback else ""),
            "--proxy-server=127.0.0.1:9", "about:blank",
        ]
        self.proc = subprocess.Popen(
            ["/bin/bash", "-c", f'exec "$0" "$@" 3<&{cmd_read} 4>&{res_write}', str(CHROMIUM), *args],
            pass_fds=(cmd_read, res_write), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(cmd_read)
        os.close(res_write)
        self._buffer = b""
        self._next = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call("Page.enable", session=True)
        self.call("Network.enable", session=True)

    @staticmethod
    def _high(fd: int) -> int:
        import fcntl

        high = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
        os.close(fd)
        return high

    def _read(self, deadline: float = 60.0) -> dict:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._res], [], [], deadline)
            assert ready, "Chromium stopped answering"
            chunk = os.read(self._res, 1 << 16)
            assert chunk, "Chromium closed the pipe"
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, session: bool = False, **params) -> dict:
        self._next += 1
        message = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._cmd, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next:
                assert "error" not in reply, reply
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method: str) -> dict:
        for event in self.events:
            if event.get("method") == method:
                self.events.remove(event)
                return event
        while True:
            event = self._read()
            if event.get("method") == method:
                return event
            self.events.append(event)

    def js(self, expression: str):
        result = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True,
                           awaitPromise=True)
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    def wait_for(self, expression: str, tries: int = 200):
        """Evaluate ``expression`` until it is truthy (the page draws asynchronously)."""
        for _ in range(tries):
            value = self.js(f"new Promise(function (r) {{ setTimeout(function () {{ r({expression}); }}, 50); }})")
            if value:
                return value
        raise AssertionError(f"never true: {expression}")

    def open(self, url: str) -> None:
        self.call("Page.navigate", session=True, url=url)
        self.wait_event("Page.loadEventFired")

    def click(self, selector: str, element: str | None = None) -> None:
        """A real mouse click at the centre of ``selector`` (or of the element the JS ``element`` gives)."""
        target = element or f"document.querySelector({json.dumps(selector)})"
        box = self.js(f"(function () {{ var n = {target}; n.scrollIntoView({{ block: 'center' }});"
                      " var r = n.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()")
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", session=True, type=kind, x=box[0], y=box[1], button="left",
                      clickCount=1)

    def type(self, selector: str, text: str) -> None:
        self.click(selector)
        self.call("Input.insertText", session=True, text=text)

    def requests(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except AssertionError:
            pass
        self.proc.wait(timeout=30)


def open_browser(tmp_path: Path, **options) -> Browser:
    """A headless Chromium; a skip where it is not installed, a failure in CI (which must install it)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: CI must install the Debian package 'chromium'")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium) — browser checks not run")
    return Browser(tmp_path, **options)


@pytest.fixture
def browser(tmp_path):
    b = open_browser(tmp_path)
    yield b
    b.close()


def _detail(browser) -> dict:
    return browser.js("""(function () {
      function text(id) { var n = document.getElementById(id); return n ? n.textContent : null; }
      return { title: text("detail-title"), budget: text("budget"), sdg: text("sdg"), projects: text("projects"),
               indicators: text("indicators"), hash: location.hash,
               selected: document.body.getAttribute("data-selected") };
    })()""")


def test_search_select_and_read_a_project(browser, tmp_path, samples_dataset):
    page = render_explorer(samples_dataset, tmp_path / "site")
    browser.open(page.resolve().as_uri())
    browser.wait_for("document.body.getAttribute('data-ready') === 'true'")
    browser.type("#search", "水素・蓄電池関連産業")
    browser.wait_for("document.querySelectorAll('#results button').length > 0")
    first = browser.js("document.querySelector('#results button').textContent")
    assert first.startswith("水素・蓄電池関連産業参入促進事業")
    browser.click("#results button")
    browser.wait_for("document.getElementById('ego').getAttribute('data-overlaps') !== null")
    detail = _detail(browser)
    assert detail["title"] == "水素・蓄電池関連産業参入促進事業"
    # its budget by fiscal year (the plan's FY2024 line, with its parts) and its SDG links with reasons
    assert "FY2024" in detail["budget"] and "48,260,000 円" in detail["budget"]
    assert "inferred (推定)" in detail["sdg"] and "8.3" in detail["sdg"] and "水素" in detail["sdg"]
    assert detail["selected"].endswith("/project/I-1-1") and "id=" in detail["hash"]
    # the neighbourhood is drawn with no two boxes (shape and label) overlapping
    assert browser.js("document.getElementById('ego').getAttribute('data-overlaps')") == "0"
    assert int(browser.js("document.getElementById('ego').getAttribute('data-nodes')")) >= 5
    # nothing but the page itself was requested: it works offline
    assert all(url.startswith(("file:", "data:", "about:")) for url in browser.requests()), browser.requests()


def test_find_goal_8_and_read_its_projects_with_budgets(browser, tmp_path, samples_dataset):
    page = render_explorer(samples_dataset, tmp_path / "site")
    browser.open(page.resolve().as_uri())
    browser.wait_for("document.body.getAttribute('data-ready') === 'true'")
    browser.type("#search", "goal 8")
    browser.wait_for("document.querySelectorAll('#results button').length > 0")
    assert browser.js("document.querySelector('#results button').getAttribute('data-entity')") == \
        "http://metadata.un.org/sdg/8"
    browser.click("#results button")
    browser.wait_for("document.getElementById('projects') !== null")
    detail = _detail(browser)
    assert detail["title"].startswith("SDG 8")
    rows = browser.js("Array.prototype.map.call(document.querySelectorAll('#projects tr'), "
                      "function (r) { return Array.prototype.map.call(r.cells, function (c) { return c.textContent; }); })")
    stated = [r for r in rows[1:] if r[2] == "stated"]
    assert stated and all(r[1].startswith("8.") and r[4].endswith("円") for r in stated)
    # the stated filter, shared through the URL, keeps only stated links
    browser.js(f"location.hash = {json.dumps(detail['hash'] + '&src=stated')}")
    browser.wait_for("document.getElementById('f-src').value === 'stated' && document.getElementById('projects') !== null")
    rows = browser.js("Array.prototype.map.call(document.querySelectorAll('#projects tr'), "
                      "function (r) { return r.cells[2].textContent; })")
    assert rows[0] == "link" and set(rows[1:]) == {"stated"}
    assert browser.js("document.getElementById('f-src').value") == "stated"
    # depth 2 (goal → targets → projects): still no box on another
    browser.js("document.getElementById('ego').removeAttribute('data-overlaps')")
    browser.js("var s = document.getElementById('f-depth'); s.value = '2'; s.dispatchEvent(new Event('change'))")
    browser.wait_for("document.getElementById('ego').getAttribute('data-overlaps') !== null")
    assert "depth=2" in browser.js("location.hash")
    assert int(browser.js("document.getElementById('ego').getAttribute('data-nodes')")) > 12
    assert browser.js("document.getElementById('ego').getAttribute('data-overlaps')") == "0"


def test_fiscal_year_filter_marks_the_year_and_reads_its_budget(browser, tmp_path, samples_dataset):
    page = render_explorer(samples_dataset, tmp_path / "site")
    data = embedded(page)
    sheet = next(e for e in data["entities"] if e["label"] == "観光案内所運営事業")
    years = data["budgets"][str(data["entities"].index(sheet))]
    assert len(years) >= 2  # the sheet prints two fiscal years
    first = sorted(years)[0]
    browser.open(page.resolve().as_uri() + "#id=" + sheet["iri"] + "&fy=" + first)
    browser.wait_for("document.getElementById('budget') !== null")
    current = browser.js("document.querySelector('#budget tr.current').textContent")
    assert current.startswith("FY" + first) and f"{years[first]:,} 円" in current


def test_english_search_and_an_organisation(browser, tmp_path, samples_dataset):
    page = render_explorer(samples_dataset, tmp_path / "site")
    browser.open(page.resolve().as_uri())
    browser.wait_for("document.body.getAttribute('data-ready') === 'true'")
    browser.type("#search", "decent work")
    browser.wait_for("document.querySelectorAll('#results button').length > 0")
    assert browser.js("document.querySelector('#results button').getAttribute('data-entity')") == \
        "http://metadata.un.org/sdg/8"
    browser.call("Runtime.evaluate", session=True, expression="document.getElementById('search').value = ''")
    browser.type("#search", "工業技術センター")
    browser.wait_for("document.querySelectorAll('#results button').length > 0")
    organisation = ("Array.prototype.filter.call(document.querySelectorAll('#results button'), function (b) {"
                    " return b.querySelector('.kind').textContent.indexOf('organisation') === 0; })[0]")
    browser.click("", element=organisation)
    browser.wait_for("document.getElementById('projects') !== null")
    detail = _detail(browser)
    assert detail["title"].endswith("工業技術センター")
    assert "円" in detail["projects"] and "projects counted" in detail["projects"]


def test_document_and_goal_filters_narrow_the_search(browser, tmp_path, samples_dataset):
    page = render_explorer(samples_dataset, tmp_path / "site")
    data = embedded(page)
    sheet = next(i for i, d in enumerate(data["documents"]) if d["file"].startswith("midorino"))
    title = data["documents"][sheet]["title"]
    browser.open(page.resolve().as_uri() + f"#q=%E4%BA%8B%E6%A5%AD&doc={sheet}")  # q=事業
    browser.wait_for("document.querySelectorAll('#results button').length > 0")
    kinds = browser.js("Array.prototype.map.call(document.querySelectorAll('#results button .kind'),"
                       " function (k) { return k.textContent; })")
    documents = [k.split(" · ", 1)[1] for k in kinds if " · " in k]
    assert documents and set(documents) == {title}
    # goal 11 (stated links only): every project found serves goal 11
    browser.js("location.hash = '#q=%E4%BA%8B%E6%A5%AD&goal=11&src=stated'")
    browser.wait_for("document.getElementById('f-goal').value === '11'")
    found = browser.js("Array.prototype.map.call(document.querySelectorAll('#results button'),"
                       " function (b) { return b.getAttribute('data-entity'); })")
    by_iri = {e["iri"]: i for i, e in enumerate(data["entities"])}
    projects = [iri for iri in found if data["entities"][by_iri[iri]]["type"] == "project"]
    assert projects
    for iri in projects:
        codes = {data["entities"][link["target"]]["code"] for link in data["links"]
                 if link["project"] == by_iri[iri] and link["source"] == "stated"}
        assert any(code.split(".")[0] == "11" for code in codes), iri


def test_an_organisation_is_found_by_another_spelling(browser, tmp_path, samples_dataset):
    page = render_explorer(samples_dataset, tmp_path / "site")
    browser.open(page.resolve().as_uri())
    browser.wait_for("document.body.getAttribute('data-ready') === 'true'")
    browser.type("#search", "北風精工㈱")  # printed so in a document; the entity's name is 北風精工
    browser.wait_for("document.querySelectorAll('#results button').length > 0")
    browser.click("#results button")
    browser.wait_for("document.getElementById('projects') !== null")
    assert _detail(browser)["title"] == "北風精工"
