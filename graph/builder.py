"""Records → RDF: one named graph per document, deterministic IRIs, provenance on every fact.

The builder knows nothing of text layout: it reads ``extract.records`` dataclasses only. IRIs are
derived from the document id and the record keys, never from counters or blank nodes, so the
same input always yields the same graph. ``ontology/README.md`` describes the resulting shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from policy_kg.extract.entity_linking import org_keys
from policy_kg.extract.records import (
    DOCUMENT_OWNER,
    Amount,
    DocumentRecord,
    GrantCondition,
    Indicator,
    Organisation,
    PolicyElement,
    Project,
    Span,
    SubProject,
    Unit,
)
from policy_kg.graph import vocab
from policy_kg.graph.iris import (
    ONTOLOGY_GRAPH,
    REFERENCE_GRAPH,
    curation_graph_iri,
    document_iri,
    graph_iri,
    org_iri,
    project_iri,
)
from policy_kg.graph.iris import segment as _seg
from policy_kg.graph.namespace import DCTERMS, DEFAULT_BASE, ORG, PKG, RDF, SDG, SDO, SKOS, XSD, bind_prefixes

LEVEL_CLASS = {
    "policy_goal": PKG.PolicyGoal,
    "policy": PKG.Policy,
    "policy_field": PKG.PolicyField,
    "programme": PKG.Programme,
    "measure": PKG.Measure,
}


def new_dataset(base: str = DEFAULT_BASE) -> Dataset:
    ds = Dataset(default_union=True)
    bind_prefixes(ds, base)
    return ds


def build_dataset(
    records: Iterable[DocumentRecord], *, base: str = DEFAULT_BASE, reference: bool = True
) -> Dataset:
    """Build a dataset from records: one named graph per document.

    With ``reference`` (the default) the ontology and the SDG reference are added as graphs of their
    own, so the concept notations and labels the query library prints travel with the data to any
    store or server.
    """
    ds = new_dataset(base)
    for record in records:
        add_document(ds, record, base=base)
    if reference:
        add_reference_graphs(ds, base)
    return ds


def add_reference_graphs(ds: Dataset, base: str = DEFAULT_BASE) -> None:
    for name, source in ((ONTOLOGY_GRAPH, vocab.ontology_graph()), (REFERENCE_GRAPH, vocab.sdg_reference_graph())):
        g = ds.graph(URIRef(base + name))
        for triple in source:
            g.add(triple)


Triple = tuple[URIRef, URIRef, Node]


# Typed literals are immutable, and the same years, line numbers and confidences recur thousands of
# times per corpus; building each once saves a third of the triple-building time.
@lru_cache(maxsize=1 << 16)
def integer(n: int) -> Literal:
    """``n`` as an ``xsd:integer`` literal."""
    return Literal(n, datatype=XSD.integer)


def decimal(value: Decimal | float | str) -> Literal:
    """``value`` as an ``xsd:decimal`` literal, its lexical form that of ``str(value)``."""
    return _decimal(str(value))  # keyed by the text: Decimal("1.50") == Decimal("1.5") would alias


@lru_cache(maxsize=1 << 12)
def _decimal(text: str) -> Literal:
    return Literal(Decimal(text), datatype=XSD.decimal)


def span_triples(doc: URIRef, span: Span) -> tuple[URIRef, list[Triple]]:
    """The TextSpan ``<doc>#L<start>-L<end>`` that cites lines of ``doc``, with its triples."""
    iri = URIRef(f"{doc}#L{span.start}-L{span.end}")
    return iri, [
        (iri, RDF.type, PKG.TextSpan),
        (iri, PKG.inDocument, doc),
        (iri, PKG.lineStart, integer(span.start)),
        (iri, PKG.lineEnd, integer(span.end)),
    ]


def sdg_target_triples(code: str) -> list[Triple]:
    """An SDG target at its UN IRI with its notation and goal, as every document graph carries it."""
    goal_code = code.split(".")[0]
    target, goal = SDG[code], SDG[goal_code]
    return [
        (target, RDF.type, PKG.SdgTarget),
        (target, SKOS.notation, Literal(code)),
        (target, SKOS.broader, goal),
        (goal, RDF.type, PKG.SdgGoal),
        (goal, SKOS.notation, Literal(goal_code)),
    ]


