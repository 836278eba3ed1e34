"""Which kind of document this is, from evidence, with a confidence.

Kinds: ``evaluation_sheet`` (one project), ``measure_evaluation`` (several projects of a measure,
施策評価 or a list of results), ``business_plan``, ``kpi_review``, ``budget_summary`` and
``template`` (a blank form or a guide to reading one, which yields no facts). The evidence words
are the vocabulary's ``kinds`` and ``template`` sections: a word of the title weighs 10, a word of
the body 1 (what a document calls itself outweighs the labels it shares with other kinds). The
confidence is the winner's share of all the evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policy_kg.extract.engine.normalize import NOTE_MARKS, Line
from policy_kg.extract.engine.vocabulary import KindEvidence, Vocabulary

TITLE_CHARS = 240  # the title block: what a dump prints before the body (headers, the sheet's name)
TITLE_WEIGHT = 10
GUIDE_HEAD = 60  # a guide says so in its heading: 評価シート作成の手引き (a sheet's later note 記入方法は… does not)
MIN_SCORE = 3  # fewer than three body words and no title word is no evidence of a policy document
_FIGURE = re.compile(r"\d[\d,]{2,}")


@dataclass(frozen=True)
class Kind:
    name: str
    confidence: float
    evidence: tuple[str, ...]  # the words that decided it, as ``title:…`` / ``body:…``


def _covered(title: str, words: set[str]) -> set[str]:
    """Title words printed only inside a longer title word (評価シート inside 施策評価シート): the longer one
    is what the document calls itself."""
    spans = {w: [(m.start(), m.start() + len(w)) for m in re.finditer(re.escape(w), title)]
             for w in words if w in title}
    return {w for w, mine in spans.items() if mine and all(
        any(o != w and len(o) > len(w) and a <= s and e <= b for o, theirs in spans.items() for a, b in theirs)
        for s, e in mine)}


def _modifiers(title: str, vocab: Vocabulary) -> dict[str, set[str]]:
    """Per kind, its title words printed only right before a title word of another kind (one blank at most
    between, or overlapping it): a Japanese compound names its kind by its last word, so 事務事業評価 in
    事務事業評価 一覧表 says what the list lists, not that it is one sheet. The words of ``title_topics`` kinds
    (総合戦略, KPI) name what a document reviews, whatever its form: they are never modifiers."""
    found = [(m.start(), m.end(), name, w) for name, ev in vocab.kinds.items() for w in ev.title
             for m in re.finditer(re.escape(w), title)]
    out: dict[str, set[str]] = {}
    for name in vocab.kinds:
        if name in vocab.title_topics:
            continue
        mine = [(s, e, w) for s, e, n, w in found if n == name]
        for word in {w for _, _, w in mine}:
            if all(_modifies(found, name, title, s, e) for s, e, w in mine if w == word):
                out.setdefault(name, set()).add(word)
    return out


def _modifies(found: list[tuple[int, int, str, str]], kind: str, title: str, start: int, end: int) -> bool:
    """Whether a title word at ``start:end`` is printed right before (or overlapping) another kind's."""
    return any(n != kind and start < s2 and e2 > end and (s2 <= end or title[end:s2] in (" ", "\u3000"))
               for s2, e2, n, _ in found)


def _score(evidence: KindEvidence, title: str, body: str, covered: set[str] = frozenset()
           ) -> tuple[int, list[str]]:
    score, found = 0, []
    for word in evidence.title:
        if word in title and word not in covered:
            score += TITLE_WEIGHT
            found.append(f"title:{word}")
    for word in evidence.body:
        if word in body:
            score += 1
            found.append(f"body:{word}")
    return score, found


def classify(lines: list[Line], vocab: Vocabulary) -> Kind | None:
    """The most likely kind of the document, or None when nothing shows it is a policy document."""
    body = "\n".join(line.text for line in lines)
    title = body[:TITLE_CHARS]
    covered = _covered(title, {w for ev in vocab.kinds.values() for w in ev.title})
    modifiers = _modifiers(title, vocab)
    scores = {name: _score(ev, title, body, covered | modifiers.get(name, set())) for name, ev in vocab.kinds.items()}
    t_score, t_found = _score(vocab.template, title, body)
    # A guide explains every field in prose; a real sheet fills them with figures. Count how often
    # the guide's phrases occur, and how many figures the document prints.
    # (A note on a filled sheet, ※…を記入してください, is the form's instruction left printed: not counted.)
    prose = "\n".join(line.text for line in lines if not line.text.startswith(NOTE_MARKS))
    phrases = sum(prose.count(word) for word in vocab.template.body)
    figures = len(_FIGURE.findall(body))
    if t_found and (any(f.startswith("title:") for f in t_found) or phrases >= 3 and figures <= phrases):
        t_score += TITLE_WEIGHT * phrases
        if any(w in body[:GUIDE_HEAD] for w in vocab.template.title):
            # 事務事業評価シート作成の手引き: a guide's heading names the sheet it explains
            t_score = max(t_score, max(score for score, _ in scores.values()) + 1)
        scores["template"] = (t_score, t_found)
    # A blank form leaves blanks where a sheet prints its years (令和 年度, 基準値( 年度)) and no figures.
    blanks = sum(len(p.findall(body)) for p in vocab.template_blanks)
    if blanks and figures <= blanks - 1:
        scores["template"] = (scores.get("template", (0, []))[0] + TITLE_WEIGHT * (blanks + 1),
                              [*scores.get("template", (0, []))[1], f"blank years:{blanks}"])
    name, (best, found) = max(scores.items(), key=lambda kv: (kv[1][0], kv[0] == "evaluation_sheet"))
    if best < MIN_SCORE:
        return None
    total = sum(score for score, _ in scores.values())
    return Kind(name, round(best / total, 2), tuple(found))
