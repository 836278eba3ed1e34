"""Grant conditions of the body: a ceiling line with its tiers and rate (loan terms absorbed), or one line of both."""

from __future__ import annotations

from policy_kg.extract.numbers import YEN_RE, parse_fraction, parse_yen
from policy_kg.extract.profiles.business_plan.conditions import _one_line_condition, _tiers
from policy_kg.extract.profiles.business_plan.items import _Item
from policy_kg.extract.profiles.business_plan.money import _is_amount_line, _yen_ok
from policy_kg.extract.profiles.business_plan.state import _ParseState
from policy_kg.extract.profiles.business_plan.text import _Char, _clean, _join_wrapped, _nfkc, _segments
from policy_kg.extract.profiles.business_plan.words import _CEILING_HEAD, _GRANT, _LINE_MARKS, _RATE_HEAD, _TERMS_HEAD
from policy_kg.extract.records import Amount, GrantCondition, Span


def _read_conditions(state: _ParseState, n: int, end: int) -> int:
    """A grant-condition group: ceiling line(s), tiers, rate; loan terms are absorbed."""
    start = n
    head_norm = _nfkc(state.line(n))
    if _one_line_condition(head_norm) and not _CEILING_HEAD.match(head_norm):
        cond = _read_one_line_condition(state, n)
        state.kind[n] = "condition"
        state.items.append(_Item("condition", Span.line(n), state.pages[n], conditions=[cond]))
        return n + 1
    segments = _segments(state.lines, n, end)
    first = segments[0]
    used = [first]
    for seg in segments[1:]:
        head = _nfkc(state.line(seg[0]))
        if _CEILING_HEAD.match(head) or _one_line_condition(head):
            break
        if _RATE_HEAD.match(head) or _TERMS_HEAD.match(head):
            used.append(seg)
            continue
        if any(_RATE_HEAD.match(_nfkc(state.line(s[0]))) for s in used):
            break
        text = _nfkc(" ".join(state.line(k) for k in seg))
        if YEN_RE.search(text.replace(" ", "")) and not text.startswith(_LINE_MARKS) and not _is_amount_line(text):
            used.append(seg)
            continue
        break
    tiers: list[tuple[str, int, str, Span]] = []  # label, jpy, printed, span
    rate_lines: list[str] = []
    terms: list[str] = []
    formula: list[str] = []
    keyword = _CEILING_HEAD.match(head_norm).group("kw") if _CEILING_HEAD.match(head_norm) else _GRANT["default_ceiling"]
    for seg in used:
        head = _nfkc(state.line(seg[0]))
        if _RATE_HEAD.match(head):
            rate_lines.extend(state.line(k).strip() for k in seg)
            continue
        if _TERMS_HEAD.match(head):
            terms.append(_clean(" ".join(state.line(k).strip() for k in seg)))
            continue
        raw = _join_wrapped(state.line(k) for k in seg)
        found = _tiers(raw, keyword)
        if found:
            tiers.extend((label, jpy, printed, Span(seg[0], seg[-1])) for label, jpy, printed in found)
        elif seg is first:
            formula.append(_CEILING_HEAD.sub("", _nfkc(raw)) if raw else "")
    rate_text = None
    rate = None
    if rate_lines:
        rate_text = _clean(" ".join([_RATE_HEAD.sub("", rate_lines[0].strip())] + rate_lines[1:]))
        rate = parse_fraction(rate_text)
    last = used[-1][-1]
    span = Span(start, last)
    conditions = []
    for label, jpy, printed, tspan in tiers:
        ceiling = Amount("grant_ceiling", jpy, printed, tspan)
        conditions.append(GrantCondition(span, label or keyword, ceiling, rate_text, rate))
    if not tiers:
        text = "".join(formula).strip()
        conditions.append(GrantCondition(span, f"{keyword}（{text}）" if text else keyword, None, rate_text, rate))
    if terms:
        state.issue("info", "loan/grant terms not modelled: " + "; ".join(terms), span)
    for k in range(start, last + 1):
        state.kind[k] = "condition" if not state.blank(k) else "blank"
    state.items.append(_Item("condition", span, state.pages[start], conditions=conditions))
    return last + 1


def _read_one_line_condition(state: _ParseState, n: int) -> GrantCondition:
    """A condition printed on one line: label, ceiling and rate."""
    raw = state.line(n).strip()
    chars = _Char.of(raw)
    m = next(m for m in YEN_RE.finditer(chars.text) if _yen_ok(m))
    label = chars.text[: m.start()].split(" ")[0].strip() or None
    printed = chars.raw_slice(raw, m.start(), m.end())
    after = chars.text[m.end() :]
    clause = next((c for c in reversed(after.split("、")) if parse_fraction(c) is not None), after)
    rate_text = _clean(clause)
    ceiling = Amount("grant_ceiling", parse_yen(m.group(0)), printed, Span.line(n))
    return GrantCondition(Span.line(n), label, ceiling, rate_text, parse_fraction(rate_text))