def document_graphs(record: DocumentRecord, *, base: str = DEFAULT_BASE) -> dict[URIRef, set[Triple]]:
    """The triples of ``record`` by named graph: the document's graph and, if curated, its curation graph.

    Plain sets of rdflib terms, so a large build can stream them to N-Quads or a store without
    materialising an rdflib Graph.
    """
    from policy_kg.graph.sdg_suggest import add_suggestions, suggest_for_record  # the suggester builds on this module

    name = graph_iri(record.doc_id, base)
    writer = _DocumentWriter(set(), record, base)
    writer.write()
    add_suggestions(writer.g, record, suggest_for_record(record), base)
    graphs = {name: writer.g}
    if record.manual_facts:
        curation = curation_graph_iri(name)
        graphs[curation] = _move_manual_facts(writer, curation)
    return graphs


def add_document(ds: Dataset, record: DocumentRecord, *, base: str = DEFAULT_BASE) -> Graph:
    """Add ``record`` as its own named graph of ``ds`` (replacing an earlier one); returns it."""
    name = graph_iri(record.doc_id, base)
    for old in (name, curation_graph_iri(name)):
        ds.remove_graph(ds.graph(old))
    for graph_name, triples in document_graphs(record, base=base).items():
        g = ds.graph(graph_name)
        for triple in triples:
            g.add(triple)
    return ds.graph(name)


def _move_manual_facts(writer: _DocumentWriter, curated_name: URIRef) -> set[Triple]:
    """Move the triples a curation file asserted to the curation graph, marked as manual."""
    g, doc = writer.g, writer.doc
    curated: set[Triple] = {(curated_name, PKG.assertion, PKG.ManualAssertion), (curated_name, PKG.inDocument, doc)}
    for fact in writer.r.manual_facts:
        curated.add((curated_name, DCTERMS.source, Literal(fact.curation_file)))
        subject = project_iri(writer.r.doc_id, fact.item, writer.base)
        if fact.field == "name":
            triple = (subject, SKOS.prefLabel, Literal(fact.value, lang="ja"))
        elif fact.field == "sdg_target":
            triple = (subject, PKG.sdgTarget, SDG[fact.value])
        elif fact.field == "partner":
            triple = (subject, PKG.partner, org_iri(writer.org_key(fact.value), writer.base))
        else:  # amounts carry pkg:assertion pkg:ManualAssertion on their own node
            continue
        if triple in g:
            g.discard(triple)
            curated.add(triple)
    return curated


