"""policy-kg command line: ``python build_graph.py COMMAND …`` (also installed as ``policy-kg``).

A thin entry point: the commands are ``policy_kg.cli``, thin wrappers themselves over importable
functions of ``policy_kg.extract``, ``policy_kg.graph`` and ``policy_kg.visualize``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run from anywhere: policy_kg/ is beside this file

from policy_kg import cli  # noqa: E402

if __name__ == "__main__":
    sys.exit(cli.main())
else:
    sys.modules[__name__] = cli  # ``import build_graph`` is the CLI module itself (tests patch it)
