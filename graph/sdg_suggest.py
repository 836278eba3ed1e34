"""Explainable SDG-target suggestions for projects that state none.

Each SDG target of ``ontology/sdg.ttl`` has Japanese keywords (``skos:hiddenLabel``@ja) and a
Japanese summary label (``skos:prefLabel``@ja). A project's own text (name, description, logic
model, indicators, sub-projects) is scanned for those terms and every target is scored
TF-IDF-style:

* a term found ``tf`` times contributes ``(1 + ln tf) * idf(term)``;
* ``idf(term) = ln(1 + N / df(term))`` where ``N`` is the number of targets and ``df`` the number
  of targets with a term *containing* it, so a broad word (経済) that sits inside many targets'
  keywords weighs less than a specific one (信用保証);
* inside one target an occurrence already covered by a longer term of that target is not counted
  again (中小企業金融 does not also count as 中小企業).

The score is rounded to four decimals, ties are broken by the target code in natural order
(8.1 < 8.3 < 8.10 < 8.a), and every suggestion names the terms that matched, so each link can be
checked by a reader. Stated targets are never mixed with suggestions: suggestions are separate
``pkg:SdgSuggestion`` nodes (``queries/sdg_links.rq`` reports them as ``inferred``).

>>> [s.target for s in suggest_targets("中小企業の資金繰りを支援する融資制度")][:1]
['8.3']
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from policy_kg.extract.records import DocumentRecord, Indicator, Project
from policy_kg.graph import vocab
from policy_kg.graph.builder import sdg_target_triples, span_triples  # one definition of these triples
from policy_kg.graph.iris import document_iri, graph_iri, segment
from policy_kg.graph.iris import project_iri as _project_iri
from policy_kg.graph.namespace import DEFAULT_BASE, PKG, RDF, SDG, SKOS, XSD

__all__ = [
    "ALL_HIDDEN", "LEAVE_ONE_OUT", "METHOD", "PROTOCOLS", "Evaluation", "KeywordIndex", "ProjectOutcome", "Suggestion", "add_suggestions", "enrich_dataset",
    "evaluate_hidden_targets", "keyword_index", "project_text", "suggest_for_record", "suggest_targets",
    "suggestion_iri", "target_sort_key",
]

#: Name of this method, written as ``pkg:method``; bump the version when scoring changes.
METHOD = "keyword-tfidf-v1"
SCORE_QUANTUM = Decimal("0.0001")


CONTEXT_STATED = "measure-context-stated-v1"
CONTEXT_SUGGESTED = "measure-context-suggested-v1"


@dataclass(frozen=True)
class Suggestion:
    """One suggested SDG target: its code, score, the terms that matched, and the method."""

    target: str  # "8.3"
    score: float
    matched_terms: tuple[str, ...]  # sorted by contribution, then by term
    method: str = METHOD

    @property
    def decimal_score(self) -> Decimal:
        """The score as the rounded ``xsd:decimal`` written to the graph."""
        return Decimal(repr(self.score)).quantize(SCORE_QUANTUM, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class KeywordIndex:
    """The terms of every SDG target (normalised) and each term's inverse target frequency."""

    terms: dict[str, tuple[str, ...]]  # target code -> its terms, longest first
    idf: dict[str, float]  # term -> idf

    @classmethod
    def from_graph(cls, graph: Graph) -> KeywordIndex:
        """Build the index from an SDG reference graph (``ontology/sdg.ttl``)."""
        terms: dict[str, tuple[str, ...]] = {}
        for target in graph.subjects(RDF.type, PKG.SdgTarget):
            code = graph.value(target, SKOS.notation)
            if code is None:
                continue
            labels = {
                normalise_text(str(label))
                for prop in (SKOS.hiddenLabel, SKOS.prefLabel)
                for label in graph.objects(target, prop)
                if isinstance(label, Literal) and label.language == "ja"
            }
            labels.discard("")
            terms[str(code)] = tuple(sorted(labels, key=lambda t: (-len(t), t)))
        return cls(terms, _idf(terms))


def _idf(terms: dict[str, tuple[str, ...]]) -> dict[str, float]:
    """``ln(1 + N/df)``: df counts targets having a term that contains the term."""
    n = len(terms)
    out: dict[str, float] = {}
    for term in {t for ts in terms.values() for t in ts}:
        df = sum(1 for ts in terms.values() if any(term in other for other in ts))
        out[term] = math.log(1 + n / df)
    return out


