"""Shared fixtures. Seed documents live beside the repo in ``../shared/seeds`` and are never copied.

In CI (``CI=true``) a missing seed fails the test loudly; on a user's machine it skips with a reason.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
