"""The profiles' layout knowledge as data (``extract/profiles/*.yaml``): loaded once, all of it read."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from policy_kg.extract.business_plan import ROMAN, _roman_key
from policy_kg.extract.numbers import normalize
from policy_kg.extract.profiles import PROFILES_DIR, profile_words

REPO = Path(__file__).resolve().parents[1]
PROFILES = sorted(p.stem for p in PROFILES_DIR.glob("*.yaml"))


def test_both_profiles_have_a_data_file():
    assert PROFILES == ["business_plan", "evaluation_sheet"]


@pytest.mark.parametrize("profile", PROFILES)
def test_the_words_are_read_once(profile):
    assert profile_words(profile) is profile_words(profile)


@pytest.mark.parametrize("profile", PROFILES)
def test_every_entry_of_the_data_file_is_read_by_its_profile(profile):
    """A word in the data that no code reads would be a wording that silently does nothing."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in _profile_sources(profile))
    read = set(re.findall(r"""_WORDS\[["'](\w+)["']\]""", source))
    assert read, profile  # the pattern finds the reads at all
    assert set(profile_words(profile)) == read


def test_the_data_files_are_in_the_wheel():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "policy_kg.extract.profiles" in config["packages"]
    for package in sorted(PROFILES_DIR.glob("*/__init__.py")):  # a profile's parts
        assert f"policy_kg.extract.profiles.{package.parent.name}" in config["packages"]
    assert "profiles/*.yaml" in config["package-data"]["policy_kg.extract"]


def _profile_sources(profile: str) -> list[Path]:
    """The profile's module and, once it is split, the modules of its package."""
    module = REPO / "extract" / f"{profile}.py"
    return ([module] if module.is_file() else []) + sorted((PROFILES_DIR / profile).rglob("*.py"))


@pytest.mark.parametrize("numeral", list(ROMAN))
def test_a_pillar_key_is_the_shared_normalisation_of_its_numeral(numeral):
    """``_roman_key`` was its own NFKC; the shared ``numbers.normalize`` gives the same key for every numeral."""
    assert _roman_key(numeral) == normalize(numeral) == unicodedata.normalize("NFKC", numeral)
    assert _roman_key(numeral).isascii() and _roman_key(numeral).isupper()
