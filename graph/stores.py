"""Query anywhere: an on-disk Oxigraph store, a remote SPARQL endpoint, or rdflib in memory.

Every backend answers the same library queries (``graph.query.run_query``) over the UNION of the
named graphs (one per document) and returns rdflib terms, so ``QueryResult.as_text_rows()`` prints
identically whichever store answered:

* :class:`OxigraphBackend` — a persistent ``pyoxigraph.Store`` on disk, filled once by bulk loading
  (:func:`load_dataset`, :func:`load_file`) and queried many times without re-parsing; parameters are
  bound by a ``VALUES`` block serialised by rdflib (Oxigraph's substitutions are applied late); a
  query bound to one document (``# scope: document``) reads only that document's named graphs.
* :class:`RemoteBackend` — any SPARQL 1.1 endpoint through SPARQLWrapper (JSON results, basic auth
  or a bearer token, a timeout); parameters are bound by a ``VALUES`` block serialised by rdflib.
* :func:`backend_for` — picks rdflib in memory for small graph files and a store cached next to
  the file (keyed by its content hash) for large ones.

Union semantics: the union default graph of a SPARQL dataset is an RDF *merge* (a set), so a triple
asserted in two named graphs counts once. pyoxigraph 0.5 and the Oxigraph 0.5 server count it once
per graph under ``use_default_graph_as_union`` / ``--union-default-graph`` (oxigraph/oxigraph#1919,
fixed after 0.5), which inflates ``COUNT`` and ``SUM``. Stores built here therefore also hold the
merge of all graphs in their default graph (a set, so duplicates collapse) and are queried on it;
a marker graph (:data:`STORE_INFO_GRAPH`) records that. Stores without the marker (built by other
tools) are queried with ``use_default_graph_as_union``.

:func:`push` uploads a dataset to a server, one named graph per document, replacing the
document's previous graph (Graph Store Protocol ``PUT``, or ``DROP`` + ``INSERT DATA``).

>>> from rdflib import Dataset, Literal, URIRef
>>> ds = Dataset(default_union=True)
>>> ds.graph(URIRef("http://example.org/g")).add(
...     (URIRef("http://example.org/s"), URIRef("http://example.org/p"), Literal("v")))  # doctest: +ELLIPSIS
<Graph identifier=http://example.org/g ...>
>>> backend = OxigraphBackend.in_memory()
>>> backend.add_dataset(ds)
>>> backend.select("SELECT ?o WHERE { ?s ?p ?o }", {}).as_text_rows()
[['v']]
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from policy_kg.graph.io import RdfFormat, load_graph
from policy_kg.graph.iris import document_scope
from policy_kg.graph.namespace import DEFAULT_BASE, PKG, RDF, RDFS, XSD
from policy_kg.graph.query import (
    _BOOLEAN_IRI,
    _DECIMAL_IRIS,
    _INTEGER_IRIS,
    _XSD_STRING,
    QUERIES_DIR,
    Backend,
    QueryError,
    QueryResult,
    RdflibBackend,
    load_query,
    order_key,
    sort_rows,
    term_text,
    with_values,
)

__all__ = [
    "AUTO_THRESHOLD_BYTES", "OxigraphBackend", "OxigraphResult", "OxigraphServer", "PushReport", "RemoteBackend",
    "backend_for", "cached_store_path", "file_sha256", "free_port", "port_in_use", "user_cache_dir", "is_merged", "is_oxigraph_store", "mark_merged",
    "load_dataset", "load_file", "merge_default_graph", "open_oxigraph", "oxigraph_binary", "push",
    "to_oxigraph", "to_rdflib", "unmerge_default_graph",
]

# Below this size parsing the file with rdflib takes well under a second and beats opening a store.
AUTO_THRESHOLD_BYTES = 5_000_000
# Bump when the way a cached store is built changes, so old caches are rebuilt rather than reused.
CACHE_FORMAT = "1"
# INSERT DATA chunk size for update-only endpoints: small enough for default request-size limits
# and for Virtuoso, which compiles each INSERT DATA to SQL and refuses more than 10,000 lines of it.
UPDATE_CHUNK_TRIPLES = 500

_OX_FORMAT = {
    RdfFormat.TRIG: ox.RdfFormat.TRIG,
    RdfFormat.NQUADS: ox.RdfFormat.N_QUADS,
    RdfFormat.TURTLE: ox.RdfFormat.TURTLE,
    RdfFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES,
    RdfFormat.JSONLD: ox.RdfFormat.JSON_LD,
}
_RDFLIB_DEFAULT_GRAPH = URIRef("urn:x-rdflib:default")
# The marker graph of a store whose default graph holds the merge of all its graphs.
STORE_INFO_GRAPH = DEFAULT_BASE + "graph/store-info"
_MERGED_NOTE = "default graph = RDF merge of all graphs"


# --- terms ------------------------------------------------------------------------------------------


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Node | None:
    """The rdflib term equal to a pyoxigraph term (plain ``xsd:string`` literals lose the datatype).

    >>> to_rdflib(ox.Literal("12", datatype=ox.NamedNode(str(XSD.integer)))).toPython()
    12
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        # rdflib parses "x" without a datatype; keeping xsd:string would make it unequal to that.
        return Literal(term.value, datatype=None if datatype == str(XSD.string) else URIRef(datatype))
    raise QueryError(f"unsupported RDF term in result: {term!r} (RDF-star triples are not supported)")


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term equal to an rdflib term; an invalid IRI raises :class:`QueryError`."""
    try:
        if isinstance(term, URIRef):
            return ox.NamedNode(str(term))
        if isinstance(term, BNode):
            return ox.BlankNode(str(term))
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is not None:
                return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            return ox.Literal(str(term))
    except ValueError as exc:  # pyoxigraph validates IRIs and language tags
        raise QueryError(f"invalid RDF term {str(term)!r}: {exc}") from exc
    raise QueryError(f"cannot use {term!r} as an RDF term")


def _cached_converter():
    """:func:`to_rdflib` remembering its answers: result columns repeat the same IRIs and codes,
    and building rdflib literals is the dearest part of reading a large result."""
    cache: dict = {}

    def convert(term):
        if term is None:
            return None
        found = cache.get(term)
        if found is None:
            found = cache[term] = to_rdflib(term)
        return found

    return convert


class OxigraphResult(QueryResult):
    """A :class:`QueryResult` whose cells stay pyoxigraph terms until a caller needs rdflib ones.

    ``rows`` (rdflib terms) is made on first use; :meth:`as_text_rows` and :meth:`ordered` read the
    Oxigraph terms directly, each distinct term once. For the 46k rows of ``budgets`` that is
    the difference between building 83k rdflib terms and none.
    """

    def __init__(self, columns: list[str], raw: list[tuple]) -> None:
        self.columns = columns
        self._raw = raw
        self._rows: list[tuple[Node | None, ...]] | None = None

    @property  # type: ignore[override]
    def rows(self) -> list[tuple[Node | None, ...]]:
        if self._rows is None:
            convert = _cached_converter()
            self._rows = [tuple(convert(t) for t in row) for row in self._raw]
        return self._rows

    @rows.setter
    def rows(self, value: list[tuple[Node | None, ...]]) -> None:
        self._rows = value

    def __len__(self) -> int:
        return len(self._raw)

    def as_text_rows(self) -> list[list[str]]:
        """As :meth:`QueryResult.as_text_rows` (the same text), straight from the Oxigraph terms."""
        if self._rows is not None:
            return super().as_text_rows()
        cache: dict = {None: ""}

        def text(term) -> str:
            found = cache.get(term)
            if found is None:
                found = cache[term] = oxigraph_term_text(term)
            return found

        return [[text(v) for v in row] for row in self._raw]

    def ordered(self, order: Sequence[tuple[int, bool]]) -> QueryResult:
        if self._rows is not None:
            return super().ordered(order)
        return OxigraphResult(self.columns, sort_rows(self._raw, order, oxigraph_order_key))


def oxigraph_term_text(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    """:func:`graph.query.term_text` of a pyoxigraph term, without making the rdflib term (but for
    literals of other datatypes than text, numbers and booleans, and ill-typed ones)."""
    if term is None:
        return ""
    if not isinstance(term, ox.Literal):
        return term.value
    if term.language:
        return term.value
    datatype = term.datatype.value
    value = term.value
    try:
        if datatype == _XSD_STRING:
            return value
        if datatype in _INTEGER_IRIS:
            return str(int(value))
        if datatype in _DECIMAL_IRIS:
            return format(Decimal(value).normalize(), "f")
        if datatype == _BOOLEAN_IRI and value in ("true", "false", "1", "0"):
            return "true" if value in ("true", "1") else "false"
    except (ValueError, InvalidOperation):
        pass
    return term_text(to_rdflib(term))


def oxigraph_order_key(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> tuple:
    """:func:`graph.query.order_key` of a pyoxigraph term (the same key as of the equal rdflib term)."""
    if term is None:
        return order_key(0)
    if isinstance(term, ox.Literal):
        return order_key(3, term.value, term.datatype.value, term.language or "")
    return order_key(2 if isinstance(term, ox.NamedNode) else 1, term.value)


# --- Oxigraph store ---------------------------------------------------------------------------------


class OxigraphBackend:
    """Queries a ``pyoxigraph.Store`` (on disk or in memory) over the union of its named graphs."""

    def __init__(self, store: ox.Store, path: Path | None = None) -> None:
        self.store = store
        self.path = path
        self.merged = is_merged(store)

    @classmethod
    def in_memory(cls) -> OxigraphBackend:
        """A fresh, empty in-memory store (tests, benchmarks)."""
        return cls(ox.Store())

    def add_dataset(self, ds: Dataset, *, merge: bool = True) -> None:
        """Bulk-load every graph of ``ds`` into the store (N-Quads serialised by rdflib)."""
        _load_source(self.store, {"input": _nquads(ds), "format": ox.RdfFormat.N_QUADS}, merge=merge)
        self.merged = is_merged(self.store)

    def select(self, query: str, bindings: Mapping[str, Node]) -> QueryResult:
        """Run a SELECT query; ``bindings`` become a leading ``VALUES`` block of escaped terms.

        Not Oxigraph's ``substitutions``: Oxigraph 0.5 applies them after evaluating the whole
        query, so a query about one document of a thousand took 37 s instead of 2 s.
        """
        return self._select(with_values(query, bindings), {"use_default_graph_as_union": not self.merged})

    def select_in_documents(self, query: str, bindings: Mapping[str, Node], file_names: list[str]) -> QueryResult:
        """:meth:`select` reading only the graphs of the documents named ``file_names`` (see
        :func:`graph.query.run_query`): their own and curation graphs, the ontology and the SDG
        reference graphs. For one document in a store of a thousand: 2–10 s → 0.01–0.08 s."""
        graphs = self.document_graphs(file_names)
        if graphs is None:
            return self.select(query, bindings)
        return self._select(with_values(query, bindings), {"default_graph": graphs})

    def document_graphs(self, file_names: list[str]) -> list[ox.NamedNode] | None:
        """The named graphs holding the documents named ``file_names`` (by ``pkg:fileName``), with
        their curation graphs and the ontology and SDG reference graphs of the same base.

        ``None`` when the store is not laid out that way (a document in the default graph only,
        a graph name this project does not give): the whole store must then be read.
        """
        file_name = ox.NamedNode(str(PKG.fileName))
        found: set[str] = set()
        for name in file_names:
            for quad in self.store.quads_for_pattern(None, file_name, ox.Literal(name), None):
                if isinstance(quad.graph_name, ox.NamedNode):
                    found.add(quad.graph_name.value)
                elif not self.merged:
                    return None  # held by the default graph itself
        scope = document_scope(found, lambda g: self.store.contains_named_graph(ox.NamedNode(g)))
        return None if scope is None else [ox.NamedNode(g) for g in scope]

    def _select(self, text: str, dataset: dict) -> QueryResult:
        try:
            solutions = self.store.query(text, **dataset)
        except (SyntaxError, ValueError, OSError) as exc:
            raise QueryError(f"query failed: {_one_line(str(exc))}") from exc
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("only SELECT queries are supported")
        columns = [v.value for v in solutions.variables]
        width = range(len(columns))
        try:
            raw = [tuple(solution[i] for i in width) for solution in solutions]
        except OSError as exc:  # evaluation is lazy: errors surface while iterating
            raise QueryError(f"query failed: {_one_line(str(exc))}") from exc
        return OxigraphResult(columns, raw)

    def quad_count(self, graph: str | None = None) -> int:
        """Number of quads in the store, or in the named graph ``graph``."""
        if graph is None:
            return len(self.store)
        return sum(1 for _ in self.store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))


def is_oxigraph_store(path: Path) -> bool:
    """Whether ``path`` is a folder holding an on-disk store (a RocksDB ``CURRENT`` file)."""
    return (Path(path) / "CURRENT").is_file()


def merge_default_graph(store: ox.Store) -> None:
    """Make the store's default graph the RDF merge of all its graphs, and mark the store so.

    For stores filled elsewhere; the loaders here merge while loading, which is faster.
    """
    store.remove_graph(ox.NamedNode(STORE_INFO_GRAPH))
    # Quads are collected first: writing into a store while iterating over it is not guaranteed.
    merged = [ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in store
              if not isinstance(q.graph_name, ox.DefaultGraph)]
    store.bulk_extend(merged)
    mark_merged(store)


def mark_merged(store: ox.Store) -> None:
    info = ox.NamedNode(STORE_INFO_GRAPH)
    store.add(ox.Quad(info, ox.NamedNode(str(RDFS.comment)), ox.Literal(_MERGED_NOTE), info))


def _load_source(store: ox.Store, source: dict, *, merge: bool) -> None:
    """Bulk-load ``source`` (``bulk_load`` keywords); with ``merge`` also into the default graph.

    The merge streams the source a second time, every quad sent to the default graph (a set, so
    a triple held by several graphs is stored there once).
    """
    try:
        store.bulk_load(**source)
        if merge:
            to_graph = source.get("to_graph")
            parse_args = {k: v for k, v in source.items() if k != "to_graph"}
            quads = ox.parse(**parse_args)
            store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads
                              if to_graph is not None or not _is_info(q))
            mark_merged(store)
    except SyntaxError as exc:
        raise QueryError(f"cannot load graph into Oxigraph: {_one_line(str(exc))}") from exc


def _is_info(quad: ox.Quad) -> bool:
    return isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value == STORE_INFO_GRAPH


def unmerge_default_graph(store: ox.Store) -> None:
    """Undo :func:`merge_default_graph` (before serving writable: writes would not reach the merge)."""
    if is_merged(store):
        store.clear_graph(ox.DefaultGraph())
        store.remove_graph(ox.NamedNode(STORE_INFO_GRAPH))


def is_merged(store: ox.Store) -> bool:
    """Whether the store's default graph holds the merge of its graphs (see the module notes)."""
    info = ox.NamedNode(STORE_INFO_GRAPH)
    return any(True for _ in store.quads_for_pattern(info, None, None, info))


