"""The visualize / analyze / export-network commands of build_graph.py, on the fixture."""

from __future__ import annotations

from pathlib import Path

import build_graph
from visualize.exports import read_network
from visualize.projection import VIEWS

FIXTURE = Path(__file__).parent / "data" / "visualize" / "fixture.trig"


def test_visualize_writes_every_view(tmp_path, capsys):
    assert build_graph.main(["visualize", "--graph", str(FIXTURE), "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.glob("*.html")) == sorted(f"{v}.html" for v in VIEWS)


def test_visualize_unknown_document_is_a_usage_error(tmp_path, capsys):
    code = build_graph.main(["visualize", "--graph", str(FIXTURE), "--out", str(tmp_path), "--document", "x.txt"])
    assert code == 2
    assert "no document matches" in capsys.readouterr().err


def test_analyze_prints_tables_and_writes_csv(tmp_path, capsys):
    assert build_graph.main(["analyze", "--graph", str(FIXTURE), "--csv", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "== projects_without_sdg (1 rows)" in out and "目標なし事業" in out
    assert (tmp_path / "sdg_coverage.csv").is_file()


def test_missing_graph_exits_3(tmp_path, capsys):
    assert build_graph.main(["analyze", "--graph", str(tmp_path / "none.trig")]) == 3


def test_export_network(tmp_path, capsys):
    out = tmp_path / "sdg.graphml"
    args = ["export-network", "--graph", str(FIXTURE), "--format", "graphml", "--view", "sdg", "--out", str(out)]
    assert build_graph.main(args) == 0
    assert read_network("graphml", out).number_of_nodes() == 17
