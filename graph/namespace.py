"""Every IRI prefix policy-kg uses, declared once.

The project's own vocabulary is a ``DefinedNamespace`` with ``_fail = True``: a misspelt term raises
``AttributeError`` instead of silently minting a wrong IRI. ``tests/test_ontology.py`` checks that
every term declared here is defined in ``ontology/policy.ttl`` and the other way round.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SDO, SH, SKOS, XSD, DefinedNamespace

from policy_kg.graph.identity import DEFAULT_BASE

__all__ = [
    "PKG", "SDG", "QB", "WD", "DCTERMS", "ORG", "OWL", "PROV", "RDF", "RDFS", "SDO", "SH", "SKOS", "XSD",
    "DEFAULT_BASE", "PREFIXES", "bind_prefixes", "jsonld_context", "context_document", "CONTEXT_FILE",
]

SDG = Namespace("http://metadata.un.org/sdg/")
QB = Namespace("http://purl.org/linked-data/cube#")
WD = Namespace("http://www.wikidata.org/entity/")


class PKG(DefinedNamespace):
    """The policy-kg ontology (``ontology/policy.ttl``)."""

    _fail = True
    _NS = Namespace("https://w3id.org/policy-kg/ontology#")

    # --- classes: sources and provenance
    Document: URIRef
    TextSpan: URIRef
    # --- classes: the policy hierarchy
    PolicyElement: URIRef
    PolicyGoal: URIRef
    Policy: URIRef
    PolicyField: URIRef
    Programme: URIRef  # a pillar (Ⅰ, Ⅱ …) of an agency's programme structure (事業体系)
    Measure: URIRef
    Project: URIRef
    SubProject: URIRef
    RelatedProject: URIRef
    StrategyPillar: URIRef
    # --- classes: indicators, logic model, money
    Indicator: URIRef
    IndicatorValue: URIRef
    LogicModelStage: URIRef
    Amount: URIRef
    FundingSource: URIRef
    GrantCondition: URIRef
    # --- classes: SDGs
    SdgGoal: URIRef
    SdgTarget: URIRef
    SdgSuggestion: URIRef

    # --- concept schemes and their concepts
    DirectionScheme: URIRef
    New: URIRef
    Continue: URIRef
    End: URIRef
    Abolish: URIRef
    Expand: URIRef
    Reduce: URIRef
    Merge: URIRef

    LegalBasisScheme: URIRef
    Statutory: URIRef
    Discretionary: URIRef

    ValueRoleScheme: URIRef
    TargetValue: URIRef
    ActualValue: URIRef
    BaselineValue: URIRef
    FinalTargetValue: URIRef
    PlannedValue: URIRef
    EstimatedValue: URIRef
    UnspecifiedValue: URIRef

    IndicatorKindScheme: URIRef
    KPI: URIRef
    KeyIndicator: URIRef
    ActivityIndicator: URIRef
    ReferenceIndicator: URIRef
    OutcomeIndicator: URIRef

    StageScheme: URIRef
    Activity: URIRef
    ShortTermOutcome: URIRef
    MidTermOutcome: URIRef
    FinalOutcome: URIRef

    AmountCategoryScheme: URIRef
    TotalCost: URIRef
    FullCost: URIRef
    GeneralFund: URIRef
    PersonnelCost: URIRef
    FundSize: URIRef
    LoanFrame: URIRef
    GrantCeiling: URIRef
    LoansGranted: URIRef
    FundAddition: URIRef
    FundingShare: URIRef
    StatedAmount: URIRef

    AmountStatusScheme: URIRef
    Budget: URIRef
    Estimate: URIRef
    Plan: URIRef

    FundingTypeScheme: URIRef
    Commissioned: URIRef
    Subsidy: URIRef
    Loan: URIRef
    Grant: URIRef
    FundIncome: URIRef
    Fees: URIRef
    OtherFunding: URIRef

    AssertionScheme: URIRef
    Extracted: URIRef
    ManualAssertion: URIRef

    SdgScheme: URIRef

    # --- properties: provenance
    source: URIRef  # entity/number -> TextSpan
    inDocument: URIRef  # TextSpan or entity -> Document
    lineStart: URIRef
    lineEnd: URIRef
    fileName: URIRef
    contentHash: URIRef
    layout: URIRef
    documentKind: URIRef  # the kind the engine recognised (evaluation_sheet, kpi_review, template …)
    kindConfidence: URIRef
    kindEvidence: URIRef
    assertion: URIRef  # -> Extracted | ManualAssertion
    confidence: URIRef

    # --- properties: hierarchy and project attributes
    isPartOf: URIRef
    number: URIRef
    vision: URIRef
    responsibleUnit: URIRef
    partner: URIRef
    direction: URIRef
    legalBasis: URIRef
    isPriority: URIRef
    strategyPillar: URIRef
    relatedProject: URIRef
    sdgTarget: URIRef

    # --- properties: indicators
    indicatorOf: URIRef
    indicatorKind: URIRef
    unit: URIRef
    ofIndicator: URIRef
    role: URIRef
    fiscalYear: URIRef
    value: URIRef
    notAvailable: URIRef
    yearNotPrinted: URIRef
    printedValue: URIRef

    # --- properties: logic model
    stageOf: URIRef
    stage: URIRef
    step: URIRef
    statement: URIRef
    leadsTo: URIRef

    # --- properties: money
    amountOf: URIRef
    category: URIRef
    amountStatus: URIRef
    fundingSource: URIRef
    fundingType: URIRef
    funder: URIRef
    conditionOf: URIRef
    subsidyRate: URIRef
    subsidyRateText: URIRef

    # --- properties: SDG suggestions
    suggestedFor: URIRef
    score: URIRef
    rank: URIRef
    method: URIRef
    matchedTerm: URIRef


# Each declared term becomes a plain class attribute: ``PKG.Project`` is then one lookup instead of
# rdflib's validating ``__getattr__`` building a new URIRef (half a million lookups per thousand
# documents). Undeclared names still reach ``__getattr__`` and raise, as ``_fail`` asks.
for _term in PKG.__annotations__:
    setattr(PKG, _term, PKG[_term])
del _term


PREFIXES: dict[str, Namespace | str] = {
    "pkg": PKG._NS,
    "sdg": SDG,
    "qb": QB,
    "wd": WD,
    "dcterms": DCTERMS,
    "org": ORG,
    "owl": OWL,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "schema": SDO,
    "sh": SH,
    "skos": SKOS,
    "xsd": XSD,
}


def bind_prefixes(graph: Graph, base: str = DEFAULT_BASE) -> Graph:
    """Bind every prefix above (and ``id:`` for the data base) on ``graph``; returns it."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    graph.bind("id", Namespace(base), override=True, replace=True)
    return graph


# The JSON-LD context of the project, published beside the ontology and kept in sync with PREFIXES
# (tests/test_jsonld.py): ``python -m policy_kg.graph.namespace`` rewrites it.
CONTEXT_FILE = Path(__file__).resolve().parents[1] / "ontology" / "context.jsonld"


def jsonld_context(base: str = DEFAULT_BASE) -> dict[str, str]:
    """The JSON-LD ``@context`` of policy-kg data: every prefix above, and ``id`` for the data base."""
    context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    context["id"] = base
    return context


def context_document(base: str = DEFAULT_BASE) -> str:
    """The text of ``ontology/context.jsonld``: ``{"@context": …}`` (see :func:`jsonld_context`)."""
    import json

    return json.dumps({"@context": jsonld_context(base)}, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    CONTEXT_FILE.write_text(context_document(), encoding="utf-8")
    print(CONTEXT_FILE)
