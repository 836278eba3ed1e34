"""Hostile input: query parameters that try to inject, labels that carry markup, records and curation
files that try to reach other paths, and the server's defaults (local, read-only)."""

from __future__ import annotations

import csv
import dataclasses
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from policy_kg import visualize
from build_graph import build_parser, main
from policy_kg.extract.records import Organisation, to_json
from policy_kg.graph.builder import build_dataset
from policy_kg.graph.pipeline import build_documents
from policy_kg.graph.query import QueryError, list_queries, run_query, with_values
from tests.conftest import REPO, SAMPLES
from tests.records_fixture import town_sheet
from policy_kg.visualize.exports import read_network
from policy_kg.visualize.projection import VIEWS

SHEET = SAMPLES / "midorino_city_evaluation_sheet.txt"
PLAN = SAMPLES / "kitakaze_agency_business_plan.txt"

# --- query parameters --------------------------------------------------------------------------------

STRING_PAYLOADS = [
    '" } UNION { ?s ?p ?o } #',
    "midorino_city_evaluation_sheet.txt\" || true || \"",
    "') } ; DROP ALL ; #",
    "x\\\" . ?project ?p ?o . FILTER(true) #",
]
YEAR_PAYLOADS = ["2023 || true", "2023) } UNION { ?s ?p ?o", "2023 . ?s ?p ?o"]
IRI_PAYLOADS = ["http://ex.org/a> } UNION { ?s ?p ?o } #", "sdg:8.1> <x", "<http://a b>", "javascript:{alert(1)}",
                "http://evil.example/x"]


@pytest.fixture(scope="module")
def sample_graph():
    return build_documents([SHEET, PLAN], curate=False).dataset


def _queries_with(kind: str) -> list[tuple[str, str]]:
    found = [(q.name, p.name) for q in list_queries() for p in q.params if p.kind == kind]
    assert found, f"no library query has a {kind} parameter: the test would test nothing"
    return found


@pytest.mark.parametrize("query, param", _queries_with("string"), ids=lambda v: v)
def test_string_parameters_cannot_widen_a_query(sample_graph, query, param):
    for payload in STRING_PAYLOADS:
        rows = run_query(sample_graph, query, params={param: payload}).rows
        assert rows == [], (payload, rows[:2])


def test_document_parameter_still_filters(sample_graph):
    everything = run_query(sample_graph, "projects").as_text_rows()
    one = run_query(sample_graph, "projects", params={"document": SHEET.name}).as_text_rows()
    assert one and len(one) < len(everything)
    assert {r[0] for r in one} == {SHEET.name}


@pytest.mark.parametrize("query, param", _queries_with("year"), ids=lambda v: v)
def test_year_parameters_reject_anything_but_a_number(sample_graph, query, param):
    for payload in YEAR_PAYLOADS:
        with pytest.raises(QueryError, match="not a valid year"):
            run_query(sample_graph, query, params={param: payload})


@pytest.mark.parametrize("query, param", _queries_with("iri"), ids=lambda v: v)
def test_iri_parameters_reject_or_match_nothing(sample_graph, query, param):
    for payload in IRI_PAYLOADS:
        try:
            rows = run_query(sample_graph, query, params={param: payload}).rows
        except QueryError as exc:
            assert "is not an IRI" in str(exc)
            continue
        assert rows == [], (payload, rows[:2])
        assert ">" not in payload and " " not in payload


def test_values_block_for_remote_endpoints_binds_the_payload_as_one_literal():
    for payload in [*STRING_PAYLOADS, 'a"b\nc', "} } }"]:
        query = with_values("SELECT ?document WHERE { }", {"document": Literal(payload)})
        rows = list(Graph().query(query))
        assert [str(r[0]) for r in rows] == [payload]


def test_the_cli_refuses_a_bad_parameter_with_exit_5(sample_graph, tmp_path, capsys):
    graph_file = tmp_path / "g.trig"
    graph_file.write_bytes(sample_graph.serialize(format="trig").encode("utf-8"))
    code = main(["query", "budgets", "--graph", str(graph_file), "--param", "fiscal_year=2023 || true"])
    assert code == 5 and "not a valid year" in capsys.readouterr().err


# --- labels with markup in every view and export ------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
CLOSE = '</script><img src=x onerror="alert(2)">'
QUOTES = "\"'&amp;<b>"
MARKUP = (SCRIPT, CLOSE, QUOTES)


