"""Text helpers of the business-plan profile: normalised lines, page starts, wrapped phrases, the plan's year."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from policy_kg.extract.numbers import normalize
from policy_kg.extract.profiles.business_plan.words import _BADGE, _KIND_CHARS


def _nfkc(s: str) -> str:
    return normalize(s).strip()


def _roman_key(roman: str) -> str:
    """The key of a pillar numeral (Ⅱ → II): the shared normalisation, as for every other word."""
    return normalize(roman)


def _common_run(a: str, b: str) -> int:
    """Length of the longest run of characters that ``a`` and ``b`` share."""
    best = 0
    for i in range(len(b)):
        for j in range(i + best + 1, len(b) + 1):
            if b[i:j] in a:
                best = j - i
            else:
                break
    return best


def _is_marker(s: str) -> bool:
    """Layout markers that are not prose: POINTG badges, lone kind letters of indicator blocks."""
    return s.startswith(_BADGE) or (len(s) == 1 and s in _KIND_CHARS)


def _is_page_start(raw: str) -> bool:
    return raw.startswith(" ") and not raw.startswith("  ") and bool(raw.strip())


def _clean(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _join_wrapped(parts: Iterable[str]) -> str:
    """Join lines of one wrapped phrase (Japanese text wraps without a space)."""
    return "".join(p.strip() for p in parts)


def _bracket_balance(s: str) -> int:
    return sum(s.count(c) for c in "（(") - sum(s.count(c) for c in "）)")


@dataclass
class _Char:
    """A normalised line with, for each of its characters, the index of the raw character."""

    text: str
    index: list[int]

    @classmethod
    def of(cls, raw: str) -> _Char:
        out: list[str] = []
        index: list[int] = []
        for i, ch in enumerate(raw):
            norm = normalize(ch)
            if norm.isspace() or not norm:
                norm = " "
            out.append(norm)
            index.extend([i] * len(norm))
        return cls("".join(out), index)

    def raw_slice(self, raw: str, start: int, end: int) -> str:
        if start >= end:
            return ""
        return raw[self.index[start] : self.index[end - 1] + 1]


def _segments(lines: tuple[str, ...], start: int, end: int) -> list[list[int]]:
    """Runs of non-blank lines from ``start`` (inclusive) to ``end``, in order."""
    segs: list[list[int]] = []
    cur: list[int] = []
    for n in range(start, end + 1):
        if lines[n - 1].strip() and not (n > start and _is_page_start(lines[n - 1])):
            cur.append(n)
        elif lines[n - 1].strip():
            break
        elif cur:
            segs.append(cur)
            cur = []
    if cur:
        segs.append(cur)
    return segs or [[start]]


def _plan_year(lines: tuple[str, ...]) -> int | None:
    """The plan's fiscal year: the year most often written ``…年度`` (令和N年度 or 20NN年度)."""
    counts: Counter[int] = Counter()
    for raw in lines:
        s = normalize(raw)
        for m in re.finditer(r"令和\s*(元|\d{1,2})\s*年度", s):
            counts[2018 + (1 if m.group(1) == "元" else int(m.group(1)))] += 1
        for m in re.finditer(r"(20\d\d)\s*年度", s):
            counts[int(m.group(1))] += 1
    if not counts:
        return None
    return max(counts, key=lambda y: (counts[y], y))


def _full_width(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def _ranges(nums: list[int]) -> str:
    out: list[str] = []
    start = prev = nums[0]
    for x in nums[1:]:
        if x == prev + 1:
            prev = x
            continue
        out.append(f"{start}" if start == prev else f"{start}-{prev}")
        start = prev = x
    out.append(f"{start}" if start == prev else f"{start}-{prev}")
    return ", ".join(out)
