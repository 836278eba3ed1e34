"""Which heading owns a figure: name matching and positional association for layout parsers.

Two questions come up whenever a PDF is dumped to text:

* *Are these two headings the same thing?* :func:`name_similarity` (character-bigram Dice) and
  :func:`match_name` answer it, always after the caller has matched by structural position.
* *Which heading does this amount / indicator block belong to?* :func:`place_on_page` (which
  project on a page) and :func:`place_in_parts` (which sub-project of one project) answer it from
  page boundaries, adjacency and document order, with a confidence and the alternative owner.

Nothing here knows a particular document; the rules are positional only.

>>> round(name_similarity("創業促進支援事業", "創業促進支援滋養"), 2)
0.71
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = [
    "NAME_MATCH_THRESHOLD", "Anchor", "Placement", "Slot", "match_name", "name_similarity",
    "normalise_name", "place_in_parts", "place_on_page", "split_columns",
]

#: Bigram-Dice score from which two headings are taken to name the same thing.
#: Measured on the business-plan seed: variants of one project (a one-kanji typo, a heading
#: wrapped over two lines, outline vs body) score ≥ 0.71; the closest pair of its 24 *different*
#: projects scores 0.42 (two …支援事業 names sharing 産業 and the suffix). 0.6 sits between, with
#: room for one wrong kanji in a name of five or more characters.
#: A rename (中小企業再生支援事業 → 中小企業活性化事業, 0.47) is below it on purpose: it is accepted
#: only by position and reported.
NAME_MATCH_THRESHOLD = 0.6

_DROP = re.compile(r"[\s・･、，,。．.「」『』\"'（）()\[\]【】]")


def normalise_name(name: str) -> str:
    """NFKC, without whitespace, brackets and list punctuation: the form names are compared in."""
    return _DROP.sub("", unicodedata.normalize("NFKC", name))


def _bigrams(s: str) -> Counter[str]:
    if len(s) < 2:
        return Counter([s]) if s else Counter()
    return Counter(s[i : i + 2] for i in range(len(s) - 1))


def name_similarity(a: str, b: str) -> float:
    """Dice coefficient of the character bigrams of two names (1.0 = same after normalising).

    >>> name_similarity("福島県産業交流館の管理運営", "福島県産業交流館の 管理運営")
    1.0
    """
    na, nb = normalise_name(a), normalise_name(b)
    if na == nb:
        return 1.0
    ba, bb = _bigrams(na), _bigrams(nb)
    total = sum(ba.values()) + sum(bb.values())
    if total == 0:
        return 0.0
    return 2 * sum((ba & bb).values()) / total


def match_name(name: str, candidates: dict[str, Sequence[str]]) -> tuple[str, float] | None:
    """The candidate key whose names score best against ``name``, if it reaches the threshold.

    ``candidates`` maps a key to the names already known for it. A tie between two keys is no
    match: a name that fits two entities equally well identifies neither.
    """
    scored = sorted(
        ((max((name_similarity(name, n) for n in names), default=0.0), key) for key, names in candidates.items()),
        reverse=True,
    )
    if not scored or scored[0][0] < NAME_MATCH_THRESHOLD:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return scored[0][1], scored[0][0]


# --- positional association ----------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    """A heading that can own items: the owner's key and where the heading is printed."""

    owner: str
    start: int
    end: int
    page: int
    column: int = 0  # position on its line when several headings share one line
    columns: int = 1
    listed: bool = False  # one of several headings printed together: a list, not a box title


@dataclass(frozen=True)
class Slot:
    """Where an item (amount line, indicator block …) is printed."""

    start: int
    end: int
    page: int


@dataclass(frozen=True)
class Placement:
    """The owner chosen for an item, how sure the rule is, and the runner-up if there was one."""

    owner: str
    confidence: float
    rule: str
    alternative: str | None = None


#: ``gap(a, b)``: True when every line strictly between lines ``a`` and ``b`` is filler
#: (blank, or another item of the same box) so the two are adjacent on the page.
Gap = Callable[[int, int], bool]


