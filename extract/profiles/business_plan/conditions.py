"""Grant conditions: tiers of a ceiling text (（通常枠）… 以内) and ceiling and rate on one line."""

from __future__ import annotations

import re

from policy_kg.extract.numbers import YEN_RE, NumberFormatError, parse_fraction, parse_yen
from policy_kg.extract.profiles.business_plan.money import _yen_ok
from policy_kg.extract.profiles.business_plan.text import _Char
from policy_kg.extract.profiles.business_plan.words import _AFTER_AMOUNT_RE, _GRANT, _LINE_MARKS


def _one_line_condition(norm: str) -> bool:
    """``従来型 …総額310万円を上限に、その3分の2を支援``: ceiling and rate on one line."""
    s = norm.replace(" ", "")
    return (
        not s.startswith(_LINE_MARKS)
        and _GRANT["one_line_ceiling"] in s
        and any(_yen_ok(m) for m in YEN_RE.finditer(s))
        and parse_fraction(s) is not None
    )


def _tiers(raw: str, keyword: str) -> list[tuple[str, int, str]]:
    """(label, yen, printed) of every amount in a ceiling text, labelled by the words before it.

    A bracketed tier name at the start of a clause (``（通常枠）単年…``) prefixes the labels that
    follow it until the next tier name.
    """
    chars = _Char.of(raw)
    text = chars.text
    out = []
    prev = 0
    tier = ""
    for m in YEN_RE.finditer(text):
        if not _yen_ok(m):
            continue
        local = text[prev : m.start()]
        local = re.sub(rf"^\s*{keyword}", "", local) if prev == 0 else local
        local = local.strip(" 、,:：)）")
        t = re.match(r"^[(（]([^()（）]+)[)）]", local)
        if t:
            tier = t.group(0)
        elif tier and local.startswith(("(", "（")):
            tier = ""
        label = local.lstrip("(（").strip() if not t else local
        if tier and not label.startswith(tier):
            label = tier + label
        label = label.replace(_GRANT["within"], "").strip(" 、,:：")
        try:
            jpy = parse_yen(m.group(0))
        except NumberFormatError:
            prev = m.end()
            continue
        out.append((label, jpy, chars.raw_slice(raw, m.start(), m.end())))
        prev = m.end()
        # "以内" and closing brackets after an amount belong to it, not to the next label
        rest = _AFTER_AMOUNT_RE.match(text[prev:])
        prev += rest.end() if rest else 0
    return out
