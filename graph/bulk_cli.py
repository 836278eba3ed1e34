"""``policy-kg generate``: its registration, read without importing :mod:`graph.bulk`.

``bulk-build`` was registered here as a command of its own; it is now an alias of ``build``
(``policy_kg/cli.py``), whose code path it shares (:func:`graph.bulk.build_corpus`).
"""

from __future__ import annotations

import argparse
import sys
from functools import cache
from pathlib import Path

__all__ = ["register"]

ROOT = Path(__file__).resolve().parents[1]
#: Documents per worker task (``graph.bulk.DEFAULT_CHUNK``).
DEFAULT_CHUNK = 16


def register(subparsers: argparse._SubParsersAction, graph_opt: argparse.ArgumentParser) -> None:
    """Add ``generate`` to the ``policy-kg`` command line (``bulk-build`` is an alias of ``build``)."""
    if (ROOT / "bench" / "generate.py").is_file():  # a checkout: the benchmark generator is beside the code
        # its options are bench/generate.py's own, read only when the command runs: start-up does not
        # import benchmark code, and an installed package (which has no bench/) has no such command
        g = subparsers.add_parser("generate", add_help=False, prefix_chars="\0",  # every argument is the generator's
                                  help="write a synthetic corpus with expected facts (bench/generate.py)")
        g.add_argument("generator_args", nargs=argparse.REMAINDER)
        g.set_defaults(func=lambda args: _generator().main(args.generator_args))


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
