"""Document identity: the ``doc_id`` every IRI of a document is built from.

The scheme: a document's id is its file stem (``plan.txt`` → ``plan``) — unless two *different*
documents of one build share that stem; each of those then gets ``<stem>-<first 12 hex digits of
its content hash>`` (the sha256 of its decoded, line-normalised text, ``DocumentRecord.content_hash``).

Why this and not always stem + hash:

* the same document gives the same IRIs from any folder: nothing depends on where the file lies
  or on the order of the inputs, only on the set of (stem, content) of the build;
* a changed document keeps its IRIs (its stem is unique), so an incremental re-build replaces its
  graph triple by triple instead of adding a second document; with a hash in every id, every edit
  would mint new IRIs for every project and figure, and citations of them would break;
* ids of existing graphs, tests and queries (which name documents by stem) stay what they were.

Two inputs with the same stem *and* the same content are the same document given twice: it is
built once (the later copies are reported, not built again). The file name stays provenance
(``pkg:fileName``). The bulk store's manifest uses the same ids (``graph.bulk``), so copying or
moving a corpus re-builds nothing, and naming a stem again replaces whatever the store held
under it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

#: The base IRI of data (``--base``): a document's IRIs are this followed by its id. Declared here, in
#: a module without rdflib, so the command line can show it without importing rdflib;
#: ``graph.namespace`` re-exports it.
DEFAULT_BASE = "https://w3id.org/policy-kg/id/"
#: Hex digits of the content hash appended to a stem that two documents of one build share.
HASH_DIGITS = 12


def document_ids(stems: Sequence[str], content_hash: Callable[[int], str]) -> list[str | None]:
    """The id of each input (``stems[i]`` its stem; ``content_hash(i)`` asked only when needed).

    ``None`` for an input that repeats an earlier one (same stem, same content).
    """
    groups: dict[str, list[int]] = {}
    for i, stem in enumerate(stems):
        groups.setdefault(stem, []).append(i)
    ids: list[str | None] = list(stems)
    taken = set(groups)
    for stem, members in groups.items():
        if len(members) == 1:
            continue
        hashes = {i: content_hash(i) for i in members}
        first: dict[str, int] = {}
        for i in members:
            first.setdefault(hashes[i], i)
        if len(first) == 1:  # one document, named twice
            for i in members[1:]:
                ids[i] = None
            continue
        digits = HASH_DIGITS
        while True:  # longer hashes in the (absurd) case a suffixed id is another input's stem
            chosen = {h: f"{stem}-{h[:digits]}" for h in first}
            if len(set(chosen.values())) == len(chosen) and not (set(chosen.values()) & taken):
                break
            if digits >= 64:
                raise ValueError(f"cannot give distinct ids to the documents named {stem!r}")
            digits = 64
        for i in members:
            ids[i] = chosen[hashes[i]] if first[hashes[i]] == i else None
        taken.update(chosen.values())
    return ids
