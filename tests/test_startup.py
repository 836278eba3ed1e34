"""Start-up does only the work a command needs: the parser (``--help``) imports no RDF or graph library.

No timings here (they live in ``bench/bench_startup.py``): what is checked is which modules a
command imports, which is what start-up time follows.
"""

from __future__ import annotations

import json
import subprocess
import sys

from policy_kg.visualize.analytics import ANALYSES
from policy_kg.visualize.options import ANALYSIS_NAMES

HEAVY = ("rdflib", "pyoxigraph", "networkx", "pyshacl", "yaml", "policy_kg.extract.detect", "policy_kg.graph.bulk")


def _imported_after(code: str) -> list[str]:
    probe = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return json.loads(out.splitlines()[-1])


def test_the_parser_imports_no_rdf_or_graph_library():
    modules = _imported_after("from policy_kg import cli\ncli.build_parser().format_help()")
    assert [m for m in HEAVY if m in modules] == []


def test_query_list_imports_no_store_and_no_extraction():
    modules = _imported_after(
        "import contextlib, io\nfrom policy_kg import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n    cli.main(['query', '--list'])")
    assert [m for m in ("pyoxigraph", "networkx", "pyshacl", "policy_kg.extract.detect") if m in modules] == []


def test_the_analyses_the_cli_offers_are_those_analyze_runs():
    assert ANALYSIS_NAMES == tuple(ANALYSES)