def hostile_record():
    r = town_sheet()
    r.publisher = QUOTES + "町"
    r.elements[3].name = CLOSE
    r.projects[0].name = SCRIPT
    r.projects[1].name = QUOTES
    r.projects[0].partners = [Organisation(CLOSE, "partner", r.projects[0].partners[0].span),
                              Organisation(SCRIPT + "協会", "partner", r.projects[0].partners[1].span)]
    stage = r.projects[0].logic_model[0]
    r.projects[0].logic_model[0] = dataclasses.replace(stage, statement=SCRIPT + "を交付する。")
    r.projects[1].sub_projects[0].indicators[0].name = CLOSE
    return r


@pytest.fixture(scope="module")
def hostile_graph():
    return build_dataset([hostile_record()])


class TagCollector(HTMLParser):
    """Every start tag of a page, as the browser's tokenizer sees it (script bodies are raw text)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


DATA_BLOCK = re.compile(r'<script type="application/json" id="graph-data">(.*?)</script>', re.S)


@pytest.mark.parametrize("view", VIEWS)
def test_markup_in_labels_is_text_in_every_html_view(hostile_graph, tmp_path, view):
    page = visualize.render_view(hostile_graph, view, out=tmp_path / f"{view}.html",
                                 title=SCRIPT).read_text(encoding="utf-8")
    parser = TagCollector()
    parser.feed(page)
    assert "img" not in parser.tags and "b" not in parser.tags
    assert parser.tags.count("script") == 3  # the page's own: vis-network, data, start-up code
    assert page.count("</script>") == 3 and "<!--" not in page
    for text in MARKUP:
        assert text not in page
    data = json.loads(DATA_BLOCK.search(page).group(1))
    texts = [n["title"] for n in data["nodes"]]
    shown = [m for m in MARKUP if any(m in t for t in texts)]
    assert shown, f"no hostile label reached the {view} view: the test would test nothing"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the title, escaped


EXPORTS = ("graphml", "gexf", "json", "csv")


def _labels(g) -> set[str]:
    return {str(d.get("label", "")) for _, d in g.nodes(data=True)}


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("fmt", EXPORTS)
def test_markup_in_labels_survives_every_export_as_data(hostile_graph, tmp_path, fmt, view):
    out = tmp_path / ("csv" if fmt == "csv" else f"net.{fmt}")
    visualize.export(hostile_graph, fmt, out, view=view)
    projected = visualize.project(hostile_graph, view=view)
    hostile = {label for label in _labels(projected) if any(m in label for m in MARKUP)}
    assert hostile, f"no hostile label in the {view} view"
    if fmt in ("graphml", "gexf"):
        root = ET.parse(out).getroot()  # well-formed XML: markup was escaped, not injected
        assert not [el for el in root.iter() if el.tag.split("}")[-1] in ("script", "img", "b")]
    if fmt == "csv":
        with (out / "nodes.csv").open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert hostile <= {row["label"] for row in rows}
    assert hostile <= _labels(read_network(fmt, out))


def test_markup_in_query_csv_output_is_one_cell(hostile_graph, tmp_path, capsys):
    graph_file = tmp_path / "g.trig"
    graph_file.write_bytes(hostile_graph.serialize(format="trig").encode("utf-8"))
    assert main(["query", "projects", "--graph", str(graph_file), "--format", "csv"]) == 0
    rows = list(csv.reader(capsys.readouterr().out.splitlines()))
    header = rows[0]
    assert {SCRIPT, QUOTES} <= {r[header.index("project")] for r in rows[1:]}
    assert all(len(r) == len(header) for r in rows)


# --- serve: local and read-only by default ---------------------------------------------------------------


def test_serve_binds_localhost_and_is_read_only_by_default(tmp_path):
    from policy_kg.graph.stores import OxigraphServer

    args = build_parser().parse_args(["serve"])
    assert args.host == "127.0.0.1" and args.writable is False
    server = OxigraphServer(tmp_path / "store", port=7999)
    command = server.command()
    assert "serve-read-only" in command and "serve" not in command
    assert command[command.index("--bind") + 1] == "127.0.0.1:7999"
    writable = OxigraphServer(tmp_path / "store", port=7999, writable=True).command()
    assert "serve" in writable  # only when asked for


# --- files are read only from the paths given -----------------------------------------------------------

_AUDIT = r"""
import json, sys
opened = []
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes)):
        opened.append(args[0] if isinstance(args[0], str) else args[0].decode())
