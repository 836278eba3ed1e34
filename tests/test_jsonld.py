"""JSON-LD export with the project's published @context (issue 16)."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph

from build_graph import main
from policy_kg.graph.io import load_graph
from policy_kg.graph.namespace import CONTEXT_FILE, PREFIXES, context_document, jsonld_context


def test_the_published_context_is_generated_from_the_namespace_module():
    # regenerate with: python -m policy_kg.graph.namespace
    assert CONTEXT_FILE.read_text(encoding="utf-8") == context_document()
    context = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    assert {p: str(ns) for p, ns in PREFIXES.items()}.items() <= context.items()
    assert context == jsonld_context()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("jsonld")
    assert main(["build", "--out", str(out), "--quiet"]) == 0
    assert main(["export", "--graph", str(out / "graph.trig"), "--format", "jsonld",
                 "--out", str(out / "export.jsonld")]) == 0
    return out


def test_export_is_compact_with_the_context(built):
    doc = json.loads((built / "export.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"] == jsonld_context() and isinstance(doc["@graph"], list) and doc["@graph"]
    text = (built / "export.jsonld").read_text(encoding="utf-8")
    assert '"pkg:Project"' in text and '"skos:prefLabel"' in text  # compact IRIs, not expanded form


def test_a_plain_rdflib_graph_reads_every_triple_of_the_merge(built):
    merged = Graph()
    for triple in load_graph(built / "graph.trig").triples((None, None, None)):
        merged.add(triple)
    read = Graph().parse(built / "export.jsonld")  # format guessed from the suffix, as a user would
    assert len(read) == len(merged) > 1000
    assert read.isomorphic(merged)
