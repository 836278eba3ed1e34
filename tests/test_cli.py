"""The command line: the documented commands, outputs and exit codes, run as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from build_graph import main
from tests.conftest import REPO


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    assert main(["build", "--out", str(out), "--quiet"]) == 0
    return out


def test_build_with_no_input_builds_the_bundled_samples(sample_build):
    report = json.loads((sample_build / "report.json").read_text(encoding="utf-8"))
    layouts = sorted(d["layout"] for d in report["documents"])
    assert layouts == ["business_plan", "evaluation_sheet"]
    assert report["totals"]["failed"] == 0 and report["totals"]["projects"] > 0
    assert (sample_build / "graph.trig").stat().st_size > 0
    assert "Totals:" in (sample_build / "report.txt").read_text(encoding="utf-8")


def test_build_is_byte_identical_on_rerun(sample_build, tmp_path):
    assert main(["build", "--out", str(tmp_path), "--quiet"]) == 0
    for name in ("graph.trig", "report.json"):
        assert (tmp_path / name).read_bytes() == (sample_build / name).read_bytes(), name


def test_query_list_and_csv_columns(capsys, sample_build):
    code, out, _ = run(capsys, "query", "--list")
    assert code == 0 and "projects" in out and "columns: document, measure, project" in out
    code, out, _ = run(capsys, "query", "projects", "--graph", str(sample_build / "graph.trig"), "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:8] == ["document", "measure", "project", "department", "status", "priority", "pillar", "sdg_targets"]
    assert len(rows) > 5


def test_query_param_and_json(capsys, sample_build):
    code, out, _ = run(capsys, "query", "budgets", "--graph", str(sample_build / "graph.trig"),
                       "--param", "fiscal_year=2023", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert rows and {r["fiscal_year"] for r in rows} == {2023}  # typed: numbers are JSON numbers
    assert all(type(r["amount_jpy"]) is int for r in rows)


def test_validate_conforms_on_the_sample_build(capsys, sample_build):
    code, out, _ = run(capsys, "validate", "--graph", str(sample_build / "graph.trig"))
    assert code == 0, out
    assert "conforms" in out


@pytest.mark.parametrize("fmt, suffix", [("ttl", "ttl"), ("jsonld", "jsonld"), ("nq", "nq"), ("trig", "trig")])
def test_export_formats_parse_back(capsys, sample_build, tmp_path, fmt, suffix):
    from policy_kg.graph.io import load_graph

    target = tmp_path / f"g.{suffix}"
    code, _, _ = run(capsys, "export", "--graph", str(sample_build / "graph.trig"), "--format", fmt, "--out", str(target))
    assert code == 0
    original = load_graph(sample_build / "graph.trig")
    again = load_graph(target)
    assert set(again.triples((None, None, None))) == set(original.triples((None, None, None)))


def test_unknown_layout_is_refused_with_file_and_line(capsys, tmp_path):
    doc = tmp_path / "novel.txt"
    doc.write_text("むかしむかし、あるところに\nおじいさんとおばあさんがいました。\n", encoding="utf-8")
    code, _, err = run(capsys, "build", str(doc), "--out", str(tmp_path / "o"), "--quiet")
    assert code == 3
    assert "novel.txt:1" in err and "no known layout" in err
    assert "Traceback" not in err


def test_one_bad_document_does_not_stop_the_others(capsys, tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    sample = REPO / "samples" / "midorino_city_evaluation_sheet.txt"
    code, _, err = run(capsys, "build", str(bad), str(sample), "--out", str(tmp_path / "o"), "--quiet")
    assert code == 3
    report = json.loads((tmp_path / "o" / "report.json").read_text(encoding="utf-8"))
    assert report["totals"]["documents"] == 1 and report["failures"][0]["file"] == "empty.txt"
    assert "empty.txt" in err


def test_missing_graph_and_unknown_query_are_clear_errors(capsys, tmp_path):
    code, _, err = run(capsys, "query", "projects", "--graph", str(tmp_path / "none.trig"))
    assert code == 3 and "none.trig" in err and "build" in err
    (tmp_path / "g.trig").write_text("", encoding="utf-8")
    code, _, err = run(capsys, "query", "no_such_query", "--graph", str(tmp_path / "g.trig"))
    assert code == 5 and "no query 'no_such_query'" in err


def test_bad_param_is_a_query_error(capsys, sample_build):
    code, _, err = run(capsys, "query", "budgets", "--graph", str(sample_build / "graph.trig"), "--param", "fiscal_year=R")
    assert code == 5 and "fiscal_year" in err


def test_extract_writes_records_that_build_the_same_graph(capsys, tmp_path):
    sample = REPO / "samples" / "midorino_city_evaluation_sheet.txt"
    code, out, _ = run(capsys, "extract", str(sample), "--records", str(tmp_path / "rec"))
    assert code == 0
    records = list((tmp_path / "rec").glob("*.records.json"))
    assert len(records) == 1
    assert main(["build", str(sample), "--out", str(tmp_path / "a"), "--quiet"]) == 0
    assert main(["build", str(records[0]), "--out", str(tmp_path / "b"), "--quiet"]) == 0
    assert (tmp_path / "a" / "graph.trig").read_bytes() == (tmp_path / "b" / "graph.trig").read_bytes()


def test_a_readers_bug_on_one_document_does_not_lose_the_others_records(capsys, tmp_path, monkeypatch):
    from policy_kg.graph import pipeline

    good = REPO / "samples" / "midorino_city_evaluation_sheet.txt"
    bad = tmp_path / "bad.txt"
    bad.write_text("事務事業評価シート\n事務事業名 みちの補修事業\n", encoding="utf-8")
    real = pipeline.extract_path

    def failing(path, **kwargs):
        if Path(path).name == "bad.txt":
            raise ZeroDivisionError("a bug")
        return real(path, **kwargs)

    monkeypatch.setattr(pipeline, "extract_path", failing)
    code, out, err = run(capsys, "extract", str(bad), str(good), "--records", str(tmp_path / "rec"))
    assert code == 3 and "bad.txt: internal error: ZeroDivisionError: a bug" in err
    assert [p.name for p in (tmp_path / "rec").glob("*.records.json")] == ["midorino_city_evaluation_sheet.records.json"]


def test_console_script_is_the_same_cli():
    exe = Path(sys.executable).with_name("policy-kg")
    result = subprocess.run([str(exe), "query", "--list"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "projects" in result.stdout


def test_no_command_prints_help_and_exits_2(capsys):
    code, out, _ = run(capsys)
    assert code == 2 and "build" in out