def open_oxigraph(path: str | Path, *, read_only: bool = True) -> OxigraphBackend:
    """Open an existing on-disk store; :class:`QueryError` if there is none at ``path``.

    Read-only by default, so a store can be queried while ``serve`` is serving it.
    """
    path = Path(path)
    if not is_oxigraph_store(path):
        raise QueryError(f"{path}: no Oxigraph store here; create one with "
                         "`python build_graph.py load --store DIR --graph FILE`")
    try:
        store = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:
        raise QueryError(f"{path}: cannot open Oxigraph store: {_one_line(str(exc))}") from exc
    return OxigraphBackend(store, path)


def load_dataset(ds: Dataset, path: str | Path, *, merge: bool = True) -> OxigraphBackend:
    """Build (or rebuild) the on-disk store at ``path`` from ``ds``; returns it opened read-only."""
    source = {"input": _nquads(ds), "format": ox.RdfFormat.N_QUADS}
    return _build_store(Path(path), lambda store: _load_source(store, source, merge=merge))


def load_file(graph_file: str | Path, path: str | Path, *, merge: bool = True) -> OxigraphBackend:
    """Build (or rebuild) the on-disk store at ``path`` by bulk-loading ``graph_file``.

    The file is parsed by Oxigraph, not rdflib. Triple formats (Turtle, N-Triples) go into a named
    graph named after the file, as :func:`graph.io.load_graph` does, so both see the same quads.
    """
    graph_file = Path(graph_file)
    if not graph_file.is_file():
        raise QueryError(f"{graph_file}: no such graph file")
    try:
        fmt = RdfFormat.from_path(graph_file)
    except ValueError as exc:
        raise QueryError(f"{graph_file}: {exc}") from exc
    file_uri = graph_file.resolve().as_uri()
    to_graph = None if fmt in (RdfFormat.TRIG, RdfFormat.NQUADS, RdfFormat.JSONLD) else ox.NamedNode(file_uri)

    source = {"path": str(graph_file), "format": _OX_FORMAT[fmt], "base_iri": file_uri}
    if to_graph is not None:
        source["to_graph"] = to_graph

    def fill(store: ox.Store) -> None:
        try:
            _load_source(store, source, merge=merge)
        except QueryError as exc:
            raise QueryError(f"{graph_file}: {exc}") from exc

    return _build_store(Path(path), fill)


