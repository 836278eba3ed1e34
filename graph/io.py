"""Reading and writing graphs: atomic file writes, formats by name, deterministic output.

Writes go to a temporary file in the target folder and are renamed into place, so a crash or
Ctrl-C never leaves a half-written graph. N-Quads output is sorted, so an unchanged graph is
byte-identical run to run.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
from enum import Enum
from pathlib import Path

from rdflib import Dataset, Graph

from policy_kg.graph.namespace import DEFAULT_BASE, bind_prefixes


class RdfFormat(str, Enum):
    """Graph serialisations policy-kg reads and writes (value = rdflib format name)."""

    TRIG = "trig"
    TURTLE = "turtle"
    NQUADS = "nquads"
    NTRIPLES = "nt"
    JSONLD = "json-ld"

    @classmethod
    def from_name(cls, name: str) -> RdfFormat:
        aliases = {"ttl": cls.TURTLE, "turtle": cls.TURTLE, "trig": cls.TRIG, "nq": cls.NQUADS,
                   "nquads": cls.NQUADS, "nt": cls.NTRIPLES, "jsonld": cls.JSONLD, "json-ld": cls.JSONLD}
        try:
            return aliases[name.lower()]
        except KeyError:
            raise ValueError(f"unknown RDF format {name!r}; use one of {', '.join(sorted(aliases))}") from None

    @classmethod
    def from_path(cls, path: Path) -> RdfFormat:
        suffix = path.suffix.lstrip(".").lower()
        return cls.from_name({"jsonld": "jsonld", "json": "jsonld"}.get(suffix, suffix))

    @property
    def extension(self) -> str:
        return {"trig": "trig", "turtle": "ttl", "nquads": "nq", "nt": "nt", "json-ld": "jsonld"}[self.value]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def spreadsheet_safe(cell: object) -> object:
    """A CSV cell a spreadsheet will not run as a formula: text opening with = + - @ gets a ``'``.

    Numbers (``-5``) are left alone; :func:`from_spreadsheet_safe` undoes the guard.
    """
    if isinstance(cell, str) and cell.startswith(_FORMULA_START) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


# Control characters a document may carry (ESC starts terminal escape sequences, BEL rings, …):
# C0 but tab and line breaks, DEL, C1, and the bidirectional overrides that reorder what is shown.
_CONTROL = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile("[\t\n\r]+")


def terminal_safe(cell: object, *, one_line: bool = False) -> object:
    r"""``cell`` without control characters (ESC, BEL …), so printed text cannot drive the terminal.

    With ``one_line`` tabs and line breaks become one space (a table cell); otherwise they stay
    (CSV quotes them). Anything but text is returned unchanged.

        >>> terminal_safe("a\x1b[2Jb\x07")
        'a[2Jb'
        >>> terminal_safe("two\nlines\t!", one_line=True)
        'two lines !'
    """
    if not isinstance(cell, str):
        return cell
    cell = _CONTROL.sub("", cell)
    return _LINE_BREAKS.sub(" ", cell) if one_line else cell


def from_spreadsheet_safe(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA_START) else cell


class OutputError(OSError):
    """An output could not be written (read-only folder, disk full …): exit code 73
    (``graph.pipeline.EXIT_OUTPUT_ERROR``), not 3, which means an *input* could not be read."""

    def __init__(self, message: str) -> None:
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.args[0])

    @classmethod
    def of(cls, path: Path | str, exc: OSError) -> OutputError:
        if isinstance(exc, OutputError):
            return exc
        return cls(f"{path}: cannot write output: {exc.strerror or exc}")


def _write_temp(path: Path, data) -> Path:
    """``data`` in a synced temporary file beside ``path`` (renamed into place by the caller).

    ``data`` is bytes, or a function that writes the file's content into the binary file it is given
    (so a large output is streamed, never held in memory whole)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file 0600; an output gets the mode any new file of the user gets
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            if callable(data):
                data(fh)
            else:
                fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _umask() -> int:
    """The process's umask (read by setting it, then put back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: Path, data: bytes) -> None:
    atomic_write_files({Path(path): data})


def atomic_write_files(files: dict) -> None:
    """Replace several files together: all are written and synced first, then renamed into place,
    so a failure (disk full, read-only folder, Ctrl-C) before the renames leaves every one as it was.
    Each value is the file's bytes or a function writing them into a binary file (see ``_write_temp``).

    Raises :class:`OutputError` for a write that failed.
    """
    temps: list[tuple[Path, Path]] = []
    current = None
    try:
        for path, data in files.items():
            current = Path(path)
            temps.append((_write_temp(current, data), current))
        for tmp, path in temps:
            current = path
            os.replace(tmp, path)
    except OSError as exc:
        raise OutputError.of(current or "output", exc) from exc
    finally:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def serialize(ds: Dataset, fmt: RdfFormat) -> bytes:
    """``ds`` in ``fmt``; triple formats get the union of all graphs. Sorted where the format allows."""
    if fmt is RdfFormat.NQUADS:
        text = ds.serialize(format="nquads")
        lines = sorted(set(line for line in text.splitlines() if line.strip()))
        return ("\n".join(lines) + "\n").encode("utf-8")
    if fmt in (RdfFormat.TURTLE, RdfFormat.NTRIPLES):
        union = bind_prefixes(Graph())
        for triple in ds.triples((None, None, None)):
            union.add(triple)
        if fmt is RdfFormat.NTRIPLES:
            lines = sorted(set(union.serialize(format="nt").splitlines()))
            return ("\n".join(line for line in lines if line.strip()) + "\n").encode("utf-8")
        return union.serialize(format="turtle").encode("utf-8")
    if fmt is RdfFormat.TRIG:
        return _trig(ds)
    if fmt is RdfFormat.JSONLD:
        # Compact JSON-LD of the merge of all graphs (as Turtle), its @context the project's prefixes
        # (graph.namespace.jsonld_context, published as ontology/context.jsonld), so any JSON-LD
        # reader, rdflib's Graph().parse included, gets every triple from the default graph.
        from policy_kg.graph.namespace import jsonld_context

        union = bind_prefixes(Graph())
        for triple in ds.triples((None, None, None)):
            union.add(triple)
        return union.serialize(format="json-ld", context=jsonld_context(), auto_compact=True,
                               indent=1).encode("utf-8")
    return ds.serialize(format=fmt.value).encode("utf-8")


def _trig(ds: Dataset) -> bytes:
    """TriG written by Oxigraph: graphs in IRI order, each graph's triples sorted (subject, predicate,
    object), so the same graph is the same bytes in every run.

    rdflib's own TriG writer took 78 % of a build (it looks up a prefix for every term of every
    triple, ~150 µs a quad); Oxigraph writes the same graph in a few µs a quad. Prefixes are the
    dataset's bindings that its predicates, classes or datatypes use. A term Oxigraph refuses (an IRI
    it cannot write) falls back to rdflib's writer.
    """
    try:
        return trig_of_quads(ds.quads((None, None, None, None)), ds.namespaces())
    except ValueError:
        return _rdflib_trig(ds)


def trig_of_graphs(graphs: dict, namespaces) -> bytes:
    """TriG of ``{graph IRI: set of triples}`` (as ``graph.builder.document_graphs`` gives them),
    the same bytes :func:`serialize` writes for a dataset holding those graphs."""
    return trig_of_quads(((s, p, o, name) for name, triples in graphs.items() for s, p, o in triples), namespaces)


def trig_of_quads(quads, namespaces) -> bytes:
    """TriG of rdflib ``(s, p, o, graph)`` quads (see :func:`_trig`); ``namespaces`` are
    ``(prefix, namespace)`` pairs, declared when a predicate, class or datatype uses them.

    The quads are written as N-Quads lines (plain string formatting, each distinct term once),
    sorted, and handed to Oxigraph, which parses them and writes TriG: about three times faster
    than building a pyoxigraph term per term. Raises ``ValueError`` for a term Oxigraph refuses.
    """
    import pyoxigraph as ox

    data, used = _sorted_nquads(quads)
    try:
        parsed = ox.parse(input=data, format=ox.RdfFormat.N_QUADS)
        return ox.serialize(parsed, format=ox.RdfFormat.TRIG, prefixes=trig_prefixes(namespaces, used))
    except SyntaxError as exc:  # a term N-Quads cannot carry
        raise ValueError(str(exc)) from exc


def _sorted_nquads(quads) -> tuple[bytes, set[str]]:
    """rdflib quads as N-Quads sorted by (graph, subject, predicate, object), and the IRIs of their
    predicates, classes and datatypes (for the prefixes worth declaring). Typed literals get the
    lexical form rdflib's writer gave them (:func:`_lexical`)."""
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    writer = TermWriter()
    term = writer.term
    keyed = []
    for s, p, o, g in quads:
        name = DATASET_DEFAULT_GRAPH_ID if g is None else getattr(g, "identifier", g)  # a Graph or its name
        # the graph leads the sort key; the default graph (no name in N-Quads) sorts first
        graph = "" if name == DATASET_DEFAULT_GRAPH_ID else term(name)
        keyed.append(f"{graph}\t{writer.triple(s, p, o)}")
    keyed.sort()
    lines = []
    for line in keyed:
        graph, triple = line.split("\t", 1)
        lines.append(f"{triple} {graph} .\n" if graph else f"{triple} .\n")
    return "".join(lines).encode("utf-8"), writer.used_iris()


