"""The build: documents → records → quads, streamed into graph.trig and/or an on-disk Oxigraph store.

``policy-kg build`` runs :func:`build_corpus` for any input set, two documents or a hundred thousand
(``bulk-build`` is its old name, kept as an alias; :func:`bulk_build` is the store-only call). Nothing
here builds an rdflib ``Dataset``:

* documents are extracted in independent tasks of a few documents each (``--chunk``), on worker
  processes (``ProcessPoolExecutor``), on a Dask cluster (``executor="dask"`` or a
  ``distributed.Client``; the optional extra ``dask``), or in this process for a small build; each
  task also builds its documents' triples (:func:`graph.builder.document_graphs`) and writes them as
  sorted N-Quads text (``graph.io.TermWriter``), so the parent only moves bytes;
* ``graph.trig`` (``out_dir``) is written from those bytes: each graph's lines spooled to a temporary
  file, then all of them, in graph IRI order, parsed and written as TriG by Oxigraph in one stream —
  the bytes :func:`graph.pipeline.build_documents` gives for the same inputs, in bounded memory;
* with a store (``store_dir``), extracted records are cached by content: ``<cache>/<sha256>.records.json``,
  the hash taken over the document's name and bytes, its curation file and the extractor's source
  code — an unchanged document is never re-extracted, and a changed extractor invalidates every entry;
* a manifest in the store folder remembers, per document id (``graph.identity``, the same ids as the
  in-memory build: never a path, so a moved or copied corpus re-builds nothing), the hash it was built
  from, its named graphs and its issue counts; a re-build touches the graphs of changed documents
  only, and of those only the triples that differ from the stored version (a changed KPI value is
  two quads, not a dropped and reloaded graph);
* every triple is also loaded into the store's default graph, which thus holds the merge of all
  graphs: the library queries read it (Oxigraph evaluates them far more slowly over the union of a
  thousand named graphs), and a triple a changed document no longer states leaves it unless another
  graph holds it;
* memory stays bounded: at most two tasks per worker are in flight, and triples are never held for
  the whole corpus;
* a document that fails is reported in :attr:`BuildOutcome.failures` and never stops the batch.

On a cluster of several machines the inputs (and the record cache) must be on a filesystem every
worker reads: tasks carry paths, not bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from policy_kg.extract.curation import CurationError, curation_path_for
from policy_kg.extract.detect import detect_layout
from policy_kg.extract.records import DocumentRecord, from_json, to_json
from policy_kg.extract.source import ExtractionError, doc_id_for, read_source
from policy_kg.graph.builder import document_graphs
# the command line (``generate``) lives apart, so ``policy-kg --help`` need not import this
from policy_kg.graph.bulk_cli import DEFAULT_CHUNK, _generator, register  # noqa: F401
from policy_kg.graph.identity import document_ids
from policy_kg.graph.io import OutputError, TermWriter, trig_prefixes
from policy_kg.graph.iris import ONTOLOGY_GRAPH, REFERENCE_GRAPH
from policy_kg.graph.namespace import DEFAULT_BASE
from policy_kg.graph.nquads import iri as _iri
from policy_kg.graph.nquads import term as _term
from policy_kg.graph.pipeline import (
    PARALLEL_MIN_DOCUMENTS,
    RECORDS_SUFFIX,
    DocumentFailure,
    build_report,
    document_report,
    duplicate_issue,
    exit_code_of,
    expand_inputs,
    extract_path,
    issue_report,
)
from policy_kg.graph.stores import is_merged, mark_merged

__all__ = ["BuildOutcome", "BulkResult", "build_corpus", "bulk_build", "extractor_version", "nquads_lines", "register"]

ROOT = Path(__file__).resolve().parents[1]
MANIFEST_NAME = "policy-kg-bulk.json"
#: Bump when the manifest's meaning changes; a store with another format is rebuilt from scratch.
MANIFEST_FORMAT = 3  # 2: the default graph holds the merge of the documents' graphs; 3: keyed by document id
#: Bytes of N-Quads gathered before one ``Store.bulk_load`` call (fewer, larger loads are faster).
LOAD_BATCH_BYTES = 48 * 1024 * 1024
#: Executors :func:`build_corpus` knows by name (``--executor``); a ``distributed.Client`` is accepted too.
EXECUTORS = ("process", "dask")


# --- versions: what a cached record / a stored graph depends on ------------------------------------------


def _tree_hash(patterns: Iterable[str]) -> str:
    h = hashlib.sha256()
    for pattern in patterns:
        for path in sorted(ROOT.glob(pattern)):
            h.update(path.relative_to(ROOT).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


@cache
def extractor_version() -> str:
    """Hash of the extractors' source: a changed parser invalidates every cached record."""
    return _tree_hash(["extract/**/*.py", "extract/**/*.yaml"])[:16]  # every reader, and its vocabulary


