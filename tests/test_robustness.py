"""Broken inputs: re-encoded documents, the bad-input corpus, cut and edited layouts, batches, atomic writes.

Every outcome is either a correct partial graph whose report lists each gap with its line, or a
one-line error naming the file with the documented exit code — never a traceback (unless --debug).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tracemalloc
import unicodedata
from pathlib import Path

import pytest
import yaml

import policy_kg.extract.source as source_module
from build_graph import main
from policy_kg.extract.detect import extract
from policy_kg.extract.records import DocumentRecord
from policy_kg.extract.source import MAX_BYTES, ExtractionError, SourceText, UnreadableDocument, read_source
from policy_kg.graph.io import RdfFormat, serialize
from policy_kg.graph.pipeline import EXIT_DROPPED, EXIT_FAILED_DOCUMENT, EXIT_OK, build_documents
from tests.conftest import REPO, SAMPLES, SEED_PLAN, SEED_SHEET

SHEET = SAMPLES / "midorino_city_evaluation_sheet.txt"
PLAN = SAMPLES / "kitakaze_agency_business_plan.txt"
BAD = Path(__file__).parent / "data" / "bad_inputs"
CASES = yaml.safe_load((BAD / "cases.yaml").read_text(encoding="utf-8"))["cases"]

ENCODINGS = {
    "cp932": (lambda t: t.encode("cp932"), "cp932"),
    "utf-16-bom": (lambda t: t.encode("utf-16"), "utf-16"),
    "utf-8-bom": (lambda t: t.encode("utf-8-sig"), "utf-8-sig"),
    "crlf": (lambda t: t.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
    "cr": (lambda t: t.replace("\n", "\r").encode("utf-8"), "utf-8"),
}


# --- helpers -------------------------------------------------------------------------------------


def nquads(paths: list[Path]) -> bytes:
    """The sorted N-Quads of a build of ``paths`` (curation files ignored: only the text counts)."""
    result = build_documents(paths, curate=False)
    assert not result.failures, result.failures
    return serialize(result.dataset, RdfFormat.NQUADS)


def parse_text(text: str, name: str = "cut.txt") -> DocumentRecord:
    return extract(SourceText.from_text(text, name))


def amounts_by_owner(r: DocumentRecord, *, with_year: bool = True) -> dict[str, set[tuple]]:
    """``owner key -> {(category, fiscal year, yen, line)}`` over projects and sub-projects."""
    out: dict[str, set[tuple]] = {}
    for p in r.projects:
        for owner in [p, *p.sub_projects]:
            out[owner.key] = {(a.category, a.fiscal_year if with_year else None, a.jpy, a.span.start)
                              for a in owner.amounts}
    return out


def flagged_lines(r: DocumentRecord) -> set[int]:
    """Lines covered by an issue that says something was placed with doubt, dropped or failed."""
    return {n for i in r.issues if i.severity in ("uncertain", "dropped", "error") and i.span
            for n in range(i.span.start, i.span.end + 1)}


def cut_points(lines: list[str], pattern: str) -> list[int]:
    """0-based indexes of the lines matching ``pattern``: where a document is cut."""
    found = [i for i, line in enumerate(lines) if re.search(pattern, line)]
    assert found, f"no line matches {pattern!r}: the sample changed and the test would test nothing"
    return found


def run_cli(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "build_graph.py"), *argv], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


# --- 1. encodings ----------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
@pytest.mark.parametrize("document", [SHEET, PLAN], ids=["sample-sheet", "sample-plan"])
def test_reencoded_sample_builds_the_same_graph(tmp_path, document, encoding):
    encode, detected = ENCODINGS[encoding]
    copy = tmp_path / document.name  # same name: same doc id, so the graphs must be equal
    copy.write_bytes(encode(document.read_text(encoding="utf-8")))
    assert copy.read_bytes() != document.read_bytes()
    assert read_source(copy).encoding == detected
    assert nquads([copy]) == nquads([document])


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
@pytest.mark.parametrize("seed", [SEED_SHEET, SEED_PLAN], ids=["seed-sheet", "seed-plan"])
def test_reencoded_seed_builds_the_same_graph(tmp_path, seed_path, seed, encoding):
    document = seed_path(seed)
    encode, detected = ENCODINGS[encoding]
    copy = tmp_path / document.name
    copy.write_bytes(encode(document.read_text(encoding="utf-8")))
    assert read_source(copy).encoding == detected
    assert nquads([copy]) == nquads([document])


_FULL_WIDTH = str.maketrans("0123456789,", "０１２３４５６７８９，")
_FIGURE_LINE = re.compile(r"千円|^\s*(事業費|所要一般財源|概算人件費)\s")


def _money_facts(r: DocumentRecord) -> set[tuple]:
    return {(owner, *fact[:3]) for owner, facts in amounts_by_owner(r).items() for fact in facts}


def _printed(r: DocumentRecord) -> set[str]:
    return {a.printed for p in r.projects for o in [p, *p.sub_projects] for a in o.amounts}


def _assert_width_blind(text: str) -> None:
    lines = text.split("\n")
    wide = [line.translate(_FULL_WIDTH) if _FIGURE_LINE.search(line) else line for line in lines]
    narrow = [unicodedata.normalize("NFKC", line) if _FIGURE_LINE.search(line) else line for line in lines]
    assert wide != narrow, "no figure line found to rewrite"
    a, b = parse_text("\n".join(wide)), parse_text("\n".join(narrow))
    assert _money_facts(a), "no amounts extracted: the comparison would be empty"
    assert _money_facts(a) == _money_facts(b)
    assert _printed(a) != _printed(b)  # the printed figures really differ in width


@pytest.mark.parametrize("document", [SHEET, PLAN], ids=["sample-sheet", "sample-plan"])
def test_full_and_half_width_figures_give_the_same_amounts(document):
    _assert_width_blind(document.read_text(encoding="utf-8"))


@pytest.mark.parametrize("seed", [SEED_SHEET, SEED_PLAN], ids=["seed-sheet", "seed-plan"])
def test_full_and_half_width_figures_give_the_same_amounts_in_seeds(seed_path, seed):
    _assert_width_blind(seed_path(seed).read_text(encoding="utf-8"))


# --- 2. the bad-input corpus ------------------------------------------------------------------------


def test_every_corpus_file_has_a_case():
    listed = {c["file"] for c in CASES}
    on_disk = {p.name for p in BAD.glob("*.txt")}
    assert on_disk and listed == on_disk


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_corpus_case(case):
    path = BAD / case["file"]
    if "error" in case:
        with pytest.raises(ExtractionError) as info:
            extract(read_source(path))
        exc = info.value
        assert type(exc).__name__ == case["error"]
        assert exc.exit_code == EXIT_FAILED_DOCUMENT
        assert case["message"] in exc.message
        assert exc.line == case.get("line")
        text = str(exc)
        assert "\n" not in text and text.startswith(path.name), text
        return
    report = build_documents([path]).report()["documents"][0]["issues"]
    for severity, fragment, line in case["partial"]:
        assert any(i["severity"] == severity and fragment in i["message"] and i["line_start"] == line
                   for i in report), (severity, fragment, line, report)


_SHEET_CUTS = r"^[１-９]\u3000|^施策[１-９]|^事業名|^\d+$"
_PLAN_CUTS = r"^\s*[ⅠⅡⅢⅣⅤ] |^\s*[（(]\d[）)]|^\s*◆|^\s*指\s*標|^\s*[①-⑳]"


def _cut_cases(path: Path, pattern: str) -> list[tuple[Path, int]]:
    return [(path, i) for i in cut_points(path.read_text(encoding="utf-8").split("\n"), pattern)]


@pytest.mark.parametrize(
    "document, cut",
    _cut_cases(SHEET, _SHEET_CUTS) + _cut_cases(PLAN, _PLAN_CUTS),
    ids=lambda v: v.stem[:8] if isinstance(v, Path) else f"L{v + 1}",
)
def test_document_cut_before_a_section_is_a_correct_partial_graph_or_a_clear_error(document, cut):
    lines = document.read_text(encoding="utf-8").split("\n")
    full = parse_text("\n".join(lines))
    try:
        part = parse_text("\n".join(lines[:cut]))
    except ExtractionError as exc:
        # too little left to recognise: one line naming the file, and the layout expected
        assert str(exc).startswith("cut.txt") and "\n" not in str(exc) and exc.exit_code == 3
        return
    if part.layout == "engine":
        # too little left for the profile: the engine reads what is there. Its keys are its own, so
        # the invariant is by content: every project it names is a project (or a related project)
        # of the full document, every amount a figure of the full document on the same line.
        names = {p.name for p in full.projects} | {rp.name for rp in full.related_projects}
        assert {p.name for p in part.projects} <= names, "a cut document invented a project"
        figures = {(a.jpy, a.span.start) for p in full.projects for o in [p, *p.sub_projects] for a in o.amounts}
        got = {(a.jpy, a.span.start) for p in part.projects for a in p.amounts} | {
            (a.jpy, a.span.start) for a in part.amounts}
        assert got <= figures, "a cut document invented an amount"
        return
    full_amounts, part_amounts = amounts_by_owner(full), amounts_by_owner(part)
    assert set(part_amounts) <= set(full_amounts), "a cut document invented a project"
    year_issue = any(i.severity == "uncertain" and "no fiscal year" in i.message for i in part.issues)
    full_owner = {(c, j, n): owner for owner, facts in full_amounts.items() for c, _, j, n in facts}
    full_year = {(c, j, n): y for facts in full_amounts.values() for c, y, j, n in facts}
    flagged = flagged_lines(part)
    for owner, facts in part_amounts.items():
        for category, year, jpy, line in facts - full_amounts[owner]:
            where = (category, jpy, line)
            if year != full_year.get(where):
                # a cut plan may lose the line that prints its year: then the report must say so
                assert year is None and year_issue, (owner, where, year)
            if full_owner.get(where) == owner or line in flagged:
                continue
            assert where in full_owner, f"{owner}: amount {where} is not in the full document"
            # with a sub-project's heading cut off, its amount can only go to the project itself
            assert full_owner[where].startswith(owner + "-"), (owner, where, full_owner[where])
    issue_items = {i.item for i in part.issues if i.item}
    for project in part.projects:
        if full_amounts.get(project.key) and not part_amounts.get(project.key) and document == SHEET:
            assert project.key in issue_items, f"{project.key} lost its amounts silently"
    for issue in part.issues:
        if issue.span is not None:
            assert 1 <= issue.span.start <= issue.span.end <= cut, issue
        if issue.severity == "dropped":
            assert issue.span is not None, issue


def test_sheet_cut_inside_its_project_table_reports_the_empty_table():
    lines = SHEET.read_text(encoding="utf-8").split("\n")
    table = cut_points(lines, r"^[１-９]\u3000事務事業一覧")[0]
    first_heading = next(i for i in range(table + 1, len(lines)) if lines[i].startswith("施策"))
    part = parse_text("\n".join(lines[:first_heading]))
    assert not part.projects
    assert any("lists no projects" in i.message and i.span.start == table + 1 for i in part.issues)


def test_plan_cut_before_its_budget_summary_reports_the_missing_fiscal_year():
    lines = PLAN.read_text(encoding="utf-8").split("\n")
    first_year = next(i for i, line in enumerate(lines) if re.search(r"令和\s*[０-９\d]+\s*年度", line))
    part = parse_text("\n".join(lines[:first_year]))
    assert part.fiscal_year is None and part.projects
    assert any(i.severity == "uncertain" and "no fiscal year" in i.message and i.span.start == 1
               for i in part.issues)


def _budget_rows(lines: list[str]) -> list[int]:
    return cut_points(lines, r"^(事業費|所要一般財源|概算人件費)\s")


def test_detail_sheet_without_its_budget_table_names_the_project_and_lines():
    lines = SHEET.read_text(encoding="utf-8").split("\n")
    full = parse_text("\n".join(lines))
    rows = _budget_rows(lines)[3:6]  # the second block's three rows
    assert [lines[i].split()[0] for i in rows] == ["事業費", "所要一般財源", "概算人件費"]
    owner = next(p for p in full.projects if any(a.span.start == rows[0] + 1 for a in p.amounts))
    part = parse_text("\n".join(line for i, line in enumerate(lines) if i not in rows))
    assert not part.project(owner.key).amounts
    missing = [i for i in part.issues if i.item == owner.key and "no total row" in i.message]
    assert missing and missing[0].severity == "uncertain" and missing[0].span is not None
    assert {p.key for p in part.projects} == {p.key for p in full.projects}
    others = {k: v for k, v in amounts_by_owner(full).items() if k != owner.key}
    # the neighbours keep their figures (lines after the deleted rows shift up by three)
    shifted = {k: {(c, y, j, n - 3 if n > rows[-1] else n) for c, y, j, n in v} for k, v in others.items()}
    assert {k: v for k, v in amounts_by_owner(part).items() if k != owner.key} == shifted


def _table_rows(lines: list[str]) -> list[int]:
    return cut_points(lines, r"^\d+ .*課$")


def test_duplicate_project_number_in_the_table_is_reported_at_its_line():
    lines = SHEET.read_text(encoding="utf-8").split("\n")
    row = _table_rows(lines)[2]
    number = lines[row].split()[0]
    dup = f"{number} 8.9 重複した番号の事業 継続 産業観光部観光振興課"
    edited = lines[: row + 1] + ["", dup] + lines[row + 1:]
    part = parse_text("\n".join(edited))
    hits = [i for i in part.issues if "twice" in i.message]
    assert hits and hits[0].span.start == row + 3, hits  # the duplicate is printed on line row+3
    key = hits[0].item
    project = part.project(key)
    # neither name is lost: one is the name, the other is reported as differing
    assert project.name == "重複した番号の事業"
    assert any(i.item == key and "name differs" in i.message for i in part.issues)
    assert len(part.projects) == len(parse_text("\n".join(lines)).projects)


def test_contradictory_direction_between_table_and_detail_sheet_is_reported():
    lines = SHEET.read_text(encoding="utf-8").split("\n")
    row = next(i for i in _table_rows(lines) if " 継続 " in lines[i])
    edited = list(lines)
    edited[row] = lines[row].replace(" 継続 ", " 廃止 ")
    part = parse_text("\n".join(edited))
    hits = [i for i in part.issues if "次年度方針 differs" in i.message]
    assert len(hits) == 1 and "廃止" in hits[0].message and "継続" in hits[0].message
    assert hits[0].severity == "uncertain" and hits[0].span is not None
    assert part.project(hits[0].item).direction == "廃止"


def test_unparsed_line_in_a_detail_sheet_is_dropped_with_its_line_and_exit_4(tmp_path):
    lines = SHEET.read_text(encoding="utf-8").split("\n")
    at = _budget_rows(lines)[-3]
    edited = lines[:at] + ["＃＃＃"] + lines[at:]
    doc = tmp_path / SHEET.name
    doc.write_text("\n".join(edited), encoding="utf-8")
    result = build_documents([doc])
    assert result.exit_code == EXIT_DROPPED
    dropped = [i for i in result.report()["documents"][0]["issues"] if i["severity"] == "dropped"]
    assert [(d["line_start"], "＃＃＃" in d["message"]) for d in dropped] == [(at + 1, True)]
    out = tmp_path / "out"
    assert main(["build", str(doc), "--out", str(out), "--quiet"]) == EXIT_DROPPED
    assert f"{SHEET.name}:{at + 1}" in (out / "report.txt").read_text(encoding="utf-8")


def test_a_100_mb_file_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "huge.txt"
    chunk = SHEET.read_bytes()
    with big.open("wb") as fh:
        for _ in range(100 * 1024 * 1024 // len(chunk) + 1):
            fh.write(chunk)
    assert big.stat().st_size > 100 * 1024 * 1024 > MAX_BYTES
    tracemalloc.start()
    try:
        with pytest.raises(UnreadableDocument) as info:
            read_source(big)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1024 * 1024  # not read into memory (the proof, rather than how long it took)
    assert str(info.value).startswith("huge.txt: file is") and str(MAX_BYTES) in str(info.value)
    result = build_documents([big, SHEET], curate=False)
    assert [f.file for f in result.failures] == ["huge.txt"] and len(result.records) == 1


def test_size_limit_is_checked_against_the_file_size_at_read_time(tmp_path, monkeypatch):
    doc = tmp_path / "small.txt"
    doc.write_bytes(SHEET.read_bytes())
    monkeypatch.setattr(source_module, "MAX_BYTES", 1024)
    with pytest.raises(UnreadableDocument, match="limit is 1024"):
        read_source(doc)


# --- 3. nothing lost -------------------------------------------------------------------------------


def test_failed_documents_never_stop_the_others_and_are_reported_with_lines():
    bad = [BAD / c["file"] for c in CASES if "error" in c]
    result = build_documents([*bad[:3], SHEET, *bad[3:], PLAN], curate=False)
    assert sorted(r.file_name for r in result.records) == sorted([SHEET.name, PLAN.name])
    assert result.exit_code == EXIT_FAILED_DOCUMENT
    failures = result.report()["failures"]
    assert [f["file"] for f in failures] == [p.name for p in bad]
    for case, failure in zip([c for c in CASES if "error" in c], failures):
        assert case["message"] in failure["message"] and failure["line"] == case.get("line")
    assert result.report()["totals"]["failed"] == len(bad)


def test_parser_step_that_crashes_becomes_an_error_issue_and_exit_4(monkeypatch):
    import policy_kg.extract.evaluation_sheet as sheet

    def boom(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(sheet, "_parse_related", boom)
    result = build_documents([SHEET], curate=False)
    errors = [i for i in result.report()["documents"][0]["issues"] if i["severity"] == "error"]
    assert len(errors) == 1 and "step_related" in errors[0]["message"] and "simulated bug" in errors[0]["message"]
    assert result.records[0].projects  # the other steps still ran
    assert result.exit_code == EXIT_DROPPED
    assert result.report()["totals"]["errors"] == 1


def test_clean_samples_exit_0_and_every_doubtful_item_has_a_line():
    result = build_documents([SHEET, PLAN], curate=False)
    assert result.exit_code == EXIT_OK
    issues = [i for d in result.report()["documents"] for i in d["issues"]]
    doubtful = [i for i in issues if i["severity"] in ("uncertain", "dropped")]
    assert doubtful and all(isinstance(i["line_start"], int) and i["line_start"] >= 1 for i in doubtful)


def _build_once(out: Path) -> None:
    assert main(["build", str(SHEET), "--out", str(out), "--quiet", "--no-curation"]) == EXIT_OK


@pytest.mark.parametrize("interrupt", [RuntimeError("disk on fire"), KeyboardInterrupt()],
                         ids=["exception", "ctrl-c"])
def test_interrupted_serialisation_leaves_the_previous_graph_intact(tmp_path, monkeypatch, interrupt):
    import pyoxigraph
    from rdflib.plugins.serializers.trig import TrigSerializer

    out = tmp_path / "out"
    _build_once(out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def fail_midway(self, stream, *args, **kwargs):
        stream.write(b"@prefix pkg: <https://w3id.org/policy-kg/ontology#> .\n<https://w3id.org/policy-kg/id/graph/")
        raise interrupt

    def fail(*args, **kwargs):
        raise interrupt

    monkeypatch.setattr(TrigSerializer, "serialize", fail_midway)  # rdflib's writer (the fallback)
    monkeypatch.setattr(pyoxigraph, "serialize", fail)  # the writer `build` uses
    code = main(["build", str(PLAN), "--out", str(out), "--quiet", "--no-curation"])
    assert code == (130 if isinstance(interrupt, KeyboardInterrupt) else 70)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


@pytest.mark.parametrize("interrupt", [OSError(28, "No space left on device"), KeyboardInterrupt()],
                         ids=["disk-full", "ctrl-c"])
def test_interrupted_write_midway_leaves_the_previous_graph_intact(tmp_path, monkeypatch, interrupt):
    import policy_kg.graph.io as graph_io

    out = tmp_path / "out"
    _build_once(out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real_fdopen = os.fdopen

    class HalfWriter:
        """A file that writes half of what it is given, then fails."""

        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, data: bytes) -> int:
            self.fh.write(data[: len(data) // 2])
            self.fh.flush()
            raise interrupt

    monkeypatch.setattr(graph_io.os, "fdopen", lambda fd, mode: HalfWriter(real_fdopen(fd, mode)))
    code = main(["build", str(PLAN), "--out", str(out), "--quiet", "--no-curation"])
    assert code in (73, 130)  # 73: an output could not be written (3 is for inputs)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # and no temporary file left


# --- the command line: one line per error, tracebacks only with --debug -------------------------------


def test_cli_reports_bad_documents_in_one_line_each_without_traceback(tmp_path):
    bad = [BAD / "empty.txt", BAD / "binary.txt", BAD / "unknown_layout.txt"]
    proc = run_cli("build", *map(str, bad), str(SHEET), "--out", str(tmp_path / "out"), "--quiet",
                   cwd=tmp_path)
    assert proc.returncode == EXIT_FAILED_DOCUMENT, proc.stderr
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        "error: empty.txt: the file is empty",
        "error: binary.txt: binary data, not text (NUL bytes)",
        next(line for line in errors if line.startswith("error: unknown_layout.txt:1: no known layout")),
    ]
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert [d["file"] for d in report["documents"]] == [SHEET.name]
    assert [f["file"] for f in report["failures"]] == [p.name for p in bad]


def test_cli_debug_shows_the_traceback_of_a_failed_document(tmp_path):
    proc = run_cli("--debug", "build", str(BAD / "binary.txt"), "--out", str(tmp_path / "out"), "-q",
                   cwd=tmp_path)
    assert proc.returncode == EXIT_FAILED_DOCUMENT
    assert "Traceback" in proc.stderr and "UnreadableDocument" in proc.stderr


def test_cli_errors_outside_build_are_one_line_and_debug_raises(tmp_path):
    missing = tmp_path / "nowhere.trig"
    proc = run_cli("query", "projects", "--graph", str(missing), cwd=tmp_path)
    assert proc.returncode == 3 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().count("\n") == 0 and str(missing) in proc.stderr
    proc = run_cli("--debug", "query", "projects", "--graph", str(missing), cwd=tmp_path)
    assert proc.returncode != 0 and "Traceback" in proc.stderr


def test_cli_extract_of_undecodable_and_records_of_a_bad_json(tmp_path, capsys):
    broken = tmp_path / "broken.records.json"
    broken.write_text('{"doc_id": "x", "file_name": ', encoding="utf-8")
    code = main(["extract", str(BAD / "undecodable.txt"), str(broken), str(SHEET), "--records", str(tmp_path / "r")])
    err = capsys.readouterr().err
    assert code == EXIT_FAILED_DOCUMENT
    assert "error: undecodable.txt: not text in" in err and "error: broken.records.json: not a policy-kg records file" in err
    assert (tmp_path / "r" / "midorino_city_evaluation_sheet.records.json").is_file()
