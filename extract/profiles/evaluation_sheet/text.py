"""Text helpers of the evaluation-sheet profile: the compact form of labels, cells, wrapped lines, units."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from policy_kg.extract.numbers import is_no_value
from policy_kg.extract.profiles.evaluation_sheet.words import _DEPT_RE, _LINE_MARKS, _NUMBER_RE
from policy_kg.extract.records import IssueLog, Span, Unit


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


_WHITESPACE_RE = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def _compact(text: str) -> str:
    """NFKC without any whitespace: the form used to compare labels and names."""
    # cached: the parsing passes ask for the same lines again and again (about 10k calls a sheet)
    return _WHITESPACE_RE.sub("", _nfkc(text))


def _int(digits: str) -> int:
    return int(_nfkc(digits))


def _tokens(raw: str) -> list[re.Match[str]]:
    return list(re.finditer(r"\S+", raw))


def _raw_between(raw: str, tokens: list[re.Match[str]]) -> str | None:
    """The raw text covering ``tokens`` (inner spacing kept), or ``None`` when there are none."""
    if not tokens:
        return None
    return raw[tokens[0].start(): tokens[-1].end()]


def _after_label(raw: str, label: str) -> str:
    """``raw`` without a leading ``label`` (whitespace inside the label tolerated)."""
    pattern = r"\s*" + r"\s*".join(re.escape(ch) for ch in label)
    m = re.match(pattern, raw)
    return raw[m.end():].strip() if m else raw.strip()


def _is_number(cell: str) -> bool:
    return bool(_NUMBER_RE.match(_nfkc(cell).strip()))


def _is_value_cell(cell: str) -> bool:
    return _is_number(cell) or is_no_value(cell)


def _join_wrapped(texts: Iterable[str]) -> str:
    """Join lines a PDF wrapped mid-sentence; a bullet (・) or a bracketed note starts a new line."""
    out = ""
    for text in texts:
        t = text.strip()
        if not t:
            continue
        if out and t.startswith(_LINE_MARKS):
            out += "\n"
        out += t
    return out


def split_unit(text: str, span: Span) -> Unit | None:
    """Department and division from ``観光商工部　商工課`` / ``観光商工部・商工課`` / ``観光商工部商工課``.

    >>> split_unit("観光商工部商工課", Span.line(1))
    Unit(department='観光商工部', division='商工課', span=Span(start=1, end=1))
    """
    t = text.strip()
    if not t:
        return None
    m = _DEPT_RE.match(t)
    if m:
        return Unit(m.group("dept").strip(), m.group("div").strip() or None, span)
    parts = re.split(r"[\s・]+", t, maxsplit=1)
    return Unit(parts[0], parts[1] if len(parts) > 1 and parts[1] else None, span)


def _unit_key(unit: Unit | None) -> str:
    return "" if unit is None else _compact(unit.department + (unit.division or ""))


class _Issues(IssueLog):
    """Collects ``ExtractionIssue``s (identical ones once, counted: see ``IssueLog``)."""


def _prev_nonblank(lines: tuple[str, ...], i: int) -> int | None:
    for j in range(i - 1, -1, -1):
        if lines[j].strip():
            return j
    return None


def _next_nonblank(lines: tuple[str, ...], i: int, end: int) -> int | None:
    for j in range(i, min(end, len(lines))):
        if lines[j].strip():
            return j
    return None


def _paragraphs(lines: tuple[str, ...], start: int, end: int) -> list[list[int]]:
    """Runs of non-blank line indices in ``[start, end)``, split at blank lines."""
    out: list[list[int]] = []
    current: list[int] = []
    for i in range(start, min(end, len(lines))):
        if lines[i].strip():
            current.append(i)
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def _project_key(measure: int | None, number: int) -> str:
    return f"m{measure if measure is not None else 0}-p{number}"


def _group_adjacent(lines: tuple[str, ...], indices: list[int]) -> list[list[int]]:
    """Split line indices into paragraphs: a gap (blank line) between two indices starts a new one."""
    out: list[list[int]] = []
    for i in indices:
        if out and all(not lines[j].strip() for j in range(out[-1][-1] + 1, i)) and out[-1][-1] == i - 1:
            out[-1].append(i)
        else:
            out.append([i])
    return out
