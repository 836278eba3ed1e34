"""Shared fixtures. Seed documents live beside the repo in ``../shared/seeds`` and are never copied.

In CI (``CI=true``) a missing seed fails the test loudly; on a user's machine it skips with a reason.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from policy_kg.graph.namespace import PKG

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
SAMPLES = REPO / "samples"
SEED_SHEET = "000_27ae6de2eb66d617.txt"
SEED_PLAN = "001_f1598f5ae4c769cb.txt"


def _seed(name: str) -> Path:
    path = SEEDS / name
    if not path.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"seed document {path} is missing (CI must run with ../shared beside the repo)")
        pytest.skip(f"seed documents not found at {SEEDS}")
    return path


@pytest.fixture
def seed_path():
    """``seed_path(name)`` → Path of a seed document (fails in CI, skips elsewhere if missing)."""
    return _seed


@pytest.fixture
def seed_sheet() -> Path:
    return _seed(SEED_SHEET)


@pytest.fixture
def seed_plan() -> Path:
    return _seed(SEED_PLAN)


class WholeRead:
    """Wraps a backend offering only its ``select``: ``run_query`` then reads the whole dataset even
    for a ``# scope: document`` query (the rows a document-scoped read must equal)."""

    def __init__(self, backend) -> None:
        self.select = backend.select


def assert_reads_only_named_graphs(remote, file_name: str) -> None:
    """A SPARQL server given ``default-graph-uri`` reads those graphs only (``graph.stores.RemoteBackend``)."""
    own = "/graph/" + Path(file_name).stem
    graphs = remote.document_graphs([file_name])
    assert graphs and any(g.endswith(own) for g in graphs), graphs
    query = f"SELECT DISTINCT ?name WHERE {{ ?doc <{PKG.fileName}> ?name }}"
    everything = {r[0] for r in remote.select(query, {}).as_text_rows()}
    confined = {r[0] for r in remote.select(query, {}, default_graphs=graphs).as_text_rows()}
    reference_only = remote.select(query, {}, default_graphs=[g for g in graphs if own not in g])
    assert len(everything) >= 2 and confined == {file_name} and reference_only.rows == []


def stop_server(proc) -> None:
    """Stop a ``policy-kg serve`` started by a test: SIGTERM (serve forwards it to the server), then kill."""
    import subprocess

    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
