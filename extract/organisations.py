"""Organisation names in running Japanese text, found by a structural rule.

The text is cut into *name runs* (kanji, katakana, Latin letters, digits, ``・``, ``㈱`` / ``（株）``)
and *hiragana runs*; anything else (punctuation, brackets, spaces) ends both. A name is a name run
cut after the last organisational suffix it contains (協議会, 協同組合, センター …), or a run opened
by a legal form (一般財団法人, 株式会社 …). A hiragana place-name prefix (みどり野…, あいづ…) is
attached when it starts a word: after punctuation, or after a particle / verb ending (の, が, を,
である …), never after a kanji whose okurigana it is. Known limit: a hiragana name that itself
contains a particle-like kana (ひがし野 has が) loses the part before it, unless a legal form opens it
(公益財団法人ひがし野スポーツ協会). Bare type words (協議会, 商工会議所 …) and
deictic ones (同協議会, 実行委員会) are not names.

>>> find_organisations("市は会津漆器協同組合と連携した。")
[('会津漆器協同組合', 2)]
>>> normalise_org_name("一般財団法人　伝統的工芸品産業振興協会")
'伝統的工芸品産業振興協会'
>>> normalise_org_name("イオン㈱")
'イオン'
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import NamedTuple

__all__ = [
    "LEGAL_FORMS", "ORG_SUFFIXES", "find_organisations", "find_places", "find_publisher",
    "normalise_org_name",
]

#: Endings that make a run an organisation name; longest first so 商工会議所 wins over 会議所.
ORG_SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        {
            "協同組合", "協議会", "協会", "商工会議所", "会議所", "商工会", "組合", "大学", "機構",
            "センター", "委員会", "財団", "法人", "プラザ", "研究所", "工業会", "連合会", "事業団",
            "公社", "銀行", "信用金庫", "株式会社", "有限会社", "合同会社", "DMO", "ＤＭＯ",
            "㈱", "（株）", "(株)",
        },
        key=len,
        reverse=True,
    )
)

#: Cheap pre-check: text with none of these cannot contain a name (every suffix ends in one of them).
_SUFFIX_PROBES = tuple(sorted({s[-1] for s in ORG_SUFFIXES}))

#: Legal forms that may open (or close) a name; stripped by :func:`normalise_org_name`.
LEGAL_FORMS: tuple[str, ...] = tuple(
    sorted(
        {
            "一般財団法人", "一般社団法人", "公益財団法人", "公益社団法人", "社会福祉法人",
            "特定非営利活動法人", "NPO法人", "ＮＰＯ法人", "独立行政法人", "地方独立行政法人",
            "国立大学法人", "株式会社", "有限会社", "合同会社", "㈱", "（株）", "(株)", "㈲", "（有）",
            "(有)",
        },
        key=len,
        reverse=True,
    )
)

# Words that qualify a bare type word without naming anyone: 同協議会 "the said council",
# 実行委員会 "the executive committee", 各組合 "each union" …
_GENERIC_QUALIFIERS = frozenset(
    {
        "同", "当", "本", "各", "全", "両", "他", "旧", "新", "上記", "下記", "前記", "当該", "関係",
        "実行", "運営", "推進", "準備", "審査", "評価", "検討", "構成", "各種", "市", "県", "国",
        "地元", "地域", "組合", "会員", "商工", "工業", "信用", "支援", "相談", "事務局",
    }
)
# Leading words that belong to the sentence, not to the name (本市 "this city", 市内 "in the city").
_LEADING_NOISE: tuple[str, ...] = ("本市", "市内", "県内", "国内", "域内", "各種", "及", "並", "又")
# A hiragana run is cut after its last particle or verb ending; what follows may start a name.
_WORD_BOUNDARY_KANA = frozenset("のがをにへとやではもるて")
# Hiragana words that are grammar, never the start of a name (…するため協議会, …により計量特定市).
_KANA_FUNCTION_WORDS = frozenset(
    {"ため", "こと", "もの", "など", "より", "から", "まで", "ほか", "よう", "とき", "ところ", "これ",
     "それ", "あり", "なし", "おり", "まま", "ごと", "うち", "かつ", "また", "さらに", "および", "または",
     "ならびに", "ともに", "として", "おける", "ついて", "よる", "あわせ", "あわせて"}
)

_KANJI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ"
_KATAKANA = "\u30a1-\u30fa\u30fc\u30fd\u30fe\uff66-\uff9f"
_LATIN_DIGITS = "A-Za-z0-9\uff21-\uff3a\uff41-\uff5a\uff10-\uff19"
_HIRAGANA = "\u3041-\u3096\u309d\u309e"
# The legal-form marks come first so that （株） is taken whole before （ ends a run. A run never
# starts with ・ (a bullet), so 「・みどり野大学」 is a bullet, then a hiragana-led name.
_SEGMENT_RE = re.compile(
    rf"(?P<name>(?:（株）|\(株\)|（有）|\(有\)|[㈱㈲{_KANJI}{_KATAKANA}{_LATIN_DIGITS}])"
    rf"(?:（株）|\(株\)|（有）|\(有\)|[㈱㈲・&＆{_KANJI}{_KATAKANA}{_LATIN_DIGITS}])*)"
    rf"|(?P<kana>[{_HIRAGANA}]+)"
)
_PLACE_RE = re.compile(rf"^[{_KANJI}]{{0,5}}?[市県町村](?![町村])")
_GENERIC_PLACES = frozenset(
    {"本市", "同市", "当市", "全市", "各市", "旧市", "新市", "他市", "両市", "本県", "同県", "当県",
     "全県", "各県", "他県", "本町", "同町", "当町", "本村", "同村", "市町", "町村", "市町村", "見本市",
     "市", "県", "町", "村", "都市", "農村", "山村", "漁村", "城下町", "門前町", "宿場町"}
)

# Legal designations of a city, not names: 計量特定市, 中核市 …
_DESIGNATIONS = ("特定市", "中核市", "政令市", "特例市", "指定市")


class _Segment(NamedTuple):  # a tuple: built by the thousand per document
    kind: str  # "name" | "kana"
    start: int
    end: int
    text: str


def _segments(text: str) -> list[_Segment]:
    return [_Segment(m.lastgroup or "", m.start(), m.end(), m.group()) for m in _SEGMENT_RE.finditer(text)]


def find_organisations(text: str) -> list[tuple[str, int]]:
    """Organisation names in ``text`` with their character offsets, in order of appearance."""
    return list(_find_organisations(text))


@lru_cache(maxsize=8192)
def _find_organisations(text: str) -> tuple[tuple[str, int], ...]:
    # a pure function of the text, asked again for the same paragraphs by the document-level pass
    if not any(suffix in text for suffix in _SUFFIX_PROBES) and not any(f in text for f in LEGAL_FORMS):
        return ()
    segments = _segments(text)
    found: list[tuple[str, int]] = []
    consumed = 0
    for index, segment in enumerate(segments):
        if segment.kind != "name" or segment.start < consumed:
            continue
        hit = _name_at(segments, index)
        if hit is None:
            continue
        name, start, end = hit
        if _is_specific(name):
            found.append((name, start))
            consumed = end
    return tuple(found)


def _name_at(segments: list[_Segment], index: int) -> tuple[str, int, int] | None:
    """The name whose core is the name run ``segments[index]``: (name, start, end) or ``None``."""
    segment = segments[index]
    noise = _leading_noise_length(segment.text)
    body, body_start = segment.text[noise:], segment.start + noise
    # 推進・一般社団法人… : a legal form after ・ opens a new name (the words before are a list item).
    for m in re.finditer("・", body):
        if _legal_prefix(body[m.end():]) is not None:
            body, body_start, noise = body[m.end():], body_start + m.end(), noise + m.end()
            break
    legal = _legal_prefix(body)
    if legal is not None:
        return _legal_name(segments, index, body, body_start, legal)
    prefix = "" if noise else _kana_prefix(segments, index)
    end = _last_suffix_end(body, allow_at_start=bool(prefix))
    if end is None:
        return None
    return prefix + body[:end], body_start - len(prefix), body_start + end


def _legal_name(
    segments: list[_Segment], index: int, body: str, body_start: int, legal: str
) -> tuple[str, int, int] | None:
    """A name opened by a legal form: up to the last suffix after it, else to the end of the run."""
    rest = body[len(legal):]
    if rest:
        end = _last_suffix_end(rest, allow_at_start=True)
        stop = len(legal) + (end if end is not None else len(rest))
        return body[:stop], body_start, body_start + stop
    # The legal form alone, then a hiragana-led name: 一般社団法人みどり野DMO.
    if index + 2 < len(segments):
        kana, tail = segments[index + 1], segments[index + 2]
        if (kana.kind, tail.kind) == ("kana", "name") and body_start + len(body) == kana.start \
                and kana.end == tail.start and _opens_name(kana.text):
            end = _last_suffix_end(tail.text, allow_at_start=True)
            stop = end if end is not None else len(tail.text)
            return body + kana.text + tail.text[:stop], body_start, tail.start + stop
    return None


def _kana_prefix(segments: list[_Segment], index: int) -> str:
    """A hiragana word written right before name run ``index`` that starts the name, or ''."""
    if index == 0:
        return ""
    kana = segments[index - 1]
    if kana.kind != "kana" or kana.end != segments[index].start:
        return ""
    cut = max((i + 1 for i, ch in enumerate(kana.text) if ch in _WORD_BOUNDARY_KANA), default=0)
    after_name_run = index >= 2 and segments[index - 2].end == kana.start
    if cut == 0 and after_name_run:
        return ""  # okurigana of the preceding word (取りまとめ…), not the start of a name
    tail = kana.text[cut:]
    return tail if len(tail) >= 2 and tail not in _KANA_FUNCTION_WORDS else ""


def _opens_name(kana: str) -> bool:
    """True when a hiragana run right after a legal form starts the name it opens (公益財団法人さくらがわ…,
    社会福祉法人こもれび福祉会): a word, not a particle (社会福祉法人が運営する…). A name's kana may hold
    particle-like characters there, as the legal form says a name follows."""
    if len(kana) < 2 or kana in _KANA_FUNCTION_WORDS:
        return False
    # もみじ, やまびこ: a name that opens with a particle's character, its other characters no particle's
    return kana[0] not in _WORD_BOUNDARY_KANA or (len(kana) >= 3 and _is_name_kana(kana[1:]))


def _is_name_kana(kana: str) -> bool:
    """True when a whole hiragana run can be part of a name: no particle in it, not a grammar word."""
    return len(kana) >= 2 and not set(kana) & _WORD_BOUNDARY_KANA and kana not in _KANA_FUNCTION_WORDS


def _leading_noise_length(run: str) -> int:
    """Length of sentence words (本市, 市内 …) that open ``run`` but are not part of a name."""
    if not run.startswith(_LEADING_NOISE):
        return 0
    for noise in _LEADING_NOISE:
        if run.startswith(noise) and len(run) > len(noise):
            return len(noise)
    return 0


def _last_suffix_end(body: str, *, allow_at_start: bool = False) -> int | None:
    """End offset of the last organisational suffix in ``body``.

    A suffix must follow something in ``body`` unless ``allow_at_start`` (a prefix precedes it).
    """
    lowest = 0 if allow_at_start else 1
    # one scan: at each position the longest suffix starting there (lookahead, so overlaps count)
    ends = [m.start() + len(m.group(1)) for m in _SUFFIX_AT_RE.finditer(body, lowest)]
    return max(ends) if ends else None


_SUFFIX_AT_RE = re.compile("(?=(" + "|".join(re.escape(s) for s in sorted(ORG_SUFFIXES, key=len, reverse=True)) + "))")


def _legal_prefix(name: str) -> str | None:
    if not name.startswith(LEGAL_FORMS):  # one C-level test rejects most candidates
        return None
    for form in LEGAL_FORMS:
        if name.startswith(form):
            return form
    return None


# NFKC forms of the vocabularies, computed once: these checks run for every name candidate.
_NFKC_LEGAL_FORMS = frozenset(unicodedata.normalize("NFKC", f) for f in LEGAL_FORMS)
_NFKC_LEGAL_LONGEST_FIRST = tuple(sorted(_NFKC_LEGAL_FORMS, key=len, reverse=True))
_NFKC_SUFFIXES = tuple(unicodedata.normalize("NFKC", s) for s in ORG_SUFFIXES)
_NFKC_SUFFIX_SET = frozenset(_NFKC_SUFFIXES)


def _is_specific(name: str) -> bool:
    """True when ``name`` names someone: not a bare or deictically qualified type word."""
    core = normalise_org_name(name)
    if not core or core in _NFKC_LEGAL_FORMS:
        return False
    for norm_suffix in _NFKC_SUFFIXES:
        if core.endswith(norm_suffix):
            qualifier = core[: -len(norm_suffix)]
            return bool(qualifier) and qualifier not in _GENERIC_QUALIFIERS and not _is_type_word(qualifier)
    return True


def _is_type_word(text: str) -> bool:
    """True when ``text`` is itself only an organisation type (協議 + 会 and the like)."""
    return text in _NFKC_SUFFIX_SET


def normalise_org_name(name: str) -> str:
    """A key for entity linking: NFKC, no whitespace, legal-form prefixes and suffixes removed.

    >>> normalise_org_name("公益社団法人 日本工芸会")
    '日本工芸会'
    """
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name.replace("㈱", "(株)").replace("㈲", "(有)")))
    forms = _NFKC_LEGAL_LONGEST_FIRST
    changed = True
    while changed and s:
        changed = False
        for form in forms:
            if s.startswith(form) and len(s) > len(form):
                s, changed = s[len(form):], True
            elif s.endswith(form) and len(s) > len(form):
                s, changed = s[: -len(form)], True
    return s.strip("・")


def find_places(text: str, *, standalone: bool = False) -> list[tuple[str, int]]:
    """Municipality / prefecture names (…市 …県 …町 …村) in ``text`` with their offsets.

    A place opens a name run (会津若松市少年…) or follows a hiragana word (さいたま市). With
    ``standalone`` only places that end their run (or are followed by 等) count: 北風県の…, not
    福島県溶接協会. Deictic words (本市 "this city", 市町村) are not places.
    """
    return list(_find_places(text, standalone))


@lru_cache(maxsize=8192)
def _find_places(text: str, standalone: bool) -> tuple[tuple[str, int], ...]:
    # a pure function of the text, asked for every paragraph of every document: most have no place
    if not any(ch in text for ch in "市県町村"):
        return ()
    segments = _segments(text)
    found: list[tuple[str, int]] = []
    for index, segment in enumerate(segments):
        if segment.kind != "name":
            continue
        prefix = _kana_prefix(segments, index)
        m = _PLACE_RE.match(segment.text)
        if m is None:
            continue
        rest = segment.text[m.end():]
        if standalone and rest not in ("", "等"):
            continue
        name = prefix + m.group()
        if name in _GENERIC_PLACES or name.endswith(_DESIGNATIONS) or (not prefix and len(m.group()) < 2):
            continue
        found.append((name, segment.start - len(prefix)))
    return tuple(found)


def find_publisher(lines: list[str] | tuple[str, ...]) -> str | None:
    """The most frequent municipality or prefecture name in ``lines``, or None. Ties: first seen."""
    counts: Counter[str] = Counter()
    order: dict[str, int] = {}
    for line in lines:
        for name, _ in find_places(line):
            counts[name] += 1
            order.setdefault(name, len(order))
    if not counts:
        return None
    return max(counts, key=lambda n: (counts[n], -order[n]))