sys.addaudithook(hook)
sys.path.insert(0, sys.argv[1])
from policy_kg.graph.pipeline import build_documents
result = build_documents(sys.argv[2:])
json.dump({"opened": opened, "failures": [str(f) for f in result.failures],
           "records": [r.file_name for r in result.records]}, sys.stdout)
"""


def _opened_during_build(tmp_path: Path, *inputs: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", _AUDIT, str(REPO), *map(str, inputs)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_records_and_curation_files_cannot_make_the_build_read_another_path(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read", encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    record = town_sheet()
    record.file_name = str(secret)  # a records file claiming to come from another path
    record.projects[0].description = str(secret)
    records = folder / "town.records.json"
    records.write_text(json.dumps(to_json(record), ensure_ascii=False), encoding="utf-8")
    (folder / "town.curation.yaml").write_text(
        f"document: {secret}\nprojects:\n  m1-p1:\n    name: {secret}\n    add_partners: ['{secret}']\n",
        encoding="utf-8")
    (folder / "note.curation.yaml").write_text("a: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    (folder / "note.txt").write_text(SHEET.read_text(encoding="utf-8"), encoding="utf-8")
    report = _opened_during_build(tmp_path, records, folder / "note.txt")
    assert report["records"] == [str(secret)]  # the records file was built …
    assert any("note.curation.yaml" in f for f in report["failures"])  # … the unsafe YAML refused
    opened = {Path(p).resolve() for p in report["opened"]}
    assert secret.resolve() not in opened
    inside = {p for p in opened if tmp_path.resolve() in p.parents}
    assert inside == {records.resolve(), (folder / "town.curation.yaml").resolve(),
                      (folder / "note.txt").resolve(), (folder / "note.curation.yaml").resolve()}


@pytest.mark.parametrize("field, value", [
    ("doc_id", "../../outside"),
    ("doc_id", 'x> <http://evil.example/s> <http://evil.example/p> "o" .'),
    ("sdg", "8.1> <http://evil.example/p> <http://evil.example/o"),
    ("category", "total> <http://evil.example/p"),
])
def test_a_records_file_cannot_inject_iris_or_paths(tmp_path, capsys, field, value):
    record = town_sheet()
    if field == "doc_id":
        record.doc_id = value
    elif field == "sdg":
        record.projects[0].sdg_targets = [value]
    else:
        amount = record.projects[0].amounts[0]
        record.projects[0].amounts[0] = dataclasses.replace(amount, category=value)
    evil = tmp_path / "evil.records.json"
    evil.write_text(json.dumps(to_json(record), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "deep" / "records"
    code = main(["extract", str(evil), "--records", str(out)])
    err = capsys.readouterr().err
    assert code == 3 and err.startswith("error: evil.records.json: not a policy-kg records file")
    assert "Traceback" not in err and err.count("\n") == 1
    assert not list(tmp_path.rglob("outside*")) and not out.exists()
    result = build_documents([evil, SHEET], curate=False)
    assert [f.file for f in result.failures] == ["evil.records.json"] and len(result.records) == 1
    assert not any("evil.example" in str(term) for quad in result.dataset.quads() for term in quad[:3])


def test_a_legitimate_records_file_still_builds(tmp_path):
    path = tmp_path / "ok.records.json"
    path.write_text(json.dumps(to_json(town_sheet()), ensure_ascii=False), encoding="utf-8")
    result = build_documents([path])
    assert not result.failures and result.records[0].doc_id == "town-sheet"
    assert (URIRef("https://w3id.org/policy-kg/id/doc/town-sheet"), None, None) in result.dataset


def test_csv_cells_cannot_become_spreadsheet_formulas(tmp_path):
    from policy_kg.graph.io import from_spreadsheet_safe, spreadsheet_safe

    for hostile in ("=HYPERLINK(\"http://x\")", "+1+1", "@SUM(A1)", "-2+3", "\tcmd"):
        safe = spreadsheet_safe(hostile)
        assert safe.startswith("'") and from_spreadsheet_safe(safe) == hostile
    assert spreadsheet_safe("-5") == "-5" and spreadsheet_safe("12.5") == "12.5" and spreadsheet_safe(7) == 7
