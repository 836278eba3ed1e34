"""Benchmark: how well the keyword suggester recovers SDG targets a document states.

Run ``.venv/bin/python bench/bench_sdg_suggest.py [DOCUMENT ...]`` (default: the evaluation-sheet
seed ``../shared/seeds/000_27ae6de2eb66d617.txt``). Stated targets are hidden and the suggester
proposes its top k (default 3), under two protocols:

* ``all-hidden``: every stated target of the document hidden at once, so the suggester has the
  projects' texts only (the issue's protocol; the bar applies to it);
* ``leave-one-out``: one project hidden at a time while the others keep theirs, which is the
  situation of a document's genuinely untagged projects.

For each the figures are printed: precision@k, recall@k and the share of projects whose stated
target is among the top k (the bar is 70%). ``--misses`` lists the projects it got wrong.
Exit code 0 when the all-hidden share reaches ``--bar``, 1 below it, 2 on an unreadable document.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from policy_kg.extract.detect import extract  # noqa: E402
from policy_kg.extract.source import ExtractionError, read_source  # noqa: E402
from policy_kg.graph.sdg_suggest import ALL_HIDDEN, METHOD, PROTOCOLS, Evaluation, evaluate_hidden_targets  # noqa: E402

DEFAULT_SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_27ae6de2eb66d617.txt"


def report(evaluation: Evaluation, *, misses: bool = False) -> str:
    """The figures of ``evaluation`` as printable lines."""
    k = evaluation.k
    hits = sum(1 for o in evaluation.outcomes if o.hits)
    lines = [
        f"protocol: {evaluation.protocol} (keyword method {METHOD}, measure context)",
        f"projects with stated targets: {evaluation.projects}",
        f"stated target in top {k}: {hits}/{evaluation.projects} = {evaluation.hit_rate:.1%}",
        f"precision@{k}: {evaluation.precision_at_k:.3f}",
        f"recall@{k}: {evaluation.recall_at_k:.3f}",
    ]
    if misses:
        for o in evaluation.outcomes:
            if not o.hits:
                lines.append(f"  miss {o.key}: stated {' '.join(o.stated)}; suggested {' '.join(o.suggested) or '-'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("documents", nargs="*", type=Path, default=[DEFAULT_SEED])
    parser.add_argument("-k", type=int, default=3, help="suggestions per project (default: 3)")
    parser.add_argument("--bar", type=float, default=0.70, help="required share of hits (default: 0.70)")
    parser.add_argument("--misses", action="store_true", help="list the projects without a hit")
    args = parser.parse_args(argv)
    try:
        records = [extract(read_source(path)) for path in args.documents]
    except (ExtractionError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    verdicts = {}
    for protocol in PROTOCOLS:
        evaluation = evaluate_hidden_targets(records, k=args.k, protocol=protocol)
        verdicts[protocol] = "PASS" if evaluation.hit_rate >= args.bar else "FAIL"
        print(report(evaluation, misses=args.misses))
        print(f"target: stated target in top {args.k} for >= {args.bar:.0%} of projects: {verdicts[protocol]}\n")
    return 0 if verdicts[ALL_HIDDEN] == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