@cache
def builder_version() -> str:
    """Hash of what turns records into triples (builder, ontology): a change rebuilds every graph."""
    return _tree_hash(["graph/builder.py", "graph/vocab.py", "ontology/*.ttl"])[:16]


def input_key(path: Path) -> str:
    """The cache key of an input: sha256 of its name, bytes, curation file and the extractor version.

    The name counts: a record carries it (the document's IRIs come from its stem), so two copies of
    one text under different names have different records.
    """
    h = hashlib.sha256(extractor_version().encode())
    h.update(path.name.encode("utf-8") + b"\0")
    h.update(path.read_bytes())
    curation = curation_path_for(path)
    if curation.is_file():
        h.update(b"\0curation\0")
        h.update(curation.read_bytes())
    return h.hexdigest()


# --- N-Quads ---------------------------------------------------------------------------------------------
def nquads_lines(graphs: dict[URIRef, set], *, default_graph: bool = False) -> Iterator[str]:
    """N-Quads lines (with newline) of ``{graph IRI: triples}`` as :func:`document_graphs` returns.

    With ``default_graph`` every triple is also written without a graph name, so a store loading
    the lines keeps the RDF merge of all graphs in its default graph (see ``graph.stores``).
    """
    for name, triples in graphs.items():
        g = f" {_iri(name)} .\n"
        for s, p, o in triples:
            triple = f"{_term(s)} {_term(p)} {_term(o)}"
            yield f"{triple}{g}"
            if default_graph:
                yield f"{triple} .\n"


def reference_nquads(base: str) -> bytes:
    """The ontology and SDG reference graphs, as :func:`graph.builder.add_reference_graphs` adds them."""
    return "".join(nquads_lines(_reference_graphs(base), default_graph=True)).encode("utf-8")


def _reference_graphs(base: str) -> dict[URIRef, set]:
    from policy_kg.graph import vocab

    return {URIRef(base + ONTOLOGY_GRAPH): set(vocab.ontology_graph()),
            URIRef(base + REFERENCE_GRAPH): set(vocab.sdg_reference_graph())}


@dataclass
class _GraphText:
    """One document's graphs as text: ``{graph term <iri>: sorted N-Quads lines}``, and the triples of
    all of them as N-Triples lines (for the store's merged default graph)."""

    graphs: dict[str, bytes]
    merged: bytes
    quads: int
    used: set[str]


def _graph_text(graphs: dict[URIRef, set], *, merged: bool, writer: TermWriter | None = None) -> _GraphText:
    """``{graph IRI: triples}`` as sorted N-Quads per graph (the lines graph.trig is written from).
    ``writer`` may be shared by the documents of a task (terms they share are written once)."""
    writer = writer if writer is not None else TermWriter()
    out: dict[str, bytes] = {}
    default: list[str] = []
    quads = 0
    for name, triples in graphs.items():
        g = writer.term(name)
        lines = writer.sorted_triples(triples)
        quads += len(lines)
        out[g] = "".join([f"{t} {g} .\n" for t in lines]).encode("utf-8")
        if merged:
            default.extend(lines)
    # with a shared writer, the IRIs of the task's documents so far (their union is what graph.trig declares)
    return _GraphText(out, "".join([f"{t} .\n" for t in default]).encode("utf-8"), quads, writer.used_iris())


# --- the worker side -------------------------------------------------------------------------------------


@dataclass
class _DocOutcome:
    index: int  # position among the inputs: the report lists documents in input order
    path: str
    key: str
    doc_id: str
    graphs: list[str] = field(default_factory=list)
    cached: bool = False
    issues: dict[str, int] = field(default_factory=dict)
    failure: DocumentFailure | None = None
    report: dict | None = None  # the document's entry in report.json
    #: the document's graphs as N-Quads text (graph.trig; a store's new or changed graphs)
    text: _GraphText | None = None


#: One document to build: its position among the inputs, its path, its cache key, what the build
#: does with it (``new``: load into the store, ``changed``: bring the stored version to this one,
#: ``out``: unchanged in the store, only written to graph.trig) and its id (``graph.identity``).
_Todo = tuple[int, str, str, str, str]


