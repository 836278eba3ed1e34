"""Views and analyses of the real evaluation sheet (seed 000), checked against its project table.

The sheet's project table (事務事業一覧) lists 29 projects under 3 measures; by eye, 20 state an SDG
target: 7 with 11.4, 7 with 8.1, 6 with 8.3; the other 9 state none. One project has a logic model.
"""

from __future__ import annotations

from collections import Counter

import pytest

from policy_kg import visualize
from policy_kg.graph.pipeline import build_documents
from policy_kg.visualize.projection import project

SHEET = "000_27ae6de2eb66d617.txt"


_BUILT: dict[str, object] = {}  # seed_path is function-scoped; build the sheet once per session


@pytest.fixture
def sheet_dataset(seed_path):
    path = seed_path(SHEET)
    if SHEET not in _BUILT:
        result = build_documents([path])
        assert not result.failures
        _BUILT[SHEET] = result.dataset
    return _BUILT[SHEET]


def test_sdg_view_of_the_sheet(sheet_dataset):
    g = project(sheet_dataset, view="sdg")
    links = [(g.nodes[u]["label"], d["link"]) for u, _, d in g.edges(data=True) if d["type"] == "sdg_link"]
    stated = Counter(target for target, link in links if link == "stated")
    assert stated == {"11.4": 7, "8.1": 7, "8.3": 6}
    # the 9 projects that state no target are drawn with their inferred suggestions
    assert {link for _, link in links} == {"stated", "inferred"}
    assert Counter(d["type"] for _, d in g.nodes(data=True))["measure"] == 3


def test_projects_without_sdg_on_the_sheet(sheet_dataset):
    rows = visualize.analyze(sheet_dataset)["projects_without_sdg"]
    assert len(rows) == 9
    assert {r["label"] for r in rows} >= {"計量業務", "会津ブランドものづくりフェア"}
    assert all(r["source"].startswith(SHEET + ":L") for r in rows)


def test_logic_model_view_of_the_sheet(sheet_dataset):
    g = project(sheet_dataset, view="logic-model")
    kinds = Counter(d["type"] for _, d in g.nodes(data=True))
    assert kinds == {"project": 1, "stage": 4}
    steps = sorted(d["step"] for _, d in g.nodes(data=True) if d["type"] == "stage")
    assert steps == [1, 2, 3, 4]


def test_sheet_pages_render(sheet_dataset, tmp_path):
    for view in visualize.VIEWS:
        page = visualize.render_view(sheet_dataset, view, out=tmp_path / f"{view}.html")
        assert 'data-expected-nodes="' in page.read_text(encoding="utf-8")
