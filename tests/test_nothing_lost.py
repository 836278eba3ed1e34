"""Nothing lost, nothing wrong (issue 17): SDG codes held to the UN list; damaged bytes stay local.

* A target the UN list lacks (11.99) or a goal outside 1–17 (18.9) printed in a document is an
  ``error`` issue naming the code, the project and its line; the project is kept without that
  link (so ``sdg_coverage`` does not count it) and the build exits 4.
* An undecodable byte or a NUL is replaced or removed and reported with its line and byte offset;
  the rest of the document is read, and the build exits 4 rather than refusing the file (3).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from build_graph import main
from policy_kg.extract.curation import CurationError, apply_curation
from policy_kg.extract.detect import extract
from policy_kg.extract.sdg_reference import check_sdg_targets, known_sdg_targets, sdg_target_problem
from policy_kg.extract.source import UnreadableDocument, decode, read_source
from policy_kg.graph.pipeline import EXIT_DROPPED, EXIT_FAILED_DOCUMENT, build_documents, write_records
from policy_kg.graph.query import run_query
from policy_kg.graph.validate import validate

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SHEET = SAMPLES / "midorino_city_evaluation_sheet.txt"
ROW_11_2 = "2 柱２ 11.2 広域観光周遊バス運行事業 継続 都市整備部交通政策課"
ROW_8_9 = "3 柱２ 8.9 みどり野市観光協会運営補助金 継続 産業観光部観光振興課"


def _sheet_lines() -> list[str]:
    return SHEET.read_text(encoding="utf-8").split("\n")


def _with_bogus_targets(tmp_path: Path) -> tuple[Path, int, int]:
    lines = _sheet_lines()
    at_11, at_8 = lines.index(ROW_11_2), lines.index(ROW_8_9)
    lines[at_11] = ROW_11_2.replace(" 11.2 ", " 11.99 ")
    lines[at_8] = ROW_8_9.replace(" 8.9 ", " 18.9 ")
    doc = tmp_path / SHEET.name
    doc.write_text("\n".join(lines), encoding="utf-8")
    return doc, at_11 + 1, at_8 + 1


# --- reference checks -------------------------------------------------------------------------------


def test_the_check_reads_the_un_list_from_the_reference_file():
    assert len(known_sdg_targets()) == 169 and {"8.10", "4.a", "17.19"} <= known_sdg_targets()
    assert sdg_target_problem("11.7") is None
    assert "not in the UN list" in sdg_target_problem("11.99")
    assert "goals 1 to 17" in sdg_target_problem("18.1")
    assert "not an SDG target code" in sdg_target_problem("8.1> <x")


def test_a_target_the_un_list_lacks_is_an_error_and_not_linked(tmp_path):
    doc, line_11, line_8 = _with_bogus_targets(tmp_path)
    result = build_documents([doc], curate=False)
    assert result.exit_code == EXIT_DROPPED
    (record,) = result.records
    errors = [i for i in record.issues if i.severity == "error"]
    by_line = {i.span.start: i.message for i in errors}
    assert "11.99 is not in the UN list" in by_line[line_11] and "広域観光周遊バス運行事業" in by_line[line_11]
    assert "goal 18" in by_line[line_8] and "みどり野市観光協会運営補助金" in by_line[line_8]
    # the projects are kept, with their names intact and without the bogus links
    projects = {p.name: p for p in record.projects}
    assert projects["広域観光周遊バス運行事業"].sdg_targets == []
    assert projects["みどり野市観光協会運営補助金"].sdg_targets == []
    clean = build_documents([SHEET], curate=False).records[0]
    assert len(record.projects) == len(clean.projects)
    # nothing in the graph or in sdg_coverage names the bogus targets, and the graph conforms
    coverage = run_query(result.dataset, "sdg_coverage").as_text_rows()
    assert coverage and not any(row[2] in {"11.99", "18.9"} for row in coverage)
    assert "11.99" not in result.dataset.serialize(format="nquads")
    assert validate(result.dataset).conforms


def test_build_of_a_document_with_a_bogus_target_exits_4_and_reports_it(tmp_path):
    doc, line_11, _ = _with_bogus_targets(tmp_path)
    out = tmp_path / "out"
    assert main(["build", str(doc), "--out", str(out), "--quiet", "--no-curation"]) == EXIT_DROPPED
    issues = json.loads((out / "report.json").read_text(encoding="utf-8"))["documents"][0]["issues"]
    assert any(i["severity"] == "error" and "11.99" in i["message"] and i["line_start"] == line_11 for i in issues)
    assert main(["validate", "--graph", str(out / "graph.trig")]) == 0


def test_a_records_file_is_held_to_the_same_list(tmp_path):
    record = extract(read_source(SHEET))
    project = next(p for p in record.projects if p.sdg_targets)
    project.sdg_targets.append("11.99")
    path = write_records(record, tmp_path)
    result = build_documents([path])
    assert result.exit_code == EXIT_DROPPED
    assert any(i.severity == "error" and "11.99" in i.message for i in result.records[0].issues)
    assert "11.99" not in result.dataset.serialize(format="nquads")
    # checking twice reports once
    again = check_sdg_targets(result.records[0])
    assert sum("11.99" in i.message for i in again.issues) == 1


def test_a_curation_adding_a_target_the_un_list_lacks_is_refused(tmp_path):
    record = extract(read_source(SHEET))
    key = record.projects[0].key
    curation = tmp_path / "x.curation.yaml"
    curation.write_text(f"projects:\n  {key}: {{add_sdg_targets: ['11.99']}}\n", encoding="utf-8")
    with pytest.raises(CurationError, match=r"11\.99.*not in the UN list"):
        apply_curation(record, curation)


# --- damage is local -----------------------------------------------------------------------------------


def _damaged(tmp_path: Path, damage: bytes, encoding: str = "utf-8") -> tuple[Path, int, int]:
    """The sample sheet with ``damage`` inserted before 広域 on the row of project 2: (path, line, offset)."""
    data = SHEET.read_text(encoding="utf-8").encode(encoding)
    at = data.index("広域観光周遊バス".encode(encoding))
    doc = tmp_path / SHEET.name
    doc.write_bytes(data[:at] + damage + data[at:])
    return doc, data[:at].count(b"\n") + 1, at


@pytest.mark.parametrize("damage", [b"\xff", b"\x00", b"\x80\x80"], ids=["bad-byte", "nul", "two-bad-bytes"])
def test_one_damaged_spot_is_reported_with_line_and_offset_and_the_rest_is_read(tmp_path, damage):
    doc, line, offset = _damaged(tmp_path, damage)
    result = build_documents([doc], curate=False)
    assert result.exit_code == EXIT_DROPPED and not result.failures
    (record,) = result.records
    damaged = [i for i in record.issues if i.severity == "dropped" and "byte offset" in i.message]
    assert len(damaged) == 1, damaged
    assert damaged[0].span.start == line and f"line {line}, byte offset {offset}" in damaged[0].message
    clean = build_documents([SHEET], curate=False).records[0]
    assert len(record.projects) == len(clean.projects)
    assert sum(len(p.amounts) for p in record.projects) == sum(len(p.amounts) for p in clean.projects)
    names = {p.name for p in record.projects}
    assert ("広域観光周遊バス運行事業" in names) == (damage == b"\x00")  # a NUL is removed, a bad byte is U+FFFD
    if damage != b"\x00":
        assert any(n.startswith("\ufffd") and n.endswith("広域観光周遊バス運行事業") for n in names if n)


def test_build_of_a_damaged_document_exits_4_not_3(tmp_path):
    doc, line, offset = _damaged(tmp_path, b"\xfe")
    out = tmp_path / "out"
    assert main(["build", str(doc), "--out", str(out), "--quiet", "--no-curation"]) == EXIT_DROPPED
    report = (out / "report.txt").read_text(encoding="utf-8")
    assert f"byte offset {offset}" in report and f"{SHEET.name}:{line}" in report


def test_a_damaged_byte_in_a_shift_jis_document_keeps_shift_jis(tmp_path):
    doc, line, offset = _damaged(tmp_path, b"\x85", encoding="cp932")
    src = read_source(doc)
    assert src.encoding == "cp932"
    (problem,) = src.problems
    assert problem.span.start == line and f"byte offset {offset}" in problem.message and "CP932" in problem.message
    assert build_documents([doc], curate=False).exit_code == EXIT_DROPPED


def test_control_characters_are_removed_and_reported_as_info(tmp_path):
    doc, line, _ = _damaged(tmp_path, b"\x1b[2J\x07")
    src = read_source(doc)
    assert not any("\x1b" in x or "\x07" in x for x in src.lines)
    (problem,) = src.problems
    assert problem.severity == "info" and problem.span.start == line and "U+001B" in problem.message


def test_many_problems_are_summed_up_not_listed_one_by_one(tmp_path):
    data = bytearray(SHEET.read_bytes())
    newlines = [i for i, b in enumerate(data) if b == 0x0A][:40]
    for i in reversed(newlines):
        data[i:i] = b"\xff"
    _, encoding = decode(bytes(data), "x.txt")
    problems = encoding.problems  # type: ignore[attr-defined]
    assert len(problems) == 21 and "20 more damaged byte sequences" in problems[-1].message
    assert [p.span.start for p in problems[:20]] == list(range(1, 21))
    assert (problems[-1].span.start, problems[-1].span.end) == (21, 40)


def test_binary_and_hopeless_files_are_still_refused():
    with pytest.raises(UnreadableDocument, match="binary data"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "x.png")
    with pytest.raises(UnreadableDocument, match="not text"):
        decode(b"\x81\x20\xfe\xfe\x80\x85" * 1000, "x.bin")
    with pytest.raises(UnreadableDocument, match="not text"):
        decode(bytes(range(128, 256)) * 40, "x.bin")  # decodes as CP932 with few errors, but as noise
    with pytest.raises(UnreadableDocument, match="binary data"):
        decode(b"a\x00" * 10 + b"\x00" * 1000, "zeros.txt")


def test_a_clean_document_has_no_decoding_problems(tmp_path):
    assert read_source(SHEET).problems == ()
    record = build_documents([SHEET], curate=False).records[0]
    assert not any("byte offset" in i.message for i in record.issues)
    assert EXIT_FAILED_DOCUMENT != EXIT_DROPPED


# --- control characters never reach the terminal --------------------------------------------------------

HOSTILE = "悪意\x1b[2J\x1b]0;owned\x07の\x08事業\u202e名"


def _hostile_graph(tmp_path: Path) -> Path:
    from policy_kg.graph.builder import build_dataset
    from policy_kg.graph.io import RdfFormat, write_graph
    from tests.records_fixture import town_sheet

    record = town_sheet()
    record.projects[0].name = HOSTILE
    record.projects[0].sdg_targets.clear()  # listed by analyze's projects without targets too
    return write_graph(build_dataset([record]), tmp_path / "graph.trig", RdfFormat.TRIG)


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_query_output_carries_no_control_characters(tmp_path, capsys, fmt):
    graph = _hostile_graph(tmp_path)
    assert main(["query", "projects", "--graph", str(graph), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert "悪意[2J]0;ownedの事業名" in out
    assert not any(c in out for c in "\x1b\x07\x08\u202e")


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_analyze_output_carries_no_control_characters(tmp_path, capsys, fmt):
    graph = _hostile_graph(tmp_path)
    assert main(["analyze", "--graph", str(graph), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert "悪意" in out and not any(c in out for c in "\x1b\x07\x08\u202e")


def test_json_output_escapes_control_characters(tmp_path, capsys):
    graph = _hostile_graph(tmp_path)
    assert main(["query", "projects", "--graph", str(graph), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\u001b" in out
    assert any(row["project"] == HOSTILE for row in json.loads(out))  # JSON keeps the value exactly


# --- decode never fails otherwise ---------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_SAMPLE_BYTES = SHEET.read_bytes()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_decode_to_clean_text_or_a_clear_refusal(data):
    try:
        text, encoding = decode(data, "fuzz.txt")
    except UnreadableDocument as exc:
        assert str(exc).startswith("fuzz.txt: ")
        return
    assert "\0" not in text and "\x1b" not in text and "\x07" not in text
    for problem in encoding.problems:  # type: ignore[attr-defined]
        assert problem.severity in ("dropped", "info") and problem.span.start >= 1


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(_SAMPLE_BYTES)), st.binary(min_size=1, max_size=2)), max_size=3))
def test_a_few_damaged_spots_in_a_document_are_each_reported_and_the_rest_kept(spots):
    data = _SAMPLE_BYTES
    for at, damage in sorted(spots, reverse=True):
        data = data[:at] + damage + data[at:]
    text, encoding = decode(data, "fuzz.txt")
    assert encoding in ("utf-8", "cp932", "euc_jp")
    problems = encoding.problems  # type: ignore[attr-defined]
    assert len(problems) <= 3 * len(spots)  # a spot inside a character breaks it before and after
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for problem in problems:
        assert 1 <= problem.span.start <= len(lines)
    if encoding == "utf-8" and not problems:
        assert text == data.decode("utf-8")
