"""The visualize / analyze / export-network commands of build_graph.py, on the fixture."""

from __future__ import annotations

from pathlib import Path

import build_graph
from policy_kg.visualize.exports import read_network
from policy_kg.visualize.projection import VIEWS

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


def test_visualize_takes_the_view_as_argument_and_a_single_html_file(tmp_path, capsys):
    from build_graph import main

    out = tmp_path / "sdg-view.html"
    assert main(["visualize", "sdg", "--graph", str(FIXTURE), "--out", str(out)]) == 0
    assert out.is_file() and "vis.Network" in out.read_text(encoding="utf-8")


def test_analyze_prints_csv(capsys):
    import csv
    import io

    from build_graph import main

    assert main(["analyze", "--graph", str(FIXTURE), "--only", "sdg_coverage", "--format", "csv"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("# sdg_coverage\n")
    rows = list(csv.reader(io.StringIO(text.split("\n", 1)[1].strip())))
    assert rows[0][:2] == ["goal", "target"] and len(rows) > 1


def test_project_nodes_carry_their_budget_as_size(tmp_path):
    import json
    import re

    from policy_kg import visualize
    page = visualize.render_view(FIXTURE, "sdg", out=tmp_path / "sdg.html")
    data = json.loads(re.search(r'<script type="application/json" id="graph-data">(.*?)</script>',
                                page.read_text(encoding="utf-8"), re.S).group(1))
    projects = [n for n in data["nodes"] if n.get("group") == "project"]
    assert projects and all(isinstance(n["value"], int) for n in projects)
    assert len({n["value"] for n in projects}) > 1  # budgets differ, so sizes differ


def test_visualize_fold_column_zero_opens_everything(tmp_path, capsys):
    import json
    import re

    from build_graph import main

    out = tmp_path / "sdg.html"
    assert main(["visualize", "sdg", "--graph", str(FIXTURE), "--out", str(out), "--fold-column", "2"]) == 0
    folded = json.loads(re.search(r'id="graph-data">(.*?)</script>', out.read_text(encoding="utf-8"), re.S).group(1))
    assert any(n.get("hidden") for n in folded["nodes"])
    assert main(["visualize", "sdg", "--graph", str(FIXTURE), "--out", str(out), "--fold-column", "0"]) == 0
    opened = json.loads(re.search(r'id="graph-data">(.*?)</script>', out.read_text(encoding="utf-8"), re.S).group(1))
    assert not any(n.get("hidden") for n in opened["nodes"])


def test_visualize_budget_page(tmp_path, capsys):
    import pytest

    pytest.importorskip("plotly")
    from build_graph import main

    assert main(["visualize", "budget", "--graph", str(FIXTURE), "--out", str(tmp_path)]) == 0
    assert (tmp_path / "budget.html").is_file()
