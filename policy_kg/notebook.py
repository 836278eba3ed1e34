"""The Python API for notebooks: open a built graph, query it into rows or a DataFrame, draw, export.

>>> import policy_kg
>>> kg = policy_kg.open("out/graph.trig")        # doctest: +SKIP  (or a store folder, or an http(s) endpoint)
>>> kg.query("budgets", fiscal_year=2023)[0]["amount_jpy"]   # doctest: +SKIP
1500000
>>> kg.query_df("SELECT ?p ?n WHERE { ?p pkg:fileName ?n }")  # doctest: +SKIP

Rows hold Python values (:func:`policy_kg.graph.query.python_value`): ``int`` for ``xsd:integer``
(yen amounts, fiscal years, counts), :class:`decimal.Decimal` for ``xsd:decimal`` (exact), ``float``
for ``xsd:double``, ``bool`` for ``xsd:boolean``, ``str`` for IRIs and text, ``None`` for an unbound
cell. Queries are library names (``policy-kg query --list``), paths to ``.rq`` files, or SPARQL
text; the project's prefixes (``pkg:``, ``sdg:``, ``skos:`` …) are predeclared. Keyword arguments are
the query's declared parameters, bound as typed terms (never pasted into the query); a year takes
``2023``, ``"令和5"``, ``"R5"`` or ``"H30"``.

Messages go to the ``policy_kg`` logger (stdlib :mod:`logging`); progress of :func:`build` is shown
on stderr only when it is a terminal.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

log = logging.getLogger("policy_kg")

__all__ = ["KG", "Rows", "open", "build"]


class Rows(list):
    """Query rows: a list of dicts (column → Python value) that also knows its ``columns``."""

    def __init__(self, columns: list[str], records: Iterable[dict[str, Any]] = ()) -> None:
        super().__init__(records)
        self.columns = list(columns)


class KG:
    """A knowledge graph to query: in memory, in an Oxigraph store, or behind a SPARQL endpoint.

    Make one with :func:`open` or :func:`build`. ``backend`` answers queries (an Oxigraph store,
    in memory or on disk; rdflib; a remote endpoint); the rdflib ``dataset`` (for :meth:`validate`,
    :meth:`export`, and :meth:`view` when no Oxigraph store answers) is read when first needed.
    """

    def __init__(self, backend: Any, *, dataset: Any = None, source: str | Path | None = None,
                 result: Any = None) -> None:
        self.backend = backend
        self._dataset = dataset
        self.source = source
        self.build_result = result  # graph.pipeline.BuildResult of policy_kg.build(), else None

    def __repr__(self) -> str:
        where = self.source if self.source is not None else "memory"
        return f"<policy_kg.KG {where} ({type(self.backend).__name__})>"

    # --- queries -------------------------------------------------------------------------------------

    def query(self, query: str | Path, /, **params: Any) -> Rows:
        """Rows of a library query, a ``.rq`` file or SPARQL text, as dicts of Python values.

        ``params`` are the query's declared parameters (``document="sheet.txt"``, ``fiscal_year=2023``).
        No rows and a parameter naming a document, measure or project the graph lacks raises
        :class:`~policy_kg.graph.query.UnknownValueError` with near matches; a ``pkg:`` term the
        ontology does not define is logged as a warning.
        """
        from policy_kg.graph.query import (
            check_named_values,
            load_query,
            looks_like_sparql,
            run_query,
            spec_from_text,
            unknown_term_hints,
            with_prefixes,
        )

        if isinstance(query, Path) or not looks_like_sparql(query):
            spec = load_query(query)
        else:
            spec = spec_from_text(query)
        raw = {name: _raw(value) for name, value in params.items() if value is not None}
        result = run_query(self.backend, spec, params=raw)
        if not result.rows:
            check_named_values(self.backend, spec, raw)
            for hint in unknown_term_hints(with_prefixes(spec.text)):
                log.warning("%s", hint)
        columns = list(result.columns)
        return Rows(columns, (dict(zip(columns, row)) for row in result.as_python_rows()))

    def query_df(self, query: str | Path, /, **params: Any):
        """:meth:`query` as a pandas DataFrame with typed columns.

        Integer columns (yen, years, counts) are ``Int64``, booleans ``boolean``, decimals and
        doubles ``Float64`` (all nullable: an unbound cell is ``<NA>``), text ``string``; a column
        mixing kinds stays ``object``. Needs pandas: ``pip install 'policy-kg[notebook]'``.
        """
        return to_dataframe(self.query(query, **params))

    # --- the whole graph ---------------------------------------------------------------------------------

    @property
    def dataset(self):
        """The graph as an rdflib ``Dataset`` (named graphs kept), read from the source on first use."""
        if self._dataset is None:
            self._dataset = _read_dataset(self.backend, self.source)
        return self._dataset

    def validate(self):
        """SHACL validation against ``ontology/shapes.ttl`` and the SDG reference
        (:func:`policy_kg.graph.validate.validate`): ``.conforms``, ``.results``, ``.text``."""
        from policy_kg.graph.validate import validate

        return validate(self.dataset, include_sdg_reference=True)

    def view(self, view: str = "sdg", out: str | Path | None = None, **filters: Any) -> Path:
        """Write an offline HTML view and return its path: ``sdg``, ``logic-model``, ``organisations``,
        ``overview`` (filters: document, measure, sdg_goal, fiscal_year), ``explorer`` or ``budget``.

        ``out`` defaults to ``<view>.html`` in the current folder.
        """
        out = Path(out) if out is not None else Path(f"{view}.html")
        data = self._view_data()
        if view == "explorer":
            from policy_kg.visualize.explorer import render_explorer

            return render_explorer(data, out)
        if view == "budget":
            from policy_kg.visualize.budget import render_budget

            return render_budget(data, out, fiscal_year=_year(filters.get("fiscal_year")),
                                 document=filters.get("document"))
        from policy_kg.visualize import render_view

        if "fiscal_year" in filters:
            filters["fiscal_year"] = _year(filters["fiscal_year"])
        return render_view(data, view, out=out, **filters)

    def _view_data(self):
        """What the views read their facts from: the Oxigraph store answering queries (a graph file's
        cached store, or the in-memory store of :func:`build`), else the rdflib dataset."""
        from policy_kg.graph.stores import OxigraphBackend

        return self.backend if isinstance(self.backend, OxigraphBackend) else self.dataset

    def export(self, path: str | Path, format: str | None = None) -> Path:  # noqa: A002 — as the CLI's --format
        """Write the graph to ``path`` (format by name — ttl, jsonld, nq, trig, nt — or by suffix)."""
        from policy_kg.graph.io import RdfFormat, write_graph

        path = Path(path)
        fmt = RdfFormat.from_name(format) if format else RdfFormat.from_path(path)
        return write_graph(self.dataset, path, fmt)


def open(source: str | Path, *, store: bool | None = None, user: str | None = None,  # noqa: A001
         password: str | None = None, token: str | None = None, timeout: float = 60) -> KG:
    """A :class:`KG` of a built graph file (TriG, N-Quads, Turtle, JSON-LD), an on-disk Oxigraph
    store folder (``policy-kg load --store DIR``) or an ``http(s)://`` SPARQL endpoint.

    A graph file is queried through the Oxigraph store cached beside it (built on first use and
    rebuilt when the file changes), as ``policy-kg query`` does; ``store=False`` parses it into
    memory with rdflib instead (slower queries). Its rdflib dataset is read when first needed.
    """
    from policy_kg.graph.query import QueryError, RdflibBackend
    from policy_kg.graph.stores import RemoteBackend, backend_for, is_oxigraph_store, open_oxigraph

    text = str(source)
    if text.startswith(("http://", "https://")):
        return KG(RemoteBackend(text, user=user, password=password, token=token, timeout=timeout), source=text)
    path = Path(source)
    if path.is_dir():
        if not is_oxigraph_store(path):
            raise QueryError(f"{path}: a folder, but no Oxigraph store (create one with `policy-kg load --store`)")
        return KG(open_oxigraph(path), source=path)
    if not path.is_file():
        raise QueryError(f"{path}: no such graph file, store folder or endpoint")
    if store is None or store:
        return KG(backend_for(path, store=True), source=path)
    from policy_kg.graph.io import load_graph

    log.info("reading %s", path)
    ds = load_graph(path)
    return KG(RdflibBackend(ds), dataset=ds, source=path)


def build(inputs: Iterable[str | Path] | str | Path, *, curate: bool = True, base: str | None = None,
          progress: bool | None = None) -> KG:
    """Extract documents (files or folders; text, PDF or records JSON) into a graph in memory.

    The :class:`KG` returned keeps the build's result as ``kg.build_result`` (``.report()``,
    ``.failures``, ``.exit_code``). Documents that cannot be read are logged as errors and skipped.
    ``progress`` (default: when stderr is a terminal) shows one line per document on stderr.
    """
    from policy_kg.graph.namespace import DEFAULT_BASE
    from policy_kg.graph.pipeline import build_documents, expand_inputs
    from policy_kg.graph.stores import OxigraphBackend

    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    paths = expand_inputs(list(inputs))
    bar = _Progress(len(paths), enabled=sys.stderr.isatty() if progress is None else progress)
    try:
        result = build_documents(paths, base=base or DEFAULT_BASE, curate=curate, progress=bar.step)
    finally:
        bar.close()
    for failure in result.failures:
        log.error("%s", failure)
    log.info("built %d document(s), %d failed", len(result.records), len(result.failures))
    backend = OxigraphBackend.in_memory()  # queries answer ~20× faster than rdflib's on the samples
    backend.add_dataset(result.dataset)
    return KG(backend, dataset=result.dataset, result=result)


# --- helpers -----------------------------------------------------------------------------------------------


def to_dataframe(rows: Rows):
    """``rows`` as a DataFrame with a nullable dtype per column (see :meth:`KG.query_df`)."""
    try:
        import pandas as pd
    except ImportError as exc:
        raise ImportError("query_df needs pandas: pip install 'policy-kg[notebook]' (or pip install pandas)") from exc
    from decimal import Decimal

    data = {}
    for column in rows.columns:
        cells = [row.get(column) for row in rows]
        kinds = {bool if isinstance(v, bool) else int if isinstance(v, int) else
                 float if isinstance(v, (float, Decimal)) else str if isinstance(v, str) else object
                 for v in cells if v is not None}
        if kinds == {int}:
            data[column] = pd.array(cells, dtype="Int64")
        elif kinds == {bool}:
            data[column] = pd.array(cells, dtype="boolean")
        elif kinds and kinds <= {int, float}:
            data[column] = pd.array([None if v is None else float(v) for v in cells], dtype="Float64")
        elif kinds <= {str}:
            data[column] = pd.array(cells, dtype="string")
        else:
            data[column] = pd.array(cells, dtype=object)
    frame = pd.DataFrame(data, columns=rows.columns)
    return frame


def _raw(value: Any) -> str:
    """A parameter value as the query library takes it (typed there by the declared kind)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _year(value: Any) -> int | None:
    if value is None:
        return None
    from policy_kg.graph.query import parse_year

    return parse_year(value)


