"""Amount lines and boxes: which lines state money, their categories, funding brackets, the covering total."""

from __future__ import annotations

import re

from policy_kg.extract.numbers import YEN_RE
from policy_kg.extract.profiles.business_plan.items import _Item
from policy_kg.extract.profiles.business_plan.text import _bracket_balance, _Char
from policy_kg.extract.profiles.business_plan.words import _AND_OTHERS, _CATEGORY_WORDS, _LINE_MARKS, FUNDING_TYPES
from policy_kg.extract.records import Amount, AmountCategory, FundingSource, Span


def _is_amount_line(norm: str) -> bool:
    """A line that states money: it opens with an amount, or an amount follows a category word."""
    s = norm.replace(" ", "")
    if not s or s.startswith(_LINE_MARKS):
        return False
    m = next((m for m in YEN_RE.finditer(s) if _yen_ok(m)), None)
    if m is None:
        return False
    return m.start() == 0 or _category(s[: m.start()]) is not None


def _is_status_line(norm: str) -> bool:
    """A line that continues an amount box: a cost, frame or running total without a bare headline."""
    s = norm.replace(" ", "")
    m = next((m for m in YEN_RE.finditer(s) if _yen_ok(m)), None)
    return m is not None and m.start() > 0 and _category(s[: m.start()]) is not None


def _continues(text: str) -> bool:
    """A box line that announces more: it ends with a separator or leaves a bracket open."""
    t = text.rstrip()
    return t.endswith(("/", "／", "：", ":")) or _bracket_balance(t) > 0


def _yen_ok(m: re.Match[str]) -> bool:
    return any(m.group(g) for g in ("oku", "man", "sen", "rest"))


def _category(label: str) -> AmountCategory | None:
    for word, category in _CATEGORY_WORDS:
        if word in label:
            return category
    return None


def _funding(chars: _Char, raw: str, start: int, stop: int, span: Span) -> list[FundingSource]:
    """Funding sources in the bracket after an amount (``（福島県補助金ほか）``)."""
    tail = chars.text[start:stop]
    m = re.match(r"\s*[(（]", tail)
    if not m:
        return []
    open_at = start + m.end() - 1
    depth = 0
    close_at = None
    for k in range(open_at, stop):
        ch = chars.text[k]
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth -= 1
            if depth == 0:
                close_at = k
                break
        elif ch in "/／:：" and depth == 1:
            close_at = k
            break
    inner_start = open_at + 1
    inner_end = close_at if close_at is not None else stop
    inner = chars.raw_slice(raw, inner_start, inner_end).strip()
    if close_at is not None and chars.text[close_at] in ")）" and not _funding_type(inner):
        # an outer bracket lost in the dump: （独）中小企業…助成金） — read to the last closer
        last = max((k for k in range(close_at + 1, stop) if chars.text[k] in ")）"), default=None)
        if last is not None:
            inner = chars.raw_slice(raw, open_at, last).strip()
    if _bracket_balance(inner) > 0:
        inner += "）"
    sources = []
    for piece in re.split(r"[、，,]", inner):
        piece = piece.strip()
        ftype = _funding_type(piece)
        if ftype is None:
            continue
        base = piece.replace(_AND_OTHERS, "")
        funder = base[: base.find(ftype)].strip() or None
        sources.append(FundingSource(piece, funder, ftype, span))
    return sources


def _funding_type(text: str) -> str | None:
    positions = [(text.find(t), -len(t), t) for t in FUNDING_TYPES if t in text]
    return min(positions)[2] if positions else None


def _covering_total(items: list[_Item]) -> int | None:
    """Index of the amount that is the project total of the others: larger than their sum, and
    its funding covers theirs (same funder+type each, or marked ほか "and others")."""
    if len(items) < 2:
        return None
    values = [sum(a.jpy for a in it.amounts if a.category == "total") for it in items]
    for i, item in enumerate(items):
        others = [v for j, v in enumerate(values) if j != i]
        if values[i] <= sum(others):
            continue
        mine = [f for a in item.amounts for f in a.funding]
        open_ended = any(_AND_OTHERS in f.label for f in mine)
        labels = {(f.funder, f.funding_type) for f in mine}
        theirs = {(f.funder, f.funding_type) for j, it in enumerate(items) if j != i for a in it.amounts for f in a.funding}
        if open_ended or theirs <= labels:
            return i
    return None


def _with_confidence(a: Amount, conf: float) -> Amount:
    from dataclasses import replace

    return replace(a, confidence=round(conf, 2))
