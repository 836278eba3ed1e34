"""Which SDG goals and targets exist: the one check every SDG code a record carries goes through.

The list is the reference data file ``ontology/sdg.ttl`` (17 goals, 169 targets at their UN IRIs),
read once per process, not a list written here. A document may print a code the UN list does not
have (``11.99``, ``18.1``): the parsers recognise anything shaped like a target code
(``SDG_CODE_LIKE``), and :func:`check_sdg_targets` then keeps the known ones on the project and
turns each unknown one into an ``error`` issue naming the printed code, the project and its line.
The unknown code is not linked: a link would claim a UN IRI that names nothing, and
``sdg_coverage`` would count the project's budget under a target that does not exist. The
printed code stays in the report, so nothing is lost. Curation files and records files are held
to the same list (a curation adding an unknown target is refused; see ``extract/curation.py``).

    >>> sdg_target_problem("8.10") is None, sdg_target_problem("4.a") is None
    (True, True)
    >>> sdg_target_problem("11.99")
    'SDG target 11.99 is not in the UN list (goal 11 has 11.1–11.7, 11.a–11.c)'
    >>> sdg_target_problem("18.1")
    'SDG target 18.1 names goal 18; the SDGs are goals 1 to 17'
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from policy_kg.extract.records import DocumentRecord, ExtractionIssue

__all__ = ["SDG_TTL", "SDG_CODE_LIKE", "known_sdg_goals", "known_sdg_targets", "sdg_target_problem",
           "check_sdg_targets"]

SDG_TTL = Path(__file__).resolve().parents[1] / "ontology" / "sdg.ttl"

#: Anything a document prints that is shaped like an SDG target code: a goal number, a dot, then
#: a number or a letter (8.1, 8.10, 4.a, and also 11.99 or 18.1, which the UN list does not have).
SDG_CODE_LIKE = re.compile(r"[1-9][0-9]?\.(?:[1-9][0-9]?|[a-z])")

_SDG_IRI = "http://metadata.un.org/sdg/"


@lru_cache(maxsize=1)
def _reference() -> tuple[frozenset[str], frozenset[str]]:
    """(goal codes, target codes) declared in ``ontology/sdg.ttl``."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    pkg = "https://w3id.org/policy-kg/ontology#"
    g = Graph().parse(SDG_TTL, format="turtle")

    def codes(cls: str) -> frozenset[str]:
        return frozenset(str(s).removeprefix(_SDG_IRI) for s in g.subjects(RDF.type, URIRef(pkg + cls))
                         if str(s).startswith(_SDG_IRI))

    return codes("SdgGoal"), codes("SdgTarget")


def known_sdg_goals() -> frozenset[str]:
    """The goal codes of the UN list ("1" … "17")."""
    return _reference()[0]


def known_sdg_targets() -> frozenset[str]:
    """The target codes of the UN list ("1.1" … "17.19", letter targets included)."""
    return _reference()[1]


def _targets_of(goal: str) -> str:
    """``11.1–11.7, 11.a–11.c``: the targets of ``goal`` as ranges, for a message."""
    mine = [t.split(".", 1)[1] for t in known_sdg_targets() if t.split(".", 1)[0] == goal]
    numbers = sorted(int(t) for t in mine if t.isdigit())
    letters = sorted(t for t in mine if not t.isdigit())
    parts = [f"{goal}.{group[0]}–{goal}.{group[-1]}" if len(group) > 1 else f"{goal}.{group[0]}"
             for group in (numbers, letters) if group]
    return ", ".join(parts)


def sdg_target_problem(code: str) -> str | None:
    """Why ``code`` is not an SDG target of the UN list, or ``None`` when it is one."""
    if not isinstance(code, str):
        return f"{code!r} is not an SDG target code like 8.1 or 4.a"
    if code in known_sdg_targets():
        return None
    if not SDG_CODE_LIKE.fullmatch(code):
        return f"{code!r} is not an SDG target code like 8.1 or 4.a"
    goal = code.split(".", 1)[0]
    if goal not in known_sdg_goals():
        return f"SDG target {code} names goal {goal}; the SDGs are goals 1 to 17"
    return f"SDG target {code} is not in the UN list (goal {goal} has {_targets_of(goal)})"


def check_sdg_targets(record: DocumentRecord) -> DocumentRecord:
    """Keep only UN-list targets on ``record``'s projects; each other code becomes an ``error`` issue.

    Idempotent: a code already removed is not reported twice.
    """
    for project in record.projects:
        kept = []
        for code in project.sdg_targets:
            problem = sdg_target_problem(code)
            if problem is None:
                kept.append(code)
                continue
            record.issues.append(ExtractionIssue(
                "error",
                f"{problem}; printed for project {project.number} {project.name or ''}".rstrip()
                + " — the project is kept without this link",
                project.span, project.key,
            ))
        project.sdg_targets[:] = kept
    return record