def _build_store(path: Path, fill: Callable[[ox.Store], None]) -> OxigraphBackend:
    """Fill a new store beside ``path``, then swap it into place, so readers never see half a store."""
    if path.exists() and not (path.is_dir() and (is_oxigraph_store(path) or not any(path.iterdir()))):
        raise QueryError(f"{path}: exists and is not an Oxigraph store; refusing to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    try:
        store = ox.Store(str(tmp))
        fill(store)
        store.flush()
        store.optimize()
        del store  # releases the RocksDB lock before the folder is moved
        old = None
        if path.exists():
            old = path.with_name(f".{path.name}.old-{os.getpid()}")
            path.rename(old)
        tmp.rename(path)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return open_oxigraph(path)


def _nquads(ds: Dataset) -> bytes:
    """N-Quads of every graph of ``ds``, serialised by rdflib."""
    return ds.serialize(format="nquads", encoding="utf-8")


# --- choosing a backend for a graph file -------------------------------------------------------------


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def cached_store_path(graph_file: Path, digest: str | None = None) -> Path:
    """Where the store cached for ``graph_file`` lives: ``.<name>.oxigraph/<hash>`` beside it.

    When nothing can be written beside the graph (a read-only folder or medium), the cache lives
    under the user's cache folder instead (``$XDG_CACHE_HOME/policy-kg`` or ``~/.cache/policy-kg``;
    a temporary folder if neither can be written), keyed by the graph's absolute path.
    """
    graph_file = Path(graph_file)
    digest = digest or file_sha256(graph_file)
    folder = graph_file.parent / f".{graph_file.name}.oxigraph"
    if not _can_write_in(folder):
        where = hashlib.sha256(str(graph_file.resolve()).encode("utf-8")).hexdigest()[:16]
        folder = user_cache_dir() / "stores" / f"{where}-{graph_file.name}.oxigraph"
    return folder / f"v{CACHE_FORMAT}-{digest[:24]}"


def user_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/policy-kg`` (or ``~/.cache/policy-kg``), or a temporary folder if unwritable."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "policy-kg"
    if _can_write_in(folder):
        return folder
    return Path(tempfile.gettempdir()) / f"policy-kg-cache-{os.getuid() if hasattr(os, 'getuid') else 'user'}"


def _can_write_in(folder: Path) -> bool:
    """Whether ``folder`` exists or can be made, and a file can be created in it (tried, not guessed)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError:
        return False
    return True


def cached_store(graph_file: Path) -> OxigraphBackend:
    """The store cached for ``graph_file``, built on first use and rebuilt when the file changes."""
    path = cached_store_path(graph_file)
    if is_oxigraph_store(path):
        return open_oxigraph(path)
    for stale in path.parent.glob("v*"):  # stores of earlier contents of the file
        if stale != path:
            shutil.rmtree(stale, ignore_errors=True)
    return load_file(graph_file, path)


def backend_for(
    graph_file: str | Path,
    *,
    store: bool | None = None,
    auto_threshold_bytes: int = AUTO_THRESHOLD_BYTES,
) -> Backend:
    """A backend for a built graph file: rdflib in memory, or an Oxigraph store cached beside it.

    ``store=True`` / ``False`` forces the choice; ``None`` picks Oxigraph for files of at least
    ``auto_threshold_bytes``.
    """
    graph_file = Path(graph_file)
    if not graph_file.is_file():
        raise QueryError(f"{graph_file}: no such graph file")
    use_store = store if store is not None else graph_file.stat().st_size >= auto_threshold_bytes
    if use_store:
        return cached_store(graph_file)
    return RdflibBackend(load_graph(graph_file))


# --- remote endpoints ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Auth:
    """Credentials for an endpoint: HTTP basic (user, password) or a bearer token."""

    user: str | None = None
    password: str | None = None
    token: str | None = None

    def headers(self) -> dict[str, str]:
        if self.token:
            return {"Authorization": f"Bearer {self.token}"}
        if self.user is not None:
            pair = f"{self.user}:{self.password or ''}".encode()
            return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}
        return {}


class RemoteBackend:
    """Queries a SPARQL 1.1 endpoint (JSON results) through SPARQLWrapper.

    The endpoint must evaluate queries over the union of its named graphs (Oxigraph:
    ``--union-default-graph``; Fuseki: ``tdb2:unionDefaultGraph``; GraphDB/Virtuoso do by default).
    """

    def __init__(
        self,
        endpoint: str,
        *,
        user: str | None = None,
        password: str | None = None,
        token: str | None = None,
        timeout: float = 60,
    ) -> None:
        self.endpoint = endpoint
        self.auth = Auth(user, password, token)
        self.timeout = timeout

    def select(self, query: str, bindings: Mapping[str, Node], *, default_graphs: Sequence[str] = ()) -> QueryResult:
        """Run a SELECT query with ``bindings`` in a ``VALUES`` block; rows as rdflib terms.

        ``default_graphs``: sent as the protocol's ``default-graph-uri``, the graphs whose merge
        the query reads instead of the server's default dataset.
        """
        try:
            text = with_values(query, bindings)
        except QueryError:
            raise
        except Exception as exc:  # rdflib refuses to serialise an invalid IRI: that is a bad parameter
            raise QueryError(f"cannot bind parameters: {_one_line(str(exc))}") from exc
        data = self._request(text, default_graphs)
        return _parse_json_results(data, self.endpoint)

    def select_in_documents(self, query: str, bindings: Mapping[str, Node], file_names: list[str]) -> QueryResult:
        """:meth:`select` reading only the named graphs of the documents ``file_names`` (see
        :meth:`OxigraphBackend.select_in_documents`), named to the server as ``default-graph-uri``."""
        graphs = self.document_graphs(file_names)
        if graphs is None:
            return self.select(query, bindings)
        return self.select(query, bindings, default_graphs=graphs)

    def document_graphs(self, file_names: list[str]) -> list[str] | None:
        """The server's named graphs of the documents ``file_names``, their curation graphs and the
        ontology and SDG reference graphs; ``None`` (read everything) when the server does not
        keep the documents in graphs named as this project names them, e.g. all in its default graph."""
        in_documents = load_query(QUERIES_DIR / "scope" / "document_graphs.rq")
        exists = load_query(QUERIES_DIR / "scope" / "graph_exists.rq")
        found: set[str] = set()
        for name in file_names:
            rows = self.select(in_documents.text, {"document": Literal(name)}).rows
            found.update(str(row[0]) for row in rows)
        if not found:
            return None  # not in any named graph: perhaps in the default graph, which only a whole read sees
        return document_scope(found, lambda g: bool(self.select(exists.text, {"graph": URIRef(g)}).rows))

    def _wrapper(self, query: str):
        from SPARQLWrapper import JSON, POST, SELECT, SPARQLWrapper

        sw = SPARQLWrapper(self.endpoint)
        sw.setMethod(POST)  # library queries outgrow GET URL limits once parameters are bound
        sw.setReturnFormat(JSON)
        sw.setTimeout(max(1, int(self.timeout)))
        sw.timeout = self.timeout  # setTimeout truncates to int; urllib accepts fractions of a second
        for name, value in self.auth.headers().items():
            sw.addCustomHttpHeader(name, value)
        sw.setQuery(query)
        # SPARQLWrapper guesses the query form by regex and can mistake words in the text for an
        # update keyword (then it posts ``update=``); this backend only ever runs SELECT queries.
        sw.queryType = SELECT
        return sw

    def _request(self, query: str, default_graphs: Sequence[str] = ()) -> dict:
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        sw = self._wrapper(query)
        for graph in default_graphs:
            sw.addDefaultGraph(graph)
        try:
            response = sw.query()
            body = response.response.read()
        except SPARQLWrapperException as exc:
            raise QueryError(f"{self.endpoint}: {_wrapper_error(exc)}") from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise QueryError(_transport_error(self.endpoint, exc, self.timeout)) from exc
        try:
            return json.loads(body)
        except ValueError as exc:
            raise QueryError(f"{self.endpoint}: answer is not SPARQL JSON results: {exc}") from exc


def _parse_json_results(data: dict, endpoint: str) -> QueryResult:
    """SPARQL 1.1 JSON results → a :class:`QueryResult` of rdflib terms."""
    try:
        columns = list(data["head"]["vars"])
        bindings = data["results"]["bindings"]
    except (KeyError, TypeError) as exc:
        raise QueryError(f"{endpoint}: answer is not a SELECT result (missing {exc})") from exc
    rows = [tuple(_json_term(b.get(c)) for c in columns) for b in bindings]
    return QueryResult(columns, rows)


def _json_term(cell: dict | None) -> Node | None:
    if cell is None:
        return None
    kind, value = cell.get("type"), cell.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in cell:
            return Literal(value, lang=cell["xml:lang"])
        datatype = cell.get("datatype")
        if datatype in (None, str(XSD.string)):
            return Literal(value)
        if datatype == str(RDF.langString):  # malformed but seen in the wild: no tag given
            return Literal(value)
        return Literal(value, datatype=URIRef(datatype))
    raise QueryError(f"unsupported term type {kind!r} in results")


def _wrapper_error(exc: Exception) -> str:
    """SPARQLWrapper's multi-line exception text as one line with the HTTP status and the answer."""
    status = {"QueryBadFormed": "HTTP 400 (bad request)", "Unauthorized": "HTTP 401 (unauthorised)",
              "EndPointNotFound": "HTTP 404 (not found)", "URITooLong": "HTTP 414 (URI too long)",
              "EndPointInternalError": "HTTP 500 (server error)"}.get(type(exc).__name__, type(exc).__name__)
    text = str(exc)
    detail = text.split("Response:", 1)[1].strip() if "Response:" in text else ""
    if detail.startswith(("b'", 'b"')):  # the server's answer, printed as a bytes repr
        detail = detail[2:-1]
    detail = _one_line(detail.replace("\\n", " "))
    return status + (f": {detail[:300]}" if detail else "")


def _transport_error(endpoint: str, exc: BaseException, timeout: float) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        detail = _one_line(exc.read().decode("utf-8", "replace"))[:300]
        return f"{endpoint}: HTTP {exc.code} ({exc.reason})" + (f": {detail}" if detail else "")
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"{endpoint}: no answer within {timeout:g} s (timeout)"
    if isinstance(reason, ConnectionRefusedError):
        return f"{endpoint}: unreachable (connection refused)"
    return f"{endpoint}: unreachable ({_one_line(str(reason))})"


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- pushing to a server ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PushReport:
    """What :func:`push` sent: ``(graph IRI, triples)`` per named graph."""

    graphs: tuple[tuple[str, int], ...]
    method: str  # "graph-store" | "update"

    @property
    def triples(self) -> int:
        return sum(n for _, n in self.graphs)


def push(
    ds: Dataset,
    endpoint: str | None = None,
    *,
    graph_store: str | None = None,
    update: str | None = None,
    user: str | None = None,
    password: str | None = None,
    token: str | None = None,
    timeout: float = 60,
) -> PushReport:
    """Upload each named graph of ``ds`` to a server, replacing that graph's previous content.

    ``graph_store`` (or ``endpoint``) is a SPARQL 1.1 Graph Store HTTP Protocol URL: one ``PUT
    ?graph=<iri>`` per graph. With only ``update`` (a SPARQL Update URL) each graph is sent as
    ``DROP SILENT GRAPH`` + ``INSERT DATA`` in chunks. Raises :class:`QueryError` on any failure.
    """
    graph_store = graph_store or endpoint
    if not graph_store and not update:
        raise QueryError("push needs a Graph Store endpoint or an Update endpoint")
    auth = Auth(user, password, token)
    sent = []
    for g in _document_graphs(ds):
        if graph_store:
            _put_graph(graph_store, g, auth, timeout)
        else:
            _update_graph(update, g, auth, timeout)  # type: ignore[arg-type]
        sent.append((str(g.identifier), len(g)))
    return PushReport(tuple(sent), "graph-store" if graph_store else "update")


def _document_graphs(ds: Dataset) -> Iterator[Graph]:
    for g in sorted(ds.graphs(), key=lambda g: str(g.identifier)):
        if g.identifier == _RDFLIB_DEFAULT_GRAPH or isinstance(g.identifier, BNode):
            continue  # rdflib's own default graph; queries see the union of the named ones
        yield g


def _put_graph(url: str, g: Graph, auth: Auth, timeout: float) -> None:
    target = _with_query_param(url, "graph", str(g.identifier))
    body = g.serialize(format="nt", encoding="utf-8")
    _http(target, "PUT", body, {"Content-Type": "application/n-triples", **auth.headers()}, timeout)


def _update_graph(url: str, g: Graph, auth: Auth, timeout: float) -> None:
    name = URIRef(str(g.identifier)).n3()
    headers = {"Content-Type": "application/sparql-update; charset=utf-8", **auth.headers()}
    drop = f"DROP SILENT GRAPH {name}"
    chunks = list(_nt_chunks(g, UPDATE_CHUNK_TRIPLES))
    if not chunks:
        _http(url, "POST", drop.encode("utf-8"), headers, timeout)
    for i, chunk in enumerate(chunks):
        # DROP and the first INSERT share one request, which a server applies as one transaction.
        prefix = drop + " ;\n" if i == 0 else ""
        body = f"{prefix}INSERT DATA {{ GRAPH {name} {{\n{chunk}\n}} }}"
        _http(url, "POST", body.encode("utf-8"), headers, timeout)


def _nt_chunks(g: Graph, size: int) -> Iterator[str]:
    """N-Triples lines of ``g`` in chunks; all triples with blank nodes go in the first chunk.

    A blank-node label is scoped to one request, so splitting them would split one node in many.
    """
    lines = [line for line in g.serialize(format="nt").splitlines() if line.strip()]
    with_bnodes = [line for line in lines if "_:" in line]
    plain = [line for line in lines if "_:" not in line]
    if with_bnodes:
        yield "\n".join(with_bnodes + plain[: max(0, size - len(with_bnodes))])
        plain = plain[max(0, size - len(with_bnodes)):]
    for start in range(0, len(plain), size):
        yield "\n".join(plain[start : start + size])


def _with_query_param(url: str, key: str, value: str) -> str:
    sep = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{sep}{urllib.parse.urlencode({key: value})}"


def _http(url: str, method: str, body: bytes, headers: Mapping[str, str], timeout: float) -> bytes:
    request = urllib.request.Request(url, data=body, method=method, headers=dict(headers))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise QueryError(_transport_error(url, exc, timeout)) from exc


def graph_quad_counts(backend: OxigraphBackend) -> dict[str, int]:
    """Quads per named graph of a store (for reports)."""
    return {g.value: backend.quad_count(g.value) for g in backend.store.named_graphs()
            if isinstance(g, ox.NamedNode) and g.value != STORE_INFO_GRAPH}


# --- a local SPARQL server ------------------------------------------------------------------------------


def oxigraph_binary() -> str:
    """Path of the ``oxigraph`` server (PyPI package ``oxigraph``), beside this Python first."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if not found:
        raise QueryError("the Oxigraph server is not installed: `pip install oxigraph` provides it")
    return found


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port free on ``host`` right now (for tests and ``serve --port 0``)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def port_in_use(host: str, port: int) -> bool:
    """Whether a TCP ``port`` on ``host`` cannot be bound right now (another server holds it)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds: TIME_WAIT is no obstacle
        try:
            s.bind((host, port))
        except OSError:
            return True
    return False


def _die_with_parent() -> None:
    """In the child before exec (Linux): SIGTERM it when this process dies, even by SIGKILL.

    The server runs in a session of its own (so Ctrl-C reaches only us, who forward it); without
    this a killed parent would leave it running.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


class OxigraphServer:
    """An ``oxigraph`` HTTP server process on a store folder (read-only unless ``writable``).

    The server's default graph is the union of the named graphs: ``--union-default-graph`` unless
    the store already holds the merge in its default graph (see the module notes). Use as a
    context manager, or :meth:`start` / :meth:`stop`.
    """

    def __init__(
        self,
        location: Path | None,
        *,
        host: str = "127.0.0.1",
        port: int = 7878,
        writable: bool = False,
        union: bool = True,
        log: Path | None = None,
        timeout: float | None = None,
    ) -> None:
        if not writable and location is None:
            raise QueryError("a read-only server needs a store folder")
        self.timeout = timeout  # seconds a query may evaluate (Oxigraph's --timeout-s); None: no limit
        self.location = location
        self.host = host
        self.port = port or free_port(host)
        self.writable = writable
        self.union = union
        self.log = log
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def query_url(self) -> str:
        return self.base_url + "/query"

    @property
    def update_url(self) -> str:
        return self.base_url + "/update"

    @property
    def store_url(self) -> str:
        """The Graph Store HTTP Protocol endpoint."""
        return self.base_url + "/store"

    def command(self) -> list[str]:
        bind = self.base_url.removeprefix("http://")
        cmd = [oxigraph_binary(), "serve" if self.writable else "serve-read-only", "--bind", bind]
        if self.location is not None:
            cmd += ["--location", str(self.location)]
        if self.union:
            cmd.append("--union-default-graph")
        if self.timeout:
            cmd += ["--timeout-s", str(max(1, math.ceil(self.timeout)))]
        return cmd

    def start(self, *, wait: float = 20.0) -> OxigraphServer:
        """Start the server and wait (at most ``wait`` seconds) until it answers."""
        out = open(self.log, "ab") if self.log else None  # noqa: SIM115 — closed by the child's exit
        try:
            # A session of its own: Ctrl-C reaches this process only, which forwards it (see serve).
            self.process = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL, stdout=out,
                                            stderr=subprocess.STDOUT if out else None, start_new_session=True,
                                            preexec_fn=_die_with_parent)
        finally:
            if out:
                out.close()
        self._wait_ready(wait)
        return self

    def _wait_ready(self, wait: float) -> None:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise QueryError(f"the Oxigraph server exited with code {self.process.returncode} "
                                 f"(port {self.port} in use? see {self.log or 'its output'})")
            try:
                with urllib.request.urlopen(self.base_url + "/", timeout=1) as response:
                    if response.status == 200 and self.process.poll() is None:
                        return
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        self.stop()
        raise QueryError(f"the Oxigraph server did not answer on {self.base_url} within {wait:g} s")

    def rss(self) -> int | None:
        """Resident memory of the server process in bytes (Linux ``/proc``), or None if unknown."""
        if self.process is None or self.process.poll() is not None:
            return None
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return None
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        return None

    def send_signal(self, signum: int) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signum)

    def stop(self, *, signum: int = signal.SIGTERM, grace: float = 10.0) -> int:
        """Stop the server (``signum``, then SIGKILL after ``grace`` seconds); its exit code."""
        if self.process is None:
            return 0
        self.send_signal(signum)
        try:
            return self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(timeout=grace)

    def wait(self) -> int:
        assert self.process is not None
        return self.process.wait()

    def __enter__(self) -> OxigraphServer:
        return self.start() if self.process is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()
