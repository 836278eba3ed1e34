"""Entity linking: one key for one organisation, however a document writes its name.

``canonical_org_key`` applies, in order:

1. NFKC (full-width letters, digits and brackets half-width) and whitespace removal;
2. parenthesised parts dropped (``福島県ハイテクプラザ（一部）``, ``…（ジェトロ福島）``), quote marks
   (「」『』) dropped with their text kept;
3. legal forms stripped (一般財団法人, 株式会社, ㈱, (株) … via ``normalise_org_name``, plus a few it
   lacks such as 国立研究開発法人);
4. the prefecture rule: a name opened by 県 ("the prefecture's …", as a city in that prefecture
   writes it) gets the document's prefecture: ``県ハイテクプラザ`` in a 福島県 document is
   ``福島県ハイテクプラザ``; region words (県北, 県中 …) keep the 県 and get the prefecture in front;
   県内 / 県外 / 県下 ("in the prefecture") never start a name and are left alone;
5. the alias table ``ontology/org_aliases.ttl`` (DATA, not code): ``ジェトロ`` →
   ``日本貿易振興機構``, and ``{place}`` templates for office families (``ジェトロ福島`` →
   ``日本貿易振興機構福島貿易情報センター``).

The document's prefecture is the prefecture name (one of the 47) written most often in its text.

>>> canonical_org_key("県ハイテクプラザ", context_prefecture="福島県")
'福島県ハイテクプラザ'
>>> canonical_org_key("福島県ハイテクプラザ（一部）")
'福島県ハイテクプラザ'
>>> canonical_org_key("ジェトロ")
'日本貿易振興機構'
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import BNode, Graph, Literal

from policy_kg.extract.organisations import normalise_org_name
from policy_kg.extract.records import DocumentRecord, Organisation, Project
from policy_kg.graph.namespace import SKOS

__all__ = [
    "ALIASES_TTL", "PREFECTURES", "AliasTable", "alias_table", "canonical_org_key", "detect_prefecture",
    "link_organisations", "org_keys", "printed_org_names", "record_prefecture", "record_texts",
]

ALIASES_TTL = Path(__file__).resolve().parents[1] / "ontology" / "org_aliases.ttl"
PLACE = "{place}"

#: The 47 prefectures, with their suffix (都, 道, 府, 県).
PREFECTURES: tuple[str, ...] = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
    "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県",
    "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県",
    "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
)
# Words that start with 県 but say "in / outside / under the prefecture": never the start of a name.
_NOT_A_NAME = ("県内", "県外", "県下")
# Regions of a prefecture (県北 "the prefecture's north" …): the region word stays in the name.
_REGION_WORDS = ("県北", "県南", "県中", "県央", "県西", "県東")
# Legal forms that ``normalise_org_name`` does not strip (yet); stripped here the same way.
_MORE_LEGAL_FORMS: tuple[str, ...] = (
    "国立研究開発法人", "公立大学法人", "社会医療法人", "医療法人", "学校法人", "宗教法人", "農事組合法人", "合資会社",
    "合名会社", "相互会社",
)
_PARENTHESISED = re.compile(r"\([^()]*\)")
_QUOTES = str.maketrans("", "", "「」『』\"'")


# --- the alias table -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AliasTable:
    """Exact aliases (alias → canonical) and ``{place}`` templates (regex, canonical template)."""

    exact: dict[str, str]
    templates: tuple[tuple[re.Pattern[str], str], ...]

    @classmethod
    def from_graph(cls, g: Graph) -> AliasTable:
        """Read every entry (a node with one skos:prefLabel and any skos:altLabel) of ``g``."""
        exact: dict[str, str] = {}
        templates: list[tuple[re.Pattern[str], str]] = []
        for node in sorted(set(g.subjects(SKOS.prefLabel, None)), key=_entry_sort_key(g)):
            canonical = _clean(str(g.value(node, SKOS.prefLabel)))
            alts = sorted(_clean(str(a)) for a in g.objects(node, SKOS.altLabel) if isinstance(a, Literal))
            if PLACE in canonical:
                # the canonical form first, so a name already canonical is never rewritten
                templates += [(_template_regex(label), canonical) for label in (canonical, *alts)]
            else:
                exact.update({alt: canonical for alt in alts})
        return cls(exact, tuple(templates))

    def resolve(self, key: str) -> str:
        """The canonical name for ``key`` (already cleaned), or ``key`` if the table has none."""
        if key in self.exact:
            return self.exact[key]
        for pattern, canonical in self.templates:
            m = pattern.fullmatch(key)
            if m:
                return canonical.replace(PLACE, m.group("place"))
        return key


def _entry_sort_key(g: Graph):
    # blank-node ids differ between parses; order entries by their canonical label instead
    return lambda node: str(g.value(node, SKOS.prefLabel)) if isinstance(node, BNode) else str(node)


def _template_regex(label: str) -> re.Pattern[str]:
    before, _, after = label.partition(PLACE)
    return re.compile(re.escape(before) + r"(?P<place>[^()\[\]「」]{1,8}?)" + re.escape(after))


def _clean(text: str) -> str:
    """NFKC without whitespace: how names and aliases are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=1)
def alias_table() -> AliasTable:
    """The alias table of ``ontology/org_aliases.ttl`` (parsed once per process)."""
    return AliasTable.from_graph(Graph().parse(ALIASES_TTL, format="turtle"))


# --- one name ------------------------------------------------------------------------------------


