"""Fast build for large corpora: parallel extraction, a record cache, N-Quads bulk-loaded into Oxigraph.

:func:`bulk_build` turns thousands of documents into an on-disk ``pyoxigraph.Store`` without ever
building an rdflib ``Dataset``:

* documents are extracted in worker processes (``ProcessPoolExecutor``, in chunks); each worker also
  builds the document's triples (:func:`graph.builder.document_graphs`) and serialises them to
  N-Quads, so the parent only bulk-loads bytes;
* extracted records are cached by content: ``<cache>/<sha256>.records.json``, the hash taken over the
  document's name and bytes, its curation file and the extractor's source code — an unchanged document is
  never re-extracted, and a changed extractor invalidates every entry;
* a manifest in the store folder remembers, per document id (``graph.identity``, the same ids as
  ``build``: never a path, so a moved or copied corpus re-builds nothing), the hash it was built from
  and its named graphs; a re-build touches the graphs of changed documents only, and of those only the triples
  that differ from the stored version (a changed KPI value is two quads, not a dropped and
  reloaded graph: the stored graph is read once, sequentially, instead of every triple of it being
  looked up in the whole store);
* every triple is also loaded into the default graph, which thus holds the merge of all graphs: the
  library queries read it (Oxigraph evaluates them far more slowly over the union of a thousand
  named graphs), and a triple a changed document no longer states leaves it unless another graph
  holds it;
* memory stays bounded: triples are streamed per chunk, never held for the whole corpus;
* a document that fails is reported in :attr:`BulkResult.failures` and never stops the batch.

The graphs are the same quads :func:`graph.pipeline.build_documents` builds (``tests/test_bulk.py``
checks it), including the ontology and SDG reference graphs.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
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
# the command line (``bulk-build``, ``generate``) lives apart, so ``policy-kg --help`` need not import this
from policy_kg.graph.bulk_cli import DEFAULT_CHUNK, _cmd_bulk_build, _generator, register  # noqa: F401
from policy_kg.graph.identity import document_ids
from policy_kg.graph.io import OutputError
from policy_kg.graph.iris import ONTOLOGY_GRAPH, REFERENCE_GRAPH
from policy_kg.graph.nquads import iri as _iri
from policy_kg.graph.nquads import term as _term
from policy_kg.graph.namespace import DEFAULT_BASE
from policy_kg.graph.pipeline import (
    EXIT_DROPPED,
    EXIT_FAILED_DOCUMENT,
    EXIT_OK,
    RECORDS_SUFFIX,
    DocumentFailure,
    expand_inputs,
    extract_path,
)
from policy_kg.graph.stores import is_merged, mark_merged

__all__ = ["BulkResult", "bulk_build", "extractor_version", "nquads_lines", "register"]

ROOT = Path(__file__).resolve().parents[1]
MANIFEST_NAME = "policy-kg-bulk.json"
#: Bump when the manifest's meaning changes; a store with another format is rebuilt from scratch.
MANIFEST_FORMAT = 3  # 2: the default graph holds the merge of the documents' graphs; 3: keyed by document id
#: Bytes of N-Quads gathered before one ``Store.bulk_load`` call (fewer, larger loads are faster).
LOAD_BATCH_BYTES = 48 * 1024 * 1024


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
    return _tree_hash(["extract/*.py"])[:16]


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
    from policy_kg.graph import vocab

    graphs = {URIRef(base + ONTOLOGY_GRAPH): set(vocab.ontology_graph()),
              URIRef(base + REFERENCE_GRAPH): set(vocab.sdg_reference_graph())}
    return "".join(nquads_lines(graphs, default_graph=True)).encode("utf-8")


# --- the worker side -------------------------------------------------------------------------------------


@dataclass
class _DocOutcome:
    path: str
    key: str
    doc_id: str
    graphs: list[str] = field(default_factory=list)
    cached: bool = False
    issues: dict[str, int] = field(default_factory=dict)
    failure: DocumentFailure | None = None
    #: Only for a changed document: its graphs' N-Quads (no default-graph copies), applied as a diff.
    replacement: bytes | None = None


#: One document to build: its path, its cache key, whether the store holds an older version of it,
#: and its id (``graph.identity``: the stem, or stem + content hash when stems collide).
_Todo = tuple[str, str, bool, str]


@dataclass
class _ChunkOutcome:
    nquads: bytes
    quads: int
    docs: list[_DocOutcome]


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
        tmp = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
        try:
            tmp.write_text(json.dumps(to_json(record), ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, cached)  # atomic: a concurrent reader sees the old file or the whole new one
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise OutputError.of(cache_dir, exc) from exc
    return record, False


def _exit_with_parent(parent: int) -> None:
    """In a worker: exit when the bulk-build process dies, even by SIGKILL (which nothing can catch).

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


