"""``policy-kg bulk-build`` and ``generate``: their options, read without importing :mod:`graph.bulk`.

The command line lists every command on ``--help``; registering these two costs argparse only.
The build itself (extraction, rdflib, pyoxigraph) is imported when ``bulk-build`` runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from functools import cache
from pathlib import Path

from policy_kg.graph.identity import DEFAULT_BASE

__all__ = ["register"]

ROOT = Path(__file__).resolve().parents[1]
#: Documents per worker task (``graph.bulk.DEFAULT_CHUNK``).
DEFAULT_CHUNK = 16


def register(subparsers: argparse._SubParsersAction, graph_opt: argparse.ArgumentParser) -> None:
    """Add ``bulk-build`` and ``generate`` to the ``policy-kg`` command line."""
    p = subparsers.add_parser("bulk-build", help="build many documents in parallel into an on-disk Oxigraph store")
    p.add_argument("inputs", nargs="+", help="documents (.txt), records (.records.json) or folders")
    p.add_argument("--store", type=Path, required=True, help="Oxigraph store folder (created or updated)")
    p.add_argument("--jobs", type=int, default=os.cpu_count(), help="worker processes (default: %(default)s)")
    p.add_argument("--cache", type=Path, default=None,
                   help="records cache folder (default: <store>.records-cache beside the store)")
    p.add_argument("--base", default=DEFAULT_BASE, help="base IRI of data (default: %(default)s)")
    p.add_argument("--chunk", type=int, default=DEFAULT_CHUNK, help="documents per worker task (default: %(default)s)")
    p.add_argument("--no-curation", action="store_true", help="ignore <document>.curation.yaml files")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress or summary")
    p.set_defaults(func=_cmd_bulk_build)

    if (ROOT / "bench" / "generate.py").is_file():  # a checkout: the benchmark generator is beside the code
        # its options are bench/generate.py's own, read only when the command runs: start-up does not
        # import benchmark code, and an installed package (which has no bench/) has no such command
        g = subparsers.add_parser("generate", add_help=False, prefix_chars="\0",  # every argument is the generator's
                                  help="write a synthetic corpus with expected facts (bench/generate.py)")
        g.add_argument("generator_args", nargs=argparse.REMAINDER)
        g.set_defaults(func=lambda args: _generator().main(args.generator_args))


def _cmd_bulk_build(args: argparse.Namespace) -> int:
    from policy_kg.graph.bulk import bulk_build
    from policy_kg.graph.io import OutputError
    from policy_kg.graph.pipeline import EXIT_FAILED_DOCUMENT, expand_inputs

    if not expand_inputs(args.inputs):
        from policy_kg.cli import CliError

        raise CliError(f"no input documents found in {', '.join(map(str, args.inputs))}", EXIT_FAILED_DOCUMENT)
    try:
        result = bulk_build(args.inputs, store_dir=args.store, base=args.base, jobs=args.jobs, cache_dir=args.cache,
                            progress=not args.quiet, curate=not args.no_curation, chunk_size=args.chunk)
    except OSError as exc:  # inputs that cannot be read are failures; this is the store, cache or manifest
        raise OutputError.of(args.store, exc) from exc
    if not args.quiet:
        print(result.summary())
    for failure in result.failures:
        print(f"error: {failure}", file=sys.stderr)
    return result.exit_code


@cache
def _generator():
    """``bench/generate.py`` as a module (``bench`` is a folder of scripts, not an installed package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("policy_kg_bench_generate", ROOT / "bench" / "generate.py")
    if spec is None or spec.loader is None:
        raise ImportError("bench/generate.py not found")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is created
    spec.loader.exec_module(module)
    return module
