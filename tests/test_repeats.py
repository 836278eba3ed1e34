"""A document printed twice in one file is read once (``extract.repeats``), and identical issues are
aggregated (``extract.records.IssueLog``): memory and report size follow the distinct problems."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from build_graph import main
from policy_kg.extract.records import ExtractionIssue, IssueLog, Span, aggregate_issues, to_json
from policy_kg.extract.repeats import MIN_LINES, find_repetition
from policy_kg.extract.source import read_source
from policy_kg.graph.pipeline import EXIT_DROPPED, build_documents, extract_path
from policy_kg.graph.query import run_query
from tests.conftest import SAMPLES, SEED_PLAN, SEED_SHEET

SHEET = SAMPLES / "midorino_city_evaluation_sheet.txt"
PLAN = SAMPLES / "kitakaze_agency_business_plan.txt"


def _records_without(record, *names: str) -> dict:
    data = to_json(record)
    for name in names:
        data.pop(name)
    return data


@pytest.mark.parametrize("document", [SHEET, PLAN], ids=lambda p: p.stem[:8])
@pytest.mark.parametrize("copies, separator", [(2, "\n"), (2, "\n\f\n\n"), (3, "\n")],
                         ids=["twice", "page-feed", "thrice"])
def test_a_document_printed_several_times_is_read_once(tmp_path, document, copies, separator):
    text = document.read_text(encoding="utf-8")
    repeated = tmp_path / document.name
    repeated.write_text(separator.join([text] * copies), encoding="utf-8")
    once, many = extract_path(document, curate=False), extract_path(repeated, curate=False)

    first, *rest = many.issues
    assert first.severity == "info" and "repeated verbatim" in first.message
    n, second = len(text.rstrip("\n").split("\n")), (text + separator).count("\n") + 1
    assert f"lines 1–{n} are repeated verbatim at lines {second}–{second + n - 1}" in first.message
    assert first.message.count("–") == copies  # one span per copy
    # the same records as the document printed once: every figure once, at the lines of the first copy
    assert rest == once.issues
    ignore = ("issues", "content_hash", "line_count")
    assert _records_without(many, *ignore) == _records_without(once, *ignore)
    assert many.content_hash == read_source(repeated).content_hash  # the file's, as printed
    assert many.line_count == len(read_source(repeated).lines)


def test_budget_sums_of_a_document_printed_twice_are_not_doubled(tmp_path):
    text = SHEET.read_text(encoding="utf-8")
    twice = tmp_path / SHEET.name
    twice.write_text(text + "\n" + text, encoding="utf-8")
    rows = {p: run_query(build_documents([p], curate=False).dataset, "budgets").rows for p in (SHEET, twice)}
    assert rows[twice] and rows[twice] == rows[SHEET]


def test_documents_without_repetition_are_left_alone():
    for document in (SHEET, PLAN):
        assert find_repetition(read_source(document).lines) is None


@pytest.mark.parametrize("seed", [SEED_SHEET, SEED_PLAN])
def test_seeds_are_not_repeated_documents(seed_path, seed):
    assert find_repetition(read_source(seed_path(seed)).lines) is None


def test_a_seed_printed_twice_is_read_once(seed_path, tmp_path):
    seed = seed_path(SEED_SHEET)
    twice = tmp_path / seed.name
    text = seed.read_text(encoding="utf-8")
    twice.write_text(text + "\n" + text, encoding="utf-8")
    once, many = extract_path(seed, curate=False), extract_path(twice, curate=False)
    ignore = ("issues", "content_hash", "line_count")
    assert _records_without(many, *ignore) == _records_without(once, *ignore)


def test_a_block_repeated_inside_a_document_is_not_a_repeated_document():
    lines = SHEET.read_text(encoding="utf-8").split("\n")
    table = lines[178:200]  # the project table's rows
    assert find_repetition(lines[:200] + table * 40 + lines[200:]) is None
    assert find_repetition(lines[:186] + ["1"] * 5000 + lines[186:]) is None
    assert find_repetition(lines + lines[: len(lines) // 3]) is None  # a third printed again: not the body


# --- aggregated issues ---------------------------------------------------------------------------------


def test_identical_issues_are_kept_once_with_a_count_and_their_last_lines():
    log = IssueLog()
    for n in range(1, 6):
        log.add("dropped", f"detail sheet: line not understood and not used: 'x' (line {n})", Span.line(n))
    log.add("dropped", "detail sheet: line not understood and not used: 'y' (line 9)", Span.line(9))
    first, other = log.items
    assert (first.count, first.span, first.last_span) == (5, Span.line(1), Span.line(5))
    assert "(line 1)" in first.message and other.count == 1
    assert aggregate_issues([first, other, ExtractionIssue("dropped", first.message, Span.line(7))])[0].count == 6


def test_an_issue_seen_once_is_written_as_before():
    issue = ExtractionIssue("uncertain", "m1-p1: placed by position", Span(3, 4), "m1-p1")
    assert to_json(issue) == {"severity": "uncertain", "message": "m1-p1: placed by position",
                              "span": {"start": 3, "end": 4}, "item": "m1-p1"}


def test_a_file_with_many_identical_problems_has_a_short_report(tmp_path, capsys):
    lines = SHEET.read_text(encoding="utf-8").split("\n")
    at = lines.index("12 - - - -")  # a row of the first detail sheet's results table
    hostile = tmp_path / "hostile.txt"
    hostile.write_text("\n".join(lines[:at + 1] + ["12 - - - -"] * 20000 + lines[at + 1:]), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(hostile), "--out", str(out), "--quiet", "--no-curation"]) == EXIT_DROPPED
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    issues = report["documents"][0]["issues"]
    assert len(issues) < 50
    repeated = [i for i in issues if i.get("count", 1) > 1]
    assert repeated and max(i["count"] for i in repeated) >= 20000
    biggest = max(repeated, key=lambda i: i["count"])
    assert biggest["line_start"] < biggest["last_line_start"] <= at + 20001
    assert report["totals"]["dropped"] >= 20000  # totals still count every occurrence
    assert (out / "report.json").stat().st_size < 100_000
    assert "×" in (out / "report.txt").read_text(encoding="utf-8")
    capsys.readouterr()


# --- the detector on arbitrary text -------------------------------------------------------------------

_LINE = st.sampled_from(["", "a", "b", "c 1", "事業費 0 5,400", "施策１", "  ", "1", "2"]) | st.text(max_size=6)


def _copies_are_verbatim(lines: list[str], found) -> None:
    def body(span):
        return [" ".join(x.split()) for x in lines[span.start - 1:span.end] if x.strip()]

    first = body(found.copies[0])
    assert len(first) >= MIN_LINES
    assert all(body(s) == first for s in found.copies[1:])
    assert all(1 <= s.start <= s.end <= len(lines) for s in found.copies)
    assert all(a.end < b.start for a, b in zip(found.copies, found.copies[1:]))


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.lists(_LINE, max_size=300))
def test_whatever_is_found_is_a_verbatim_repetition(lines):
    found = find_repetition(lines)
    if found is not None:
        _copies_are_verbatim(lines, found)


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(st.lists(st.text(min_size=1, max_size=8).filter(str.strip), min_size=MIN_LINES, max_size=60, unique=True),
       st.integers(2, 4), st.lists(_LINE, max_size=3), st.lists(_LINE, max_size=3))
def test_a_unit_printed_k_times_is_found(unit, k, before, after):
    lines = before + unit * k + after
    found = find_repetition(lines)
    assert found is not None and len(found.copies) == k
    _copies_are_verbatim(lines, found)
