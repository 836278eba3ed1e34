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
change the query. A ``year`` parameter takes a Gregorian year or an era year (``令和5``, ``R5``,
``H30``: :func:`parse_year`).

The header is optional: a plain ``SELECT`` file (or a string, :func:`spec_from_text`) runs as it is,
its title its file name and its columns whatever it selects. The project's prefixes
(``graph.namespace.PREFIXES``) are predeclared for every query: :func:`with_prefixes` prepends those
the query does not declare itself.

>>> spec = load_query("projects")
>>> spec.columns[:3]
['document', 'measure', 'project']
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Protocol, runtime_checkable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from policy_kg.graph.namespace import DEFAULT_BASE, PREFIXES, XSD

QUERIES_DIR = Path(__file__).resolve().parents[1] / "queries"
PARAM_KINDS = ("iri", "string", "integer", "decimal", "boolean", "year")


class QueryError(Exception):
    """A query that cannot be found, parsed, parameterised or run."""


class UnknownValueError(QueryError):
    """A parameter names a document, measure, project or IRI the graph does not hold."""


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
        """Rows as strings, in a backend-independent canonical form (see :func:`term_text`).

        Each distinct term is converted once: wide listings repeat the same years, codes and IRIs
        in every row (budgets on 47 documents: 117k cells, 23k distinct terms).
        """
        cache: dict = {None: ""}

        def text(term: Node | None) -> str:
            found = cache.get(term)
            if found is None:
                found = cache[term] = term_text(term)
            return found

        return [[text(v) for v in row] for row in self.rows]

    def __len__(self) -> int:
        """The number of rows."""
        return len(self.rows)

    def as_dicts(self) -> list[dict[str, str]]:
        return [dict(zip(self.columns, row)) for row in self.as_text_rows()]

    def as_python_rows(self) -> list[list[object]]:
        """Rows of Python values (see :func:`python_value`): int, Decimal, float, bool, str or None."""
        return [[python_value(v) for v in row] for row in self.rows]

    def as_records(self) -> list[dict[str, object]]:
        """One dict per row, column → Python value (see :func:`python_value`)."""
        return [dict(zip(self.columns, row)) for row in self.as_python_rows()]

    def ordered(self, order: Sequence[tuple[int, bool]]) -> QueryResult:
        """The rows sorted as ``ORDER BY`` would sort them on the columns ``order`` names
        (``(index, descending)``, first key first; see :func:`sort_rows`)."""
        return QueryResult(self.columns, sort_rows(self.rows, order, rdflib_order_key))


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
    # Every header line is optional: a plain SELECT file is a query too (columns: what it selects).
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
    return QuerySpec(name, path, meta.get("title") or name, meta.get("description", ""), tuple(params),
                     split(meta.get("columns", "")), tuple(lists), text, scope)


def spec_from_text(text: str, name: str = "sparql") -> QuerySpec:
    """A query given as a string (``query --sparql``, ``kg.query("SELECT …")``); a header is optional."""
    return parse_header(text, name, Path(f"<{name}>"))


def looks_like_sparql(text: str) -> bool:
    """Whether ``text`` is query text rather than a library name or a path to a ``.rq`` file."""
    return bool(re.search(r"[\s{]", text.strip())) or bool(
        re.match(r"(?is)\s*(?:#[^\n]*\n\s*)*(?:PREFIX|BASE|SELECT|ASK|CONSTRUCT|DESCRIBE)\b", text))


# PREFIX declarations of a query's prologue (comment lines are not looked into).
_DECLARED = re.compile(r"(?i)(?<![\w:<])PREFIX\s+([A-Za-z][\w.-]*)?\s*:")
_FORM = re.compile(r"(?is)^(?:\s*(?:#[^\n]*|PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>))*\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b")