def _process_chunk(items: list[_Todo], cache_dir: str | None, base: str, curate: bool) -> _ChunkOutcome:
    """Extract (or load from cache) each document of a chunk and serialise its graphs to N-Quads.

    A new document's quads go to the chunk's bulk load; a changed one's come back on their own, to
    be compared with the stored version.
    """
    parts: list[str] = []
    docs: list[_DocOutcome] = []
    for path_text, key, changed, doc_id in items:
        outcome = _DocOutcome(path_text, key, doc_id)
        docs.append(outcome)
        path = Path(path_text)
        try:
            record, outcome.cached = _record_for(path, key, Path(cache_dir) if cache_dir else None, curate)
            record.doc_id = doc_id  # the cache holds the record as extracted; the build names it
            graphs = document_graphs(record, base=base)
        except (ExtractionError, CurationError) as exc:
            outcome.failure = DocumentFailure(exc.file, exc.message, exc.line)
            continue
        except OutputError:
            raise  # the cache cannot be written: the build stops (exit 73), no document is to blame
        except Exception as exc:  # a parser bug on one document must not stop the batch
            outcome.failure = DocumentFailure(path.name, f"internal error: {type(exc).__name__}: {exc}")
            continue
        outcome.graphs = sorted(str(g) for g in graphs)
        counts: Counter[str] = Counter()
        for issue in record.issues:  # an aggregated issue counts as many as it stands for
            counts[issue.severity] += issue.count
        outcome.issues = dict(counts)
        if changed:
            outcome.replacement = "".join(nquads_lines(graphs)).encode("utf-8")
        else:
            parts.extend(nquads_lines(graphs, default_graph=True))
    return _ChunkOutcome("".join(parts).encode("utf-8"), len(parts) // 2, docs)


# --- the parent side -------------------------------------------------------------------------------------


@dataclass
class BulkResult:
    """What a bulk build did. ``exit_code`` follows :class:`graph.pipeline.BuildResult`."""

    store_dir: Path
    documents: int = 0  # inputs named
    extracted: int = 0  # parsed in this run
    cached: int = 0  # records read from the cache
    unchanged: int = 0  # graphs already in the store, left alone
    duplicates: int = 0  # inputs repeating another (same stem, same text): built once
    quads_loaded: int = 0
    seconds: float = 0.0
    failures: list[DocumentFailure] = field(default_factory=list)
    issues: Counter[str] = field(default_factory=Counter)

    @property
    def exit_code(self) -> int:
        if self.failures or not self.documents:
            return EXIT_FAILED_DOCUMENT
        if self.issues["dropped"] or self.issues["error"]:
            return EXIT_DROPPED
        return EXIT_OK

    def summary(self) -> str:
        rate = (self.extracted + self.cached) / self.seconds if self.seconds else 0.0
        return (f"bulk-build {self.store_dir}: {self.documents} document(s): {self.extracted} extracted, "
                f"{self.cached} from cache, {self.unchanged} unchanged, {len(self.failures)} failed"
                + (f", {self.duplicates} given twice (built once)" if self.duplicates else "") + "; "
                f"{self.quads_loaded} quads loaded in {self.seconds:.1f} s ({rate:.1f} documents/s)")


class _Progress:
    """Progress on stderr: documents done, documents/s, quads; rewritten in place on a terminal."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled = total, enabled
        self.start = self.last = time.monotonic()
        self.done = self.quads = 0
        self.tty = sys.stderr.isatty()

    def advance(self, docs: int, quads: int) -> None:
        self.done += docs
        self.quads += quads
        now = time.monotonic()
        if self.enabled and (now - self.last >= (0.5 if self.tty else 10.0) or self.done == self.total):
            self.last = now
            rate = self.done / max(now - self.start, 1e-9)
            line = f"[bulk-build] {self.done}/{self.total} documents, {rate:.1f} documents/s, {self.quads} quads"
            print(("\r" + line) if self.tty else line, end="" if self.tty else "\n", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.enabled and self.tty and self.total:
            print(file=sys.stderr, flush=True)


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
    chunks: Iterator[list[_Todo]], jobs: int, cache_dir: str | None, base: str, curate: bool,
) -> Iterator[_ChunkOutcome]:
    """Chunk outcomes as they complete; at most ``2 × jobs`` chunks in flight, so memory stays bounded."""
    if jobs <= 1:
        for chunk in chunks:
            yield _process_chunk(chunk, cache_dir, base, curate)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_exit_with_parent, initargs=(os.getpid(),)) as pool:
        pending: set[Future[_ChunkOutcome]] = set()
        for chunk in chunks:
            pending.add(pool.submit(_process_chunk, chunk, cache_dir, base, curate))
            if len(pending) >= 2 * jobs:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (f.result() for f in done)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            yield from (f.result() for f in done)


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
) -> BulkResult:
    """Build (or update) the on-disk Oxigraph store at ``store_dir`` from ``inputs``.

    ``cache_dir`` defaults to ``<store_dir>.records-cache`` beside the store. Documents are known
    to the store by their id (``graph.identity``: the stem; stem + content hash when two documents
    of the build share a stem), never by their folder, so a moved or copied corpus re-builds
    nothing. Documents whose bytes, curation file and extractor are unchanged since the last build
    into this store are skipped; the graphs of changed ones are brought to the new version. Naming a
    stem replaces what the store held under it; graphs of documents whose stem is not named this
    time stay in the store.

    The store is opened for writing only when a document was read: when none could be (no inputs,
    all unreadable), it is left byte-identical.
    """
    started = time.monotonic()
    store_dir = Path(store_dir)
    cache = Path(cache_dir) if cache_dir is not None else store_dir.with_name(store_dir.name + ".records-cache")
    paths = expand_inputs(inputs)
    result = BulkResult(store_dir, documents=len(paths))
    if not paths:
        return result  # exit code 3, as `build`; nothing touched

    empty, merged = _inspect(store_dir)
    manifest = {} if empty else _load_manifest(store_dir, base)
    # built by another version or base, or unmerged by a writable `serve`: start again (when writing)
    restart = not empty and (not manifest or not merged)
    if restart:
        manifest = {}
    fresh = empty or restart
    known: dict[str, dict] = manifest.get("documents", {})

    readable: list[tuple[Path, str]] = []
    for path in paths:
        try:
            readable.append((path, input_key(path)))
        except OSError as exc:
            result.failures.append(DocumentFailure(str(path), f"cannot read: {exc.strerror or exc}"))
    ids = _document_ids([path for path, _ in readable])
    named = {_stem(path) for path, _ in readable}
    produced = {doc_id for doc_id in ids if doc_id is not None}
    # a stem named again whose old ids this build no longer gives (two plan.txt became one, or one changed)
    drops = [doc_id for doc_id, entry in known.items() if entry.get("stem") in named and doc_id not in produced]
    todo: list[_Todo] = []
    stored: dict[str, list[str]] = {}  # changed documents: the graphs their stored version has
    for (path, key), doc_id in zip(readable, ids):
        if doc_id is None:
            result.duplicates += 1
            continue
        entry = known.get(doc_id)
        if entry is not None and entry["key"] == key:
            result.unchanged += 1
            continue
        if entry is not None:
            stored[doc_id] = entry["graphs"]
            del known[doc_id]
        todo.append((str(path), key, entry is not None, doc_id))

    opened: list[ox.Store] = []

    def writable() -> ox.Store:
        """The store, opened for writing on first use (and cleared if it must start again)."""
        if not opened:
            store_dir.mkdir(parents=True, exist_ok=True)
            opened.append(ox.Store(str(store_dir)))
            if restart:
                opened[0].clear()
        return opened[0]

    if todo:
        cache.mkdir(parents=True, exist_ok=True)
    reporter = _Progress(len(todo), progress)
    batch: list[bytes] = []
    batch_bytes = 0
    workers = jobs or 1
    size = max(1, min(chunk_size, -(-len(todo) // workers)))  # a few changed documents: spread over all workers
    for outcome in _run_chunks(_chunks(todo, size), workers, str(cache), base, curate):
        for doc in outcome.docs:
            if doc.failure is not None:
                result.failures.append(doc.failure)
                drops.append(doc.doc_id)  # the store must not keep a version the input no longer is
                continue
            result.cached += doc.cached
            result.extracted += not doc.cached
            result.issues.update(doc.issues)
            known[doc.doc_id] = {"key": doc.key, "graphs": doc.graphs, "stem": _stem(Path(doc.path))}
            if doc.replacement is not None:
                result.quads_loaded += _replace_graphs(writable(), stored.pop(doc.doc_id), doc.replacement)
        if outcome.quads:
            batch.append(outcome.nquads)
            batch_bytes += len(outcome.nquads)
            result.quads_loaded += outcome.quads
        if batch_bytes >= LOAD_BATCH_BYTES:
            writable().bulk_load(input=b"".join(batch), format=ox.RdfFormat.N_QUADS)
            batch, batch_bytes = [], 0
        reporter.advance(len(outcome.docs), outcome.quads)
    if batch:
        writable().bulk_load(input=b"".join(batch), format=ox.RdfFormat.N_QUADS)
    reporter.close()

    built = result.extracted + result.cached + result.unchanged
    if built and (opened or drops):  # nothing could be read: the store stays as it was
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
    opened.clear()  # release the RocksDB lock before anyone reopens the folder
    result.seconds = time.monotonic() - started
    return result


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


def _document_ids(paths: list[Path]) -> list[str | None]:
    """The ids ``graph.pipeline.identify`` gives these inputs (``None``: the same document again).

    Only inputs sharing a stem are read here (for their content hash); one that cannot be extracted
    keeps its stem, as it will fail, like ``build``, which never counts failed documents.
    """
    stems = [_stem(p) for p in paths]
    shared = {stem for stem, n in Counter(stems).items() if n > 1}
    hashes = {i: _content_hash(p) for i, p in enumerate(paths) if stems[i] in shared}
    members = [i for i in range(len(paths)) if hashes.get(i, "") is not None]
    ids: list[str | None] = list(stems)
    chosen = document_ids([stems[i] for i in members], lambda j: hashes[members[j]] or "")
    for i, doc_id in zip(members, chosen):
        ids[i] = doc_id
    return ids


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

