"""Who published a document: the organisation or local government its title area names.

- An organisation with a legal form (``公益財団法人 しらかば文化振興財団``) in the first lines is the
  publisher: a foundation's or agency's plan names itself at its head.
- Else the municipality or prefecture named most often in the first lines (the title, the page
  head), matched against the reference list of Japan's local governments
  (``ontology/municipalities.csv``: the MIC 全国地方公共団体コード list). Only listed names count, so
  words that merely end like one (平和都市, 国県) are not publishers; a municipality wins a tie with a
  prefecture (東京都稲城市 is the city's document).
- A local government's 全国地方公共団体コード goes with it (so a corpus joins with statistics kept by
  that code) when its name is one local government's, or the prefecture printed beside a shared
  name (府中市 is in 東京都 and 広島県) says which; else the name stays without a code.
- A document that prints no name there takes the name printed at least twice in its text
  (貝塚市立公民館条例 … 貝塚市公共施設…: its own ordinances), never one printed once (an event's name,
  千代田区さくらフェス, is not its publisher); else it has none.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from policy_kg.extract.engine.normalize import Line
from policy_kg.extract.engine.vocabulary import Vocabulary, vocabulary
from policy_kg.extract.organisations import LEGAL_FORMS, find_organisations

MUNICIPALITIES_FILE = Path(__file__).resolve().parents[2] / "ontology" / "municipalities.csv"
HEAD_LINES = 15  # the title area: a web dump's navigation lines come first
ORG_LINES = 6


@dataclass(frozen=True)
class Publisher:
    name: str
    code: str | None = None  # 全国地方公共団体コード (six digits, with its check digit)


@dataclass(frozen=True)
class _Places:
    prefectures: frozenset[str]
    codes: dict[str, list[tuple[str, str]]]  # name -> (prefecture, code) of each local government so named
    endings: frozenset[str]  # the last characters of the names (市 町 村 区 都 道 府 県)
    longest: int

    def names_in(self, text: str, boundaries: frozenset[int] = frozenset()) -> list[str]:
        """The listed names in ``text``, leftmost first, longest at each end, none overlapping
        (東京都市町村 holds 東京都, not 京都市). A scan of the names' last characters: one set lookup per
        candidate, where an alternation of 1,788 names cost more than the rest of the reading."""
        found: list[str] = []
        taken_until = 0
        for end, ch in enumerate(text, 1):
            if ch not in self.endings:
                continue
            for start in range(max(taken_until, end - self.longest), end - 1):
                if text[start:end] in self.codes:
                    if (start and start not in boundaries and _NAME_CHAR.match(text[start - 1])
                            and text[start - 1] not in _BEFORE_NAME):
                        break  # 青葉原村 holds 原村 but names another village, one the list lacks
                    found.append(text[start:end])
                    taken_until = end
                    break
        return found


@cache
def _places() -> _Places:
    with MUNICIPALITIES_FILE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    codes: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        codes.setdefault(row["name"], []).append((row["prefecture"], row["code"]))
    return _Places(frozenset(row["prefecture"] for row in rows), codes, frozenset(n[-1] for n in codes),
                   max(map(len, codes)))


_NAME_CHAR = re.compile(r"[\u4e00-\u9fff\u30a0-\u30ffヶ]")  # a kanji or katakana: a longer name's part
_BEFORE_NAME = "都道府県郡市"  # 長野県原村, 北設楽郡東栄町: a prefecture or county before the name
_LEGAL_FORM_SPACE = re.compile("(" + "|".join(re.escape(f) for f in sorted(LEGAL_FORMS, key=len, reverse=True))
                               + r")\s+")


def find_publisher(lines: list[Line], vocab: Vocabulary | None = None) -> Publisher | None:
    """The publisher named in the first lines of ``lines``, or None. An organisation printed after a
    label of the party a document reviews (指定管理者 一般財団法人…, the vocabulary's ``reviewed_parties``)
    is not its publisher."""
    reviewed = (vocab or vocabulary()).reviewed_parties
    for line in lines[:ORG_LINES]:
        text = _LEGAL_FORM_SPACE.sub(r"\1", line.text)
        for name, start in find_organisations(text):
            if name.startswith(LEGAL_FORMS) and not text[:start].rstrip(" :：　").endswith(reviewed):
                return Publisher(name)
    return _most_named(lines[:HEAD_LINES], 1) or _most_named(lines, 2)


def _most_named(lines: list[Line], at_least: int) -> Publisher | None:
    places = _places()
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for k, line in enumerate(lines):
        words = line.text.split(" ")  # (a blank removed before a name is its boundary: 令和5年度 長野県)
        starts = frozenset(sum(map(len, words[:k])) for k in range(1, len(words)))
        for name in places.names_in("".join(words), starts):
            counts[name] += 1
            first.setdefault(name, k)
    named = [n for n in counts if counts[n] >= at_least]
    if not named:
        return None
    name = max(named, key=lambda n: (counts[n], n not in places.prefectures, -first[n]))
    candidates = places.codes[name]
    if len(candidates) > 1:  # a name several local governments share: the prefecture printed beside it decides
        candidates = [(pref, code) for pref, code in candidates if pref in counts]
    return Publisher(name, candidates[0][1] if len(candidates) == 1 else None)