class TermWriter:
    """rdflib terms as N-Quads text, each distinct term written once, typed literals in the lexical
    form rdflib's writer gives them (:func:`_lexical`); remembers the IRIs used as predicates, classes
    and datatypes (the prefixes worth declaring in TriG).

    The one writer of the TriG that ``build`` writes: :func:`_sorted_nquads` (a whole dataset) and
    the build's workers (``graph.bulk``, one document's graphs at a time) both use it, so the same
    graph is the same bytes either way.
    """

    def __init__(self) -> None:
        from rdflib import Literal, URIRef
        from rdflib.namespace import RDF, XSD

        from policy_kg.graph.nquads import term as nquads_term

        self._literal, self._uriref, self._type = Literal, URIRef, RDF.type
        self._relexed = frozenset((XSD.decimal, XSD.double, XSD.boolean))
        self._nquads_term = nquads_term
        self._cache: dict = {}
        self.used: set = set()

    def term(self, t) -> str:
        found = self._cache.get(t)
        if found is None:
            key = t
            if type(t) is self._literal and t.datatype is not None:
                self.used.add(t.datatype)
                if t.datatype in self._relexed:
                    t = self._literal(_lexical(t), datatype=t.datatype)
            try:
                found = self._nquads_term(t)
            except TypeError as exc:
                raise ValueError(str(exc)) from exc
            self._cache[key] = found
        return found

    def triple(self, s, p, o) -> str:
        """``s p o`` in N-Quads syntax, without graph or final dot."""
        if p not in self.used:
            self.used.add(p)
        if p == self._type and type(o) is self._uriref:
            self.used.add(o)
        return f"{self.term(s)} {self.term(p)} {self.term(o)}"

    def sorted_triples(self, triples) -> list[str]:
        """The triples of one graph as sorted ``s p o`` strings (the order :func:`_sorted_nquads` gives).

        :meth:`triple` inlined: this loop writes every quad of a build."""
        cache, term, used, rdf_type, uriref = self._cache, self.term, self.used, self._type, self._uriref
        lines = []
        for s, p, o in triples:
            if p not in used:
                used.add(p)
            if p == rdf_type and type(o) is uriref:
                used.add(o)
            lines.append(f"{cache.get(s) or term(s)} {cache.get(p) or term(p)} {cache.get(o) or term(o)}")
        lines.sort()
        return lines

    def used_iris(self) -> set[str]:
        return {str(i) for i in self.used}