def place_on_page(
    slot: Slot, anchors: Sequence[Anchor], gap: Gap, *, may_precede: bool = True
) -> Placement | None:
    """Which of the headings on ``slot``'s page owns it; ``None`` if the page has no heading.

    Rules, in order: the only heading on the page (1.0); a heading directly above the item
    (1.0); if the item is of a kind that may be printed before its heading (``may_precede``:
    amount boxes, not indicator blocks), a heading directly below it (1.0); the nearest
    preceding heading on the page (0.8); else the first heading of the page (0.7). A heading
    directly above wins over one directly below: a box between two headings continues the first.
    Several headings on one line are columns: see :func:`split_columns`.
    """
    on_page = sorted((a for a in anchors if a.page == slot.page), key=lambda a: (a.start, a.column))
    if not on_page:
        return None
    owners = list(dict.fromkeys(a.owner for a in on_page))
    if len(owners) == 1:
        return Placement(owners[0], 1.0, "only heading on its page")
    before = [a for a in on_page if a.end < slot.start]
    if before and before[-1].columns == 1 and gap(before[-1].end, slot.start):
        return Placement(before[-1].owner, 1.0, "heading directly precedes")
    after = [a for a in on_page if a.start > slot.end]
    if may_precede and after and after[0].columns == 1 and gap(slot.end, after[0].start):
        return Placement(after[0].owner, 1.0, "heading directly follows")
    if before:
        chosen = before[-1]
        nxt = [a for a in on_page if a.start > slot.end]
        alt = nxt[0].owner if nxt and nxt[0].owner != chosen.owner else _other(on_page, chosen)
        if chosen.columns > 1:
            first = _first_column(on_page, chosen)
            return Placement(first.owner, 0.6, "first column of the heading line above", _other(on_page, first))
        return Placement(chosen.owner, 0.8, "nearest preceding heading on the page", alt)
    first = _first_column(on_page, on_page[0])
    return Placement(first.owner, 0.7, "no heading above it: first heading of the page", _other(on_page, first))


def split_columns(slots: Sequence[Slot], line_anchors: Sequence[Anchor]) -> list[Placement]:
    """Items printed under one line of ``k`` column headings: the i-th of ``k`` items to column i.

    When the count differs, every item goes to the first column (0.6) and names the second.
    """
    cols = sorted(line_anchors, key=lambda a: a.column)
    if len(slots) == len(cols):
        return [
            Placement(c.owner, 0.7, "i-th item under a line of column headings", _next(cols, c))
            for c in cols
        ]
    return [Placement(cols[0].owner, 0.6, "under a line of column headings", _next(cols, cols[0])) for _ in slots]


def _first_column(on_page: Sequence[Anchor], anchor: Anchor) -> Anchor:
    same_line = [a for a in on_page if a.start == anchor.start]
    return min(same_line, key=lambda a: a.column)


def _other(on_page: Sequence[Anchor], chosen: Anchor) -> str | None:
    for a in on_page:
        if a.owner != chosen.owner:
            return a.owner
    return None


def _next(cols: Sequence[Anchor], chosen: Anchor) -> str | None:
    others = [c.owner for c in cols if c.owner != chosen.owner]
    return others[0] if others else None


# --- sub-project level -----------------------------------------------------------------------------

#: Weights of the positional rules at sub-project level. The strongest is a one-to-one pairing in
#: document order (as many items as parts: the PDF prints one box per part); adjacency to a lone
#: part heading comes next; the nearest preceding part heading is weak evidence on its own.
W_PAIR, W_ADJACENT, W_NEAREST, W_FALLBACK = 0.9, 0.8, 0.5, 0.4
#: A part heading above with only its description before the item: a little stronger than a bare
#: heading directly below, since a part's box is printed after its text (seed 001: ④ of (1)).
W_DESCRIBED = 0.85