def _record_for(path: Path, key: str, cache_dir: Path | None, curate: bool) -> tuple[DocumentRecord, bool]:
    """The record of ``path``: from the cache when its key is there, else extracted (and cached)."""
    cached = cache_dir / f"{key}{RECORDS_SUFFIX}" if cache_dir is not None else None
    if cached is not None and cached.is_file():
        try:
            return from_json(DocumentRecord, json.loads(cached.read_text(encoding="utf-8"))), True
        except (ValueError, KeyError, TypeError):
            pass  # a damaged cache entry: extract again and overwrite it
    record = extract_path(path, curate=curate)
    if cached is not None:
        tmp = cached.with_name(f".{cached.name}.{os.getpid()}.{id(record)}.tmp")
        try:
            tmp.write_text(json.dumps(to_json(record), ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, cached)  # atomic: a concurrent reader sees the old file or the whole new one
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise OutputError.of(cache_dir, exc) from exc
    return record, False


def _exit_with_parent(parent: int) -> None:
    """In a worker: exit when the build process dies, even by SIGKILL (which nothing can catch).

    Orphaned workers would otherwise go on extracting for nobody and keep files of the store's
    cache open. Linux: the kernel sends SIGTERM on the parent's death (``PR_SET_PDEATHSIG``);
    elsewhere a daemon thread polls the parent's pid.
    """
    import signal
    import threading

    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(1, signal.SIGTERM, 0, 0, 0) == 0:  # PR_SET_PDEATHSIG = 1
            if os.getppid() != parent:  # died before the call: the signal will never come
                os._exit(1)
            return
    except (OSError, AttributeError):
        pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="policy-kg-parent-watch", daemon=True).start()


def _process_chunk(items: list[_Todo], cache_dir: str | None, base: str, curate: bool, merged: bool = True,
                   causes: bool = False) -> list[_DocOutcome]:
    """One task: extract (or load from cache) each document of a chunk, build its graphs and write
    them as sorted N-Quads text (with ``merged``, a new document's triples also as N-Triples, for a
    store's default graph). ``causes`` keeps the exception of a failed document (in-process only:
    ``--debug`` prints its traceback)."""
    docs: list[_DocOutcome] = []
    writer = TermWriter()
    for index, path_text, key, mode, doc_id in items:
        outcome = _DocOutcome(index, path_text, key, doc_id)
        docs.append(outcome)
        path = Path(path_text)
        try:
            record, outcome.cached = _record_for(path, key, Path(cache_dir) if cache_dir else None, curate)
            record.doc_id = doc_id  # the cache holds the record as extracted; the build names it
            graphs = document_graphs(record, base=base)
        except (ExtractionError, CurationError) as exc:
            outcome.failure = DocumentFailure(exc.file, exc.message, exc.line, cause=exc if causes else None)
            continue
        except OutputError:
            raise  # the cache cannot be written: the build stops (exit 73), no document is to blame
        except Exception as exc:  # a parser bug on one document must not stop the batch
            outcome.failure = DocumentFailure(path.name, f"internal error: {type(exc).__name__}: {exc}",
                                              cause=exc if causes else None)
            continue
        outcome.graphs = sorted(str(g) for g in graphs)
        counts: Counter[str] = Counter()
        for issue in record.issues:  # an aggregated issue counts as many as it stands for
            counts[issue.severity] += issue.count
        outcome.issues = dict(counts)
        outcome.report = document_report(record)
        outcome.text = _graph_text(graphs, merged=merged and mode == "new", writer=writer)
    return docs


# --- the parent side -------------------------------------------------------------------------------------


@dataclass
class BuildOutcome:
    """What a build did. ``exit_code`` follows :class:`graph.pipeline.BuildResult`."""

    store_dir: Path | None = None
    out_dir: Path | None = None
    documents: int = 0  # inputs named
    extracted: int = 0  # parsed in this run
    cached: int = 0  # records read from the cache
    unchanged: int = 0  # graphs already in the store, left alone
    duplicates: int = 0  # inputs repeating another (same stem, same text): built once
    quads_loaded: int = 0  # quads written into the store
    quads: int = 0  # quads written to graph.trig
    seconds: float = 0.0
    failures: list[DocumentFailure] = field(default_factory=list)
    issues: Counter[str] = field(default_factory=Counter)
    #: report.json's entries of the documents built, in input order (when ``out_dir`` was given)
    reports: list[dict] = field(default_factory=list)
    #: where the time went (seconds): ``tasks`` (from the first task submitted to the last outcome,
    #: loads included), ``load`` (writing into the store), ``store`` (finishing it: references,
    #: optimize, flush), ``write`` (graph.trig, report.json, report.txt)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return exit_code_of(bool(self.failures) or not self.documents, self.issues)

    @property
    def built(self) -> int:
        """Documents that are in the output (extracted, from the cache or unchanged)."""
        return self.extracted + self.cached + self.unchanged

    def report(self) -> dict:
        """The extraction report (``report.json``) of the documents built."""
        return build_report(self.reports, self.failures, self.quads)

    def summary(self) -> str:
        rate = (self.extracted + self.cached) / self.seconds if self.seconds else 0.0
        return (f"Store {self.store_dir}: {self.documents} document(s): {self.extracted} extracted, "
                f"{self.cached} from cache, {self.unchanged} unchanged, {len(self.failures)} failed"
                + (f", {self.duplicates} given twice (built once)" if self.duplicates else "") + "; "
                f"{self.quads_loaded} quads loaded in {self.seconds:.1f} s ({rate:.1f} documents/s)")


