"""Benchmark: projection + overview HTML on a synthetic 50,000-entity knowledge graph.

Not a timed test. Run ``.venv/bin/python bench/bench_views.py [--entities 50000]``. The synthetic
graph follows ``ontology/README.md`` (documents, fields, measures, projects with amounts, SDG
targets and suggestions, indicators, logic-model stages, departments, partners, text spans). The
baseline is measured in the same run: pyvis's own ``add_node``/``add_edge`` + ``generate_html`` on
the same full overview graph (and on two subsets, whose growth exponent gives an extrapolation
used instead when the full graph is above ``--max-baseline-nodes``).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import ORG, RDF, SDO, SKOS, XSD

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from policy_kg.graph.namespace import DEFAULT_BASE, PKG, SDG  # noqa: E402
from policy_kg.visualize.projection import aggregate, project  # noqa: E402
from policy_kg.visualize.views import render_html, vis_assets  # noqa: E402

TARGETS = ["8.1", "8.2", "8.3", "8.5", "9.2", "9.b", "11.4", "11.a", "4.4", "17.17"]


def synthetic_dataset(entities: int, *, seed: int = 1) -> tuple[Dataset, int]:
    """A dataset of about ``entities`` entities; returns it with the exact entity count."""
    rng = random.Random(seed)
    ds = Dataset(default_union=True)
    per_project = 5.3  # project + 2 amounts + span + ~0.5 indicator + ~0.4 stage + ~0.2 suggestion + …
    n_docs = 10
    measures_per_doc = 40
    projects_per_measure = max(1, round(entities / per_project / n_docs / measures_per_doc))
    orgs = [URIRef(f"{DEFAULT_BASE}org/partner-{i}") for i in range(300)]
    units = [URIRef(f"{DEFAULT_BASE}org/unit-{i}") for i in range(50)]
    count = 0
    quads: list[tuple[Any, Any, Any, Any]] = []
    for d in range(n_docs):
        gid = URIRef(f"{DEFAULT_BASE}graph/doc{d}")
        g = ds.graph(gid)
        doc = URIRef(f"{DEFAULT_BASE}doc/doc{d}")

        def add(s: Any, p: Any, o: Any, graph: Any = g) -> None:
            quads.append((s, p, o, graph))

        add(doc, RDF.type, PKG.Document)
        add(doc, PKG.fileName, Literal(f"doc{d}.txt"))
        count += 1
        for f in range(4):
            field = URIRef(f"{doc}/field-{f}")
            add(field, RDF.type, PKG.PolicyField)
            add(field, SKOS.prefLabel, Literal(f"政策分野{f}", lang="ja"))
            add(field, PKG.inDocument, doc)
            kpi = URIRef(f"{field}/kpi")
            add(kpi, RDF.type, PKG.Indicator)
            add(kpi, PKG.indicatorOf, field)
            add(kpi, SKOS.prefLabel, Literal(f"KPI {f}", lang="ja"))
            count += 2
            for m in range(measures_per_doc // 4):
                measure = URIRef(f"{doc}/m{f}-{m}")
                add(measure, RDF.type, PKG.Measure)
                add(measure, SKOS.prefLabel, Literal(f"施策{f}-{m}", lang="ja"))
                add(measure, PKG.isPartOf, field)
                add(measure, PKG.inDocument, doc)
                count += 1
                for p in range(projects_per_measure):
                    count += _add_project(add, rng, doc, measure, f"m{f}-{m}-p{p}", orgs, units)
    ds.addN(quads)
    for code in TARGETS:
        ds.add((SDG[code], SKOS.notation, Literal(code)))
        ds.add((SDG[code], SKOS.broader, SDG[code.split(".")[0]]))
    for org in orgs:
        ds.add((org, RDF.type, ORG.Organization))
        ds.add((org, SKOS.prefLabel, Literal(f"団体{org[-3:]}", lang="ja")))
    for unit in units:
        ds.add((unit, RDF.type, ORG.OrganizationalUnit))
        ds.add((unit, SKOS.prefLabel, Literal(f"課{unit[-2:]}", lang="ja")))
    return ds, count + len(orgs) + len(units) + len(TARGETS)


def _add_project(add: Callable[..., None], rng: random.Random, doc: URIRef, measure: URIRef, key: str,
                 orgs: list[URIRef], units: list[URIRef]) -> int:
    """Add one project and its satellites; returns the number of entities added."""
    project = URIRef(f"{doc}/project/{key}")
    span = URIRef(f"{doc}#L{rng.randint(1, 2000)}-{key}")
    add(project, RDF.type, PKG.Project)
    add(project, SKOS.prefLabel, Literal(f"事業 {key}", lang="ja"))
    add(project, PKG.isPartOf, measure)
    add(project, PKG.inDocument, doc)
    add(project, PKG.source, span)
    add(span, RDF.type, PKG.TextSpan)
    add(span, PKG.lineStart, Literal(rng.randint(1, 2000)))
    add(span, PKG.lineEnd, Literal(rng.randint(2000, 2100)))
    add(span, PKG.inDocument, doc)
    add(project, PKG.direction, PKG.Continue)
    add(project, PKG.responsibleUnit, rng.choice(units))
    add(project, PKG.partner, rng.choice(orgs))
    add(project, PKG.sdgTarget, SDG[rng.choice(TARGETS)])
    n = 2
    for year in (2023, 2024):
        amount = URIRef(f"{project}/amount/total-{year}")
        add(amount, RDF.type, PKG.Amount)
        add(amount, PKG.amountOf, project)
        add(amount, PKG.category, PKG.TotalCost)
        add(amount, PKG.fiscalYear, Literal(year))
        add(amount, SDO.value, Literal(rng.randint(1, 10_000) * 1000, datatype=XSD.integer))
        n += 1
    if rng.random() < 0.5:
        indicator = URIRef(f"{project}/indicator")
        add(indicator, RDF.type, PKG.Indicator)
        add(indicator, PKG.indicatorOf, project)
        add(indicator, SKOS.prefLabel, Literal("件数", lang="ja"))
        n += 1
    if rng.random() < 0.1:
        previous = None
        for step in range(1, 5):
            stage = URIRef(f"{project}/stage-{step}")
            add(stage, RDF.type, PKG.LogicModelStage)
            add(stage, PKG.stageOf, project)
            add(stage, PKG.step, Literal(step))
            add(stage, PKG.statement, Literal(f"段階{step}"))
            if previous is not None:
                add(previous, PKG.leadsTo, stage)
            previous = stage
            n += 1
    if rng.random() < 0.2:
        suggestion = URIRef(f"{project}/sdg-suggestion")
        add(suggestion, RDF.type, PKG.SdgSuggestion)
        add(suggestion, PKG.suggestedFor, project)
        add(suggestion, PKG.sdgTarget, SDG[rng.choice(TARGETS)])
        add(suggestion, PKG.score, Literal(round(rng.random(), 2)))
        n += 1
    return n


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def pyvis_baseline(g: Any, n_nodes: int, out: Path) -> float:
    """Seconds for pyvis add_node/add_edge + generate_html on the first ``n_nodes`` nodes of ``g``."""
    from pyvis.network import Network

    keep = list(g.nodes)[:n_nodes]
    sub = g.subgraph(keep)

    def build() -> None:
        net = Network(directed=True, cdn_resources="in_line")
        for n, d in sub.nodes(data=True):
            net.add_node(n, label=str(d.get("label", n)), title=str(d.get("type", "")))
        for u, v, d in sub.edges(data=True):
            net.add_edge(u, v, title=str(d.get("type", "")))
        net.toggle_physics(False)
        out.write_text(net.generate_html(), encoding="utf-8")

    seconds, _ = timed(build)
    return seconds


def ours(g: Any, n_nodes: int, out: Path) -> float:
    """Seconds for render_html on the same subset the baseline gets."""
    sub = g.subgraph(list(g.nodes)[:n_nodes]).copy()
    seconds, _ = timed(lambda: render_html(sub, title="bench", out=out))
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=50_000)
    parser.add_argument("--subset", type=int, default=2_000, help="baseline subset size (nodes)")
    parser.add_argument("--max-baseline-nodes", type=int, default=30_000,
                        help="run pyvis on the full overview up to this many nodes, else extrapolate")
    args = parser.parse_args(argv)

    t_gen, (ds, n_entities) = timed(lambda: synthetic_dataset(args.entities))
    print(f"synthetic graph: {n_entities:,} entities, {len(ds):,} quads (generated in {t_gen:.1f}s)")
    tmp = Path(tempfile.mkdtemp(prefix="bench_views_"))
    vis_assets()  # warm-up: read the inlined vis-network files once, outside the timings

    t_project, full = timed(lambda: project(ds, view="overview"))
    t_aggregate, small = timed(lambda: aggregate(full, max_nodes=1500))
    t_html, _ = timed(lambda: render_html(small, title="overview", out=tmp / "overview.html"))
    t_full_html, _ = timed(lambda: render_html(full, title="overview-full", out=tmp / "overview-full.html"))
    n_full, e_full = full.number_of_nodes(), full.number_of_edges()
    print(f"overview projection: {n_full:,} nodes, {e_full:,} edges; aggregated: "
          f"{small.number_of_nodes():,} nodes, {small.number_of_edges():,} edges")

    half = args.subset // 2
    pyvis_baseline(full, 50, tmp / "pyvis-warmup.html")  # warm-up: imports and templates
    base_half = pyvis_baseline(full, half, tmp / "pyvis-half.html")
    base_sub = pyvis_baseline(full, args.subset, tmp / "pyvis-sub.html")
    ours_sub = ours(full, args.subset, tmp / "ours-sub.html")
    exponent = max(1.0, math.log(base_sub / base_half, 2)) if base_half > 0 else 2.0
    extrapolated = base_sub * (n_full / args.subset) ** exponent
    # measure pyvis on the whole graph when that is affordable; the extrapolation is printed too
    measured = n_full <= args.max_baseline_nodes
    base_full = pyvis_baseline(full, n_full, tmp / "pyvis-full.html") if measured else extrapolated
    how = "measured" if measured else "extrapolated"

    rows = [
        ("projection (SPARQL facts + overview)", t_project, None),
        ("aggregate to ≤1,500 nodes", t_aggregate, None),
        ("render_html, aggregated overview", t_html, None),
        # the baseline pipeline is the same projection followed by pyvis on the full graph
        ("pipeline total (projection+aggregate+html)", t_project + t_aggregate + t_html, t_project + base_full),
        (f"render_html, full overview ({n_full:,} nodes)", t_full_html, base_full),
        (f"render_html, {args.subset:,}-node subset", ours_sub, base_sub),
        (f"pyvis add_node/add_edge, {half:,}-node subset", base_half, None),
        (f"pyvis add_node/add_edge, {args.subset:,}-node subset", base_sub, None),
        (f"pyvis extrapolated to {n_full:,} nodes (n^{exponent:.2f})", extrapolated, None),
        (f"pyvis baseline used, full overview ({how})", base_full, None),
    ]
    print()
    print(f"{'step':<52} {'seconds':>10} {'pyvis baseline':>15} {'speed-up':>9}")
    print("-" * 90)
    for name, seconds, baseline in rows:
        base = f"{baseline:>15.2f}" if baseline is not None else " " * 15
        ratio = f"{baseline / seconds:>8.1f}x" if baseline is not None and seconds > 0 else ""
        print(f"{name:<52} {seconds:>10.2f} {base} {ratio}")
    print(f"\npages written to {tmp}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