@lru_cache(maxsize=1)
def keyword_index() -> KeywordIndex:
    """The index of the bundled SDG reference (parsed once per process)."""
    return KeywordIndex.from_graph(vocab.sdg_reference_graph())


def normalise_text(text: str) -> str:
    """NFKC (full-width letters and digits half-width), without whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def target_sort_key(code: str) -> tuple:
    """Natural order of target codes: 8.1 < 8.3 < 8.10 < 8.a < 11.4."""
    goal, _, part = code.partition(".")
    return (int(goal), (0, int(part), "") if part.isdigit() else (1, 0, part))


# --- scoring -------------------------------------------------------------------------------------


def _term_frequencies(text: str, terms: tuple[str, ...]) -> dict[str, int]:
    """Occurrences of each term in ``text``; characters taken by a longer term are not reused."""
    taken = [False] * len(text)
    counts: dict[str, int] = {}
    for term in terms:  # longest first
        start = text.find(term)
        while start >= 0:
            end = start + len(term)
            if not any(taken[start:end]):
                counts[term] = counts.get(term, 0) + 1
                for i in range(start, end):
                    taken[i] = True
            start = text.find(term, start + 1)
    return counts


def _score_target(text: str, terms: tuple[str, ...], idf: dict[str, float]) -> tuple[float, tuple[str, ...]]:
    contributions = {
        term: (1 + math.log(tf)) * idf[term] for term, tf in _term_frequencies(text, terms).items()
    }
    matched = tuple(sorted(contributions, key=lambda t: (-contributions[t], t)))
    return sum(contributions.values()), matched


def suggest_targets(
    project_text: str, *, reference: KeywordIndex | Graph | None = None, top_k: int = 3
) -> list[Suggestion]:
    """The ``top_k`` best-scoring SDG targets for ``project_text`` (only targets with a match).

    ``reference`` is a keyword index or an SDG reference graph; by default ``ontology/sdg.ttl``.
    """
    index = _as_index(reference)
    text = normalise_text(project_text)
    scored: list[tuple[float, str, tuple[str, ...]]] = []
    for code, terms in index.terms.items():
        score, matched = _score_target(text, terms, index.idf)
        if matched:
            scored.append((round(score, 4), code, matched))
    scored.sort(key=lambda s: (-s[0], target_sort_key(s[1])))
    return [Suggestion(code, score, matched) for score, code, matched in scored[:top_k]]


def _as_index(reference: KeywordIndex | Graph | None) -> KeywordIndex:
    if reference is None:
        return keyword_index()
    if isinstance(reference, KeywordIndex):
        return reference
    return KeywordIndex.from_graph(reference)


# --- records -------------------------------------------------------------------------------------


def _indicator_texts(indicators: Iterable[Indicator]) -> Iterator[str]:
    for ind in indicators:
        yield ind.name
        if ind.description:
            yield ind.description


def project_text(project: Project) -> str:
    """All text a project record carries about itself, one piece per line."""
    parts: list[str] = [project.name or "", *project.alt_names, project.description or ""]
    parts += [stage.statement for stage in project.logic_model]
    parts += _indicator_texts(project.indicators)
    for sub in project.sub_projects:
        parts.append(sub.name)
        parts += _indicator_texts(sub.indicators)
    return "\n".join(p for p in parts if p)


def suggest_for_record(
    record: DocumentRecord, *, reference: KeywordIndex | Graph | None = None, top_k: int = 3
) -> list[tuple[str, Suggestion]]:
    """(project key, suggestion) for every project of ``record`` that states no SDG target.

    Two kinds of evidence, each named in the suggestion it produces:

    * the document's own practice: targets that other projects under the same measure/area state
      (:func:`measure_context`). A measure's projects are tagged by the same office in the same
      exercise, so these come first, but they take at most ``top_k - 1`` places while the project's
      own text has a match, so the text always gets a voice;
    * the project's own text (:func:`suggest_targets`, keyword matches) fills the remaining places.

    A project with neither falls back to what its siblings' texts suggest, so every untagged project
    has a reasoned suggestion where its document gives any basis for one.
    """
    index = _as_index(reference)
    untagged = [p for p in record.projects if not p.sdg_targets]  # stated links are never mixed with guesses
    keyword = {p.key: suggest_targets(project_text(p), reference=index, top_k=top_k) for p in untagged}
    out: list[tuple[str, Suggestion]] = []
    for project in untagged:
        own = keyword[project.key]
        context = measure_context(record, project, keyword, top_k=top_k)
        if context and context[0].method == CONTEXT_STATED:
            chosen = _merge(context, own, top_k)
        else:
            chosen = own or context
        out += [(project.key, s) for s in chosen]
    return out


def _merge(context: list[Suggestion], own: list[Suggestion], top_k: int) -> list[Suggestion]:
    """Context first (at most ``top_k - 1`` while ``own`` has a match), then ``own``, no target twice.

    A sibling target the project's own text also matches comes first and keeps its keyword
    evidence (method, score, matched terms): that is the more specific reason.
    """
    matched = {s.target: s for s in own}
    context = sorted(context, key=lambda s: s.target not in matched)  # stable: shares order the rest
    head = [matched.get(s.target, s) for s in (context[: top_k - 1] if own else context[:top_k])]
    taken = {s.target for s in head}
    tail = [s for s in own if s.target not in taken]
    taken |= {s.target for s in tail}
    rest = [s for s in context if s.target not in taken]
    return (head + tail + rest)[:top_k]


def measure_context(
    record: DocumentRecord, project: Project, keyword: dict[str, list[Suggestion]], *, top_k: int = 3
) -> list[Suggestion]:
    """Targets of the other projects under the same measure/area: stated ones, else their suggestions.

    The score is the share of those projects that carry the target (0–1, far below keyword
    scores); the reason names the measure and the count, e.g. ``m3: stated for 6 of 7 other projects``.
    """
    siblings = [p for p in record.projects if p.key != project.key and set(p.parents) & set(project.parents)]
    if not siblings:
        return []
    stated = [p for p in siblings if p.sdg_targets]
    pool = [(p.sdg_targets) for p in stated] if stated else [[s.target for s in keyword.get(p.key, [])[:1]] for p in siblings]
    counts: dict[str, int] = {}
    for targets in pool:
        for code in set(targets):
            counts[code] = counts.get(code, 0) + 1
    kind, method = ("stated", CONTEXT_STATED) if stated else ("suggested", CONTEXT_SUGGESTED)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], target_sort_key(kv[0])))[:top_k]
    parents = "/".join(project.parents)
    return [
        Suggestion(code, round(n / len(siblings), 4), (f"{parents}: {kind} for {n} of {len(siblings)} other projects",), method)
        for code, n in ranked
    ]


# --- evaluation ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectOutcome:
    """One project of an evaluation: its stated targets and what the suggester proposed."""

    key: str
    stated: tuple[str, ...]
    suggested: tuple[str, ...]

    @property
    def hits(self) -> int:
        return len(set(self.stated) & set(self.suggested))


@dataclass(frozen=True)
class Evaluation:
    """Suggestions for projects whose stated targets were hidden, scored against those targets."""

    k: int
    outcomes: tuple[ProjectOutcome, ...]
    protocol: str = "all-hidden"

    @property
    def projects(self) -> int:
        return len(self.outcomes)

    @property
    def hit_rate(self) -> float:
        """Share of projects with a stated target among the top k."""
        return sum(1 for o in self.outcomes if o.hits) / self.projects if self.outcomes else 0.0

    @property
    def precision_at_k(self) -> float:
        """Mean over projects of (stated targets in the top k) / k."""
        return sum(o.hits / self.k for o in self.outcomes) / self.projects if self.outcomes else 0.0

    @property
    def recall_at_k(self) -> float:
        """Mean over projects of (stated targets in the top k) / (stated targets)."""
        return sum(o.hits / len(o.stated) for o in self.outcomes) / self.projects if self.outcomes else 0.0


#: Evaluation protocols: every stated target of a document hidden at once (the suggester sees
#: text only), or one project's targets hidden at a time (its siblings' stated targets stay visible,
#: as they are for a document's genuinely untagged projects).
ALL_HIDDEN = "all-hidden"
LEAVE_ONE_OUT = "leave-one-out"
PROTOCOLS = (ALL_HIDDEN, LEAVE_ONE_OUT)


def evaluate_hidden_targets(
    records: Iterable[DocumentRecord],
    *,
    reference: KeywordIndex | Graph | None = None,
    k: int = 3,
    protocol: str = ALL_HIDDEN,
) -> Evaluation:
    """Hide stated targets (all at once, or one project at a time), suggest, and compare."""
    if protocol not in PROTOCOLS:
        raise ValueError(f"unknown protocol {protocol!r}; expected one of {', '.join(PROTOCOLS)}")
    index = _as_index(reference)
    outcomes: list[ProjectOutcome] = []
    for record in records:
        tagged = [p for p in record.projects if p.sdg_targets]
        if protocol == ALL_HIDDEN:
            hidden = replace(record, projects=[replace(p, sdg_targets=[]) for p in record.projects])
            suggested = _suggested_by_project(hidden, index, k)
        for project in tagged:
            if protocol == LEAVE_ONE_OUT:
                others = [replace(p, sdg_targets=[]) if p.key == project.key else p for p in record.projects]
                suggested = _suggested_by_project(replace(record, projects=others), index, k)
            got = tuple(suggested.get(project.key, ()))
            outcomes.append(ProjectOutcome(f"{record.doc_id}:{project.key}", tuple(project.sdg_targets), got))
    return Evaluation(k, tuple(outcomes), protocol)


def _suggested_by_project(record: DocumentRecord, index: KeywordIndex, k: int) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, s in suggest_for_record(record, reference=index, top_k=k):
        out.setdefault(key, []).append(s.target)
    return out


# --- RDF -----------------------------------------------------------------------------------------


def project_iri(record: DocumentRecord, key: str, base: str = DEFAULT_BASE) -> URIRef:
    return _project_iri(record.doc_id, key, base)


def suggestion_iri(record: DocumentRecord, key: str, target: str, base: str = DEFAULT_BASE) -> URIRef:
    """``<project>/sdg-suggestion/<target>``."""
    return URIRef(f"{project_iri(record, key, base)}/sdg-suggestion/{segment(target)}")


def _sink_adder(sink: Dataset | Graph | set, record: DocumentRecord, base: str):
    """A function adding one triple to ``sink``: a dataset's document graph, a graph, or a set."""
    if isinstance(sink, Dataset):
        g = sink.graph(graph_iri(record.doc_id, base))
        return g.add
    return sink.add