def _strip_parentheses(name: str) -> str:
    """Drop parenthesised parts (innermost first) and quote marks; keep the name if nothing is left."""
    s = name.translate(_QUOTES)
    while True:
        stripped = _PARENTHESISED.sub("", s)
        if stripped == s:
            break
        s = stripped
    return s or name


def _strip_more_legal_forms(key: str) -> str:
    for form in _MORE_LEGAL_FORMS:
        if key.startswith(form) and len(key) > len(form):
            key = key[len(form):]
        elif key.endswith(form) and len(key) > len(form):
            key = key[: -len(form)]
    return key


def _with_prefecture(key: str, prefecture: str | None) -> str:
    """``県X`` → ``<prefecture>X``: the prefecture a city's document means by a bare 県.

    For 東京都, 大阪府, 京都府 and 北海道 only ``都立X`` / ``府立X`` / ``道立X`` are rewritten: a bare
    都 / 府 / 道 opens too many other words (都市, 府中, 道の駅).
    """
    if not prefecture or len(key) < 2:
        return key
    marker = prefecture[-1]
    if marker != "県":
        return prefecture + key[1:] if key.startswith(marker + "立") else key
    if not key.startswith("県") or key.startswith(_NOT_A_NAME):
        return key
    if key.startswith(_REGION_WORDS):
        return prefecture + key
    return prefecture + key[1:]


def canonical_org_key(name: str, *, context_prefecture: str | None = None) -> str:
    """The key that every way of writing one organisation resolves to (see the module doc).

    >>> canonical_org_key("一般財団法人　伝統的工芸品産業振興協会")
    '伝統的工芸品産業振興協会'
    """
    s = _strip_parentheses(_clean(name.replace("㈱", "(株)").replace("㈲", "(有)")))
    key = _strip_more_legal_forms(normalise_org_name(s) or s)
    key = _with_prefecture(key, _clean(context_prefecture) if context_prefecture else None)
    return alias_table().resolve(key)


# --- documents -----------------------------------------------------------------------------------


def detect_prefecture(texts: Iterable[str]) -> str | None:
    """The prefecture named most often in ``texts``; ties go to the one named first. None if none."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    position = 0
    for text in texts:
        clean = unicodedata.normalize("NFKC", text)
        for pref in PREFECTURES:
            n = clean.count(pref)
            if n:
                counts[pref] += n
                first.setdefault(pref, position + clean.find(pref))
        position += len(clean) + 1
    if not counts:
        return None
    return max(counts, key=lambda p: (counts[p], -first[p]))


def _project_texts(p: Project) -> Iterator[str]:
    yield from (p.name or "", *p.alt_names, p.description or "")
    yield from (s.statement for s in p.logic_model)
    yield from (i.name for i in p.indicators)
    for sub in p.sub_projects:
        yield sub.name
        yield from (o.name for o in sub.partners)
        yield from (f.label for a in sub.amounts for f in a.funding)
    yield from (o.name for o in p.partners)
    yield from (f.label for a in p.amounts for f in a.funding)


def record_texts(record: DocumentRecord) -> Iterator[str]:
    """Every piece of text a record carries: titles, names, descriptions, organisations, funders."""
    yield from (record.title or "", record.publisher or "")
    for e in record.elements:
        yield from (e.name, *e.alt_names, e.description or "", e.vision or "")
    for p in record.projects:
        yield from _project_texts(p)
    yield from (i.name for i in record.indicators)
    yield from (rp.name for rp in record.related_projects)
    yield from (o.name for o in record.organisations)


def record_prefecture(record: DocumentRecord) -> str | None:
    """The prefecture a document is about (most often named in its text), or None."""
    return detect_prefecture(record_texts(record))


def org_keys(record: DocumentRecord) -> Callable[[str], str]:
    """The function printed name → canonical key for ``record``'s document (its prefecture fixed).

    This is the builder's ``org_keys`` hook: ``graph.builder.org_keys = entity_linking.org_keys``.
    """
    prefecture = record_prefecture(record)  # scanned once per document, not once per mention

    def key(name: str) -> str:
        return canonical_org_key(name, context_prefecture=prefecture)

    return key


def printed_org_names(record: DocumentRecord) -> list[str]:
    """Every organisation name as printed in ``record`` (partners, mentions, funders), first seen first."""
    names: list[Organisation | str] = list(record.organisations)
    for p in record.projects:
        names += p.partners
        names += [f.funder for a in p.amounts for f in a.funding if f.funder]
        for sub in p.sub_projects:
            names += sub.partners
            names += [f.funder for a in sub.amounts for f in a.funding if f.funder]
            names += [f.funder for c in sub.conditions if c.ceiling for f in c.ceiling.funding if f.funder]
        names += [f.funder for c in p.conditions if c.ceiling for f in c.ceiling.funding if f.funder]
    seen: dict[str, None] = {}
    for n in names:
        seen.setdefault(n.name if isinstance(n, Organisation) else n, None)
    return list(seen)


def link_organisations(records: Iterable[DocumentRecord]) -> dict[str, dict[str, str]]:
    """Per document (by ``doc_id``): printed organisation name → canonical key.

    Per document because one printed name can mean different organisations in different documents
    (県ハイテクプラザ of a 福島県 city is not that of a 新潟県 city).
    """
    out: dict[str, dict[str, str]] = {}
    for r in records:
        key = org_keys(r)
        out[r.doc_id] = {name: key(name) for name in printed_org_names(r)}
    return out
