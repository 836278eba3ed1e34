"""The query library: ``queries/*.rq`` files with their own metadata, run with bound parameters.

Each ``.rq`` file starts with a header comment::

    # title: Projects
    # description: One row per project and parent measure.
    # param: document string optional — file name of a source document
    # columns: document, measure, project
    # sorted-lists: sdg_targets, project_names[ / ]
    # scope: document

``scope`` names the parameter whose value is a source document's file name, and states that the
query needs nothing outside that document's own graphs (plus the ontology and SDG reference
graphs) to answer for it. A backend that keeps one named graph per document (an Oxigraph store, a
SPARQL server told ``default-graph-uri``) then reads only those graphs when the parameter is bound,
so a question about one document costs the same in a store of ten documents or of ten thousand (``tests/test_document_scope.py`` checks the rows are
those of the whole store, for every scoped query and every sample and seed document).

Parameters are bound as typed RDF terms: a ``VALUES`` block whose terms rdflib serialises (and
escapes), on every backend. A raw parameter value is never pasted into query text, so it cannot
change the query.

>>> spec = load_query("projects")
>>> spec.columns[:3]
['document', 'measure', 'project']
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Protocol, runtime_checkable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from policy_kg.graph.namespace import PREFIXES, XSD

QUERIES_DIR = Path(__file__).resolve().parents[1] / "queries"
PARAM_KINDS = ("iri", "string", "integer", "decimal", "boolean", "year")


class QueryError(Exception):
    """A query that cannot be found, parsed, parameterised or run."""


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    required: bool
    description: str


@dataclass(frozen=True)
class QuerySpec:
    name: str
    path: Path
    title: str
    description: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    sorted_lists: tuple[tuple[str, str], ...]  # (column, separator): GROUP_CONCAT order is undefined
    text: str
    scope: str | None = None  # the parameter naming one source document (see the module notes)

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise QueryError(f"query {self.name!r} has no parameter {name!r} (parameters: {known})")


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)

    def as_text_rows(self) -> list[list[str]]:
        """Rows as strings, in a backend-independent canonical form (see :func:`term_text`)."""
        return [[term_text(v) for v in row] for row in self.rows]

    def as_dicts(self) -> list[dict[str, str]]:
        return [dict(zip(self.columns, row)) for row in self.as_text_rows()]


class Backend(Protocol):
    """Anything that can answer a SELECT query with bound variables (rdflib, Oxigraph, remote)."""

    def select(self, query: str, bindings: Mapping[str, Node]) -> QueryResult: ...


@runtime_checkable
class DocumentScopedBackend(Backend, Protocol):
    """A backend that can answer a query from the named graphs of some source documents alone."""

    def select_in_documents(self, query: str, bindings: Mapping[str, Node], file_names: list[str]) -> QueryResult: ...


_HEADER = re.compile(r"^#\s*(?P<key>[a-z-]+)\s*:\s*(?P<value>.*)$")
_PARAM = re.compile(r"^(?P<name>\w+)\s+(?P<kind>\w+)\s+(?P<req>optional|required)\s*(?:[—–-]+\s*(?P<desc>.*))?$")


def parse_header(text: str, name: str, path: Path) -> QuerySpec:
    meta: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.group("key"), m.group("value").strip()
        if key == "param":
            pm = _PARAM.match(value)
            if not pm or pm.group("kind") not in PARAM_KINDS:
                raise QueryError(f"{path.name}: malformed param line {value!r}")
            params.append(Param(pm.group("name"), pm.group("kind"), pm.group("req") == "required",
                                (pm.group("desc") or "").strip()))
        else:
            meta[key] = value
    for required in ("title", "description", "columns"):
        if required not in meta:
            raise QueryError(f"{path.name}: header lacks '# {required}:'")
    split = lambda s: tuple(c.strip() for c in s.split(",") if c.strip())  # noqa: E731
    lists = []
    for item in split(meta.get("sorted-lists", "")):
        m = re.fullmatch(r"(\w+)(?:\[(.+)\])?", item)
        if not m:
            raise QueryError(f"{path.name}: malformed sorted-lists entry {item!r}")
        lists.append((m.group(1), m.group(2) or " "))
    scope = meta.get("scope") or None
    if scope is not None and scope not in {p.name for p in params}:
        raise QueryError(f"{path.name}: '# scope: {scope}' names no parameter of the query")
    return QuerySpec(name, path, meta["title"], meta["description"], tuple(params),
                     split(meta["columns"]), tuple(lists), text, scope)


def list_queries(folder: Path = QUERIES_DIR) -> list[QuerySpec]:
    """Every library query (``queries/*.rq``), by name."""
    return [load_query(p) for p in sorted(folder.glob("*.rq"))]


def list_checks(folder: Path = QUERIES_DIR / "checks") -> list[QuerySpec]:
    """Data checks (``queries/checks/*-violation.rq``): any row returned is a defect."""
    return [load_query(p) for p in sorted(folder.glob("*-violation.rq"))]


def load_query(name_or_path: str | Path) -> QuerySpec:
    """A library query by name (``projects``) or any ``.rq`` file by path."""
    p = Path(name_or_path)
    if p.suffix != ".rq":
        p = QUERIES_DIR / f"{name_or_path}.rq"
    if not p.is_file():
        known = ", ".join(q.stem for q in sorted(QUERIES_DIR.glob("*.rq")))
        raise QueryError(f"no query {str(name_or_path)!r}; library queries: {known}")
    return parse_header(p.read_text(encoding="utf-8"), p.stem, p)


def typed_term(param: Param, raw: str) -> Node:
    """The RDF term for a parameter value given on the command line, by the parameter's kind."""
    try:
        if param.kind == "iri":
            iri = raw[1:-1] if raw.startswith("<") and raw.endswith(">") else raw
            if ":" in iri and not re.match(r"^[a-zA-Z][\w+.-]*://", iri):
                prefix, local = iri.split(":", 1)
                if prefix in PREFIXES:
                    iri = str(PREFIXES[prefix]) + local
            if not re.match(r"^[a-zA-Z][\w+.-]*:[^\s<>\"{}|^`\\]*$", iri):
                raise QueryError(f"parameter {param.name}: {raw!r} is not an IRI")
            return URIRef(iri)
        if param.kind in ("integer", "year"):
            return Literal(int(raw), datatype=XSD.integer)
        if param.kind == "decimal":
            return Literal(Decimal(raw), datatype=XSD.decimal)
        if param.kind == "boolean":
            if raw.lower() not in ("true", "false", "1", "0"):
                raise QueryError(f"parameter {param.name}: {raw!r} is not true/false")
            return Literal(raw.lower() in ("true", "1"))
        return Literal(raw)
    except (ValueError, InvalidOperation) as exc:
        raise QueryError(f"parameter {param.name}: {raw!r} is not a valid {param.kind}") from exc


def bind_params(spec: QuerySpec, raw: Mapping[str, str] | None) -> dict[str, Node]:
    """Validate and type ``raw`` parameter values against ``spec``'s declared parameters."""
    raw = dict(raw or {})
    bound = {name: typed_term(spec.param(name), value) for name, value in raw.items()}
    missing = [p.name for p in spec.params if p.required and p.name not in bound]
    if missing:
        raise QueryError(f"query {spec.name!r} needs parameter(s): {', '.join(missing)}")
    return bound


class RdflibBackend:
    """Queries an rdflib Graph / Dataset in memory (the default for small graphs).

    Parameters are bound with a ``VALUES`` block of rdflib-serialised terms, not ``initBindings``:
    rdflib does not apply ``initBindings`` to variables a query assigns with ``BIND``, and every
    backend must give the same rows.
    """

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def select(self, query: str, bindings: Mapping[str, Node]) -> QueryResult:
        try:
            result = self.graph.query(with_values(query, bindings))
        except Exception as exc:  # rdflib raises pyparsing and assorted errors
            raise QueryError(f"query failed: {exc}") from exc
        columns = [str(v) for v in result.vars or []]
        return QueryResult(columns, [tuple(row) for row in result])


def values_block(bindings: Mapping[str, Node]) -> str:
    """A SPARQL ``VALUES`` clause for ``bindings``; terms serialised by rdflib (escaped)."""
    if not bindings:
        return ""
    names = sorted(bindings)
    terms = " ".join(_n3(bindings[n]) for n in names)
    return "VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + terms + ") }"


def _n3(term: Node) -> str:
    if isinstance(term, BNode):
        raise QueryError("blank nodes cannot be bound as query parameters")
    try:
        return term.n3()
    except Exception as exc:  # rdflib refuses an IRI it cannot write safely (plain Exception)
        raise QueryError(f"cannot bind parameters: {str(term)!r}: {exc}") from exc


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def with_values(query: str, bindings: Mapping[str, Node]) -> str:
    """``query`` with its parameters bound by a ``VALUES`` block at the start of the outer WHERE."""
    if not bindings:
        return query
    body = "\n".join(line for line in query.splitlines() if not line.lstrip().startswith("#"))
    m = _WHERE.search(body)
    if not m:
        raise QueryError("cannot bind parameters: the query has no WHERE clause")
    return body[: m.end()] + "\n  " + values_block(bindings) + "\n" + body[m.end():]


def run_query(
    target: Graph | Backend,
    query: str | Path | QuerySpec,
    *,
    params: Mapping[str, str] | None = None,
    bindings: Mapping[str, Node] | None = None,
) -> QueryResult:
    """Run a library query (by name, path or spec) on a graph or backend.

    ``params`` are raw strings typed by the query's declared parameters; ``bindings`` are RDF terms
    (used as given). Columns come back in the header's order; list columns are sorted.
    """
    spec = query if isinstance(query, QuerySpec) else load_query(query)
    bound = bind_params(spec, params)
    bound.update(bindings or {})
    backend: Backend = RdflibBackend(target) if isinstance(target, Graph) else target
    document = bound.get(spec.scope) if spec.scope else None
    if isinstance(document, Literal) and isinstance(backend, DocumentScopedBackend):
        result = backend.select_in_documents(spec.text, bound, [str(document)])
    else:
        result = backend.select(spec.text, bound)
    return _postprocess(spec, result)


def _postprocess(spec: QuerySpec, result: QueryResult) -> QueryResult:
    if spec.sorted_lists:
        idx = [(result.columns.index(c), sep) for c, sep in spec.sorted_lists if c in result.columns]
        rows = []
        for row in result.rows:
            row = list(row)
            for i, sep in idx:
                if isinstance(row[i], Literal) and str(row[i]):
                    items = {s.strip() for s in str(row[i]).split(sep) if s.strip()}
                    row[i] = Literal(sep.join(sorted(items, key=natural_key)))
            rows.append(tuple(row))
        result = QueryResult(result.columns, rows)
    return result


def natural_key(code: str) -> list:
    """Sort key for codes like 8.1 < 8.3 < 8.10 < 8.a < 11.4 (and plain text by its characters)."""
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.\-]", code)]


def term_text(term: Node | None) -> str:
    """A term as a CSV cell, identical whatever store produced it (numbers in canonical form)."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        dt = term.datatype
        if dt in (XSD.integer, XSD.int, XSD.long):
            return str(int(term.toPython()))
        if dt in (XSD.decimal, XSD.double, XSD.float):
            return format(Decimal(str(term)).normalize(), "f")  # 222410.0 and 222410 print alike
        if dt == XSD.boolean:
            return "true" if term.toPython() else "false"
        return str(term)
    return str(term)
