"""Open each view in a real headless Chromium: the network draws every node and the page is not blank.

The page records ``data-drawn-nodes`` on ``<body>`` after vis-network's first ``afterDrawing`` event;
``--dump-dom`` with a virtual time budget returns the DOM after that.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from policy_kg import visualize
from tests.test_visualize_png import png_stats
from policy_kg.visualize.projection import VIEWS, project

CHROMIUM = Path("/usr/bin/chromium")
FIXTURE = Path(__file__).parent / "data" / "visualize" / "fixture.trig"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--virtual-time-budget=10000",
]


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: CI must install the Debian package 'chromium'")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium) — browser checks not run")
    return CHROMIUM


def _run(chromium: Path, tmp_path: Path, *args: str) -> str:
    profile = tmp_path / "profile"
    done = subprocess.run(
        [str(chromium), *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.parametrize("view", VIEWS)
def test_browser_draws_every_node(chromium, tmp_path, view):
    expected = project(FIXTURE, view=view)
    page = visualize.render_view(FIXTURE, view, out=tmp_path / f"{view}.html")
    dom = _run(chromium, tmp_path, "--dump-dom", page.resolve().as_uri())
    body = re.search(r"<body[^>]*>", dom)
    assert body, dom[:500]
    drawn = re.search(r'data-drawn-nodes="(\d+)"', body.group(0))
    assert drawn, f"vis-network never finished drawing: {body.group(0)}"
    assert int(drawn.group(1)) == expected.number_of_nodes()
    edges = re.search(r'data-drawn-edges="(\d+)"', body.group(0))
    assert edges and int(edges.group(1)) == expected.number_of_edges()
    # no node's box (its shape and label, as vis-network measured them) overlaps another's
    assert 'data-overlaps="0"' in body.group(0), body.group(0)


@pytest.mark.parametrize("view", VIEWS)
def test_browser_screenshot_is_not_blank(chromium, tmp_path, view):
    page = visualize.render_view(FIXTURE, view, out=tmp_path / f"{view}.html")
    shot = tmp_path / f"{view}.png"
    _run(chromium, tmp_path, "--window-size=900,600", f"--screenshot={shot}", page.resolve().as_uri())
    # measure the drawing area only: below the header, left of the legend (a page whose network
    # failed to draw is plain white there: 1 colour, variance 0)
    width, height, colours, variance = png_stats(shot, box=(0, 70, 560, 600))
    assert (width, height) == (900, 600)
    assert colours > 20 and variance > 20


@pytest.fixture(scope="module")
def seeds_dataset():
    from policy_kg.graph.pipeline import build_documents
    from tests.conftest import SEED_PLAN, SEED_SHEET, _seed

    result = build_documents([_seed(SEED_SHEET), _seed(SEED_PLAN)])
    assert not result.failures
    return result.dataset


@pytest.mark.parametrize("view", VIEWS)
def test_browser_draws_every_node_of_both_seeds(chromium, tmp_path, seeds_dataset, view):
    expected = project(seeds_dataset, view=view)
    assert expected.number_of_nodes() > 0
    page = visualize.render_view(seeds_dataset, view, out=tmp_path / f"{view}.html")
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"""<(?:script|link)[^>]+(?:src|href)=["']https?:""", html)  # offline: nothing fetched
    dom = _run(chromium, tmp_path, "--dump-dom", page.resolve().as_uri())
    body = re.search(r"<body[^>]*>", dom)
    assert body, dom[:500]
    # a large view opens folded: it draws the nodes not folded away, and no two of them overlap
    shown = int(re.search(r'data-expected-nodes="(\d+)"', html).group(1))
    drawn = re.search(r'data-drawn-nodes="(\d+)"', body.group(0))
    assert drawn and int(drawn.group(1)) == shown
    assert 'data-overlaps="0"' in body.group(0), body.group(0)
    # opened completely (a click on every folded node, here through the URL), it draws every node
    dom = _run(chromium, tmp_path, "--dump-dom", page.resolve().as_uri() + "#expand=all")
    body = re.search(r"<body[^>]*>", dom).group(0)
    assert f'data-drawn-nodes="{expected.number_of_nodes()}"' in body, body
    assert 'data-overlaps="0"' in body, body


def test_browser_opens_a_folded_node_on_click(chromium, tmp_path):
    from tests.test_visualize_views import _wide_graph
    from policy_kg.visualize.views import render_html

    page = render_html(_wide_graph(8, 5), title="t", out=tmp_path / "f.html")
    dom = _run(chromium, tmp_path, "--dump-dom", page.resolve().as_uri())
    assert 'data-drawn-nodes="10"' in dom
    # the click handler's own function, as a click on measure m3 calls it
    dom = _run(chromium, tmp_path, "--dump-dom", page.resolve().as_uri() + "#expand=m3")
    body = re.search(r"<body[^>]*>", dom).group(0)
    assert 'data-drawn-nodes="15"' in body and 'data-overlaps="0"' in body, body
