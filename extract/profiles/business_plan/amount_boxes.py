"""Money lines of the body: amount boxes (``事業費 …千円 （funder）``, wrapped over lines), fund additions."""

from __future__ import annotations

from policy_kg.extract.numbers import ERA_RE, YEN_RE, NumberFormatError, era_to_year, parse_yen
from policy_kg.extract.profiles.business_plan.items import _Item
from policy_kg.extract.profiles.business_plan.money import (
    _category,
    _continues,
    _funding,
    _is_amount_line,
    _is_status_line,
    _yen_ok,
)
from policy_kg.extract.profiles.business_plan.state import _ParseState
from policy_kg.extract.profiles.business_plan.text import _bracket_balance, _Char, _is_page_start, _nfkc
from policy_kg.extract.profiles.business_plan.words import _FUND_ADDITION, _LABELS, _NOTE_MARK, _WORDS
from policy_kg.extract.records import Amount, AmountCategory, Span


def _read_amount_box(state: _ParseState, n: int, end: int) -> int:
    """An amount box from line ``n``: its wrapped lines, a note under it; returns the next line."""
    lines = [n]
    k = n
    while True:
        last = state.line(k).strip()
        nxt = k + 1
        if last.endswith(("/", "／", "：", ":")):  # the box goes on after a separator, even past blanks
            while nxt <= end and state.blank(nxt):
                nxt += 1
        if nxt > end or state.blank(nxt) or _is_page_start(state.line(nxt)):
            break
        norm_next = _nfkc(state.line(nxt))
        wrapped = nxt == k + 1 and _bracket_balance(last) > 0 and not _is_amount_line(norm_next)
        if _continues(last) and _is_status_line(norm_next) or wrapped or (
            nxt == k + 1 and _is_status_line(norm_next)
        ):
            lines.append(nxt)
            k = nxt
            continue
        break
    amounts, notes = _amounts_in(state, lines)
    span = Span(lines[0], lines[-1])
    item = _Item("amount", span, state.pages[n], amounts=amounts)
    for line_no in range(lines[0], lines[-1] + 1):
        state.kind[line_no] = "amount" if not state.blank(line_no) else "blank"
    after = lines[-1] + 1
    if after <= end and _nfkc(state.line(after)).startswith(_NOTE_MARK) and not YEN_RE.search(_nfkc(state.line(after))):
        item.note = state.line(after).strip()
        item.span = Span(span.start, after)
        state.kind[after] = "note"
        lines.append(after)
    for note in notes:
        state.issue("info", note, span)
    if amounts:
        state.items.append(item)
    return lines[-1] + 1


def _read_fund_addition(state: _ParseState, n: int) -> None:
    """A note that a fund is topped up (…億円の基金追加造成): an amount of its own kind, never cost."""
    norm = _nfkc(state.line(n)).replace(" ", "")
    m = _FUND_ADDITION.search(norm)
    assert m is not None
    try:
        year = era_to_year(norm[: m.start()]) if ERA_RE.search(norm[: m.start()]) else state.year
    except NumberFormatError:
        year = state.year
    amount = Amount("fund_addition", parse_yen(m.group("amount")), m.group("amount"), Span.line(n),
                    fiscal_year=year, status="plan")
    state.kind[n] = "amount"
    state.items.append(_Item("amount", Span.line(n), state.pages[n], amounts=[amount]))


def _amounts_in(state: _ParseState, line_nos: list[int]) -> tuple[list[Amount], list[str]]:
    """Amounts of one box; its lines are read as one text (wrapped funding brackets)."""
    raw = "".join(state.line(k).strip() for k in line_nos)
    chars = _Char.of(raw)
    text = chars.text
    matches = [m for m in YEN_RE.finditer(text) if _yen_ok(m)]
    parts = []
    for i, m in enumerate(matches):
        prev_end = matches[i - 1].end() if i else 0
        next_start = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        label = text[prev_end : m.start()]
        tail = text[m.end() : next_start]
        parts.append((m, label, tail))
    amounts: list[Amount] = []
    notes: list[str] = []
    has_cost_word = any(_LABELS["cost"] in label for _, label, _ in parts)
    span = Span(line_nos[0], line_nos[-1])
    previous: AmountCategory | None = None
    for m, label, tail in parts:
        funding = _funding(chars, raw, m.end(), m.end() + len(tail), span)
        printed = chars.raw_slice(raw, m.start(), m.end())
        try:
            jpy = parse_yen(m.group(0))
        except NumberFormatError as exc:
            notes.append(f"amount {printed!r} could not be read: {exc}")
            continue
        category = _category(label)
        if category is None:
            if previous is not None and not label.strip(" /:：、"):
                category = previous
            elif has_cost_word:
                category = "loan_frame" if any(f.funding_type == _WORDS["loan_funding"] for f in funding) else "fund_size"
                notes.append(
                    f"unlabelled amount {printed!r} beside a stated 事業費 taken as {category} "
                    f"(funding {', '.join(f.label for f in funding) or 'not stated'}), not as project cost"
                )
            else:
                category = "total"
        previous = category
        year, status = (state.year, "plan") if category in ("total", "loan_frame") else (None, None)
        amounts.append(
            Amount(category, jpy, printed, span, fiscal_year=year, status=status, funding=tuple(funding))  # type: ignore[arg-type]
        )
    return amounts, notes