#: The old name of :class:`BuildOutcome` (``bulk_build`` returned it).
BulkResult = BuildOutcome


def _load_manifest(store_dir: Path, base: str) -> dict:
    path = store_dir / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    same = (data.get("format") == MANIFEST_FORMAT and data.get("base") == base
            and data.get("builder") == builder_version())
    return data if same else {}


def _save_manifest(store_dir: Path, manifest: dict) -> None:
    path = store_dir / MANIFEST_NAME
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def _chunks(items: list[_Todo], size: int) -> Iterator[list[_Todo]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _run_chunks(
    chunks: Iterator[list[_Todo]], workers: int, executor, cache_dir: str | None, base: str, curate: bool,
    merged: bool = True,
) -> Iterator[list[_DocOutcome]]:
    """Task outcomes as they complete; at most ``2 × workers`` tasks in flight, so memory stays bounded.

    ``executor``: ``None`` runs the tasks in this process, ``"process"`` on ``workers`` worker
    processes, a ``distributed.Client`` on its Dask cluster.
    """
    if executor is None:
        for chunk in chunks:
            yield _process_chunk(chunk, cache_dir, base, curate, merged, causes=True)
        return
    if executor == "process":
        with ProcessPoolExecutor(max_workers=workers, initializer=_exit_with_parent, initargs=(os.getpid(),)) as pool:
            pending: set[Future[list[_DocOutcome]]] = set()
            for chunk in chunks:
                pending.add(pool.submit(_process_chunk, chunk, cache_dir, base, curate, merged))
                if len(pending) >= 2 * workers:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    yield from (f.result() for f in done)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (f.result() for f in done)
        return
    yield from _run_on_dask(chunks, executor, cache_dir, base, curate, merged)


def _run_on_dask(chunks: Iterator[list[_Todo]], client, cache_dir: str | None, base: str,
                 curate: bool, merged: bool) -> Iterator[list[_DocOutcome]]:
    """The tasks on a Dask cluster (``client``: a ``distributed.Client``), two per worker in flight."""
    from distributed import as_completed

    workers = max(1, len(client.scheduler_info().get("workers", {})))
    running = as_completed()
    submitted = 0
    for chunk in chunks:
        running.add(client.submit(_process_chunk, chunk, cache_dir, base, curate, merged, pure=False))
        submitted += 1
        if submitted >= 2 * workers:
            break
    for future in running:
        result = future.result()
        future.release()
        yield result
        chunk = next(chunks, None)
        if chunk is not None:
            running.add(client.submit(_process_chunk, chunk, cache_dir, base, curate, merged, pure=False))


class _Spool:
    """graph.trig in the making: each graph's sorted N-Quads in a temporary file, written at the end as
    TriG in graph IRI order (the order of :func:`graph.io._sorted_nquads`), in one stream."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="policy-kg-build-"))
        self.files: dict[str, Path] = {}
        self.used: set[str] = set()
        self.quads = 0

    def add(self, text: _GraphText) -> None:
        for graph, data in text.graphs.items():
            path = self.folder / f"{len(self.files)}.nq"
            path.write_bytes(data)
            self.files[graph] = path
        self.used |= text.used
        self.quads += text.quads

    def write_trig(self, fh, namespaces) -> None:
        """The TriG of every graph spooled, into the binary file ``fh``."""
        stream = _Concatenated([self.files[g] for g in sorted(self.files)])
        try:
            quads = ox.parse(input=stream, format=ox.RdfFormat.N_QUADS)
            ox.serialize(quads, fh, format=ox.RdfFormat.TRIG, prefixes=trig_prefixes(namespaces, self.used))
        finally:
            stream.close()

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


class _Concatenated:
    """Several files read as one binary stream (what ``pyoxigraph.parse`` reads graph.trig's quads from)."""

    def __init__(self, paths: list[Path]) -> None:
        self._paths = iter(paths)
        self._fh = None

    def read(self, size: int = -1) -> bytes:
        while True:
            if self._fh is None:
                path = next(self._paths, None)
                if path is None:
                    return b""
                self._fh = open(path, "rb")  # noqa: SIM115 — closed when read to its end
            data = self._fh.read(size)
            if data:
                return data
            self._fh.close()
            self._fh = None

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def _executor_for(executor, scheduler: str | None, workers: int):
    """(the executor :func:`_run_chunks` takes, a cluster to close afterwards or None)."""
    if executor is None or executor == "process":
        return "process", None
    if executor == "dask" or scheduler:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise ImportError("the Dask executor needs the optional extra: pip install 'policy-kg[dask]'") from exc
        if scheduler:
            client = Client(scheduler)
            return client, client
        # the dashboard on any free port: no clash with another cluster on this machine
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0")
        client = Client(cluster)
        return client, _Closing(client, cluster)
    if isinstance(executor, str):
        raise ValueError(f"unknown executor {executor!r}; use one of {', '.join(EXECUTORS)} or a distributed.Client")
    return executor, None  # a distributed.Client the caller made (and closes)


class _Closing:
    def __init__(self, *things) -> None:
        self.things = things

    def close(self) -> None:
        for thing in self.things:
            thing.close()


def build_corpus(
    inputs: Iterable[str | Path],
    *,
    out_dir: str | Path | None = None,
    store_dir: str | Path | None = None,
    base: str = DEFAULT_BASE,
    jobs: int | None = None,
    cache_dir: str | Path | None = None,
    progress: Callable[[Path], None] | None = None,
    curate: bool = True,
    chunk_size: int = DEFAULT_CHUNK,
    executor=None,
    scheduler: str | None = None,
    report_text: Callable[[dict, Path], str] | None = None,
) -> BuildOutcome:
    """Build ``inputs`` into ``out_dir`` (graph.trig, report.json, report.txt) and/or ``store_dir``.

    * ``out_dir``: the three files are replaced together, and only when at least one document could
      be read; ``report_text(report, graph_file)`` gives report.txt (default: the CLI's summary).
    * ``store_dir``: an on-disk Oxigraph store, created or brought up to date (see the module
      docstring); ``cache_dir`` defaults to ``<store_dir>.records-cache`` beside it. Documents are
      known to the store by their id (the stem; stem + content hash when two documents of the build
      share a stem), never by their folder, so a moved or copied corpus re-builds nothing; graphs of
      documents whose stem is not named this time stay in the store. The store is opened for
      writing only when a document was read: when none could be, it is left byte-identical. With
      both, graph.trig holds the documents named (unchanged ones are rebuilt from the record cache).
    * ``jobs``: worker processes (default: one per core, from :data:`PARALLEL_MIN_DOCUMENTS`
      documents to build on; fewer are built in this process). ``executor``: ``"process"`` (default),
      ``"dask"`` (a local Dask cluster of ``jobs`` workers, or the cluster at ``scheduler``), or a
      ``distributed.Client``. The graph is the same whichever runs the tasks.
    * ``progress(path)`` is called once per input, when it is done.
    """
    if out_dir is None and store_dir is None:
        raise ValueError("build_corpus needs out_dir, store_dir or both")
    started = time.monotonic()
    out = Path(out_dir) if out_dir is not None else None
    store_path = Path(store_dir) if store_dir is not None else None
    if cache_dir is not None:
        cache: Path | None = Path(cache_dir)
    elif store_path is not None:
        cache = store_path.with_name(store_path.name + ".records-cache")
    else:
        cache = None
    paths = expand_inputs(inputs)
    result = BuildOutcome(store_path, out, documents=len(paths))
    if not paths:
        return result  # exit code 3; nothing touched

    def done(path: str | Path) -> None:
        if progress is not None:
            progress(Path(path))

    if store_path is not None:
        empty, merged = _inspect(store_path)
        manifest = {} if empty else _load_manifest(store_path, base)
        # built by another version or base, or unmerged by a writable `serve`: start again (when writing)
        restart = not empty and (not manifest or not merged)
        if restart:
            manifest = {}
        fresh = empty or restart
    else:
        manifest, restart, fresh = {}, False, True
    known: dict[str, dict] = manifest.get("documents", {})

    failures: list[tuple[int, DocumentFailure]] = []
    readable: list[tuple[int, Path, str]] = []
    for index, path in enumerate(paths):
        try:
            readable.append((index, path, input_key(path)))
        except OSError as exc:
            failures.append((index, DocumentFailure(str(path), f"cannot read: {exc.strerror or exc}")))
            done(path)
    ids, repeats = _document_ids([path for _, path, _ in readable])
    named = {_stem(path) for _, path, _ in readable}
    produced = {doc_id for doc_id in ids if doc_id is not None}
    # a stem named again whose old ids this build no longer gives (two plan.txt became one, or one changed)
    drops = [doc_id for doc_id, entry in known.items() if entry.get("stem") in named and doc_id not in produced]
    todo: list[_Todo] = []
    stored: dict[str, list[str]] = {}  # changed documents: the graphs their stored version has
    duplicates: dict[int, list[str]] = {}  # input position of a kept document: names of its repeats
    for n, ((index, path, key), doc_id) in enumerate(zip(readable, ids)):
        if doc_id is None:
            result.duplicates += 1
            duplicates.setdefault(readable[repeats[n]][0], []).append(path.name)
            done(path)
            continue
        entry = known.get(doc_id)
        if entry is not None and entry["key"] == key:
            result.unchanged += 1
            if out is not None:
                todo.append((index, str(path), key, "out", doc_id))  # rebuilt for graph.trig, from the cache
            else:
                result.issues.update(entry.get("issues", {}))
                done(path)
            continue
        if entry is not None:
            stored[doc_id] = entry["graphs"]
            del known[doc_id]
        todo.append((index, str(path), key, "changed" if entry is not None else "new", doc_id))

    opened: list[ox.Store] = []

    def writable() -> ox.Store:
        """The store, opened for writing on first use (and cleared if it must start again)."""
        if not opened:
            store_path.mkdir(parents=True, exist_ok=True)
            opened.append(ox.Store(str(store_path)))
            if restart:
                opened[0].clear()
        return opened[0]

    if todo and cache is not None:
        try:
            cache.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError.of(cache, exc) from exc
    workers = jobs or os.cpu_count() or 1
    if jobs is None and len(todo) < PARALLEL_MIN_DOCUMENTS:
        workers = 1  # starting workers costs more than a small build
    if executor in (None, "process") and scheduler is None and workers <= 1:
        run_on, closing = None, None  # in this process
    else:
        run_on, closing = _executor_for(executor, scheduler, workers)
    size = max(1, min(chunk_size, -(-len(todo) // max(workers, 1))))  # a few documents: spread over all workers
    spool = _Spool() if out is not None else None
    reports: dict[int, dict] = {}
    batch: list[bytes] = []
    merged_batch: list[bytes] = []
    batch_bytes = 0
    modes = {index: mode for index, _, _, mode, _ in todo}
    timings = result.timings
    timings.update(tasks=0.0, load=0.0, store=0.0, write=0.0)
    tasks_started = time.monotonic()
    try:
        for outcome in _run_chunks(_chunks(todo, size), workers, run_on, str(cache) if cache else None, base, curate,
                                   merged=store_path is not None):
            for doc in outcome:
                done(doc.path)
                mode = modes[doc.index]
                if doc.failure is not None:
                    failures.append((doc.index, doc.failure))
                    drops.append(doc.doc_id)  # the store must not keep a version the input no longer is
                    if mode == "out":  # unchanged, but it fails now (its cached record was lost): it leaves too
                        result.unchanged -= 1
                    continue
                result.issues.update(doc.issues)
                if doc.report is not None and out is not None:
                    reports[doc.index] = doc.report
                if spool is not None and doc.text is not None:
                    spool.add(doc.text)
                if mode == "out":
                    continue
                result.cached += doc.cached
                result.extracted += not doc.cached
                if store_path is None:
                    continue
                known[doc.doc_id] = {"key": doc.key, "graphs": doc.graphs, "stem": _stem(Path(doc.path)),
                                     "issues": doc.issues}
                nquads = b"".join(doc.text.graphs.values())
                if mode == "changed":
                    loading = time.monotonic()
                    result.quads_loaded += _replace_graphs(writable(), stored.pop(doc.doc_id), nquads)
                    timings["load"] += time.monotonic() - loading
                    continue
                batch.append(nquads)
                merged_batch.append(doc.text.merged)
                batch_bytes += len(nquads) + len(doc.text.merged)
                result.quads_loaded += doc.text.quads
                if batch_bytes >= LOAD_BATCH_BYTES:
                    timings["load"] += _load(writable(), batch, merged_batch)
                    batch, merged_batch, batch_bytes = [], [], 0
        if batch:
            timings["load"] += _load(writable(), batch, merged_batch)
        timings["tasks"] = time.monotonic() - tasks_started

        result.failures = [f for _, f in sorted(failures, key=lambda item: item[0])]
        for index, names in duplicates.items():
            if index in reports:
                reports[index]["issues"].extend(issue_report(duplicate_issue(name)) for name in names)
        result.reports = [reports[i] for i in sorted(reports)]
        if store_path is not None:
            finishing = time.monotonic()
            _finish_store(result, store_path, base, writable, opened, drops, stored, known, fresh)
            timings["store"] = time.monotonic() - finishing
        if out is not None and result.reports:  # nothing could be read: the previous outputs stay
            writing = time.monotonic()
            _write_outputs(result, out, spool, base, report_text)
            timings["write"] = time.monotonic() - writing
    finally:
        if spool is not None:
            spool.close()
        if closing is not None:
            closing.close()
        opened.clear()  # release the RocksDB lock before anyone reopens the folder
    result.seconds = time.monotonic() - started
    return result


def _load(store: ox.Store, nquads: list[bytes], merged: list[bytes]) -> float:
    """New documents' quads into their named graphs, and their triples into the merged default graph;
    returns the seconds it took."""
    started = time.monotonic()
    # one load: an N-Triples line is an N-Quads line of the default graph (each bulk load writes its own files)
    store.bulk_load(input=b"".join([*nquads, *merged]), format=ox.RdfFormat.N_QUADS)
    return time.monotonic() - started


def _finish_store(result: BuildOutcome, store_dir: Path, base: str, writable, opened: list, drops: list[str],
                  stored: dict, known: dict, fresh: bool) -> None:
    built_here = result.extracted + result.cached + result.unchanged
    if not (built_here and (opened or drops)):  # nothing could be read: the store stays as it was
        return
    store = writable()
    for doc_id in drops:
        _drop_graphs(store, stored.pop(doc_id, None) or known.pop(doc_id, {}).get("graphs", []))
    if not _has_reference(store, base):  # a changed ontology changes builder_version: store cleared above
        _load_reference(store, base)
    if not is_merged(store):
        mark_merged(store)  # every quad loaded above also went to the default graph
    if fresh and result.quads_loaded:
        # compacts the many bulk-loaded files: about a tenth of the build, queries then run ~2x faster
        store.optimize()
    store.flush()
    _save_manifest(store_dir, {"format": MANIFEST_FORMAT, "base": base, "builder": builder_version(),
                               "reference": True, "documents": known})


def _write_outputs(result: BuildOutcome, out: Path, spool: _Spool, base: str, report_text) -> None:
    """graph.trig (the spooled documents and the reference graphs), report.json and report.txt, together."""
    from policy_kg.graph.builder import new_dataset
    from policy_kg.graph.io import atomic_write_files

    spool.add(_graph_text(_reference_graphs(base), merged=False))
    result.quads = spool.quads
    namespaces = list(new_dataset(base).namespaces())
    report = result.report()
    graph_file = out / "graph.trig"
    if report_text is None:
        from policy_kg.cli import summary_text as report_text
    atomic_write_files({
        graph_file: lambda fh: spool.write_trig(fh, namespaces),
        out / "report.json": (json.dumps(report, ensure_ascii=False, indent=1) + "\n").encode("utf-8"),
        out / "report.txt": report_text(report, graph_file).encode("utf-8"),
    })


def bulk_build(
    inputs: Iterable[str | Path],
    *,
    store_dir: str | Path,
    base: str = DEFAULT_BASE,
    jobs: int | None = os.cpu_count(),
    cache_dir: str | Path | None = None,
    progress: bool = True,
    curate: bool = True,
    chunk_size: int = DEFAULT_CHUNK,
    executor=None,
) -> BuildOutcome:
    """:func:`build_corpus` into the store at ``store_dir`` only (what ``bulk-build`` did): kept for
    old callers. ``progress`` prints ``[n/total] name`` lines on stderr; ``jobs`` > 1 starts that
    many workers whatever the number of documents."""
    import sys

    counter = {"n": 0}
    total = len(expand_inputs(inputs)) if progress else 0

    def show(path: Path) -> None:
        counter["n"] += 1
        print(f"[{counter['n']}/{total}] {path.name}", file=sys.stderr)

    return build_corpus(inputs, store_dir=store_dir, base=base, jobs=jobs, cache_dir=cache_dir,
                        progress=show if progress else None, curate=curate, chunk_size=chunk_size,
                        executor=executor)


def _stem(path: Path) -> str:
    """The id a document has unless another of the build shares it: its stem, or a records file's doc_id."""
    if path.name.endswith(RECORDS_SUFFIX):
        try:
            doc_id = json.loads(path.read_text(encoding="utf-8")).get("doc_id")
        except (OSError, ValueError, AttributeError):
            doc_id = None
        if isinstance(doc_id, str) and doc_id:
            return doc_id
    return doc_id_for(path.name)


def _content_hash(path: Path) -> str | None:
    """What ``DocumentRecord.content_hash`` of ``path`` will be; None when it will not be extracted."""
    try:
        if path.name.endswith(RECORDS_SUFFIX):
            value = json.loads(path.read_text(encoding="utf-8")).get("content_hash")
            return value if isinstance(value, str) else None
        src = read_source(path)
        detect_layout(src)
        return src.content_hash
    except (ExtractionError, OSError, ValueError, AttributeError):
        return None


def _document_ids(paths: list[Path]) -> tuple[list[str | None], dict[int, int]]:
    """The ids ``graph.pipeline.identify`` gives these inputs (``None``: the same document again), and
    for each such repeat the position of the input it repeats (whose report notes it).

    Only inputs sharing a stem are read here (for their content hash); one that cannot be extracted
    keeps its stem, as it will fail, like ``build``, which never counts failed documents.
    """
    stems = [_stem(p) for p in paths]
    shared = {stem for stem, n in Counter(stems).items() if n > 1}
    hashes = {i: _content_hash(p) for i, p in enumerate(paths) if stems[i] in shared}
    members = [i for i in range(len(paths)) if hashes.get(i, "") is not None]
    ids: list[str | None] = list(stems)
    chosen = document_ids([stems[i] for i in members], lambda j: hashes[members[j]] or "")
    first: dict[tuple[str, str], int] = {}
    repeats: dict[int, int] = {}
    for i, doc_id in zip(members, chosen):
        ids[i] = doc_id
        same = (stems[i], hashes.get(i) or "")
        if doc_id is None:
            repeats[i] = first[same]
        else:
            first.setdefault(same, i)
    return ids, repeats


def _inspect(store_dir: Path) -> tuple[bool, bool]:
    """(empty, merged) of the store at ``store_dir``, read without writing a byte to it."""
    if not store_dir.is_dir() or not any(store_dir.iterdir()):
        return True, False
    try:
        store = ox.Store.read_only(str(store_dir))
    except OSError:
        return False, False  # not a store we can read: opened for writing (and cleared) if anything is built
    try:
        return _is_empty(store), is_merged(store)
    finally:
        del store


#: Removes from the merged default graph the triples of graph ``?g`` that no other named graph holds.
_UNMERGE_GRAPH = """
DELETE { ?s ?p ?o }
WHERE { GRAPH $g { ?s ?p ?o } FILTER NOT EXISTS { GRAPH ?other { ?s ?p ?o } FILTER(?other != $g) } }
"""


def _is_empty(store: ox.Store) -> bool:
    """Whether the store holds no quad; unlike ``len(store)`` it does not count millions of them."""
    return next(iter(store.quads_for_pattern(None, None, None, None)), None) is None


def _replace_graphs(store: ox.Store, old_graphs: list[str], nquads: bytes) -> int:
    """Bring a changed document's graphs (``old_graphs``) to the version in ``nquads``; returns quads written.

    Only the differing triples are written: removed ones leave their graph, and the merged default
    graph unless another named graph still holds them; added ones enter both.
    """
    # Compared as N-Triples lines written by Oxigraph on both sides: the stored graph is read in one
    # sequential dump, and a store writes literals canonically ("1.0" decimal as "1"), as it holds them.
    staged = ox.Store()
    staged.bulk_load(input=nquads, format=ox.RdfFormat.N_QUADS)
    removed: list[ox.Quad] = []
    added: list[ox.Quad] = []
    for name in sorted({ox.NamedNode(g) for g in old_graphs} | set(staged.named_graphs()), key=str):
        old = set(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name).splitlines())
        now = set(staged.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name).splitlines())
        removed += _quads(old - now, name)
        added += _quads(now - old, name)
        if not now:
            store.remove_graph(name)
    for quad in removed:
        store.remove(quad)
    for triple in {q.triple for q in removed}:  # after all removals: the document's own graphs do not count
        holders = store.quads_for_pattern(triple.subject, triple.predicate, triple.object, None)
        if not any(isinstance(q.graph_name, ox.NamedNode) for q in holders):
            store.remove(ox.Quad(triple.subject, triple.predicate, triple.object, ox.DefaultGraph()))
    store.extend([*added, *(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in added)])
    return len(removed) + len(added)


def _quads(lines: set[bytes], graph: ox.NamedNode) -> list[ox.Quad]:
    if not lines:
        return []
    triples = ox.parse(input=b"\n".join(sorted(lines)), format=ox.RdfFormat.N_TRIPLES)
    return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]


def _drop_graphs(store: ox.Store, graphs: list[str]) -> None:
    for graph in graphs:
        _drop_graph(store, graph)


def _drop_graph(store: ox.Store, graph: str) -> None:
    """Remove a named graph, and from the merged default graph the triples no other graph holds."""
    name = ox.NamedNode(graph)  # validated: the term written into the update is a well-formed IRI
    store.update(_UNMERGE_GRAPH.replace("$g", str(name)))  # one transaction, evaluated by Oxigraph
    store.remove_graph(name)


def _has_reference(store: ox.Store, base: str) -> bool:
    return store.contains_named_graph(ox.NamedNode(base + ONTOLOGY_GRAPH))


def _load_reference(store: ox.Store, base: str) -> None:
    for name in (ONTOLOGY_GRAPH, REFERENCE_GRAPH):
        store.remove_graph(ox.NamedNode(base + name))
    store.bulk_load(input=reference_nquads(base), format=ox.RdfFormat.N_QUADS)