def query_form(text: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: what ``text`` asks (SELECT if unclear)."""
    m = _FORM.match(text)
    return m.group(1).upper() if m else "SELECT"


def predeclared_prefixes() -> dict[str, str]:
    """The prefixes every query may use without declaring them: ``graph.namespace`` and ``id:``."""
    found = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    found["id"] = DEFAULT_BASE
    return found


def with_prefixes(query: str) -> str:
    """``query`` with a ``PREFIX`` for each project prefix it does not declare itself.

    They go before its first line, on that line, so an error message's line numbers are the
    query's own.
    """
    body = "\n".join(line for line in query.splitlines() if not line.lstrip().startswith("#"))
    declared = {m.group(1) or "" for m in _DECLARED.finditer(body)}
    missing = [f"PREFIX {p}: <{iri}>" for p, iri in predeclared_prefixes().items() if p not in declared]
    return " ".join(missing) + " " + query if missing else query


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
        names = [q.stem for q in sorted(QUERIES_DIR.glob("*.rq"))]
        near = difflib.get_close_matches(str(name_or_path), names, n=3)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise QueryError(f"no query {str(name_or_path)!r}{hint} library queries: {', '.join(names)}")
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
        if param.kind == "year":
            return Literal(parse_year(raw), datatype=XSD.integer)
        if param.kind == "integer":
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


def parse_year(raw: str | int) -> int:
    """A year as a user types it: ``2023``, ``令和5``, ``令和5年度``, ``R5``, ``r5``, ``H30``, ``平成30``.

    >>> [parse_year(y) for y in ("2023", "令和5", "R5", "H30", "令和元年度")]
    [2023, 2023, 2023, 2018, 2019]
    """
    from policy_kg.extract.numbers import NumberFormatError, era_to_year, normalize

    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    text = normalize(str(raw)).strip()
    if re.fullmatch(r"\d{4}", text.removesuffix("年度").removesuffix("年")):
        return int(text.removesuffix("年度").removesuffix("年"))
    if re.fullmatch(r"[rhsRHS]\s*\d{1,2}", text):
        text = text.upper()  # r5 as R5
    try:
        year = era_to_year(text)
    except (NumberFormatError, ValueError, KeyError) as exc:
        raise ValueError(f"{raw!r} is not a year (2023, 令和5, R5, H30)") from exc
    if not re.fullmatch(r"(?:令和|平成|昭和|[RHS])\s*(?:\d{1,2}|元|[〇一二三四五六七八九十]{1,3})(?:年度|年)?", text):
        raise ValueError(f"{raw!r} is not a year (2023, 令和5, R5, H30)")
    return year


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
    form = query_form(spec.text)
    if form != "SELECT":
        raise QueryError(f"{spec.name}: {'an' if form == 'ASK' else 'a'} {form} query; only SELECT queries give rows here "
                         "(CONSTRUCT and DESCRIBE: the query page of `serve`, or `export` for the whole graph)")
    bound = bind_params(spec, params)
    bound.update(bindings or {})
    backend: Backend = RdflibBackend(target) if isinstance(target, Graph) else target
    document = bound.get(spec.scope) if spec.scope else None
    order = python_order(spec)

    def select(text: str) -> QueryResult:
        text = with_prefixes(text)
        if isinstance(document, Literal) and isinstance(backend, DocumentScopedBackend):
            return backend.select_in_documents(text, bound, [str(document)])
        return backend.select(text, bound)

    result = select(order[0] if order else spec.text)
    if order and not all(var in result.columns for var, _ in order[1]):
        result, order = select(spec.text), None  # ordered by a variable the query does not return
    result = _postprocess(spec, result)
    if order:
        result = result.ordered([(result.columns.index(var), desc) for var, desc in order[1]])
    return result


# The outer query's ORDER BY, when it is its last clause and orders by returned variables only:
# ``ORDER BY ?document ?project_iri DESC(?n)``. Expressions (STR(?x), xsd:integer(?goal)) are left
# to the engine.
_ORDER_ITEM = r"(?:(?:ASC|DESC)\s*\(\s*\?\w+\s*\)|\?\w+)"
_ORDER_TAIL = re.compile(r"(?i)\bORDER\s+BY\s+(" + _ORDER_ITEM + r"(?:\s+" + _ORDER_ITEM + r")*)\s*\Z")
_ORDER_VAR = re.compile(r"(?i)(DESC)?\s*\(?\s*\?(\w+)")


def python_order(spec: QuerySpec) -> tuple[str, list[tuple[str, bool]]] | None:
    """``(text without its ORDER BY, [(variable, descending), …])`` for a query whose rows
    :func:`run_query` sorts in Python instead of the engine; ``None`` to leave ORDER BY to the engine.

    Only for a query whose header declares its columns, the ORDER BY naming only those: sorting
    46k rows of ``budgets`` took Oxigraph 2.4 s, Python a tenth of that; the rows are the same,
    in the order SPARQL defines (:func:`order_key`), ties broken by the remaining columns so
    every backend gives the same order.

    >>> text, order = python_order(load_query("budgets"))
    >>> order[:2], "ORDER BY" in text
    ([('document', False), ('project_iri', False)], False)
    """
    m = _ORDER_TAIL.search(spec.text)
    if m is None or not spec.columns or "#" in spec.text[spec.text.rfind("\n", 0, m.start()) + 1 : m.start()]:
        return None
    order = [(var, bool(desc)) for desc, var in _ORDER_VAR.findall(m.group(1))]
    if not all(var in spec.columns for var, _ in order):
        return None
    return spec.text[: m.start()].rstrip() + "\n", order


_XSD_STRING = str(XSD.string)
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def order_key(kind: int, lexical: str = "", datatype: str = "", language: str = "") -> tuple:
    """A sort key giving SPARQL's ``ORDER BY`` order: unbound (``kind`` 0) < blank nodes (1, all
    alike: their labels are each engine's own) < IRIs (2, by text) < literals (3): numbers by
    value, then booleans, then strings (plain and language-tagged) by code point, then the rest
    by datatype and text. ``datatype`` is the full IRI (``xsd:string`` for a plain literal)."""
    if kind < 3:
        return (kind, 0, lexical if kind == 2 else "")
    if datatype in _NUMERIC_IRIS:
        try:
            value = Decimal(lexical.strip())
        except InvalidOperation:
            value = None
        if value is not None and value.is_finite():
            return (3, 0, value)
        if value is not None and not value.is_nan():
            return (3, 0, Decimal("Infinity") if value > 0 else Decimal("-Infinity"))
    elif datatype == _BOOLEAN_IRI and lexical.strip() in ("true", "false", "1", "0"):
        return (3, 1, lexical.strip() in ("true", "1"))
    elif datatype in (_XSD_STRING, _LANG_STRING):
        return (3, 2, lexical, language)
    return (3, 3, datatype, lexical)


def rdflib_order_key(term: Node | None) -> tuple:
    """:func:`order_key` of an rdflib term."""
    if term is None:
        return order_key(0)
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype is not None else (_LANG_STRING if term.language else _XSD_STRING)
        return order_key(3, str(term), datatype, term.language or "")
    return order_key(2 if isinstance(term, URIRef) else 1, str(term))


def sort_rows(rows: Sequence[tuple], order: Sequence[tuple[int, bool]], term_key: Callable[[object], tuple]) -> list[tuple]:
    """``rows`` sorted by the columns ``order`` names (``(index, descending)``, first key first),
    ties broken by every column in turn, so the order does not depend on the engine.
    ``term_key`` gives a cell's :func:`order_key`; it is asked once per distinct term."""
    cache: dict = {}

    def key(term: object) -> tuple:
        found = cache.get(term)
        if found is None:
            found = cache[term] = term_key(term)
        return found

    def whole(row: tuple) -> list:
        return [key(t) for t in row]

    if any(desc for _, desc in order):
        out = sorted(rows, key=whole)
        for i, desc in reversed(order):  # stable sorts, the last key first
            out.sort(key=lambda row: key(row[i]), reverse=desc)
        return out
    idx = [i for i, _ in order]
    keys = [[key(row[i]) for i in idx] for row in rows]
    perm = sorted(range(len(rows)), key=keys.__getitem__)
    out = [rows[p] for p in perm]
    start = 0
    while start < len(perm):  # runs of rows equal on every ORDER BY key (few): by all their columns
        end = start + 1
        while end < len(perm) and keys[perm[end]] == keys[perm[start]]:
            end += 1
        if end - start > 1:
            out[start:end] = sorted(out[start:end], key=whole)
        start = end
    return out


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


# Looked up once: an attribute of rdflib's XSD namespace costs a method call each time.
_INTEGER_TYPES = frozenset((XSD.integer, XSD.int, XSD.long))
_DECIMAL_TYPES = frozenset((XSD.decimal, XSD.double, XSD.float))
_BOOLEAN = XSD.boolean


def term_text(term: Node | None) -> str:
    """A term as a CSV cell, identical whatever store produced it (numbers in canonical form)."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        dt = term.datatype
        if dt is None:
            return str(term)
        if dt in _INTEGER_TYPES:
            return str(int(term.toPython()))
        if dt in _DECIMAL_TYPES:
            return format(Decimal(str(term)).normalize(), "f")  # 222410.0 and 222410 print alike
        if dt == _BOOLEAN:
            return "true" if term.toPython() else "false"
        return str(term)
    return str(term)


def python_value(term: Node | None) -> object:
    """A result term as a Python value, the same whatever store answered.

    ``xsd:integer`` (and its derived types: yen amounts, fiscal years, counts) → ``int``;
    ``xsd:decimal`` → :class:`decimal.Decimal` (exact: indicator values such as 5.5 stay 5.5);
    ``xsd:double`` / ``xsd:float`` → ``float``; ``xsd:boolean`` → ``bool``; ``xsd:gYear`` → ``int``;
    an unbound cell → ``None``; IRIs, blank nodes and every other literal → ``str``.

    >>> from rdflib import Literal
    >>> [python_value(Literal(v)) for v in (1500000, True, "x")]
    [1500000, True, 'x']
    """
    if term is None:
        return None
    if not isinstance(term, Literal):
        return str(term)
    dt = term.datatype
    try:
        if dt in _INTEGER_TYPES:
            return int(str(term).strip())
        if dt == XSD.decimal:
            return Decimal(str(term).strip())
        if dt in (XSD.double, XSD.float):
            return float(str(term).strip())
        if dt == XSD.boolean:
            return str(term).strip().lower() in ("true", "1")
        if dt == XSD.gYear:
            return int(str(term).strip()[:5].rstrip("-Z+") or str(term))
    except (ValueError, InvalidOperation):
        return str(term)  # an ill-typed literal stays its text
    return str(term)


_INTEGER_TYPES = {XSD.integer, XSD.int, XSD.long, XSD.short, XSD.byte, XSD.nonNegativeInteger,
                  XSD.positiveInteger, XSD.nonPositiveInteger, XSD.negativeInteger, XSD.unsignedLong,
                  XSD.unsignedInt, XSD.unsignedShort, XSD.unsignedByte}


_NUMERIC_IRIS = frozenset(str(t) for t in (*_INTEGER_TYPES, *_DECIMAL_TYPES))
_INTEGER_IRIS = frozenset(str(t) for t in _INTEGER_TYPES)
_DECIMAL_IRIS = frozenset(str(t) for t in _DECIMAL_TYPES)
_BOOLEAN_IRI = str(XSD.boolean)


def json_value(value: object) -> object:
    """A :func:`python_value` as JSON can hold it: a Decimal becomes an int when whole, else a float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


# --- what an empty answer may mean --------------------------------------------------------------------

_PKG_NS = str(PREFIXES["pkg"])
_PKG_TERM = re.compile(r"(?<![\w<])pkg:([A-Za-z_][\w-]*)|<" + re.escape(_PKG_NS) + r"([^>]*)>")
# parameters whose value names something the graph holds, and how to find the names it holds
_NAMED = {
    "document": ("SELECT DISTINCT ?name WHERE { ?d <" + _PKG_NS + "fileName> ?name }"),
    "measure": ("SELECT DISTINCT ?name WHERE { ?m a <" + _PKG_NS + "Measure> ; "
                "<http://www.w3.org/2004/02/skos/core#prefLabel> ?name }"),
    "project": ("SELECT DISTINCT ?name WHERE { ?m a <" + _PKG_NS + "Project> ; "
                "<http://www.w3.org/2004/02/skos/core#prefLabel> ?name }"),
}


def ontology_terms() -> set[str]:
    """Local names of every term ``ontology/policy.ttl`` defines in the ``pkg:`` namespace."""
    global _ONTOLOGY_TERMS
    if _ONTOLOGY_TERMS is None:
        ontology = Graph().parse(QUERIES_DIR.parent / "ontology" / "policy.ttl", format="turtle")
        _ONTOLOGY_TERMS = {str(s)[len(_PKG_NS):] for s in ontology.subjects() if str(s).startswith(_PKG_NS)}
    return _ONTOLOGY_TERMS


_ONTOLOGY_TERMS: set[str] | None = None


def unknown_term_hints(query: str) -> list[str]:
    """For each ``pkg:`` term of ``query`` that ``ontology/policy.ttl`` does not define, a hint
    (``pkg:valu is not in the ontology; did you mean pkg:value?``). Comments are not looked at."""
    body = "\n".join(line.split("#", 1)[0] if "<" not in line else line for line in query.splitlines())
    known = ontology_terms()
    hints = []
    seen: set[str] = set()
    for m in _PKG_TERM.finditer(body):
        local = m.group(1) if m.group(1) is not None else m.group(2)
        if local in known or local in seen or not local:
            continue
        seen.add(local)
        near = difflib.get_close_matches(local, sorted(known), n=3, cutoff=0.6)
        near = near or difflib.get_close_matches(local.lower(), sorted(known, key=str.lower), n=3, cutoff=0.6)
        suggestion = f"; did you mean {' or '.join('pkg:' + n for n in near)}?" if near else ""
        hints.append(f"pkg:{local} is not in the ontology{suggestion}")
    return hints


def check_named_values(target: Graph | Backend, spec: QuerySpec, params: Mapping[str, object] | None) -> None:
    """Raise :class:`UnknownValueError` when a parameter names a document, measure or project (by
    parameter name) or an IRI (by kind) the graph does not hold, listing near matches (difflib).

    Run it when a query returned no rows: a misspelt ``document=`` then says so instead of printing
    an empty table. Values are bound, as in :func:`run_query`.
    """
    backend: Backend = RdflibBackend(target) if isinstance(target, Graph) else target
    for name, raw in (params or {}).items():
        param = spec.param(name)
        value = str(raw)
        if name in _NAMED and param.kind == "string":
            names = [str(r[0]) for r in backend.select(_NAMED[name], {}).rows if r[0] is not None]
            if value in names:
                continue
            near = difflib.get_close_matches(value, names, n=5, cutoff=0.4)
            near = near or sorted(n for n in names if value and (value in n or n in value))[:5]
            what = {"document": "document (file name)"}.get(name, name)
            raise UnknownValueError(
                f"parameter {name}: no {what} {value!r} in the graph"
                + (f"; near matches: {', '.join(near)}" if near else f" ({len(names)} known)"))
        if param.kind == "iri":
            term = typed_term(param, value)
            ask = "SELECT ?x WHERE { { ?x ?p ?o } UNION { ?s ?p ?x } } LIMIT 1"
            if backend.select(ask, {"x": term}).rows:
                continue
            raise UnknownValueError(f"parameter {name}: {str(term)!r} is not in the graph")