def add_suggestions(
    sink: Dataset | Graph | set,
    record: DocumentRecord,
    suggestions: Iterable[tuple[str, Suggestion]],
    base: str = DEFAULT_BASE,
) -> list[URIRef]:
    """Write ``pkg:SdgSuggestion`` nodes for ``suggestions``; returns their IRIs.

    ``sink`` is a dataset (the triples go to the document's named graph), a graph, or a plain set
    of triples (as ``graph.builder.document_graphs`` produces).
    """
    add = _sink_adder(sink, record, base)
    doc = document_iri(record.doc_id, base)
    spans = {p.key: p.span for p in record.projects}
    written: list[URIRef] = []
    ranks: dict[str, int] = {}
    for key, s in suggestions:
        ranks[key] = rank = ranks.get(key, 0) + 1  # suggestions arrive in the suggester's order
        node = suggestion_iri(record, key, s.target, base)
        triples: list[tuple[URIRef, URIRef, Node]] = [
            (node, RDF.type, PKG.SdgSuggestion),
            (node, PKG.suggestedFor, project_iri(record, key, base)),
            (node, PKG.sdgTarget, SDG[s.target]),
            (node, PKG.score, Literal(s.decimal_score, datatype=XSD.decimal)),
            (node, PKG.rank, Literal(rank, datatype=XSD.integer)),
            (node, PKG.method, Literal(s.method)),
            (node, PKG.inDocument, doc),
        ]
        triples += [(node, PKG.matchedTerm, Literal(term)) for term in s.matched_terms]
        triples += sdg_target_triples(s.target)
        if key in spans:
            span, cited = span_triples(doc, spans[key])
            triples += cited
            triples.append((node, PKG.source, span))
        for triple in triples:
            add(triple)
        written.append(node)
    return written


def enrich_dataset(ds: Dataset, records: Iterable[DocumentRecord], base: str = DEFAULT_BASE) -> int:
    """Add SDG suggestions for every untagged project of ``records`` to ``ds``; returns how many.

    Call it after ``graph.builder.build_dataset(records, base=base)`` with the same records and base.
    """
    count = 0
    for record in records:
        count += len(add_suggestions(ds, record, suggest_for_record(record), base))
    return count