def _read_dataset(backend: Any, source: Any):
    """The rdflib Dataset behind a store or endpoint (its named graphs, without a merge copy)."""
    from rdflib import Dataset

    from policy_kg.graph.namespace import bind_prefixes
    from policy_kg.graph.query import RdflibBackend
    from policy_kg.graph.stores import STORE_INFO_GRAPH, OxigraphBackend

    if isinstance(backend, RdflibBackend):
        return backend.graph
    if isinstance(source, Path) and source.is_file():
        from policy_kg.graph.io import load_graph

        return load_graph(source)
    ds = bind_prefixes(Dataset(default_union=True))
    log.info("reading every named graph of %s", source)
    if isinstance(backend, OxigraphBackend):
        import pyoxigraph as ox

        from policy_kg.graph.stores import to_rdflib

        for quad in backend.store.quads_for_pattern(None, None, None, None):
            if isinstance(quad.graph_name, ox.DefaultGraph) and backend.merged:
                continue  # the merge copy of the named graphs
            if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value == STORE_INFO_GRAPH:
                continue
            graph = ds.graph(to_rdflib(quad.graph_name)) if isinstance(quad.graph_name, ox.NamedNode) else ds.default_context
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
        return ds
    result = backend.select("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {})
    for g, s, p, o in result.rows:
        ds.graph(g).add((s, p, o))
    return ds


class _Progress:
    """``[3/12] plan.txt`` on stderr, rewritten in place; only when enabled (a terminal)."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled, self.done = total, enabled, 0

    def step(self, path: Path) -> None:
        self.done += 1
        if self.enabled:
            sys.stderr.write(f"\r\x1b[K[{self.done}/{self.total}] {Path(path).name}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled and self.done:
            sys.stderr.write("\n")
            sys.stderr.flush()