def place_in_parts(
    slots: Sequence[Slot],
    parts: Sequence[Anchor],
    *,
    gap_after: Gap,
    gap_before: Gap | None = None,
    gap_described: Gap | None = None,
    single_stays: bool = True,
    fallback: bool = True,
    after_list_stays: bool = False,
    closed: Sequence[frozenset[str]] | None = None,
) -> list[Placement | None]:
    """Which part (sub-project) owns each item of one project; ``None`` = the project itself.

    Votes: pairing in order when there are as many items as parts (0.9); a lone part heading
    directly above (``gap_after``) or, for kinds printed at the top of their box, directly below
    (``gap_before``, ``None`` = not used) the item (0.8 each); the nearest part heading above,
    lone or the last of a list, when only its own description separates it from the item
    (``gap_described``, ``None`` = not used; 0.85); the nearest lone part heading above on the page
    (0.5). A heading above with its description thus outvotes a bare heading below: a part's box
    is printed after its text.
    A part listed in ``closed[i]`` cannot own item i (its box ended before the item). The owner
    with the largest sum wins; its confidence is its strongest rule, +0.05 per further agreeing
    rule, at most 0.95. With no vote and ``fallback`` the nearest part heading on the page either
    way is taken (0.4), else the item stays with the project. With ``single_stays`` a lone item of
    a project with several parts stays with the project unless a part heading is adjacent. With
    ``after_list_stays`` (kinds printed after their heading) an item whose nearest part heading
    above on its page is one of a list stays with the project, and no item is paired: a list of
    headings is not a box title, so what follows it is the whole project's.
    """
    if not parts or not slots:
        return [None for _ in slots]
    ordered = sorted(parts, key=lambda a: (a.start, a.column))
    by_number = list(parts)  # the caller passes parts in their numbering order (①, ②, …)
    after_list = [after_list_stays and _follows_list(slot, ordered) for slot in slots]
    pairing = len(slots) == len(by_number) and len(by_number) >= 2 and not any(after_list)
    results: list[Placement | None] = []
    for i, slot in enumerate(slots):
        if after_list[i]:
            results.append(None)
            continue
        votes: dict[str, list[tuple[float, str]]] = {}

        def vote(owner: str, weight: float, rule: str, _votes: dict[str, list[tuple[float, str]]] = votes) -> None:
            _votes.setdefault(owner, []).append((weight, rule))

        shut = closed[i] if closed is not None else frozenset()
        if pairing:
            vote(by_number[i].owner, W_PAIR, "as many items as parts: paired in order")
        lone = [a for a in ordered if not a.listed and a.columns == 1 and a.owner not in shut]
        above = [a for a in lone if a.end < slot.start and a.page == slot.page]
        if above and gap_after(above[-1].end, slot.start):
            vote(above[-1].owner, W_ADJACENT, "part heading directly above")
        # the last heading of a list may still open a box of its own: its text, then its amount
        titled = [a for a in ordered if a.columns == 1 and a.owner not in shut
                  and a.end < slot.start and a.page == slot.page]
        if titled and gap_described is not None and not gap_after(titled[-1].end, slot.start) \
                and gap_described(titled[-1].end, slot.start):
            vote(titled[-1].owner, W_DESCRIBED, "part heading above, only its description between")
        below = [a for a in lone if a.start > slot.end and a.page == slot.page]
        if gap_before is not None and below and gap_before(slot.end, below[0].start):
            vote(below[0].owner, W_ADJACENT, "part heading directly below")
        if above:
            vote(above[-1].owner, W_NEAREST, "nearest lone part heading above on the page")
        for owner in shut:
            votes.pop(owner, None)
        adjacent = any(rule.startswith("part heading directly") for vs in votes.values() for _, rule in vs)
        if single_stays and len(slots) == 1 and len(parts) >= 2 and not adjacent:
            results.append(None)
            continue
        if not votes:
            open_parts = [a for a in ordered if a.owner not in shut]
            results.append(_nearest_either_way(slot, open_parts) if fallback else None)
            continue
        results.append(_tally(votes))
    return results


def _follows_list(slot: Slot, ordered: Sequence[Anchor]) -> bool:
    """True when the nearest part heading above ``slot`` on its page is one of a list."""
    above = [a for a in ordered if a.end < slot.start and a.page == slot.page]
    return bool(above) and above[-1].listed


def _tally(votes: dict[str, list[tuple[float, str]]]) -> Placement:
    ranked = sorted(votes.items(), key=lambda kv: sum(w for w, _ in kv[1]), reverse=True)
    owner, rules = ranked[0]
    strongest = max(w for w, _ in rules)
    confidence = min(0.95, strongest + 0.05 * (len(rules) - 1))
    alternative = ranked[1][0] if len(ranked) > 1 else None
    rule = "; ".join(r for _, r in sorted(rules, reverse=True))
    return Placement(owner, round(confidence, 2), rule, alternative)


def _nearest_either_way(slot: Slot, ordered: Sequence[Anchor]) -> Placement | None:
    same_page = [a for a in ordered if a.page == slot.page]
    if not same_page:
        return None
    dist = sorted(same_page, key=lambda a: min(abs(a.start - slot.end), abs(slot.start - a.end)))
    alt = next((a.owner for a in dist[1:] if a.owner != dist[0].owner), None)
    return Placement(dist[0].owner, W_FALLBACK, "nearest part heading on the page (no other evidence)", alt)