class _DocumentWriter:
    """Writes one ``DocumentRecord`` into one graph. One method per kind of record."""

    def __init__(self, g: set[Triple], record: DocumentRecord, base: str) -> None:
        self.g, self.r, self.base = g, record, base
        self.doc = document_iri(record.doc_id, base)
        self.elements: dict[str, URIRef] = {}
        self.scope = self._publisher_scope()
        self.org_key = org_keys(record)

    # --- helpers ---------------------------------------------------------------------------

    def add(self, s: URIRef, p: URIRef, o: Node) -> None:
        self.g.add((s, p, o))

    def span(self, span: Span | None) -> URIRef | None:
        if span is None:
            return None
        iri, triples = span_triples(self.doc, span)
        self.g.update(triples)
        return iri

    def sourced(self, node: URIRef, span: Span | None) -> None:
        """Provenance: the node came from ``span`` of this document."""
        self.add(node, PKG.inDocument, self.doc)
        s = self.span(span)
        if s is not None:
            self.add(node, PKG.source, s)

    def _publisher_scope(self) -> str:
        # a local government by its code: two cities may share a name (府中市), never a code
        who = f"lg-{self.r.publisher_code}" if self.r.publisher_code else self.r.publisher or f"doc-{self.r.doc_id}"
        return f"{self.base}org/{_seg(who)}"

    # --- document --------------------------------------------------------------------------

    def write(self) -> None:
        r = self.r
        self.add(self.doc, RDF.type, PKG.Document)
        self.add(self.doc, PKG.fileName, Literal(r.file_name))
        self.add(self.doc, PKG.contentHash, Literal(r.content_hash))
        self.add(self.doc, PKG.layout, Literal(r.layout))
        if r.kind:
            self.add(self.doc, PKG.documentKind, Literal(r.kind))
            if r.kind_confidence is not None:
                self.add(self.doc, PKG.kindConfidence, decimal(r.kind_confidence))
            for word in r.evidence:
                self.add(self.doc, PKG.kindEvidence, Literal(word))
        if r.title:
            self.add(self.doc, DCTERMS.title, Literal(r.title, lang="ja"))
        if r.fiscal_year is not None:
            self.add(self.doc, PKG.fiscalYear, integer(r.fiscal_year))
        if r.publisher:
            publisher = URIRef(self.scope)
            self.add(self.doc, DCTERMS.publisher, publisher)
            self.add(publisher, RDF.type, ORG.Organization)
            self.add(publisher, SKOS.prefLabel, Literal(r.publisher, lang="ja"))
            if r.publisher_code:  # a local government's 全国地方公共団体コード
                self.add(publisher, DCTERMS.identifier, Literal(r.publisher_code))
        for n, name in sorted(r.strategy_pillars.items()):
            self.pillar(n, name)
        for element in r.elements:
            self.element(element)
        for unit in r.units:
            self.unit(unit)
        for key, owner in r.indicator_owners.items():
            ind = next((i for i in r.indicators if i.key == key), None)
            if ind is not None and owner == DOCUMENT_OWNER:
                self.indicator(ind, self.doc)
            elif ind is not None and owner in self.elements:
                self.indicator(ind, self.elements[owner])
        for i, amount in enumerate(r.amounts):
            self.amount(self.doc, amount, i)  # printed for no project: the document's own figures
        for project in r.projects:
            self.project(project)
        for related in r.related_projects:
            self.related_project(related)
        for org in r.organisations:
            self.organisation(org)
        for i, reorg in enumerate(r.reorganisations, 1):
            self.reorganisation(i, reorg)

    # --- hierarchy -------------------------------------------------------------------------

    def element(self, e: PolicyElement) -> URIRef:
        iri = URIRef(f"{self.doc}/{e.level.replace('_', '-')}/{_seg(e.key)}")
        self.elements[e.key] = iri
        self.add(iri, RDF.type, LEVEL_CLASS[e.level])
        self.add(iri, SKOS.prefLabel, Literal(e.name, lang="ja"))
        for alt in e.alt_names:
            self.add(iri, SKOS.altLabel, Literal(alt, lang="ja"))
        if e.number is not None:
            self.add(iri, PKG.number, Literal(e.number))
        if e.parent is not None:
            if e.parent not in self.elements:
                raise ValueError(f"{self.r.file_name}: element {e.key} names unknown parent {e.parent}")
            self.add(iri, PKG.isPartOf, self.elements[e.parent])
        if e.description:
            self.add(iri, DCTERMS.description, Literal(e.description, lang="ja"))
        if e.vision:
            self.add(iri, PKG.vision, Literal(e.vision, lang="ja"))
        if e.unit is not None:
            self.add(iri, PKG.responsibleUnit, self.unit(e.unit))
        self.sourced(iri, e.span)
        return iri

    def project(self, p: Project) -> URIRef:
        iri = project_iri(self.r.doc_id, p.key, self.base)
        self.add(iri, RDF.type, PKG.Project)
        self.add(iri, PKG.number, Literal(p.number))
        if p.name:
            self.add(iri, SKOS.prefLabel, Literal(p.name, lang="ja"))
        for alt in p.alt_names:
            self.add(iri, SKOS.altLabel, Literal(alt, lang="ja"))
        for parent in p.parents:
            if parent in self.elements:
                self.add(iri, PKG.isPartOf, self.elements[parent])
        for code in p.sdg_targets:
            self.add(iri, PKG.sdgTarget, self.sdg_target(code))
        if p.pillar is not None:
            self.add(iri, PKG.strategyPillar, self.pillar(p.pillar))
        self.add(iri, PKG.isPriority, Literal(p.priority))
        if p.direction:
            self.add(iri, PKG.direction, self.direction(p.direction))
        if p.legal_basis:
            self.add(iri, PKG.legalBasis, vocab.concept(PKG.LegalBasisScheme, p.legal_basis))
        if p.unit is not None:
            self.add(iri, PKG.responsibleUnit, self.unit(p.unit))
        if p.description:
            self.add(iri, DCTERMS.description, Literal(p.description, lang="ja"))
        self.sourced(iri, p.span)
        self.money_and_indicators(iri, p)
        previous = None
        for stage in sorted(p.logic_model, key=lambda s: s.step):
            node = URIRef(f"{iri}/stage/{stage.step}")
            self.add(node, RDF.type, PKG.LogicModelStage)
            self.add(node, PKG.stageOf, iri)
            self.add(node, PKG.step, integer(stage.step))
            self.add(node, PKG.stage, vocab.concept(PKG.StageScheme, stage.stage))
            self.add(node, PKG.statement, Literal(stage.statement, lang="ja"))
            self.sourced(node, stage.span)
            if previous is not None:
                self.add(previous, PKG.leadsTo, node)
            previous = node
        for partner in p.partners:
            self.add(iri, PKG.partner, self.organisation(partner))
        for sub in p.sub_projects:
            self.sub_project(iri, sub)
        return iri

    def sub_project(self, parent: URIRef, s: SubProject) -> URIRef:
        iri = project_iri(self.r.doc_id, s.key, self.base)
        self.add(iri, RDF.type, PKG.SubProject)
        self.add(iri, PKG.isPartOf, parent)
        self.add(iri, PKG.number, Literal(s.number))
        self.add(iri, SKOS.prefLabel, Literal(s.name, lang="ja"))
        self.sourced(iri, s.span)
        self.money_and_indicators(iri, s)
        for partner in s.partners:
            self.add(iri, PKG.partner, self.organisation(partner))
        return iri

    def money_and_indicators(self, owner: URIRef, item: Project | SubProject) -> None:
        for i, amount in enumerate(item.amounts):
            self.amount(owner, amount, i)
        for i, condition in enumerate(item.conditions, 1):
            self.condition(owner, condition, i)
        for indicator in item.indicators:
            self.indicator(indicator, owner)

    def related_project(self, rp) -> URIRef:
        iri = URIRef(f"{self.doc}/related/{_seg(rp.code)}")
        self.add(iri, RDF.type, PKG.RelatedProject)
        self.add(iri, PKG.number, Literal(rp.code))
        self.add(iri, SKOS.prefLabel, Literal(rp.name, lang="ja"))
        if rp.unit is not None:
            self.add(iri, PKG.responsibleUnit, self.unit(rp.unit))
        self.sourced(iri, rp.span)
        for field_iri in (v for v in self.elements.values() if (v, RDF.type, PKG.PolicyField) in self.g):
            self.add(field_iri, PKG.relatedProject, iri)
        return iri

    # --- concepts ----------------------------------------------------------------------------

    def sdg_target(self, code: str) -> URIRef:
        self.g.update(sdg_target_triples(code))
        return SDG[code]

    def direction(self, printed: str) -> URIRef:
        known = vocab.concept_by_ja_label(PKG.DirectionScheme, printed)
        if known is not None:
            return known
        # A direction the ontology does not know yet: keep it as a concept of this document
        # rather than dropping the printed word.
        iri = URIRef(f"{self.doc}/direction/{_seg(printed)}")
        self.add(iri, RDF.type, SKOS.Concept)
        self.add(iri, SKOS.inScheme, PKG.DirectionScheme)
        self.add(iri, SKOS.prefLabel, Literal(printed, lang="ja"))
        self.add(iri, SKOS.notation, Literal(printed))
        return iri

    def pillar(self, n: int, name: str | None = None) -> URIRef:
        iri = URIRef(f"{self.doc}/strategy-pillar/{n}")
        self.add(iri, RDF.type, PKG.StrategyPillar)
        self.add(iri, PKG.number, Literal(str(n)))
        if name is None:
            name = self.r.strategy_pillars.get(n)
        if name:
            self.add(iri, SKOS.prefLabel, Literal(name, lang="ja"))
        return iri

    # --- organisations -----------------------------------------------------------------------

    def unit(self, u: Unit) -> URIRef:
        scope = URIRef(self.scope)
        dept = None
        if u.department:
            dept = URIRef(f"{self.scope}/unit/{_seg(u.department)}")
            self.add(dept, RDF.type, ORG.OrganizationalUnit)
            self.add(dept, SKOS.prefLabel, Literal(u.department, lang="ja"))
            self.add(dept, ORG.unitOf, scope)
        if not u.division:
            assert dept is not None, "a unit needs a department or a division"
            return dept
        div = URIRef(f"{dept if dept else self.scope + '/unit'}/{_seg(u.division)}")
        label = f"{u.department} {u.division}" if u.department else u.division
        self.add(div, RDF.type, ORG.OrganizationalUnit)
        self.add(div, SKOS.prefLabel, Literal(label, lang="ja"))
        self.add(div, ORG.unitOf, scope)
        if dept is not None:
            self.add(div, ORG.subOrganizationOf, dept)
        return div

    def known_unit(self, name: str, span: Span) -> URIRef:
        """The unit called ``name`` (a division or department) as the document's units know it."""
        for u in self.r.units:
            if name in (u.division, u.department):
                return self.unit(u if u.division == name else Unit(u.department, None, u.span))
        return self.unit(Unit(None, name, span) if name.endswith(("課", "係", "室")) else Unit(name, None, span))

    def organisation(self, o: Organisation) -> URIRef:
        return self.org_named(o.name, o.span)

    def org_named(self, name: str, span: Span | None = None) -> URIRef:
        key = self.org_key(name)
        iri = org_iri(key, self.base)
        self.add(iri, RDF.type, ORG.Organization)
        self.add(iri, SKOS.prefLabel, Literal(key, lang="ja"))
        if name != key:
            self.add(iri, SKOS.altLabel, Literal(name, lang="ja"))
        if span is not None:
            # a mention: the organisation is named at these lines of this document
            self.add(iri, PKG.source, self.span(span))  # type: ignore[arg-type]
        return iri

    def reorganisation(self, i: int, reorg) -> URIRef:
        iri = URIRef(f"{self.doc}/reorganisation/{i}")
        self.add(iri, RDF.type, ORG.ChangeEvent)
        if reorg.description:
            self.add(iri, DCTERMS.description, Literal(reorg.description, lang="ja"))
        for name in reorg.abolished:
            self.add(iri, ORG.originalOrganization, self.known_unit(name, reorg.span))
        for name in reorg.created:
            self.add(iri, ORG.resultingOrganization, self.known_unit(name, reorg.span))
        self.sourced(iri, reorg.span)
        return iri

    # --- numbers -----------------------------------------------------------------------------

    def amount(self, owner: URIRef, a: Amount, index: int) -> URIRef:
        year = a.fiscal_year if a.fiscal_year is not None else "any"
        iri = URIRef(f"{owner}/amount/{a.category}-{year}-{a.status or 'stated'}-{index}")
        self.add(iri, RDF.type, PKG.Amount)
        self.add(iri, PKG.amountOf, owner)
        self.add(iri, PKG.category, vocab.concept(PKG.AmountCategoryScheme, a.category))
        if a.status:
            self.add(iri, PKG.amountStatus, vocab.concept(PKG.AmountStatusScheme, a.status))
        if a.fiscal_year is not None:
            self.add(iri, PKG.fiscalYear, integer(a.fiscal_year))
        self.add(iri, SDO.value, integer(a.jpy))
        self.add(iri, SDO.currency, Literal("JPY"))
        self.add(iri, PKG.printedValue, Literal(a.printed))
        if a.label:
            self.add(iri, SKOS.note, Literal(a.label, lang="ja"))
        self.add(iri, PKG.confidence, decimal(a.confidence))
        self.add(iri, PKG.assertion, vocab.concept(PKG.AssertionScheme, "manual" if a.manual else "extracted"))
        for source in a.funding:
            self.add(iri, PKG.fundingSource, self.funding_source(source))
        self.sourced(iri, a.span)
        return iri

    def funding_source(self, f) -> URIRef:
        iri = URIRef(f"{self.doc}/funding/{_seg(f.label)}")
        self.add(iri, RDF.type, PKG.FundingSource)
        self.add(iri, SKOS.prefLabel, Literal(f.label, lang="ja"))
        self.add(iri, PKG.fundingType, vocab.funding_type(f.funding_type))
        if f.funder:
            self.add(iri, PKG.funder, self.org_named(f.funder, f.span))
        self.sourced(iri, f.span)
        return iri

    def condition(self, owner: URIRef, c: GrantCondition, index: int) -> URIRef:
        iri = URIRef(f"{owner}/condition/{index}")
        self.add(iri, RDF.type, PKG.GrantCondition)
        self.add(iri, PKG.conditionOf, owner)
        if c.label:
            self.add(iri, SKOS.prefLabel, Literal(c.label, lang="ja"))
        if c.rate is not None:
            self.add(iri, PKG.subsidyRate, Literal(c.rate, datatype=XSD.decimal))
        if c.rate_text:
            self.add(iri, PKG.subsidyRateText, Literal(c.rate_text, lang="ja"))
        if c.ceiling is not None:
            self.amount(iri, c.ceiling, 0)
        self.sourced(iri, c.span)
        return iri

    def indicator(self, ind: Indicator, owner: URIRef) -> URIRef:
        iri = URIRef(f"{self.doc}/indicator/{_seg(ind.key)}")
        self.add(iri, RDF.type, PKG.Indicator)
        self.add(iri, SKOS.prefLabel, Literal(ind.name, lang="ja"))
        self.add(iri, PKG.indicatorOf, owner)
        self.add(iri, PKG.indicatorKind, vocab.concept(PKG.IndicatorKindScheme, ind.kind))
        if ind.unit:
            self.add(iri, PKG.unit, Literal(ind.unit))
        if ind.description:
            self.add(iri, DCTERMS.description, Literal(ind.description, lang="ja"))
        if ind.confidence < 1:
            self.add(iri, PKG.confidence, decimal(ind.confidence))
        self.sourced(iri, ind.span)
        seen: dict[str, int] = {}
        for v in ind.values:
            slug = f"{v.role}-{v.fiscal_year if v.fiscal_year is not None else 'final'}"
            if v.qualifier:
                slug += f"-{_seg(v.qualifier)}"
            seen[slug] = seen.get(slug, 0) + 1
            if seen[slug] > 1:
                slug += f"-{seen[slug]}"
            node = URIRef(f"{iri}/value/{slug}")
            self.add(node, RDF.type, PKG.IndicatorValue)
            self.add(node, PKG.ofIndicator, iri)
            self.add(node, PKG.role, vocab.concept(PKG.ValueRoleScheme, v.role))
            if v.fiscal_year is not None:
                self.add(node, PKG.fiscalYear, integer(v.fiscal_year))
            elif v.role != "final_target":  # a final target's year is often not printed: nothing to say
                self.add(node, PKG.yearNotPrinted, Literal(True))
            if v.value is None:
                self.add(node, PKG.notAvailable, Literal(True))
            else:
                self.add(node, PKG.value, Literal(v.value, datatype=XSD.decimal))
            self.add(node, PKG.printedValue, Literal(v.printed))
            if v.qualifier:
                self.add(node, SKOS.note, Literal(v.qualifier, lang="ja"))
            self.sourced(node, v.span)
        return iri