def trig_prefixes(namespaces, used: set[str]) -> dict[str, str]:
    """The ``(prefix, namespace)`` bindings worth declaring in TriG: those a predicate, class or
    datatype among ``used`` starts with (``id`` never: document IRIs stay whole), sorted."""
    prefixes = {prefix: str(ns) for prefix, ns in namespaces
                if prefix and prefix != "id" and any(iri.startswith(str(ns)) for iri in used)}
    return dict(sorted(prefixes.items()))


def _lexical(literal) -> str:
    """The lexical form rdflib's Turtle and TriG writers give a typed literal, so a graph written
    here reads back as the same terms as one rdflib wrote: decimals get a fraction (``17`` →
    ``17.0``), doubles rdflib's exponent form, booleans lower case (rdflib writes them bare,
    which changes those lexical forms; integers and other types keep theirs)."""
    from rdflib.namespace import XSD

    text = str(literal)
    datatype = literal.datatype
    if datatype not in (XSD.decimal, XSD.double, XSD.boolean) or literal.value is None:
        return text
    if datatype == XSD.boolean:
        return text.lower()
    try:
        number = float(literal)
    except ValueError:
        return text
    if math.isinf(number) or math.isnan(number):
        return text
    if datatype == XSD.double:
        return re.sub("\\.?0*e", "e", f"{number:e}")
    return text if "." in text or "e" in text or "E" in text else text + ".0"


def _rdflib_trig(ds: Dataset) -> bytes:
    """TriG by rdflib's writer, the named graphs in IRI order (rdflib's own order follows string
    hashing, which differs from process to process)."""
    from io import BytesIO

    from rdflib.plugins.serializers.trig import TrigSerializer

    serializer = TrigSerializer(ds)
    serializer.contexts.sort(key=lambda g: str(g.identifier))
    buffer = BytesIO()
    serializer.serialize(buffer, encoding="utf-8")
    return buffer.getvalue()


def write_graph(ds: Dataset, path: Path, fmt: RdfFormat | None = None) -> Path:
    fmt = fmt or RdfFormat.from_path(path)
    atomic_write_bytes(path, serialize(ds, fmt))
    return path


def load_graph(path: Path, base: str = DEFAULT_BASE) -> Dataset:
    """Load a graph file (TriG, N-Quads, Turtle, N-Triples, JSON-LD) into a union-default dataset."""
    path = Path(path)
    fmt = RdfFormat.from_path(path)
    ds = Dataset(default_union=True)
    bind_prefixes(ds, base)
    if fmt in (RdfFormat.TURTLE, RdfFormat.NTRIPLES):
        ds.graph(path.resolve().as_uri()).parse(path, format=fmt.value)
    else:
        ds.parse(path, format=fmt.value)
    return ds
